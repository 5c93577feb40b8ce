"""Four eyes: an action a site reserves for two supervisors (``[approvals] required``; erasure by
default) is first requested by one, with the case and a reason, and done only once another approves.

The server enforces it: the approver must differ from the requester (checked here, and by a CHECK
constraint in the table), an unapproved request expires after ``[approvals] expire_after_hours``, and
both names are in the audit log. Approving an erasure erases at once, in the transaction that records
the approval (``subjects.erase_subject`` with ``authorize=``); an approved export allows its requester
one ``subjects.export`` of that person.

The SQL functions run on the database thread.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from operator_desk.domain.cases import Approval, ApprovalState, PersonRef, StepKind
from operator_desk.domain.clock import format_ts, parse_ts
from operator_desk.protocol import ErrorCode, ProtocolError
from operator_desk.protocol.messages import ApprovalRequest
from operator_desk.server import cases, repository, sealing
from operator_desk.server.hub import new_id

Connection = Any
ERASE = "subjects.erase"
EXPORT = "subjects.export"

_COLUMNS = (
    "a.id, a.action, a.case_id, a.visitor_id, CASE WHEN c.subject_erased = 1 THEN NULL ELSE v.name END, "
    "a.reason, a.state, a.requested_by, coalesce(r.name, a.requested_by), a.requested_at, a.expires_at, "
    "a.decided_by, coalesce(d.name, a.decided_by), a.decided_at, a.used"
)
_FROM = (
    "FROM approvals a JOIN subject_cases c ON c.id = a.case_id LEFT JOIN visitors v ON v.id = a.visitor_id "
    "LEFT JOIN operators r ON r.id = a.requested_by LEFT JOIN operators d ON d.id = a.decided_by"
)


def _approval(conn: Connection, row: Any) -> Approval:
    seal = sealing.of(conn)
    return Approval(
        id=row[0], action=row[1], case_id=row[2], visitor_id=row[3],
        subject_name=seal.open(conn, row[3], "visitors.name", row[4]),
        reason=seal.open(conn, row[3], "approvals.reason", row[5]) or "",
        state=ApprovalState(row[6]), requested_by=PersonRef(id=row[7], name=row[8]), requested_at=row[9],
        expires_at=row[10], decided_by=PersonRef(id=row[11], name=row[12]) if row[11] else None,
        decided_at=row[13], used=bool(row[14]),
    )


def approval_by_id(conn: Connection, approval_id: str) -> Approval | None:
    row = conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = ?", (approval_id,)).fetchone()
    return _approval(conn, row) if row is not None else None


def expire_due(conn: Connection, now: str) -> int:
    """Pending requests past their time expire (a step of their case says so). Returns how many."""
    due = conn.execute(
        "SELECT id, case_id, expires_at FROM approvals WHERE state = 'pending' AND expires_at <= ?", (now,)
    ).fetchall()
    for approval_id, case_id, expires_at in due:
        conn.execute("UPDATE approvals SET state = 'expired', decided_at = ? WHERE id = ?",
                     (expires_at, approval_id))
        cases.add_step(conn, case_id, expires_at, StepKind.EXPIRED, cases.SYSTEM_ACTOR,
                       detail={"approval_id": approval_id})
    return len(due)


def request(
    conn: Connection, payload: ApprovalRequest, actor: str, now: str, expire_after_hours: float
) -> Approval:
    expire_due(conn, now)
    case = cases.case_by_id(conn, payload.case_id)
    if case is None:
        raise ProtocolError(ErrorCode.NOT_FOUND, "no case with that id")
    if conn.execute("SELECT 1 FROM visitors WHERE id = ?", (payload.visitor_id,)).fetchone() is None:
        raise ProtocolError(ErrorCode.NOT_FOUND, "nothing is stored about that visitor id")
    if conn.execute(
        "SELECT 1 FROM approvals WHERE action = ? AND visitor_id = ? AND state = 'pending'",
        (payload.action, payload.visitor_id),
    ).fetchone():
        raise ProtocolError(ErrorCode.CONFLICT, "a request for this is already waiting for approval")
    if case.visitor_id is None:
        cases.link(conn, case.id, payload.visitor_id, actor, now)
    elif case.visitor_id != payload.visitor_id:
        raise ProtocolError(ErrorCode.BAD_REQUEST, "the case is about another person")
    expires = format_ts(parse_ts(now) + timedelta(hours=expire_after_hours))
    approval_id = new_id("appr")
    conn.execute(
        "INSERT INTO approvals (id, action, case_id, visitor_id, reason, state, requested_by, requested_at, "
        "expires_at) VALUES (?,?,?,?,?,'pending',?,?,?)",
        (approval_id, payload.action, payload.case_id, payload.visitor_id,
         cases.seal_text(conn, payload.visitor_id, "approvals.reason", payload.reason), actor, now, expires),
    )
    cases.add_step(conn, payload.case_id, now, StepKind.APPROVAL_REQUESTED, actor,
                   detail={"approval_id": approval_id, "action": payload.action})
    repository.audit(conn, now, actor, "approvals.request", payload.visitor_id,
                     {"approval_id": approval_id, "action": payload.action, "case_id": payload.case_id})
    found = approval_by_id(conn, approval_id)
    assert found is not None
    return found


def listed(conn: Connection, now: str, recent_days: int) -> list[Approval]:
    """Pending requests (soonest to expire first), then those decided since ``recent_days`` ago."""
    expire_due(conn, now)
    since = format_ts(parse_ts(now) - timedelta(days=recent_days))
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE a.state = 'pending' OR a.decided_at >= ? "
        "ORDER BY a.state <> 'pending', CASE WHEN a.state = 'pending' THEN a.expires_at END, "
        "a.decided_at DESC LIMIT 200",
        (since,),
    ).fetchall()
    return [_approval(conn, row) for row in rows]


def _decidable(conn: Connection, approval_id: str, actor: str, now: str) -> Approval:
    """The approval, if ``actor`` may decide it now: it is pending, and ``actor`` did not ask for it."""
    expire_due(conn, now)
    approval = approval_by_id(conn, approval_id)
    if approval is None:
        raise ProtocolError(ErrorCode.NOT_FOUND, "no approval request with that id")
    if approval.state is ApprovalState.EXPIRED:
        raise ProtocolError(ErrorCode.CONFLICT, "the request expired unapproved: request it again")
    if approval.state is not ApprovalState.PENDING:
        raise ProtocolError(ErrorCode.CONFLICT, f"the request was {approval.state.value} already")
    if approval.requested_by.id == actor:
        raise ProtocolError(ErrorCode.FORBIDDEN, "four eyes: another supervisor must approve this request")
    return approval


def decide(conn: Connection, approval_id: str, approve: bool, actor: str, now: str) -> Approval:
    """Record the decision. An erasure is approved with :func:`approve_erasure` instead (in the erasure's
    transaction)."""
    approval = _decidable(conn, approval_id, actor, now)
    if approve and approval.action == ERASE:
        raise AssertionError("an erasure is approved in its own transaction: approve_erasure")
    return _record_decision(conn, approval, approve, actor, now)


def _record_decision(conn: Connection, approval: Approval, approve: bool, actor: str, now: str) -> Approval:
    state = ApprovalState.APPROVED if approve else ApprovalState.REJECTED
    conn.execute("UPDATE approvals SET state = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                 (state.value, actor, now, approval.id))
    cases.add_step(conn, approval.case_id, now, StepKind.APPROVED if approve else StepKind.REJECTED, actor,
                   detail={"approval_id": approval.id, "action": approval.action})
    repository.audit(conn, now, actor, "approvals.approve" if approve else "approvals.reject",
                     approval.visitor_id, {"approval_id": approval.id, "action": approval.action,
                                           "requested_by": approval.requested_by.id})
    found = approval_by_id(conn, approval.id)
    assert found is not None
    return found


def pending_erasure(conn: Connection, approval_id: str, actor: str, now: str) -> Approval:
    """Read before the erasure takes the person's lock: the approval, if ``actor`` may approve it."""
    approval = _decidable(conn, approval_id, actor, now)
    if approval.action != ERASE:
        raise ProtocolError(ErrorCode.BAD_REQUEST, "not an erasure request")
    return approval


