"""Data-subject requests as cases on the server, and the four-eyes approvals of erasures and exports.

Cases live on the server (every supervisor sees the same ones); this service only asks for them and
returns what the server answered. Approving an erasure erases at once on the server, which pushes
``subject.erased`` to every desk; this desk also purges its own cache and says how much it removed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from operator_desk.domain.cases import (
    Approval,
    CaseState,
    CaseStep,
    IdentityCheck,
    Outcome,
    RequestKind,
    SubjectCase,
)
from operator_desk.protocol.messages import (
    ApprovableAction,
    ApprovalDecided,
    ApprovalDecision,
    ApprovalRequest,
    ApprovalsListRequest,
    ApprovalsListResponse,
    CaseCloseRequest,
    CaseExtendRequest,
    CaseLinkRequest,
    CaseOpenRequest,
    CaseRecordRequest,
    CaseRef,
    CasesListRequest,
    CaseWithSteps,
    ErasedCounts,
    RecordableStep,
)
from operator_desk.services.chats import Request
from operator_desk.services.errors import asking

# Cases asked for per page; a desk lists every open case (a site has tens, not thousands).
CASES_PAGE = 200
MAX_CASES = 5000


@dataclass(frozen=True, slots=True)
class Decision:
    """What a decision on an approval request did. For an approved erasure: the rows the server erased
    (``erased``) and those this desk's cache held (``erased_here``; ``None`` without a cache)."""

    approval: Approval
    erased: ErasedCounts | None = None
    erased_here: dict[str, int] | None = None


class SubjectRequests:
    def __init__(self, request: Request,
                 erase_here: Callable[[str], Awaitable[dict[str, int] | None]]) -> None:
        """``erase_here(visitor_id)`` purges a person from this desk and returns the cache rows removed
        (with those of an erasure of the same person the server's push started just before)."""
        self._ask = asking(request)
        self._erase_here = erase_here

    async def open_case(self, kind: RequestKind, received_on: str, identity_check: IdentityCheck, *,
                        identity_note: str = "", reference: str = "",
                        visitor_id: str | None = None) -> SubjectCase:
        answer = await self._ask("cases.open", CaseOpenRequest(
            kind=kind, received_on=received_on, identity_check=identity_check, identity_note=identity_note,
            reference=reference, visitor_id=visitor_id))
        return answer.case

    async def cases(self, state: CaseState = CaseState.OPEN) -> tuple[SubjectCase, ...]:
        """Every case in that state: open ones by due day (most urgent first), closed ones newest first."""
        found: list[SubjectCase] = []
        cursor: str | None = None
        while True:
            page = await self._ask("cases.list", CasesListRequest(state=state.value, limit=CASES_PAGE,
                                                                  cursor=cursor))
            found.extend(page.cases)
            cursor = page.next_cursor
            if cursor is None or len(found) >= MAX_CASES:
                return tuple(found)

    async def case(self, case_id: str) -> CaseWithSteps:
        return await self._ask("cases.get", CaseRef(case_id=case_id))

    async def link_case(self, case_id: str, visitor_id: str) -> SubjectCase:
        return (await self._ask("cases.link", CaseLinkRequest(case_id=case_id, visitor_id=visitor_id))).case

    async def extend_case(self, case_id: str, months: int, reason: str) -> SubjectCase:
        answer = await self._ask("cases.extend", CaseExtendRequest(case_id=case_id, months=months,
                                                                   reason=reason))
        return answer.case

    async def record_step(self, case_id: str, step: RecordableStep, note: str = "",
                          sha256: str | None = None) -> CaseStep:
        answer = await self._ask("cases.record", CaseRecordRequest(case_id=case_id, step=step, note=note,
                                                                   sha256=sha256))
        return answer.step

    async def close_case(self, case_id: str, outcome: Outcome, note: str = "") -> SubjectCase:
        answer = await self._ask("cases.close", CaseCloseRequest(case_id=case_id, outcome=outcome, note=note))
        return answer.case

    async def approvals(self) -> ApprovalsListResponse:
        return await self._ask("approvals.list", ApprovalsListRequest())

    async def request_approval(self, action: ApprovableAction, case_id: str, visitor_id: str,
                               reason: str) -> Approval:
        answer = await self._ask("approvals.request", ApprovalRequest(
            action=action, case_id=case_id, visitor_id=visitor_id, reason=reason))
        return answer.approval

    async def decide(self, pending: Approval, approve: bool) -> Decision:
        """Approve or reject ``pending`` (as listed: after an erasure the server names the person only by
        a pseudonym, so the visitor id to purge here is taken from the request as it was)."""
        answer: ApprovalDecided = await self._ask("approvals.decide", ApprovalDecision(
            approval_id=pending.id, approve=approve))
        if answer.erased is None:
            return Decision(answer.approval)
        return Decision(answer.approval, answer.erased, await self._erase_here(pending.visitor_id))
