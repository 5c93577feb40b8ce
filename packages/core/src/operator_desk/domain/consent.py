"""The consent rules: the one place that says what a visitor's consents allow.

The server applies them before sending anything to an operator, the client before writing anything to
its cache. Both call these functions, so a rule changes in one place.
"""

from __future__ import annotations

import functools
import hashlib
import operator
from collections.abc import Iterable, Mapping

import msgspec

from operator_desk.domain.model import ConsentEvent, ConsentFlags, Notice, Purpose, Visitor

# Which visitor fields each purpose unlocks. A field not named here needs no consent of its own
# (state, current page, time on site: what any web server sees while serving the page).
FIELDS_UNLOCKED_BY: dict[Purpose, tuple[str, ...]] = {
    Purpose.CHAT: ("name", "email"),
    Purpose.VISITOR_INSIGHTS: ("insights",),
    Purpose.CONTACT_DETAILS: (),
    Purpose.TYPING_PREVIEW: (),
}
# The same, by the name of the consent flag, for the purposes that guard fields.
_FIELDS_BY_FLAG = {purpose.value: fields for purpose, fields in FIELDS_UNLOCKED_BY.items() if fields}
# For each such flag: what reads its fields at once, and what that reads when none is set (one call per
# flag: a desk checks every visitor state it receives, thousands a second).
_HELD_BY_FLAG = tuple(
    (flag, operator.attrgetter(*fields), (None,) * len(fields) if len(fields) > 1 else None)
    for flag, fields in _FIELDS_BY_FLAG.items()
)


def recorded_order(events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
    """Events in the order the server recorded them: by ``seq``; events without one (from a server
    before ``seq``) keep their given order, before those with one. Never by ``at``: a clock stepped
    back would put a withdrawal before the grant it withdraws."""
    return sorted(events, key=lambda event: (event.seq is not None, event.seq or 0))


def recorded_up_to(events: Iterable[ConsentEvent], seq: int | None) -> list[ConsentEvent]:
    """The events recorded up to ``seq`` (inclusive), in the recorded order: the consents as they stood
    at that point (a chat's start or close, ``transcripts.get``). ``None``: all of them (no point given).
    Events without a ``seq`` (from a server before it) are kept: nothing says they came later."""
    ordered = recorded_order(events)
    if seq is None:
        return ordered
    return [event for event in ordered if event.seq is None or event.seq <= seq]


def counts(event: ConsentEvent, counts_from: Mapping[str, int] | None = None) -> bool:
    """Whether a grant still counts: it was given to a version of its notice at or after the first one
    whose consents count (``counts_from[notice_id]``; a later version that asked for fresh consent
    makes grants to earlier versions stop counting). A withdrawal always counts."""
    return not event.granted or event.notice_version >= (counts_from or {}).get(event.notice_id, 1)


def counts_from_of(notices: Iterable[Notice]) -> dict[str, int]:
    """Per notice id, the first version whose consents count, as the notices a server sent say."""
    found: dict[str, int] = {}
    for notice in notices:
        found[notice.id] = max(found.get(notice.id, 1), notice.counts_from)
    return found


def _latest(events: Iterable[ConsentEvent]) -> dict[Purpose, ConsentEvent]:
    latest: dict[Purpose, ConsentEvent] = {}
    for event in recorded_order(events):
        latest[event.purpose] = event
    return latest


def granted_purposes(
    events: Iterable[ConsentEvent], counts_from: Mapping[str, int] | None = None
) -> frozenset[Purpose]:
    """The purposes a visitor has granted: per purpose the latest recorded event wins (see
    ``recorded_order``); no event, no consent; a grant to a notice version that no longer counts (see
    :func:`counts`) is no consent."""
    return frozenset(purpose for purpose, event in _latest(events).items()
                     if event.granted and counts(event, counts_from))


def outdated_purposes(
    events: Iterable[ConsentEvent], counts_from: Mapping[str, int] | None = None
) -> frozenset[Purpose]:
    """Purposes whose latest event is a grant that no longer counts: the visitor agreed to an earlier
    version of the notice, and must be asked again."""
    return frozenset(purpose for purpose, event in _latest(events).items()
                     if event.granted and not counts(event, counts_from))


def consent_flags(granted: Iterable[Purpose]) -> ConsentFlags:
    granted = frozenset(granted)
    return ConsentFlags(**{purpose.value: purpose in granted for purpose in Purpose})


@functools.lru_cache(maxsize=2 ** len(Purpose))
def _redaction(granted: frozenset[Purpose]) -> tuple[ConsentFlags, tuple[tuple[str, None], ...]]:
    """The flags and the removed fields for one set of granted purposes: there are only sixteen such
    sets, and the server redacts every visitor change it pushes (working this out each time was most of
    the cost of a ``visitor.upsert``). Immutable: the flags are a frozen struct, the fields a tuple."""
    removed = tuple((field, None) for purpose, fields in FIELDS_UNLOCKED_BY.items()
                    if purpose not in granted for field in fields)
    return consent_flags(granted), removed


def redact_for_operator(visitor: Visitor, granted: Iterable[Purpose]) -> Visitor:
    """The visitor as an operator may see it: consent flags set, and every field whose purpose is not
    granted removed (``name``/``email`` without ``chat``, ``insights`` without ``visitor_insights``)."""
    flags, removed = _redaction(frozenset(granted))
    return msgspec.structs.replace(visitor, consent=flags, **dict(removed))


def redact_by_flags(visitor: Visitor) -> Visitor:
    """The same redaction, trusting the visitor's own ``consent`` flags (for data received from a
    server, before it is shown or cached: a server that sent too much must not make us keep it).

    The visitor itself when it holds nothing its flags do not cover (the common case): a desk redacts
    every visitor update it receives, and building the flags and a copy each time was half of its
    receive path at 2,000 updates a second."""
    consent = visitor.consent
    for flag, held, nothing in _HELD_BY_FLAG:
        if not getattr(consent, flag) and held(visitor) != nothing:
            removed = {field: None for flag, fields in _FIELDS_BY_FLAG.items() if not getattr(consent, flag)
                       for field in fields}
            return msgspec.structs.replace(visitor, **removed)
    return visitor


def may_pass_typing_preview(granted: Iterable[Purpose]) -> bool:
    return Purpose.TYPING_PREVIEW in frozenset(granted)


def may_receive_details(granted: Iterable[Purpose]) -> bool:
    return Purpose.CONTACT_DETAILS in frozenset(granted)


def notice_digest(body: str) -> str:
    """The ``sha256`` of a privacy notice: the hex digest of its body's UTF-8 bytes."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
