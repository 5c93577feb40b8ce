"""Data-subject requests as cases: what a person asked for, when, how they were identified, by when it
must be answered, each step taken, and how it ended.

The law's clock (Art. 12(3) GDPR): a request is answered "without undue delay and in any event within
one month of receipt", extendable "by two further months where necessary", the person being told why.
A month is counted as EU law counts periods (Regulation 1182/71, Art. 3): it ends on the day of the
later month with the same number as the day of receipt, or on that month's last day when it has no
such day (received 31 January, due 28 February, or 29 in a leap year).

Plain data and rules: no I/O. The server stores cases; the desk shows them; both compute the due date
here, so they never disagree.
"""

from __future__ import annotations

import calendar
import enum
from datetime import date
from typing import Annotated

import msgspec

from operator_desk.domain.model import Id, Name, ShortText, Struct, Timestamp

# A calendar day, ISO 8601: 2026-11-29. Deadlines are days, not instants.
Day = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}$", max_length=10)]
# Free text on a case (a note, a reason). Kept short, and documented as a place for no personal data:
# the person is named by the case's visitor id, and on erasure every such text is cleared.
CaseText = Annotated[str, msgspec.Meta(max_length=1000)]

ANSWER_MONTHS = 1
MAX_EXTENSION_MONTHS = 2


class RequestKind(enum.StrEnum):
    """What the person asked for (Art. 15-21 GDPR)."""

    ACCESS = "access"
    PORTABILITY = "portability"
    ERASURE = "erasure"
    RECTIFICATION = "rectification"
    OBJECTION = "objection"


class IdentityCheck(enum.StrEnum):
    """How the requester was found to be the person the data is about. Nothing of the proof is kept
    (a copy of an identity document would be more personal data than the request needs)."""

    EMAIL_ON_RECORD = "email_on_record"   # the request came from (or was confirmed at) the address held
    WIDGET_SESSION = "widget_session"     # asked in the chat, from the person's own browser session
    DOCUMENT_SEEN = "document_seen"       # an identity document was shown and not kept
    KNOWN_CONTACT = "known_contact"       # a customer known to staff through an existing relationship
    OTHER = "other"                       # described in the case's identity note


class CaseState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Outcome(enum.StrEnum):
    """How a case ended."""

    FULFILLED = "fulfilled"
    PARTLY_FULFILLED = "partly_fulfilled"
    REFUSED = "refused"
    NO_DATA = "no_data"                   # nothing was held about the person
    WITHDRAWN = "withdrawn"               # the person withdrew the request


class StepKind(enum.StrEnum):
    """One thing that happened in a case. The server records most of them itself; a client records
    those it alone knows of (``cases.record``: ``RECORDABLE_STEPS``)."""

    OPENED = "opened"
    LINKED = "linked"                     # the person the request is about was found and named
    EXTENDED = "extended"
    NOTE = "note"
    EXPORTED = "exported"                 # the server's export was read for this case
    BUNDLE_WRITTEN = "bundle_written"     # a desk wrote the export bundle (its manifest's SHA-256)
    RESPONSE_SENT = "response_sent"       # the answer went to the person
    APPROVAL_REQUESTED = "approval_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    ERASED = "erased"
    CLOSED = "closed"


RECORDABLE_STEPS = frozenset({StepKind.NOTE, StepKind.BUNDLE_WRITTEN, StepKind.RESPONSE_SENT})


class ApprovalState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"


class PersonRef(Struct, frozen=True, kw_only=True):
    """Staff as a case shows them: the id and the display name."""

    id: Id
    name: Name


class SubjectCase(Struct, frozen=True, kw_only=True):
    """A data-subject request. It holds no more personal data than the request needs: the person is
    the visitor id (``visitor_id``), whose name and e-mail stay in the visitor record and are shown
    beside the case while that record exists (``subject_name``, ``subject_email``, read at each
    answer, never stored in the case). After an erasure the case is a tombstone: ``visitor_id`` is a
    pseudonym, ``subject_erased`` is true, and every free text is empty."""

    id: Id
    kind: RequestKind
    state: CaseState
    received_on: Day
    due_on: Day
    extended_months: Annotated[int, msgspec.Meta(ge=0, le=MAX_EXTENSION_MONTHS)] = 0
    extension_reason: CaseText = ""
    identity_check: IdentityCheck
    identity_note: CaseText = ""
    # The requester's own reference (a ticket or letter number): how the answer finds its way back.
    reference: ShortText = ""
    visitor_id: ShortText | None = None
    subject_erased: bool = False
    subject_name: Name | None = None
    subject_email: ShortText | None = None
    opened_by: PersonRef
    opened_at: Timestamp
    closed_at: Timestamp | None = None
    outcome: Outcome | None = None
    outcome_note: CaseText = ""


class CaseStep(Struct, frozen=True, kw_only=True):
    seq: Annotated[int, msgspec.Meta(ge=1)]
    at: Timestamp
    step: StepKind
    actor: PersonRef
    note: CaseText = ""
    # Facts without personal data: a manifest's SHA-256, an extension's months, counts erased (and the
    # names of the site's systems sent the erasure: a list).
    detail: dict[str, str | int | bool | list[str]] | None = None


class Approval(Struct, frozen=True, kw_only=True):
    """A request that a second supervisor approve an action (four eyes). ``action`` is the protocol
    action it allows (``subjects.erase``, ``subjects.export``)."""

    id: Id
    action: ShortText
    case_id: Id
    visitor_id: ShortText
    subject_name: Name | None = None
    reason: CaseText = ""
    state: ApprovalState
    requested_by: PersonRef
    requested_at: Timestamp
    expires_at: Timestamp
    decided_by: PersonRef | None = None
    decided_at: Timestamp | None = None
    # For an approved export: whether the requester has read it (an approval allows one export).
    used: bool = False


# -- the deadline -----------------------------------------------------------------------------------


def parse_day(text: str) -> date:
    return date.fromisoformat(text)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(received_on: date, extended_months: int = 0) -> date:
    """The last day to answer: one month after receipt, plus the extension (at most two months)."""
    if not 0 <= extended_months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"an extension is 0 to {MAX_EXTENSION_MONTHS} months")
    return add_months(received_on, ANSWER_MONTHS + extended_months)


def is_overdue(case: SubjectCase, today: date) -> bool:
    """Open after its due day (the due day itself is still on time)."""
    return case.state is CaseState.OPEN and today > parse_day(case.due_on)


def days_left(case: SubjectCase, today: date) -> int:
    """Days until the due day (0 on it, negative once overdue)."""
    return (parse_day(case.due_on) - today).days
