"""The team's canned responses: kept on the server per team (``canned.*``, docs/protocol.md), listed at
each sign-in that is not a resume, followed by ``canned.changed`` pushes, edited here by team leads.

They hold no personal data (answers a team gives) and are not cached: the server has them, and a desk
that cannot reach it has no chats to answer either. The desk's own canned responses (settings) stay the
operator's; the UI shows both, the operator's own winning on a shared keyword.
"""

from __future__ import annotations

import logging

from operator_desk.domain.model import TeamRef
from operator_desk.net.errors import NetError
from operator_desk.protocol.messages import (
    CannedChanged,
    CannedDeleteRequest,
    CannedListRequest,
    CannedListResponse,
    CannedPutRequest,
    CannedPutResponse,
    TeamCanned,
)
from operator_desk.services.chats import Request
from operator_desk.services.errors import desk_error
from operator_desk.services.events import EventSink, TeamCannedChanged

logger = logging.getLogger(__name__)


class TeamCannedResponses:
    def __init__(self, emit: EventSink, request: Request) -> None:
        self._emit = emit
        self._request = request
        self.team: TeamRef | None = None
        self._responses: dict[str, TeamCanned] = {}

    @property
    def responses(self) -> tuple[TeamCanned, ...]:
        """By keyword, as the server lists them."""
        return tuple(self._responses[keyword] for keyword in sorted(self._responses))

    async def load(self) -> None:
        """The team's list, fresh (at a sign-in that is not a resume). A server without teams, or one
        that cannot answer now, leaves the desk with its own canned responses only."""
        try:
            listed: CannedListResponse = await self._request("canned.list", CannedListRequest())
        except NetError as exc:
            logger.info("team canned responses not loaded (%s)", type(exc).__name__)
            listed = CannedListResponse(team=None, responses=())
        self.team = listed.team
        self._responses = {r.keyword: r for r in listed.responses}
        self._tell()

    def changed(self, push: CannedChanged) -> None:
        if self.team is None or push.team_id != self.team.id:
            return
        if push.response is None:
            self._responses.pop(push.keyword, None)
        else:
            self._responses[push.keyword] = push.response
        self._tell()

    async def put(self, keyword: str, text: str) -> TeamCanned:
        """Add or replace one (team leads, supervisors: the server checks)."""
        try:
            answer: CannedPutResponse = await self._request(
                "canned.put", CannedPutRequest(keyword=keyword, text=text))
        except NetError as exc:
            raise desk_error(exc, "canned.put") from exc
        self._responses[answer.response.keyword] = answer.response
        self._tell()
        return answer.response

    async def delete(self, keyword: str) -> None:
        try:
            await self._request("canned.delete", CannedDeleteRequest(keyword=keyword))
        except NetError as exc:
            raise desk_error(exc, "canned.delete") from exc
        self._responses.pop(keyword, None)
        self._tell()

    def clear(self) -> None:
        """Signed out: another operator may sign in next, in another team."""
        self.team = None
        self._responses = {}
        self._tell()

    def _tell(self) -> None:
        self._emit(TeamCannedChanged(team=self.team, responses=self.responses))
