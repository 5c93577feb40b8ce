"""How much a day of a busy site puts in a webhook receiver's outbox while it is down, against the
outbox's bound (docs/webhooks.md, "The bound of each receiver's outbox").

The real server in-process, with one receiver (serving chat, contact_details and visitor_insights) whose
address refuses connections: every event waits. Simulated visitors consent, chat with an operator
through the real endpoints (``--messages`` messages each, realistic lengths), half of them give a phone
number and consent to insights, and end the chat. Then the outbox is read: events and bytes per kind,
per chat, and what a day of ``--chats-per-day`` chats (with their consent events) comes to, as a share
of the default bound. The baseline, measured in the same run: the events of visitors who only consent
(no chat), so that what a chat adds is apart from what every visitor costs.

Prints figures and never asserts.

    python benchmarks/webhook_outbox.py                 # 200 chats of 12 messages
    python benchmarks/webhook_outbox.py --chats 50 --messages 40
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import tempfile
import time
from pathlib import Path

import checkout  # noqa: F401 - the checkout's root on sys.path, for tests.kit
from operator_desk.server.webhooks import outbox
from operator_desk.server.webhooks.settings import Receiver
from tests.kit.clients import login
from tests.kit.servers import GENEROUS, fast_settings, start
from tests.kit.visitors import arrive, consent, notice_for

QUESTION = "Hello, I ordered the blue three-seat sofa last week and wanted to ask when it will be delivered?"
ANSWER = "Thanks for waiting! Let me look that up: your order is packed and leaves the warehouse today."
DEFAULTS = Receiver(name="x", url="https://x", events=(), purposes=frozenset(), secret=b"0" * 16)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def config(folder: Path) -> Path:
    secret = folder / "crm.secret"
    secret.write_text("benchmark-secret-0123456789", encoding="utf-8")
    path = folder / "site.toml"
    path.write_text(f"""
[[webhooks]]
name = "crm"
url = "https://127.0.0.1:{closed_port()}/hooks"
secret_file = "{secret}"
purposes = ["chat", "contact_details", "visitor_insights"]
retry_first_seconds = 3600
max_attempts = 1000000
""", encoding="utf-8")
    return path


async def one_chat(server, operator, index: int, messages: int) -> None:
    visitor = await arrive(server, ip=f"10.1.{index // 250}.{index % 250 + 1}")
    rich = index % 2 == 0
    if rich:
        await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
    await consent(visitor, "chat", granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"name": f"Customer Number{index}",
                                            "email": f"customer{index}@example.org",
                                            "message": QUESTION}))["chat"]
    await operator.ok("chat.accept", {"chat_id": chat["id"]})
    for turn in range(1, messages):
        if turn % 2:
            await operator.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": f"o{index}-{turn}",
                                            "text": ANSWER})
        else:
            await visitor.ok("chat.send", {"client_msg_id": f"v{index}-{turn}", "text": QUESTION})
    if rich:
        notice = notice_for(visitor, "contact_details")
        request = await operator.ok("details.request", {
            "chat_id": chat["id"], "notice_id": notice["id"], "notice_version": notice["version"],
            "fields": ["phone", "postal_address"]})
        await consent(visitor, "contact_details", granted=True, method="details_prompt")
        await visitor.ok("details.submit", {"request_id": request["request_id"], "fields": {
            "phone": "+49 170 5550142", "postal_address": "Musterstraße 12, 10115 Berlin"}})
    await visitor.ok("chat.end")
    await visitor.close()


async def consent_only(server, index: int) -> None:
    visitor = await arrive(server, ip=f"10.2.{index // 250}.{index % 250 + 1}")
    await consent(visitor, "chat", granted=True, method="widget_settings")
    await visitor.close()


def per_kind(conn) -> list[tuple[str, int, float, int]]:
    return conn.execute("SELECT kind, count(*), avg(length(body)), max(length(body)) FROM webhook_outbox "
                        "GROUP BY kind ORDER BY kind").fetchall()


async def drained(server) -> None:
    """Until every fact is an event (the fan-out task says when it took some)."""
    async def no_facts() -> bool:
        return not await server.db.call(
            lambda conn: conn.execute("SELECT count(*) FROM webhook_facts").fetchone()[0])

    await server.hub.webhooks.until(no_facts)


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="webhook-bench-"))
    server = await start(folder, demo=True, config_path=config(folder), limits=GENEROUS,
                         settings=fast_settings(webhook_poll=0.2))
    try:
        operator = await login(server, "operator", "demo")
        started = time.perf_counter()
        for index in range(args.consents):
            await consent_only(server, index)
        await drained(server)
        baseline = await server.db.call(outbox.queue_of, "crm")
        for index in range(args.chats):
            await one_chat(server, operator, index, args.messages)
        await drained(server)
        elapsed = time.perf_counter() - started
        queue = await server.db.call(outbox.queue_of, "crm")
        kinds = await server.db.call(per_kind)
        await operator.close()
    finally:
        await server.close()

    print(f"webhook outbox of a receiver that is down; {load()}; {elapsed:.1f} s to drive it")
    print(f"{args.chats} chats of {args.messages} messages (half with insights and details), "
          f"{args.consents} visitors who only consented")
    print(f"{'event':<20}{'count':>8}{'avg bytes':>12}{'max bytes':>12}")
    for kind, count, average, largest in kinds:
        print(f"{kind:<20}{count:>8}{average:>12.0f}{largest:>12}")
    consent_bytes = baseline.bytes / max(1, baseline.events)
    chat_events = queue.events - baseline.events
    chat_bytes = (queue.bytes - baseline.bytes) / max(1, args.chats)
    print(f"baseline: a consent alone {consent_bytes:.0f} B; a chat with its events "
          f"{chat_bytes:.0f} B in {chat_events / max(1, args.chats):.1f} events "
          f"({chat_bytes / max(1.0, consent_bytes):.0f}x a consent)")
    day_bytes = args.chats_per_day * chat_bytes + args.consents_per_day * consent_bytes
    day_events = args.chats_per_day * chat_events / max(1, args.chats) + args.consents_per_day
    days = min(DEFAULTS.queue_max_events / day_events, DEFAULTS.queue_max_bytes / day_bytes)
    print(f"a day of {args.chats_per_day:,} chats and {args.consents_per_day:,} further consents: "
          f"{day_events:,.0f} events, {day_bytes / 2 ** 20:,.0f} MiB; the default bound "
          f"({DEFAULTS.queue_max_events:,} events, {DEFAULTS.queue_max_bytes / 2 ** 20:,.0f} MiB) holds "
          f"{days:.1f} such days")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--messages", type=int, default=12)
    parser.add_argument("--consents", type=int, default=200)
    parser.add_argument("--chats-per-day", type=int, default=5000)
    parser.add_argument("--consents-per-day", type=int, default=50000)
    asyncio.run(main(parser.parse_args()))
