"""The services' one error type, and the translation of the layers below into ``FailureCode``s.

Services speak in codes; the UI words them. Transport and store errors are translated here, at the
services' boundary, so the UI never sees a ``NetError`` or a ``StoreError``.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import Any

from operator_desk.net import errors as net_errors
from operator_desk.net.errors import NetError
from operator_desk.protocol import ErrorCode


class FailureCode(enum.StrEnum):
    """Why something the user asked for did not happen; the UI words each one."""

    SERVER_UNREACHABLE = "server_unreachable"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOKEN_REVOKED = "token_revoked"
    RATE_LIMITED = "rate_limited"
    INSECURE_URL = "insecure_url"            # ws:// to a non-loopback host without --allow-insecure
    CERTIFICATE = "certificate"              # wss:// certificate did not verify
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"                    # e.g. another operator accepted the chat first
    CHAT_LIMIT_REACHED = "chat_limit_reached"  # the operator has as many chats open as their limit
    CONSENT_REQUIRED = "consent_required"
    BAD_REQUEST = "bad_request"
    APPROVAL_REQUIRED = "approval_required"  # the site needs a second supervisor to approve this
    NOT_SIGNED_IN = "not_signed_in"
    ALREADY_EXISTS = "already_exists"        # a file or folder of that name is there already
    FILE_NOT_WRITTEN = "file_not_written"    # a file could not be written (disk full, no permission)
    CACHE_UNAVAILABLE = "cache_unavailable"  # the local cache could not be opened or written
    RECIPIENT_OFFLINE = "recipient_offline"  # a chat handed to someone not signed in (or a team nobody of)
    RECIPIENT_AT_LIMIT = "recipient_at_limit"  # ... to someone with as many chats open as allowed
    INTERNAL = "internal"



_FROM_CODE: dict[str, FailureCode] = {
    ErrorCode.INVALID_CREDENTIALS: FailureCode.INVALID_CREDENTIALS,
    ErrorCode.RATE_LIMITED: FailureCode.RATE_LIMITED,
    ErrorCode.FORBIDDEN: FailureCode.FORBIDDEN,
    ErrorCode.NOT_FOUND: FailureCode.NOT_FOUND,
    ErrorCode.CONFLICT: FailureCode.CONFLICT,
    ErrorCode.CHAT_LIMIT_REACHED: FailureCode.CHAT_LIMIT_REACHED,
    ErrorCode.CONSENT_REQUIRED: FailureCode.CONSENT_REQUIRED,
    ErrorCode.BAD_REQUEST: FailureCode.BAD_REQUEST,
    ErrorCode.APPROVAL_REQUIRED: FailureCode.APPROVAL_REQUIRED,
    ErrorCode.RECIPIENT_OFFLINE: FailureCode.RECIPIENT_OFFLINE,
    ErrorCode.RECIPIENT_AT_LIMIT: FailureCode.RECIPIENT_AT_LIMIT,
    # "Nothing was changed; try again in a moment": what the desk says for internal too.
    ErrorCode.STORAGE_UNAVAILABLE: FailureCode.INTERNAL,
    net_errors.UNREACHABLE: FailureCode.SERVER_UNREACHABLE,
    net_errors.CONNECTION_LOST: FailureCode.SERVER_UNREACHABLE,
    net_errors.TIMEOUT: FailureCode.SERVER_UNREACHABLE,
    net_errors.NOT_CONNECTED: FailureCode.SERVER_UNREACHABLE,
    net_errors.INSECURE_URL: FailureCode.INSECURE_URL,
    net_errors.CERTIFICATE: FailureCode.CERTIFICATE,
}


class DeskError(Exception):
    """Something the user asked for did not happen; ``code`` says why."""

    def __init__(self, code: FailureCode, action: str = "") -> None:
        super().__init__(f"{action or 'desk'}: {code.value}")
        self.code = code
        self.action = action


def failure_for_error_code(code: str | None) -> FailureCode:
    """The ``FailureCode`` for a transport or protocol error code (unknown ones: ``INTERNAL``)."""
    if code is None:
        return FailureCode.INTERNAL
    return _FROM_CODE.get(code, FailureCode.INTERNAL)


# Refusals that say "not now" rather than "never": the same request may succeed later, unchanged.
TRANSIENT_REFUSALS = frozenset({ErrorCode.STORAGE_UNAVAILABLE, ErrorCode.RATE_LIMITED, ErrorCode.INTERNAL})


def desk_error(exc: NetError, action: str) -> DeskError:
    return DeskError(failure_for_error_code(exc.code), action)


def asking(request: Callable[[str, Any], Awaitable[Any]]) -> Callable[[str, Any], Awaitable[Any]]:
    """``request`` (an action and its payload to the server) with a network failure raised as the
    ``DeskError`` of that action: the one way the services that only ask and answer call the server."""

    async def ask(action: str, payload: Any) -> Any:
        try:
            return await request(action, payload)
        except NetError as exc:
            raise desk_error(exc, action) from exc

    return ask


def is_offline(exc: NetError) -> bool:
    """True when the request failed because the connection is down (it may succeed later), not
    because the server refused it."""
    return failure_for_error_code(exc.code) is FailureCode.SERVER_UNREACHABLE and not isinstance(
        exc, net_errors.RequestFailed
    )
