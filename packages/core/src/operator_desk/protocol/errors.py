"""The one error type of the protocol layer, carrying a protocol v1 error code."""

from __future__ import annotations

import enum


class ErrorCode(enum.StrEnum):
    BAD_REQUEST = "bad_request"
    UNSUPPORTED_VERSION = "unsupported_version"
    UNKNOWN_ACTION = "unknown_action"
    UNAUTHENTICATED = "unauthenticated"
    INVALID_CREDENTIALS = "invalid_credentials"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    CONSENT_REQUIRED = "consent_required"
    RATE_LIMITED = "rate_limited"
    # An addition within v1: the change could not be stored (the server's disk is full, say). Nothing
    # of it was kept or told to anyone; the same request may be sent again later.
    STORAGE_UNAVAILABLE = "storage_unavailable"
    # An addition within v1: the site requires a second supervisor's approval for this action (four
    # eyes): ask for it with ``approvals.request``; nothing was done.
    APPROVAL_REQUIRED = "approval_required"
    # An addition within v1: the operator has as many chats open as their chat limit allows (routing):
    # ``chat.accept`` of a waiting chat took nothing; end a chat first.
    CHAT_LIMIT_REACHED = "chat_limit_reached"
    # Additions within v1 (chat.transfer): the colleague named has no session (or nobody of the team
    # is signed in), or has as many chats open as the site allows (everyone of the team has). Nothing
    # was handed on.
    RECIPIENT_OFFLINE = "recipient_offline"
    RECIPIENT_AT_LIMIT = "recipient_at_limit"
    INTERNAL = "internal"


class ProtocolError(Exception):
    """A frame or request that protocol v1 refuses.

    ``request_id`` is the request's id when it could be read from the frame, so that the answer can
    name it; otherwise ``None`` (and the error response carries ``"id": null``).
    """

    def __init__(self, code: ErrorCode, message: str, request_id: str | None = None) -> None:
        super().__init__(f"{code.value}: {message}")
        self.code = ErrorCode(code)
        self.message = message
        self.request_id = request_id
