"""Builders and helpers shared by the store tests (imported by their unique module name)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from operator_desk.domain.clock import format_ts
from operator_desk.domain.model import (
    Author,
    Chat,
    ChatState,
    ConsentEvent,
    ConsentFlags,
    ConsentMethod,
    Insights,
    Location,
    Message,
    Page,
    Purpose,
    Visitor,
    VisitorState,
)
from operator_desk.store import Store
from operator_desk.store.keys import CacheKey

NOW = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class BlockingStore:
    """A :class:`Store` for a test without an event loop: every operation is awaited to completion on a
    private loop, so ``db.upsert_chats([chat])`` returns the result (or raises the error) at once. The
    operations still run on the store's own thread, as in the app."""

    def __init__(self, store: Store, loop: asyncio.AbstractEventLoop) -> None:
        self.store = store
        self._loop = loop

    @classmethod
    def open(cls, path: Path | str, key: CacheKey, **options: Any) -> BlockingStore:
        loop = asyncio.new_event_loop()
        try:
            store = loop.run_until_complete(Store.open(Path(path), key, **options))
        except BaseException:
            loop.close()
            raise
        return cls(store, loop)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.store, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            if self._loop.is_closed():  # after close(): a closed store still answers (StoreClosed)
                return asyncio.run(_awaited(attribute, *args, **kwargs))
            return self._loop.run_until_complete(_awaited(attribute, *args, **kwargs))

        return call

    def sql(self, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of a raw query, read on the store's thread (the connection lives there)."""
        executor = self.store._executor
        assert executor is not None, "the store is closed"
        return executor.submit(lambda: self.store._c.execute(query, params).fetchall()).result()

    def close(self) -> None:
        if self._loop.is_closed():
            return
        try:
            self._loop.run_until_complete(self.store.close())
        finally:
            self._loop.close()


async def _awaited(operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    # The operation must be called inside the loop: it queues itself on the loop that is running.
    return await operation(*args, **kwargs)


def ts(moment: datetime | None = None, **delta: float) -> str:
    """A protocol timestamp: NOW (or ``moment``) shifted by ``delta``."""
    return format_ts((moment or NOW) + timedelta(**delta))


def make_chat(chat_id: str = "c1", visitor_id: str = "v1", operator_id: str | None = "op1", **delta) -> Chat:
    return Chat(
        id=chat_id,
        visitor_id=visitor_id,
        state=ChatState.ACTIVE,
        operator_id=operator_id,
        started_at=ts(**delta),
    )


def make_message(
    message_id: str,
    text: str,
    chat_id: str = "c1",
    author: Author = Author.VISITOR,
    author_name: str = "",
    **delta,
) -> Message:
    return Message(
        id=message_id, chat_id=chat_id, author=author, author_name=author_name, text=text, at=ts(**delta)
    )


def make_visitor(
    visitor_id: str = "v1",
    *,
    granted: tuple[Purpose, ...] = (Purpose.CHAT, Purpose.VISITOR_INSIGHTS, Purpose.CONTACT_DETAILS),
    name: str | None = "Ada Lovelace",
    email: str | None = "ada@example.org",
    ip: str = "203.0.113.7",
) -> Visitor:
    """A visitor as a (possibly careless) server sent it: every field filled, whatever the flags say."""
    return Visitor(
        id=visitor_id,
        state=VisitorState.CHATTING,
        page=Page(url="https://shop.example/cart", title="Cart"),
        pages_viewed=3,
        on_site_since=ts(minutes=-5),
        name=name,
        email=email,
        consent=ConsentFlags(**{p.value: True for p in granted}),
        insights=Insights(
            ip=ip, location=Location(country="Wales", country_code="GB", city="Cardiff"), company="ACME"
        ),
    )


def make_consent(
    event_id: str, purpose: Purpose, granted: bool, visitor_id: str = "v1", seq: int | None = None, **delta
) -> ConsentEvent:
    return ConsentEvent(
        id=event_id,
        visitor_id=visitor_id,
        purpose=purpose,
        granted=granted,
        notice_id="n1",
        notice_version=1,
        method=ConsentMethod.WIDGET_SETTINGS,
        at=ts(**delta),
        seq=seq,
    )


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file in a folder with its bytes: to show an operation changed nothing."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
