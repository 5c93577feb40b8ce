"""A visitor on ``/v1/visitor``, as the widget in a browser would be: arriving, consenting, and asking
for a chat that an operator accepts."""

from __future__ import annotations

from typing import Any

from tests.kit.clients import AsyncClient, Served


async def arrive(
    server: Served,
    *,
    ip: str | None = None,
    language: str = "en",
    url: str = "http://shop.example/",
    title: str = "Shop",
    token: str | None = None,
) -> AsyncClient:
    """A visitor who said ``visitor.hello`` (from ``ip`` via X-Forwarded-For when given: the server must
    trust loopback as a proxy, i.e. demo mode; with ``token``, a returning browser), on the page ``url``
    titled ``title``. The answer is kept as ``client.hello``."""
    headers = {"X-Forwarded-For": ip} if ip else {}
    client = await AsyncClient.connect(server.visitor_url, additional_headers=headers)
    payload: dict[str, Any] = {"page": {"url": url, "title": title}, "language": language}
    if token:
        payload["visitor_token"] = token
    client.hello = await client.ok("visitor.hello", payload)
    client.visitor_id = client.hello["visitor_id"]
    return client


def notice_for(visitor: AsyncClient, purpose: str) -> dict[str, Any]:
    """The latest notice the visitor was given that covers ``purpose``."""
    return next(n for n in visitor.notices if purpose in n["purposes"])


async def consent(visitor: AsyncClient, purpose: str, *, granted: bool, method: str) -> dict[str, Any]:
    """``consent.set`` for ``purpose`` under the notice that covers it. ``granted`` and ``method``
    (``prechat_form``, ``details_prompt``, ``widget_settings``) are the caller's to say: a withdrawal,
    or a consent given in the widget's settings, is a different fact from a pre-chat form's."""
    notice = notice_for(visitor, purpose)
    return await visitor.ok("consent.set", {
        "purpose": purpose, "granted": granted, "notice_id": notice["id"],
        "notice_version": notice["version"], "method": method,
    })


async def waiting_chat(server: Served, *, consents: tuple[str, ...] = ("chat",), ip: str | None = None,
                       **start: Any) -> tuple[AsyncClient, dict[str, Any]]:
    """A visitor (from ``ip``) who consented in the pre-chat form to ``consents``, in that order, and
    asked for a chat: the visitor and the chat. ``start`` is the ``chat.start`` payload (``name``,
    ``email``, ``team``, ...); its ``message`` is "Hello" unless given."""
    visitor = await arrive(server, ip=ip)
    for purpose in consents:
        await consent(visitor, purpose, granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", {"message": "Hello"} | start))["chat"]
    return visitor, chat


async def accepted_chat(server: Served, operator: AsyncClient,
                        **waiting: Any) -> tuple[AsyncClient, dict[str, Any]]:
    """A ``waiting_chat`` (``waiting``: its options) that ``operator`` accepted."""
    visitor, chat = await waiting_chat(server, **waiting)
    await operator.ok("chat.accept", {"chat_id": chat["id"]})
    return visitor, chat
