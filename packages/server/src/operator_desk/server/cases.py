"""Data-subject request cases: open, list, read, link to a person, extend, record a step, close.

A case names its person by visitor id only; the name and e-mail shown beside it are read from the
visitor record at each answer (``SUBJECT_JOIN``) and are never copied into the case. Every change is a
step (``subject_case_steps``, append-only but for the erasure's clearing of notes) and an audit entry,
written in the transaction of the change. An erasure leaves a tombstone (``tombstone``): the visitor id
becomes the erasure's pseudonym and every free text is cleared.

The free texts (identity note, reference, extension reason, outcome note, the steps' notes) may name or
describe the person: once the case names one, they are sealed under that person's key (``sealing``; on
PostgreSQL), so that the copies PostgreSQL keeps of them go with the person's erasure; linking a case
seals what it held. A case that names nobody keeps them in clear: no person's key covers them, and no
erasure reaches such a case (docs/scaling.md, "What is sealed").

The SQL functions run on the database thread; a refusal is a ``ProtocolError`` raised before anything
is written, so the job's transaction has nothing to undo.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from operator_desk.domain.cases import (
    CaseState,
    CaseStep,
    Outcome,
    PersonRef,
    RequestKind,
    StepKind,
    SubjectCase,
    due_on,
    parse_day,
)
from operator_desk.protocol import ErrorCode, ProtocolError
from operator_desk.protocol.messages import CaseOpenRequest
from operator_desk.server import repository, sealing
from operator_desk.server.hub import new_id
from operator_desk.server.migrations import m0130_seal_staff_texts

Connection = Any
SYSTEM_ACTOR = "system"
# How far back a received day may lie: a request recorded years late is a typo, not a case.
MAX_RECEIVED_DAYS_AGO = 366

_CASE_COLUMNS = (
    "c.id, c.kind, c.closed_at IS NULL, c.received_on, c.due_on, c.extended_months, c.extension_reason, "
    "c.identity_check, c.identity_note, c.reference, c.visitor_id, c.subject_erased, "
    "CASE WHEN c.subject_erased = 1 THEN NULL ELSE v.name END, "
    "CASE WHEN c.subject_erased = 1 THEN NULL ELSE v.email END, "
    "c.opened_by, coalesce(o.name, c.opened_by), c.opened_at, c.closed_at, c.outcome, c.outcome_note"
)
# The person's name and e-mail come from their visitor record, while it exists; the staff member's
# display name from the accounts (an account removed since shows its id).
SUBJECT_JOIN = (
    "FROM subject_cases c LEFT JOIN visitors v ON v.id = c.visitor_id "
    "LEFT JOIN operators o ON o.id = c.opened_by"
)


def _refuse(code: ErrorCode, message: str) -> ProtocolError:
    return ProtocolError(code, message)


# The free texts of a case (the steps' notes are ``subject_case_steps.note``).
FREE_TEXTS = ("extension_reason", "identity_note", "reference", "outcome_note")


def seal_text(conn: Connection, visitor_id: str | None, field: str, text: str) -> str:
    """A free text of a case about ``visitor_id`` as stored: sealed under their key, in clear if the case
    names nobody. A person no longer stored (the retention purge deleted them) takes no new text, as an
    erased one does not."""
    if visitor_id is None or not text:
        return text
    try:
        return sealing.of(conn).seal(conn, visitor_id, field, text) or ""
    except sealing.SealError:
        raise _refuse(ErrorCode.BAD_REQUEST, "the person's records are deleted: their case keeps no "
                      "free text") from None


def open_text(conn: Connection, visitor_id: str | None, field: str, text: str) -> str:
    """A free text as ``seal_text`` stored it; "" once the person's key is gone."""
    if visitor_id is None:
        return text
    return sealing.of(conn).open(conn, visitor_id, field, text) or ""


def _case(conn: Connection, row: Any) -> SubjectCase:
    seal = sealing.of(conn)
    visitor_id = row[10]
    return SubjectCase(
        id=row[0], kind=RequestKind(row[1]), state=CaseState.OPEN if row[2] else CaseState.CLOSED,
        received_on=row[3], due_on=row[4], extended_months=row[5],
        extension_reason=open_text(conn, visitor_id, "subject_cases.extension_reason", row[6]),
        identity_check=row[7],
        identity_note=open_text(conn, visitor_id, "subject_cases.identity_note", row[8]),
        reference=open_text(conn, visitor_id, "subject_cases.reference", row[9]), visitor_id=visitor_id,
        subject_erased=bool(row[11]), subject_name=seal.open(conn, visitor_id, "visitors.name", row[12]),
        subject_email=seal.open(conn, visitor_id, "visitors.email", row[13]),
        opened_by=PersonRef(id=row[14], name=row[15]), opened_at=row[16], closed_at=row[17],
        outcome=Outcome(row[18]) if row[18] else None,
        outcome_note=open_text(conn, visitor_id, "subject_cases.outcome_note", row[19]),
    )


