"""A visitor on ``/v1/visitor``, as the widget in a browser would be: arriving, consenting, asking for
a chat that an operator accepts, and giving the details an operator asks for."""

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
    ``email``, ``message``, ``team``, ...)."""
    visitor = await arrive(server, ip=ip)
    for purpose in consents:
        await consent(visitor, purpose, granted=True, method="prechat_form")
    chat = (await visitor.ok("chat.start", start))["chat"]
    return visitor, chat


async def accepted_chat(server: Served, operator: AsyncClient,
                        **waiting: Any) -> tuple[AsyncClient, dict[str, Any]]:
    """A ``waiting_chat`` (``waiting``: its options) that ``operator`` accepted."""
    visitor, chat = await waiting_chat(server, **waiting)
    await operator.ok("chat.accept", {"chat_id": chat["id"]})
    return visitor, chat


async def transcript_after_return(visitor: AsyncClient, count: int) -> list[str]:
    """The texts a returning visitor's widget shows, ``count`` of them: those its ``visitor.hello``
    carried (the desk may have sent some while the browser was away), then those pushed after, each
    exactly once, and nothing more pushed."""
    seen = {m["id"]: m["text"] for m in visitor.hello["messages"]}
    while len(seen) < count:
        message = (await visitor.push("chat.message"))["message"]
        assert message["id"] not in seen
        seen[message["id"]] = message["text"]
    await visitor.ok("ping", {})  # anything pushed before this answer is queued by now
    assert visitor.unread("chat.message") == []
    return list(seen.values())


async def details_given(operator: AsyncClient, visitor: AsyncClient, chat_id: str,
                        values: dict[str, str]) -> str:
    """In the chat, ``operator`` asks for the fields of ``values`` under the details notice
    (``details-en``, its latest version); the visitor is asked, consents to contact_details in the
    prompt and gives ``values``: the request's id."""
    notice = next(n for n in (await operator.ok("notices.list"))["notices"] if n["id"] == "details-en")
    request_id = (await operator.ok("details.request", {
        "chat_id": chat_id, "notice_id": notice["id"], "notice_version": notice["version"],
        "fields": list(values)}))["request_id"]
    await visitor.push("details.requested", lambda p: p["request_id"] == request_id)
    await consent(visitor, "contact_details", granted=True, method="details_prompt")
    await visitor.ok("details.submit", {"request_id": request_id, "fields": values})
    return request_id
