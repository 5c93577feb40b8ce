"""Handing a chat on (``chat.transfer``, issue 14): to a colleague, or to a team (its member with the
fewest open chats among those signed in and below the site's chat limit, available ones first).

The operator's note is for the receiving operator alone: it travels in their ``chat.transferred`` push
and nowhere else (not stored, not logged, never to the visitor; to a receiver on another node, over the
bus, which keeps nothing on disk). The visitor hears only that a colleague
carries on (``chat.transferred {}`` on the visitor endpoint; the widget words it). The receiving desk
loads the transcript as it loads any chat of its own (``chat.accept``, then ``chat.history``) and gets
the visitor with the latest consent event per purpose in the push. The change of operator is stored
with its audit entry (who handed which chat to whom: ids only) before anyone is told.

The receiver may be signed in on any node of the site (``Router.signed_in``).

Refused, with nothing changed: a colleague with no session (``recipient_offline``) or with as many
chats open as the site allows (``recipient_at_limit``; supervisors have no limit), a team nobody of
which is signed in (``recipient_offline``) or all of whom are at the limit (``recipient_at_limit``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from operator_desk.domain.clock import now_ts
from operator_desk.domain.consent import recorded_order
from operator_desk.domain.model import ChatState, OperatorInfo
from operator_desk.protocol import ErrorCode, ProtocolError
from operator_desk.protocol.messages import (
    ChatTransferred,
    ChatTransferRequest,
    ChatTransferResponse,
    VisitorChatTransferred,
)
from operator_desk.server import repository, teams
from operator_desk.server.cluster import Relay

if TYPE_CHECKING:
    from operator_desk.server.hub import Hub, OperatorSession

# Who takes first when a chat goes to a team: available, then busy, then away (all of them signed in).
_STATUS_ORDER = {"available": 0, "busy": 1, "away": 2}


def _refuse(code: ErrorCode, message: str) -> ProtocolError:
    return ProtocolError(code, message)


def _signed_in(hub: Hub) -> dict[str, OperatorInfo]:
    """Every operator with a session now, on this node or another, by id."""
    return hub.router.signed_in()


def _colleague(hub: Hub, sender: OperatorInfo, operator_id: str) -> OperatorInfo:
    if operator_id == sender.id:
        raise _refuse(ErrorCode.BAD_REQUEST, "the chat is yours already")
    operator = _signed_in(hub).get(operator_id)
    if operator is None:
        raise _refuse(ErrorCode.RECIPIENT_OFFLINE, "that colleague is not signed in")
    if not hub.router.may_take(operator):
        raise _refuse(ErrorCode.RECIPIENT_AT_LIMIT, "that colleague has as many chats open as allowed")
    return operator


async def _team_member(hub: Hub, sender: OperatorInfo, team_id: str) -> OperatorInfo:
    if await hub.db.call(teams.team, team_id) is None:
        raise _refuse(ErrorCode.NOT_FOUND, "no team with that id")
    members = [o for o in _signed_in(hub).values()
               if o.team is not None and o.team.id == team_id and o.id != sender.id]
    if not members:
        raise _refuse(ErrorCode.RECIPIENT_OFFLINE, "nobody of that team is signed in")
    free = [o for o in members if hub.router.may_take(o)]
    if not free:
        raise _refuse(ErrorCode.RECIPIENT_AT_LIMIT, "everyone of that team has as many chats open as allowed")
    return min(free, key=lambda o: (_STATUS_ORDER.get(hub.router.status.get(o.id, "away"), 3),
                                    hub.router.open_chats(o.id), o.name, o.id))


async def transfer_chat(hub: Hub, session: OperatorSession,
                        payload: ChatTransferRequest) -> ChatTransferResponse:
    sender = session.operator
    if (payload.to_operator_id is None) == (payload.to_team_id is None):
        raise _refuse(ErrorCode.BAD_REQUEST, "name either to_operator_id or to_team_id")
    live_chat = hub.chats.get(payload.chat_id)
    if live_chat is None:
        raise _refuse(ErrorCode.NOT_FOUND, "no open chat with that id")
    async with hub.changes.about(live_chat.chat.visitor_id) as change:
        live_chat = hub.chats.get(payload.chat_id)   # closed while we waited?
        if live_chat is None:
            raise _refuse(ErrorCode.NOT_FOUND, "no open chat with that id")
        chat = live_chat.chat
        if chat.state is not ChatState.ACTIVE or chat.operator_id != sender.id:
            raise _refuse(ErrorCode.CONFLICT, "only one's own active chat can be handed on")
        if payload.to_operator_id is not None:
            receiver = _colleague(hub, sender, payload.to_operator_id)
        else:
            receiver = await _team_member(hub, sender, payload.to_team_id or "")
        handed = msgspec.structs.replace(chat, operator_id=receiver.id)
        held = hub.visitors.get(chat.visitor_id)
        consents = held.consents if held is not None else []
        if held is not None and held.home is not None:
            # A copy of a visitor at home on another node holds no consent events: the database does.
            consents = await hub.db.call(repository.consents_of, held.id)
        change.write(repository.save_chat, handed)
        change.write(repository.audit, now_ts(), sender.id, "chat.transfer", chat.visitor_id,
                     {"chat_id": chat.id, "to": receiver.id, "team": payload.to_team_id})
        await change.stored()
        visitor = hub.visitors.get(chat.visitor_id)
        if visitor is not None:
            latest = {event.purpose: event for event in recorded_order(consents)}
            hub.push([s for s in hub.sessions.values() if s.operator.id == receiver.id], "chat.transferred",
                     ChatTransferred(chat=handed, visitor=visitor.operator_view(), from_operator=sender,
                                     note=payload.note, consents=tuple(latest.values())),
                     subject=chat.visitor_id, relay=Relay.operator(receiver.id))
        # The sender's desks and the receiver's hear of the new operator (chat.updated to both).
        hub.chat_changed(live_chat, handed)
        if visitor is not None:
            hub.push_to_visitor(visitor, "chat.transferred", VisitorChatTransferred())
            hub.upsert_visitor(visitor)   # the receiver now watches the visitor
    return ChatTransferResponse(chat=handed)