def _visitor_of(conn: Connection, case_id: str) -> str | None:
    row = conn.execute("SELECT visitor_id FROM subject_cases WHERE id = ?", (case_id,)).fetchone()
    return row[0] if row is not None else None


def case_by_id(conn: Connection, case_id: str) -> SubjectCase | None:
    row = conn.execute(f"SELECT {_CASE_COLUMNS} {SUBJECT_JOIN} WHERE c.id = ?", (case_id,)).fetchone()
    return _case(conn, row) if row is not None else None


def _existing(conn: Connection, case_id: str) -> SubjectCase:
    found = case_by_id(conn, case_id)
    if found is None:
        raise _refuse(ErrorCode.NOT_FOUND, "no case with that id")
    return found


def _open(conn: Connection, case_id: str) -> SubjectCase:
    found = _existing(conn, case_id)
    if found.state is not CaseState.OPEN:
        raise _refuse(ErrorCode.CONFLICT, "the case is closed")
    return found


def _stored_visitor(conn: Connection, visitor_id: str) -> None:
    if conn.execute("SELECT 1 FROM visitors WHERE id = ?", (visitor_id,)).fetchone() is None:
        raise _refuse(ErrorCode.NOT_FOUND, "nothing is stored about that visitor id")


def add_step(
    conn: Connection, case_id: str, at: str, step: StepKind, actor: str, note: str = "",
    detail: dict[str, Any] | None = None,
) -> CaseStep:
    stored = seal_text(conn, _visitor_of(conn, case_id), "subject_case_steps.note", note) if note else note
    row = conn.execute(
        "INSERT INTO subject_case_steps (case_id, at, step, actor, note, detail) VALUES (?,?,?,?,?,?) "
        "RETURNING seq",
        (case_id, at, step.value, actor, stored, json.dumps(detail) if detail else None),
    ).fetchone()
    return CaseStep(seq=row[0], at=at, step=step, actor=_person(conn, actor), note=note,
                    detail=detail)


def _person(conn: Connection, actor: str) -> PersonRef:
    names = conn.execute("SELECT name FROM operators WHERE id = ?", (actor,)).fetchone()
    return PersonRef(id=actor, name=names[0] if names else actor)


def steps_of(conn: Connection, case_id: str) -> list[CaseStep]:
    rows = conn.execute(
        "SELECT s.seq, s.at, s.step, s.actor, coalesce(o.name, s.actor), s.note, s.detail "
        "FROM subject_case_steps s LEFT JOIN operators o ON o.id = s.actor "
        "WHERE s.case_id = ? ORDER BY s.seq",
        (case_id,),
    ).fetchall()
    visitor_id = _visitor_of(conn, case_id)
    return [
        CaseStep(seq=r[0], at=r[1], step=StepKind(r[2]), actor=PersonRef(id=r[3], name=r[4]),
                 note=open_text(conn, visitor_id, "subject_case_steps.note", r[5]),
                 detail=json.loads(r[6]) if r[6] else None)
        for r in rows
    ]


def _audit(conn: Connection, at: str, actor: str, action: str, case: SubjectCase, **detail: Any) -> None:
    # The audit log names the person as every other entry does: their visitor id, or after an erasure
    # its pseudonym (the case's tombstone holds the same one); the case id ties the entry to the case.
    repository.audit(conn, at, actor, action, case.visitor_id, {"case_id": case.id, **detail})


# -- the operations ---------------------------------------------------------------------------------


def open_case(conn: Connection, request: CaseOpenRequest, actor: str, at: str, today: date) -> SubjectCase:
    received = parse_day(request.received_on)
    if received > today:
        raise _refuse(ErrorCode.BAD_REQUEST, "received_on is in the future")
    if (today - received).days > MAX_RECEIVED_DAYS_AGO:
        raise _refuse(ErrorCode.BAD_REQUEST, "received_on is more than a year ago")
    if request.visitor_id is not None:
        _stored_visitor(conn, request.visitor_id)
    case_id = new_id("case")
    conn.execute(
        "INSERT INTO subject_cases (id, kind, received_on, due_on, identity_check, identity_note, reference, "
        "visitor_id, opened_by, opened_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (case_id, request.kind.value, request.received_on, due_on(received).isoformat(),
         request.identity_check.value,
         seal_text(conn, request.visitor_id, "subject_cases.identity_note", request.identity_note),
         seal_text(conn, request.visitor_id, "subject_cases.reference", request.reference),
         request.visitor_id, actor, at),
    )
    add_step(conn, case_id, at, StepKind.OPENED, actor,
             detail={"kind": request.kind.value, "identity_check": request.identity_check.value})
    if request.visitor_id is not None:
        add_step(conn, case_id, at, StepKind.LINKED, actor)
    case = _existing(conn, case_id)
    _audit(conn, at, actor, "cases.open", case, kind=case.kind.value)
    return case


