"""Builders and helpers shared by the store tests (imported by their unique module name)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

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

NOW = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


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
    event_id: str, purpose: Purpose, granted: bool, visitor_id: str = "v1", **delta
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
    )


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file in a folder with its bytes: to show an operation changed nothing."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
