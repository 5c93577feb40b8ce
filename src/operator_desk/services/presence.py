"""The operator's own presence as this desk holds it: whether new chats may be offered to them
(``presence.set``, docs/protocol.md "Presence and routing").

The one place on the desk that knows the status: the tray's Status menu reads it and sets it here, and
so does anything else that shows or changes it. The server keeps a status with the session (``away``
from sign-in), so a new session (not a resume) is told again what the operator chose last.
"""

from __future__ import annotations

import logging
from typing import get_args

from operator_desk.net.errors import NetError
from operator_desk.protocol.messages import PresenceSetRequest, PresenceStatus
from operator_desk.services.chats import Request
from operator_desk.services.errors import desk_error
from operator_desk.services.events import EventSink, PresenceChanged

logger = logging.getLogger(__name__)

PRESENCE_STATUSES: tuple[PresenceStatus, ...] = get_args(PresenceStatus)
# What the server assumes of a new session until the desk says otherwise.
SIGN_IN_STATUS: PresenceStatus = "away"


class Presence:
    def __init__(self, emit: EventSink, request: Request) -> None:
        self._emit = emit
        self._request = request
        self.status: PresenceStatus = SIGN_IN_STATUS

    async def set(self, status: PresenceStatus) -> None:
        """Say ``status`` to the server; held (and told to the UI) once the server has it."""
        try:
            await self._request("presence.set", PresenceSetRequest(status=status))
        except NetError as exc:
            raise desk_error(exc, "presence.set") from exc
        self._changed(status)

    async def session_started(self) -> None:
        """A new session starts ``away`` on the server: tell it the status chosen before, if another."""
        if self.status == SIGN_IN_STATUS:
            self._changed(SIGN_IN_STATUS)
            return
        try:
            await self._request("presence.set", PresenceSetRequest(status=self.status))
        except NetError as exc:
            logger.info("presence not restored (%s)", type(exc).__name__)
            self._changed(SIGN_IN_STATUS)
            return
        self._changed(self.status)

    def signed_out(self) -> None:
        self._changed(SIGN_IN_STATUS)

    def _changed(self, status: PresenceStatus) -> None:
        self.status = status
        self._emit(PresenceChanged(status=status))