def list_cases(
    conn: Connection, state: str, limit: int, cursor: str | None
) -> tuple[list[SubjectCase], str | None]:
    """Open cases by due day then id (the most urgent first), closed ones newest first. The cursor is
    ``"<due_on or closed_at>|<id>"`` of the last case of the previous page."""
    after_key, _, after_id = (cursor or "").partition("|")
    if cursor and not after_id:
        raise _refuse(ErrorCode.BAD_REQUEST, "cursor is not one this server gave")
    if state == CaseState.OPEN:
        where, order, key_column = "c.closed_at IS NULL", "c.due_on, c.id", "c.due_on"
        after = "(c.due_on, c.id) > (:key, :id)"
    else:
        where, order, key_column = "c.closed_at IS NOT NULL", "c.closed_at DESC, c.id DESC", "c.closed_at"
        after = "(c.closed_at, c.id) < (:key, :id)"
    rows = conn.execute(
        f"SELECT {_CASE_COLUMNS}, {key_column} {SUBJECT_JOIN} WHERE {where}"
        f"{' AND ' + after if cursor else ''} ORDER BY {order} LIMIT :limit",
        {"key": after_key, "id": after_id, "limit": limit + 1},
    ).fetchall()
    cases = [_case(conn, row) for row in rows[:limit]]
    next_cursor = f"{rows[limit - 1][-1]}|{rows[limit - 1][0]}" if len(rows) > limit else None
    return cases, next_cursor


def link(conn: Connection, case_id: str, visitor_id: str, actor: str, at: str) -> SubjectCase:
    case = _open(conn, case_id)
    if case.visitor_id == visitor_id:
        return case
    if case.visitor_id is not None:
        raise _refuse(ErrorCode.CONFLICT, "the case is about another person: open a new case")
    _stored_visitor(conn, visitor_id)
    conn.execute("UPDATE subject_cases SET visitor_id = ? WHERE id = ?", (visitor_id, case_id))
    _seal_what_it_held(conn, case, visitor_id)
    add_step(conn, case_id, at, StepKind.LINKED, actor)
    case = _existing(conn, case_id)
    _audit(conn, at, actor, "cases.link", case)
    return case


def _seal_what_it_held(conn: Connection, case: SubjectCase, visitor_id: str) -> None:
    """A case that named nobody now names ``visitor_id``: its free texts, in clear until now, are sealed
    under their key (the clear copies PostgreSQL keeps of the rows before are not: docs/scaling.md)."""
    if not sealing.of(conn).seals:
        return
    sealed = [seal_text(conn, visitor_id, f"subject_cases.{field}", getattr(case, field))
              for field in FREE_TEXTS]
    conn.execute(f"UPDATE subject_cases SET {', '.join(f'{field} = ?' for field in FREE_TEXTS)} WHERE id = ?",
                 (*sealed, case.id))
    notes = conn.execute("SELECT seq, note FROM subject_case_steps WHERE case_id = ? AND note <> ''",
                         (case.id,)).fetchall()
    if notes:
        # Steps are append-only; sealing a note in place is the one change their trigger lets through.
        m0130_seal_staff_texts.allow_sealing(conn, True)
        for seq, note in notes:
            conn.execute("UPDATE subject_case_steps SET note = ? WHERE seq = ?",
                         (seal_text(conn, visitor_id, "subject_case_steps.note", note), seq))
        m0130_seal_staff_texts.allow_sealing(conn, False)


def extend(conn: Connection, case_id: str, months: int, reason: str, actor: str, at: str) -> SubjectCase:
    case = _open(conn, case_id)
    if months <= case.extended_months:
        raise _refuse(ErrorCode.CONFLICT, f"the case is already extended by {case.extended_months} month(s)")
    due = due_on(parse_day(case.received_on), months).isoformat()
    conn.execute(
        "UPDATE subject_cases SET extended_months = ?, extension_reason = ?, due_on = ? WHERE id = ?",
        (months, seal_text(conn, case.visitor_id, "subject_cases.extension_reason", reason), due, case_id),
    )
    add_step(conn, case_id, at, StepKind.EXTENDED, actor, note=reason,
             detail={"months": months, "due_on": due})
    case = _existing(conn, case_id)
    _audit(conn, at, actor, "cases.extend", case, months=months, due_on=due)
    return case


