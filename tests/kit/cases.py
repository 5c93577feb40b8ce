"""Data-subject request flows over the operator protocol, as supervisors make them."""

from __future__ import annotations

import datetime
from typing import Any

from tests.kit.clients import AsyncClient


async def erase_with_approval(requester: AsyncClient, approver: AsyncClient, visitor_id: str,
                              reason: str) -> dict[str, Any]:
    """An erasure as a site with four eyes (the default) makes it: an erasure case, a request by one
    supervisor, the approval of another (which erases). Returns the counts erased."""
    case = (await requester.ok("cases.open", {
        "kind": "erasure", "received_on": datetime.date.today().isoformat(), "identity_check": "other",
        "visitor_id": visitor_id}))["case"]
    approval = (await requester.ok("approvals.request", {
        "action": "subjects.erase", "case_id": case["id"], "visitor_id": visitor_id, "reason": reason,
    }))["approval"]
    decided = await approver.ok("approvals.decide", {"approval_id": approval["id"], "approve": True})
    return decided["erased"]
