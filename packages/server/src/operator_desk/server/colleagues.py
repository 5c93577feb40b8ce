"""Simulated colleagues for the demo: operators of the demo team who sign in through the real operator
endpoint, say they are available, and take the chats routing offers them, so that the team window shows
chats routed fairly across a team of five (the simulated four and whoever signs in as ``operator``).

Each colleague takes an offer after a few seconds (time for the person trying the demo to accept a chat
of their own from the queue first), now and then lets one pass so that it moves on to the next, greets
the visitor, answers each visitor message with a short line, and ends the chat after a while. Loopback
only; ``stop()`` ends every task and socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import random
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from operator_desk.server.sim_peer import SimulatedPeer

logger = logging.getLogger(__name__)

# (user name, display name) of the demo's simulated colleagues; each is an operator of the demo team.
COLLEAGUES = (
    ("ada", "Ada Agent"),
    ("ben", "Ben Berger"),
    ("cem", "Cem Demir"),
    ("dee", "Dee Novak"),
)
GREETINGS = (
    "Hello, thanks for waiting! How can I help?",
    "Hi there, I'm happy to help.",
    "Good day! Let me have a look at that for you.",
)
ANSWERS = (
    "Let me check that for you.",
    "Yes, that is possible.",
    "I have looked it up: it ships within two days.",
    "Is there anything else I can do for you?",
)
FAREWELL = "Thanks for chatting with us. Have a nice day!"


@dataclass(frozen=True, slots=True)
class ColleaguePacing:
    """Seconds: how long a colleague waits before taking an offer, before each answer, and how long a
    chat of theirs lasts; how often they let an offer pass."""

    accept_min: float = 6.0
    accept_max: float = 12.0
    answer_delay: float = 3.0
    chat_min: float = 25.0
    chat_max: float = 60.0
    let_pass: float = 0.15


class SimulatedColleague(SimulatedPeer):
    def __init__(self, url: str, username: str, password: str, pacing: ColleaguePacing,
                 rng: random.Random) -> None:
        super().__init__()
        self.url = url
        self.username = username
        self.password = password
        self.pacing = pacing
        self.rng = rng
        self.chats: set[str] = set()      # the chats this colleague has open
        self.accepted = 0

    async def run(self) -> None:
        async with connect(self.url, max_size=2**20, open_timeout=30, proxy=None) as connection:
            self._connection = connection
            reader = asyncio.get_running_loop().create_task(self._read())
            try:
                credentials = {"username": self.username, "password": self.password}
                login = await self.request("auth.login", credentials)
                if not login.get("ok"):
                    logger.info("a simulated colleague could not sign in")
                    return
                await self.request("presence.set", {"status": "available"})
                await reader
            finally:
                # Their chats' timers too: a colleague in the middle of a chat stops with the demo.
                await self._stop_tasks(reader)

    def _on_push(self, action: str, payload: dict[str, Any]) -> None:
        if action == "chat.offered":
            self._later(self._take(str(payload.get("chat_id", ""))))
        elif action == "chat.message" and payload.get("chat_id") in self.chats \
                and payload.get("message", {}).get("author") == "visitor":
            self._later(self._answer(payload["chat_id"]))
        elif action == "chat.updated":
            chat = payload.get("chat", {})
            if chat.get("state") == "closed":
                self.chats.discard(chat.get("id"))

    async def _take(self, chat_id: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            if self.rng.random() < self.pacing.let_pass:
                return   # the offer expires and moves on to the next colleague
            await asyncio.sleep(self.rng.uniform(self.pacing.accept_min, self.pacing.accept_max))
            answer = await self.request("chat.accept", {"chat_id": chat_id})
            if not answer.get("ok"):
                return   # someone was quicker, or the visitor left
            self.chats.add(chat_id)
            self.accepted += 1
            await self._say(chat_id, self.rng.choice(GREETINGS))
            await asyncio.sleep(self.rng.uniform(self.pacing.chat_min, self.pacing.chat_max))
            if chat_id in self.chats:
                await self._say(chat_id, FAREWELL)
                await self.request("chat.close", {"chat_id": chat_id})
                self.chats.discard(chat_id)

    async def _answer(self, chat_id: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            await asyncio.sleep(self.pacing.answer_delay * self.rng.uniform(0.5, 1.5))
            if chat_id in self.chats:
                await self._say(chat_id, self.rng.choice(ANSWERS))

    async def _say(self, chat_id: str, text: str) -> None:
        message_id = f"{self.username}-{next(self._ids)}"
        await self.request("chat.send", {"chat_id": chat_id, "client_msg_id": message_id, "text": text})


class Colleagues:
    """The demo team's simulated colleagues, signed in until ``stop()``."""

    def __init__(self, operator_url: str, accounts: tuple[tuple[str, str], ...], password: str,
                 pacing: ColleaguePacing | None = None, seed: int | None = None) -> None:
        host = urlsplit(operator_url).hostname or ""
        if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
            raise ValueError("simulated colleagues only talk to a server on loopback")
        rng = random.Random(seed)
        self.members = [SimulatedColleague(operator_url, username, password, pacing or ColleaguePacing(),
                                           random.Random(rng.random())) for username, _ in accounts]
        self._tasks: list[asyncio.Task[Any]] = []

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._run_one(member), name=f"colleague-{member.username}")
                       for member in self.members]

    @staticmethod
    async def _run_one(member: SimulatedColleague) -> None:
        try:
            await member.run()
        except (ConnectionClosed, InvalidHandshake, OSError, TimeoutError):
            logger.debug("a simulated colleague's connection ended")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
