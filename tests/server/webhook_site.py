"""What the webhook tests share: a demo server with receivers, a chat with details, and how to wait
for what a receiver got (``tests.kit.webhooks.WebhookReceiver``, the ``webhook_receivers`` fixture)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from operator_desk.server.embedded import RunningServer
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import fast_settings, start_site
from tests.kit.visitors import accepted_chat, details_given
from tests.kit.webhooks import WebhookReceiver, receiver_config

NAME, EMAIL = "Wilhelmina Kundenfeld", "wilhelmina.kunde@example.org"
PHONE = "+49 170 5550142"
QUESTION = "Is the blue sofa still available in my size?"
SECRET = b"crm-shared-secret-0123456789abcdef"


async def started(tmp_path: Path, receivers: list[dict[str, Any]], *, again: bool = False) -> RunningServer:
    """A demo server with these receivers (``WebhookReceiver.entry``) and ann, sue and sam; ``again``:
    on the data of an earlier one (its accounts)."""
    accounts = {} if again else {"ann": "operator", "sue": "supervisor", "sam": "supervisor"}
    return await start_site(tmp_path, receiver_config(receivers, tmp_path), accounts,
                            settings=fast_settings(webhook_poll=0.1))


async def until(receiver: WebhookReceiver, predicate: Any) -> list[dict[str, Any]]:
    return await asyncio.to_thread(receiver.wait_for, predicate)


def kinds(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in events]


async def chat_with_details(server: RunningServer, *,
                            insights: bool = False) -> tuple[AsyncClient, AsyncClient, str]:
    """A visitor who consents to chat and contact_details (and visitor_insights with ``insights``:
    they are in Lyon, at Atelier Rhône), chats, gives a phone number, and ends the chat. Returns the
    visitor, the operator and the chat id."""
    ann = await login(server, "ann")
    visitor, chat = await accepted_chat(
        server, ann, ip="198.51.100.23", consents=("visitor_insights", "chat") if insights else ("chat",),
        name=NAME, email=EMAIL, message=QUESTION)
    await details_given(ann, visitor, chat["id"], {"phone": PHONE})
    await visitor.ok("chat.end")
    return visitor, ann, chat["id"]


def section(event: dict[str, Any], purpose: str) -> dict[str, Any] | None:
    return next((s for s in event.get("sections", ()) if s["purpose"] == purpose), None)
