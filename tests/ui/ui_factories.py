"""Builders for the UI tests' data (a module with a unique name, so tests can import it)."""

from __future__ import annotations

import itertools

from operator_desk.domain.model import ConsentFlags, Insights, Location, Page, Visitor, VisitorState

_ids = itertools.count(1)


def make_visitor(
    visitor_id: str | None = None,
    *,
    state: VisitorState = VisitorState.BROWSING,
    name: str | None = None,
    chat: bool = False,
    insights: bool = False,
    contact_details: bool = False,
    typing_preview: bool = False,
    page_title: str = "Tents",
    pages_viewed: int = 1,
    city: str = "Lyon",
    company: str = "Acme Outdoor SA",
    ip: str = "203.0.113.77",
    language: str | None = "en",
    on_site_since: str = "2026-11-29T10:00:00.000Z",
) -> Visitor:
    """A visitor as a server would send it. ``insights`` decides the consent flag; the insights object
    is filled in only when the flag is set, unless a test builds a leaky one on purpose."""
    return Visitor(
        id=visitor_id or f"v-{next(_ids)}",
        state=state,
        page=Page(url=f"https://shop.example/{page_title.lower()}", title=page_title),
        pages_viewed=pages_viewed,
        on_site_since=on_site_since,
        name=name if chat else None,
        consent=ConsentFlags(
            chat=chat, visitor_insights=insights, contact_details=contact_details,
            typing_preview=typing_preview,
        ),
        insights=Insights(
            ip=ip, location=Location(country="France", country_code="FR", city=city), company=company,
            visits=3, first_seen="2026-10-01T09:00:00.000Z",
        ) if insights else None,
        language=language,
    )
