"""Simulated visitors: about N browsers busy on the demo shop, through the real visitor endpoint.

Each visitor connects over loopback with its own address in ``X-Forwarded-For`` (the server trusts
loopback as a proxy in demo mode), browses, about half grant visitor insights, some start chats and
answer operators with short canned lines, some accept details requests and some decline, some withdraw
consent, and they leave and new ones arrive. Bounded (at most ``MAX_VISITORS``), loopback only, and
``stop()`` ends every task and socket.

Run on its own (the benchmark does, so that the server's figures are the server's alone)::

    python -m operator_desk.server.simulator --url ws://127.0.0.1:PORT/v1/visitor -n 2000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import itertools
import logging
import random
import ssl
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from operator_desk.server.config import SimulatorPacing
from operator_desk.server.sim_peer import SimulatedPeer

logger = logging.getLogger(__name__)

MAX_VISITORS = 5_000
ADDRESS_POOLS = (
    "192.0.2.0/24",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "10.1.0.0/16",
    "10.2.0.0/16",
    "172.16.0.0/16",
)
SHOP_PAGES = (
    ("/widget/", "Demo shop"),
    ("/widget/#/espresso-machines", "Espresso machines"),
    ("/widget/#/grinders", "Coffee grinders"),
    ("/widget/#/beans", "Coffee beans"),
    ("/widget/#/cart", "Your cart"),
    ("/widget/#/checkout", "Checkout"),
    ("/widget/#/shipping", "Shipping and returns"),
    ("/widget/#/contact", "Contact us"),
)
FIRST_NAMES = ("Alex", "Bea", "Chris", "Dana", "Emil", "Frida", "Gus", "Hanna", "Ivo", "Jule", "Kai", "Lena")
LAST_NAMES = ("Berg", "Costa", "Dahl", "Engel", "Fischer", "Graf", "Horn", "Ito", "Jansen", "Klein")
OPENERS = (
    "Hi, does the Barista Pro come with a milk jug?",
    "Hello! When would an order placed today arrive?",
    "Can I return beans if I don't like the roast?",
    "Is the grinder compatible with 230 V?",
    "Hi, my order hasn't shipped yet, can you check?",
)
REPLIES = (
    "Thanks!",
    "OK, that helps.",
    "Great, thank you.",
    "Hmm, let me think.",
    "Sounds good.",
    "Could you tell me more?",
    "Perfect.",
)
FAKE_DETAILS = {
    "phone": "+49 30 555 0{n:03d}",
    "postal_address": "Musterstraße {n}, 10115 Berlin",
    "email": "sim{n}@example.com",
    "company": "Sim Corp {n}",
    "order_reference": "ORD-{n:05d}",
}


class SimulatedVisitor(SimulatedPeer):
    def __init__(
        self,
        url: str,
        index: int,
        pacing: SimulatorPacing,
        rng: random.Random,
        ssl_context: ssl.SSLContext | None,
    ) -> None:
        super().__init__()
        self.url = url
        self.index = index
        self.pacing = pacing
        self.rng = rng
        self.ssl_context = ssl_context
        self.address = self._address()
        self.language = "de" if rng.random() < 0.25 else "en"
        self.notices: list[dict[str, Any]] = []
        self.chatting = False
        self.actions = 0

    def _address(self) -> str:
        network = ipaddress.ip_network(self.rng.choice(ADDRESS_POOLS))
        return str(network[self.rng.randrange(1, network.num_addresses - 1)])

    async def request(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        self.actions += 1
        return await super().request(action, payload)

    def _notice(self, purpose: str) -> dict[str, Any]:
        return next(n for n in self.notices if purpose in n["purposes"])

    async def _consent(self, purpose: str, granted: bool, method: str) -> None:
        notice = self._notice(purpose)
        await self.request(
            "consent.set",
            {
                "purpose": purpose,
                "granted": granted,
                "notice_id": notice["id"],
                "notice_version": notice["version"],
                "method": method,
            },
        )

    async def run(self) -> None:
        async with connect(
            self.url,
            additional_headers={"X-Forwarded-For": self.address},
            ssl=self.ssl_context,
            max_size=2**20,
            open_timeout=30,
            ping_interval=None,
            compression=None,   # the server offers none: not asking saves each visitor's handshake the offer
        ) as connection:
            self._connection = connection
            reader = asyncio.get_running_loop().create_task(self._read())
            try:
                await self._visit()
            finally:
                # Its replies too: a reply still waiting out its delay would otherwise send a request
                # that no reader answers, and this visitor (and the demo's shutdown) would wait forever.
                await self._stop_tasks(reader)

    async def _visit(self) -> None:
        rng = self.rng
        url, title = rng.choice(SHOP_PAGES)
        hello = await self.request(
            "visitor.hello",
            {
                "page": {"url": f"http://shop.example{url}", "title": title},
                "language": self.language,
            },
        )
        self.notices = hello["payload"]["notices"]
        if rng.random() < 0.5:
            await self._consent("visitor_insights", True, "prechat_form")
        for _ in range(rng.randint(3, 40)):
            await asyncio.sleep(rng.uniform(self.pacing.think_min, self.pacing.think_max))
            roll = rng.random()
            if roll < 0.05 and not self.chatting:
                await self._start_chat()
            elif roll < 0.07:
                await self._consent("visitor_insights", rng.random() < 0.5, "widget_settings")
            elif roll < 0.08 and self.chatting:
                await self.request("chat.end", {})
                self.chatting = False
            else:
                url, title = rng.choice(SHOP_PAGES)
                await self.request("visitor.page", {"url": f"http://shop.example{url}", "title": title})
        if self.chatting:
            await self.request("chat.end", {})

    async def _start_chat(self) -> None:
        rng = self.rng
        await self._consent("chat", True, "prechat_form")
        if rng.random() < 0.3:
            await self._consent("typing_preview", True, "prechat_form")
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        response = await self.request(
            "chat.start",
            {
                "name": f"{first} {last}",
                "email": f"{first}.{last}{self.index}@example.com".lower(),
                "message": rng.choice(OPENERS),
            },
        )
        self.chatting = response.get("ok", False)

    def _on_push(self, action: str, payload: dict[str, Any]) -> None:
        if action == "chat.message" and payload.get("message", {}).get("author") == "operator":
            self._later(self._reply())
        elif action == "details.requested":
            self._later(self._answer_details(payload))
        elif action == "chat.closed":
            self.chatting = False

    async def _reply(self) -> None:
        with contextlib.suppress(ConnectionClosed, asyncio.CancelledError):
            await self.request("chat.typing", {"typing": True, "draft": "…"})
            await asyncio.sleep(self.pacing.reply_delay * self.rng.uniform(0.5, 1.5))
            await self.request(
                "chat.send",
                {
                    "client_msg_id": f"sim-{self.index}-{next(self._ids)}",
                    "text": self.rng.choice(REPLIES),
                },
            )

    async def _answer_details(self, payload: dict[str, Any]) -> None:
        with contextlib.suppress(ConnectionClosed, asyncio.CancelledError):
            await asyncio.sleep(self.pacing.reply_delay)
            if self.rng.random() < 0.6:
                await self._consent("contact_details", True, "details_prompt")
                fields = {
                    name: FAKE_DETAILS.get(name, "n/a").format(n=self.index) for name in payload["fields"]
                }
                await self.request("details.submit", {"request_id": payload["request_id"], "fields": fields})
            else:
                await self.request("details.decline", {"request_id": payload["request_id"]})


class Simulator:
    """Keeps about ``target`` simulated visitors on the site until ``stop()``."""

    def __init__(
        self,
        url: str,
        target: int,
        pacing: SimulatorPacing,
        ssl_context: ssl.SSLContext | None = None,
        seed: int | None = None,
    ) -> None:
        host = urlsplit(url).hostname or ""
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise ValueError("the simulator only talks to a server on loopback")
        self.url = url
        self.target = max(0, min(target, MAX_VISITORS))
        self.pacing = pacing
        self.ssl_context = ssl_context
        self.rng = random.Random(seed)
        self._counter = itertools.count(1)
        self._visitors: set[asyncio.Task[Any]] = set()
        self._keeper: asyncio.Task[Any] | None = None
        self.visitors_started = 0

    @property
    def active(self) -> int:
        return len(self._visitors)

    def start(self) -> None:
        self._keeper = asyncio.get_running_loop().create_task(self._keep_busy(), name="simulator")

    async def _keep_busy(self) -> None:
        # Arrivals are spread out (a few per tick) so that a large N does not arrive in one burst.
        while True:
            missing = self.target - len(self._visitors)
            for _ in range(min(missing, 50)):
                index = next(self._counter)
                visitor = SimulatedVisitor(
                    self.url, index, self.pacing, random.Random(self.rng.random()), self.ssl_context
                )
                task = asyncio.get_running_loop().create_task(self._run_one(visitor), name=f"sim-{index}")
                self._visitors.add(task)
                task.add_done_callback(self._visitors.discard)
                self.visitors_started += 1
            await asyncio.sleep(0.1 if missing > 0 else 0.5)

    @staticmethod
    async def _run_one(visitor: SimulatedVisitor) -> None:
        try:
            await visitor.run()
        except (ConnectionClosed, InvalidHandshake, OSError, TimeoutError):
            logger.debug("a simulated visitor's connection ended")
        except (KeyError, StopIteration):
            logger.debug("a simulated visitor got an answer it did not expect")

    async def stop(self) -> None:
        tasks = [t for t in (self._keeper, *self._visitors) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Simulated visitors for an Operator Desk server on loopback")
    parser.add_argument("--url", required=True, help="ws://127.0.0.1:PORT/v1/visitor")
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=8.0)
    parser.add_argument("--reply-delay", type=float, default=1.5)
    args = parser.parse_args(argv)
    logging.getLogger("websockets").setLevel(logging.INFO)
    pacing = SimulatorPacing(args.think_min, args.think_max, args.reply_delay)

    async def run() -> None:
        simulator = Simulator(args.url, args.n, pacing)
        simulator.start()
        try:
            await asyncio.Event().wait()
        finally:
            await simulator.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


if __name__ == "__main__":
    main()
