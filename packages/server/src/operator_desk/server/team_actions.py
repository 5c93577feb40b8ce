"""The operator actions about teams (additions within v1): the team canned responses that team leads
edit and every operator of the team uses (``canned.list``, ``canned.put``, ``canned.delete``), and
presence (``presence.set``, ``presence.list``; the routing itself is ``routing.py``), and each
operator's chat limit (``team.set_limit``, supervisors).

A mixin of ``OperatorEndpoint``: its handlers are written as the others are and listed in
``OPERATOR_HANDLERS`` there; they are kept here so the endpoint module stays about chats and sessions.
"""

from __future__ import annotations

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import Role, TeamRef
from operator_desk.protocol import ErrorCode, ProtocolError
from operator_desk.protocol.messages import (
    MAX_TEAM_CANNED,
    CannedChanged,
    CannedDeleteRequest,
    CannedListRequest,
    CannedListResponse,
    CannedPutRequest,
    CannedPutResponse,
    Empty,
    MessagesLeftRequest,
    MessagesLeftResponse,
    PresenceListResponse,
    PresenceSetRequest,
    TeamCanned,
    TeamSetLimitRequest,
)
from operator_desk.server import accounts, repository, teams
from operator_desk.server.cluster import Relay
from operator_desk.server.hub import Hub, OperatorSession


class TeamActions:
    hub: Hub

    async def _team_named(self, session: OperatorSession, team_id: str | None) -> TeamRef | None:
        """The team a request is about: the caller's own unless it names another, which only a
        supervisor may. None for a caller in no team who names none."""
        own = session.operator.team
        if team_id is None or (own is not None and team_id == own.id):
            return own
        if session.operator.role is not Role.SUPERVISOR:
            raise ProtocolError(ErrorCode.FORBIDDEN, "only your own team's canned responses")
        found = await self.hub.db.call(teams.team, team_id)
        if found is None:
            raise ProtocolError(ErrorCode.NOT_FOUND, "no team with that id")
        return found

    def _tell_team(
        self, sender: OperatorSession, team_id: str, keyword: str, response: TeamCanned | None
    ) -> None:
        """The team's sessions hear of a change (on every node), the sender's other devices too; the sender
        has its answer."""
        members = [s for s in self.hub.all_sessions()
                   if s is not sender and s.operator.team is not None and s.operator.team.id == team_id]
        self.hub.push(members, "canned.changed", CannedChanged(team_id=team_id, keyword=keyword,
                                                               response=response), subject=None,
                      relay=Relay.team(team_id, sender))

    async def _team_edited(self, session: OperatorSession, team_id: str | None) -> TeamRef:
        team = await self._team_named(session, team_id)
        if team is None:
            raise ProtocolError(ErrorCode.BAD_REQUEST, "you are in no team: name the team (team_id)")
        return team

    async def _canned_list(self, session: OperatorSession, payload: CannedListRequest) -> CannedListResponse:
        team = await self._team_named(session, payload.team_id)
        responses = await self.hub.db.call(teams.canned_responses, team.id) if team else []
        return CannedListResponse(team=team, responses=tuple(responses))

    async def _canned_put(self, session: OperatorSession, payload: CannedPutRequest) -> CannedPutResponse:
        team = await self._team_edited(session, payload.team_id)
        async with self.hub.changes.about(f"team:{team.id}") as change:
            current = await self.hub.db.call(teams.canned_responses, team.id)
            if len(current) >= MAX_TEAM_CANNED and all(c.keyword != payload.keyword for c in current):
                raise ProtocolError(ErrorCode.CONFLICT,
                                    f"a team keeps at most {MAX_TEAM_CANNED} canned responses")
            at = now_ts()
            change.write(teams.put_canned, team.id, payload.keyword, payload.text, at, session.operator.id)
            # The keyword only: the text is the team's own words, but the log need not repeat them.
            change.write(repository.audit, at, session.operator.id, "canned.put", team.id,
                         {"keyword": payload.keyword})
            await change.stored()
            response = TeamCanned(keyword=payload.keyword, text=payload.text, updated_at=at,
                                  updated_by=session.operator.name)
            self._tell_team(session, team.id, payload.keyword, response)
        return CannedPutResponse(response=response)

    async def _canned_delete(self, session: OperatorSession, payload: CannedDeleteRequest) -> Empty:
        team = await self._team_edited(session, payload.team_id)
        async with self.hub.changes.about(f"team:{team.id}") as change:
            current = await self.hub.db.call(teams.canned_responses, team.id)
            if all(c.keyword != payload.keyword for c in current):
                raise ProtocolError(ErrorCode.NOT_FOUND, "the team has no canned response with that keyword")
            change.write(teams.delete_canned, team.id, payload.keyword)
            change.write(repository.audit, now_ts(), session.operator.id, "canned.delete", team.id,
                         {"keyword": payload.keyword})
            await change.stored()
            self._tell_team(session, team.id, payload.keyword, None)
        return Empty()

    # -- presence (routing.py) ------------------------------------------------------------------------

    async def _presence_set(self, session: OperatorSession, payload: PresenceSetRequest) -> Empty:
        self.hub.router.set_status(session.operator, payload.status)
        await self.hub.cluster.told()   # every node's routing and colleague lists, before the answer
        return Empty()

    async def _presence_list(self, session: OperatorSession, _: Empty) -> PresenceListResponse:
        return PresenceListResponse(operators=tuple(self.hub.router.everyone()))

    async def _team_set_limit(self, session: OperatorSession, payload: TeamSetLimitRequest) -> Empty:
        """Stored with its audit entry, then in force at once: routing and accepts use it from now,
        and the team hears the operator's new limit (``presence.changed``) if they are signed in."""
        hub = self.hub
        async with hub.changes.about(payload.operator_id) as change:
            operator = await hub.db.call(repository.operator_by_id, payload.operator_id)
            if operator is None:
                raise ProtocolError(ErrorCode.NOT_FOUND, "no enabled account with that id")
            change.write(accounts.store_chat_limit, payload.operator_id, payload.chat_limit)
            change.write(repository.audit, now_ts(), session.operator.id, "team.set_limit", None,
                         {"operator_id": payload.operator_id, "chat_limit": payload.chat_limit})
            await change.stored()
        hub.router.limit_changed(operator, payload.chat_limit)
        return Empty()

    async def _messages_left(
        self, session: OperatorSession, payload: MessagesLeftRequest
    ) -> MessagesLeftResponse:
        """Messages left while nobody was available, newest first (everyone sees them: anyone may answer;
        they are gone with the chat's retention or an erasure)."""
        after = None
        if payload.cursor is not None:
            started_at, chat_id = self.hub.cursors.read("messages.left", payload.cursor)
            after = (str(started_at), str(chat_id))
        found = await self.hub.db.call(repository.messages_left, after, payload.limit + 1)
        page = found[: payload.limit]
        cursor = (self.hub.cursors.make("messages.left", [page[-1].chat.started_at, page[-1].chat.id])
                  if len(found) > payload.limit else None)
        return MessagesLeftResponse(messages=tuple(page), next_cursor=cursor)
