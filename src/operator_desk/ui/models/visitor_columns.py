"""The visitor list's columns, each declared once: its title, what it sorts by, what it says, and how it
is shown (MusicBrainz Picard's ``ui/columns.py`` is the model).

Titles are marked for translation in ``VisitorTableModel``'s context, where the model translates them;
texts that need words ("Browsing", "unknown") ask the model (:class:`VisitorWords`), so every string of
the list stays in one translation context.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP

from operator_desk.domain.model import Purpose, Visitor, VisitorState
from operator_desk.ui.naming import display_name
from operator_desk.ui.plain import plain_tooltip


class VisitorColumn(enum.IntEnum):
    NAME = 0
    STATE = 1
    PAGE = 2
    TIME_ON_SITE = 3
    PAGES_VIEWED = 4
    LOCATION = 5
    COMPANY = 6
    IP = 7
    CONSENT = 8


class VisitorWords(Protocol):
    """The words a column's text needs, in the list's translation context (the model has them)."""

    def state_text(self, state: VisitorState) -> str: ...
    def unknown_text(self) -> str: ...
    def time_on_site_text(self, visitor: Visitor) -> str: ...
    def this_page_text(self) -> str: ...
    def consent_text(self, visitor: Visitor) -> str: ...
    def consent_tooltip(self, visitor: Visitor) -> str: ...


@dataclass(frozen=True, slots=True)
class VisitorColumnSpec:
    title: str                                        # source text, translated by the model
    sort_key: Callable[[Visitor], Any]
    text: Callable[[VisitorWords, Visitor], str]
    insight: bool = False       # shown only with visitor_insights consent, else "No consent"
    align_right: bool = False
    moves: bool = False         # changes with the clock (time on site): made anew on each paint
    text_key: bool = False      # sort_key gives a str for every visitor (the list then keys rows by strings)
    tooltip: Callable[[VisitorWords, Visitor], str] | None = None


def has_insights(visitor: Visitor) -> bool:
    return visitor.consent.visitor_insights and visitor.insights is not None


def known_beyond_this_page(visitor: Visitor) -> bool:
    """A visitor who consented to nothing is present on one page load only (a fresh id on the next page,
    nothing kept): their "pages" are this page, now. With chat or visitor-insights consent the widget
    keeps the visitor's token across the pages of the visit."""
    return visitor.consent.chat or visitor.consent.visitor_insights


def location_text(visitor: Visitor) -> str:
    insights = visitor.insights
    if insights is None or insights.location is None:
        return ""
    return ", ".join(p for p in (insights.location.city, insights.location.country) if p)


def _company(visitor: Visitor) -> str | None:
    return visitor.insights.company if has_insights(visitor) and visitor.insights else None


def _ip(visitor: Visitor) -> str:
    return visitor.insights.ip if has_insights(visitor) and visitor.insights else ""


_STATE_ORDER = {VisitorState.WAITING: 0, VisitorState.CHATTING: 1, VisitorState.BROWSING: 2,
                VisitorState.LEFT: 3}

COLUMNS: dict[VisitorColumn, VisitorColumnSpec] = {
    VisitorColumn.NAME: VisitorColumnSpec(
        QT_TRANSLATE_NOOP("VisitorTableModel", "Visitor"),
        sort_key=lambda v: display_name(v).casefold(), text_key=True,
        text=lambda words, v: display_name(v)),
    VisitorColumn.STATE: VisitorColumnSpec(
        QT_TRANSLATE_NOOP("VisitorTableModel", "State"),
        sort_key=lambda v: _STATE_ORDER.get(v.state, 9),
        text=lambda words, v: words.state_text(v.state)),
    VisitorColumn.PAGE: VisitorColumnSpec(
        QT_TRANSLATE_NOOP("VisitorTableModel", "Current page"),
        sort_key=lambda v: (v.page.title or v.page.url).casefold(), text_key=True,
        text=lambda words, v: v.page.title or v.page.url,
        tooltip=lambda words, v: plain_tooltip(v.page.url)),
    VisitorColumn.TIME_ON_SITE: VisitorColumnSpec(
        QT_TRANSLATE_NOOP("VisitorTableModel", "On site"),
        # Ascending = earliest arrival first = longest on site first (timestamps sort as text).
        sort_key=lambda v: v.on_site_since, text_key=True,
        text=lambda words, v: words.time_on_site_text(v),
        moves=True),
    VisitorColumn.PAGES_VIEWED: VisitorColumnSpec(
        QT_TRANSLATE_NOOP("VisitorTableModel", "Pages"),
        # Sorted as shown: "this page, now" is one page, whatever count came (the order would tell it).
        sort_key=lambda v: v.pages_viewed if known_beyond_this_page(v) else 1,
        text=lambda words, v: str(v.pages_viewed) if known_beyond_this_page(v) else words.this_page_text(),
        align_right=True),
    VisitorColumn.LOCATION: VisitorColumnSpec(
        QT_TRANSLATE_NOOP("VisitorTableModel", "Location"),
        sort_key=lambda v: (not has_insights(v), location_text(v).casefold()),
        text=lambda words, v: location_text(v) or words.unknown_text(),
        insight=True),
    VisitorColumn.COMPANY: VisitorColumnSpec(
        QT_TRANSLATE_NOOP("VisitorTableModel", "Company"),
        sort_key=lambda v: (not _company(v), (_company(v) or "").casefold()),
        text=lambda words, v: _company(v) or words.unknown_text(),
        insight=True),
    VisitorColumn.IP: VisitorColumnSpec(
        QT_TRANSLATE_NOOP("VisitorTableModel", "IP address"),
        sort_key=lambda v: (not _ip(v), _ip(v)),
        text=lambda words, v: _ip(v),
        insight=True),
    VisitorColumn.CONSENT: VisitorColumnSpec(
        QT_TRANSLATE_NOOP("VisitorTableModel", "Consent"),
        sort_key=lambda v: -sum(v.consent.granted(p) for p in Purpose),
        text=lambda words, v: words.consent_text(v),
        tooltip=lambda words, v: words.consent_tooltip(v)),
}

INSIGHT_COLUMNS = frozenset(column for column, spec in COLUMNS.items() if spec.insight)