def approve_erasure(approval_id: str, actor: str) -> Any:
    """The ``authorize`` step of ``subjects.erase_subject``: checked again and recorded inside the
    erasure's transaction, so that an erasure and its approval are stored together or not at all.
    Returns what the erasure's audit entry adds: who asked, who approved, and the reason."""

    def authorize(conn: Connection, visitor_id: str) -> dict[str, Any]:
        now = format_ts(datetime.now(UTC))
        approval = pending_erasure(conn, approval_id, actor, now)
        if approval.visitor_id != visitor_id:
            raise ProtocolError(ErrorCode.BAD_REQUEST, "the approval is about another person")
        _record_decision(conn, approval, True, actor, now)
        return {"requested_by": approval.requested_by.id, "approved_by": actor,
                "approval_id": approval.id, "case_id": approval.case_id}

    return authorize


def use_export(conn: Connection, approval_id: str | None, visitor_id: str, actor: str, now: str) -> None:
    """At a site where exports need a second supervisor: the first page of ``subjects.export`` spends
    an approved request of the caller for that person."""
    expire_due(conn, now)
    approval = approval_by_id(conn, approval_id) if approval_id else None
    if (
        approval is None
        or approval.action != EXPORT
        or approval.state is not ApprovalState.APPROVED
        or approval.requested_by.id != actor
        or approval.visitor_id != visitor_id
        or approval.used
    ):
        raise ProtocolError(ErrorCode.APPROVAL_REQUIRED,
                            "this site needs a second supervisor's approval for each export")
    conn.execute("UPDATE approvals SET used = 1 WHERE id = ?", (approval.id,))