def record(
    conn: Connection, case_id: str, step: StepKind, note: str, sha256: str | None, actor: str, at: str
) -> CaseStep:
    case = _existing(conn, case_id)
    if case.subject_erased and note:
        raise _refuse(ErrorCode.BAD_REQUEST, "the person was erased: their case keeps no free text")
    if step is StepKind.BUNDLE_WRITTEN and sha256 is None:
        raise _refuse(ErrorCode.BAD_REQUEST, "bundle_written needs the sha256 of the bundle's manifest")
    added = add_step(conn, case_id, at, step, actor, note=note, detail={"sha256": sha256} if sha256 else None)
    _audit(conn, at, actor, "cases.record", case, step=step.value, **({"sha256": sha256} if sha256 else {}))
    return added


def close(conn: Connection, case_id: str, outcome: Outcome, note: str, actor: str, at: str) -> SubjectCase:
    case = _open(conn, case_id)
    if case.subject_erased and note:
        raise _refuse(ErrorCode.BAD_REQUEST, "the person was erased: their case keeps no free text")
    _close(conn, case, outcome, note, actor, at)
    return _existing(conn, case_id)


def _close(conn: Connection, case: SubjectCase, outcome: Outcome, note: str, actor: str, at: str) -> None:
    conn.execute(
        "UPDATE subject_cases SET closed_at = ?, outcome = ?, outcome_note = ? WHERE id = ?",
        (at, outcome.value, seal_text(conn, case.visitor_id, "subject_cases.outcome_note", note), case.id),
    )
    add_step(conn, case.id, at, StepKind.CLOSED, actor, note=note, detail={"outcome": outcome.value})
    on_time = at[:10] <= case.due_on
    _audit(conn, at, actor, "cases.close", case, outcome=outcome.value, on_time=on_time)


def exported(conn: Connection, case_id: str, visitor_id: str, actor: str, at: str) -> None:
    """``subjects.export`` for a case: the case names that person (linked now if it named nobody yet),
    and the export is a step of it. Called in the export's own transaction."""
    case = _open(conn, case_id)
    if case.visitor_id is None:
        link(conn, case_id, visitor_id, actor, at)
    elif case.visitor_id != visitor_id:
        raise _refuse(ErrorCode.BAD_REQUEST, "the case is about another person")
    add_step(conn, case_id, at, StepKind.EXPORTED, actor)


def erased(conn: Connection, visitor_id: str, tombstone: str, actor: str, at: str,
           counts: dict[str, int]) -> list[str]:
    """After an erasure, in its transaction: every case of the person records it and becomes a
    tombstone, and each open erasure case is closed as fulfilled. Returns the cases' ids."""
    case_ids = [r[0] for r in conn.execute("SELECT id FROM subject_cases WHERE visitor_id = ?",
                                           (visitor_id,))]
    for case_id in case_ids:
        add_step(conn, case_id, at, StepKind.ERASED, actor, detail=dict(counts))
    tombstone_cases(conn, visitor_id, tombstone)
    for case_id in case_ids:
        case = _existing(conn, case_id)
        if case.state is CaseState.OPEN and case.kind is RequestKind.ERASURE:
            _close(conn, case, Outcome.FULFILLED, "", actor, at)
    return case_ids


def tombstone_cases(conn: Connection, visitor_id: str, tombstone: str) -> None:
    """The cases and approvals about an erased person keep only what proves how the request was
    handled: kind, days, steps, staff, outcome; the visitor id becomes the erasure's pseudonym (the one
    the audit log uses) and every free text, which might name or describe the person, is cleared."""
    conn.execute(
        "UPDATE subject_case_steps SET note = '' WHERE case_id IN "
        "(SELECT id FROM subject_cases WHERE visitor_id = ?)", (visitor_id,))
    conn.execute(
        "UPDATE subject_cases SET visitor_id = ?, subject_erased = 1, extension_reason = '', "
        "identity_note = '', reference = '', outcome_note = '' WHERE visitor_id = ?", (tombstone, visitor_id))
    conn.execute("UPDATE approvals SET visitor_id = ?, reason = '' WHERE visitor_id = ?",
                 (tombstone, visitor_id))
