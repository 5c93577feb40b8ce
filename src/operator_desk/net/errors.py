"""The transport's errors. Each carries a ``code``: a protocol v1 error code when the server answered
with one, else one of the transport's own codes below. Services translate them into ``FailureCode``s."""

from __future__ import annotations

from operator_desk.protocol.errors import ErrorCode

# The transport's own codes (not protocol codes: nothing on the wire says them).
CONNECTION_LOST = "connection_lost"
UNREACHABLE = "unreachable"
INSECURE_URL = "insecure_url"
CERTIFICATE = "certificate"
TIMEOUT = "timeout"
NOT_CONNECTED = "not_connected"


class NetError(Exception):
    """Base of the transport's errors."""

    code: str = CONNECTION_LOST

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class RequestFailed(NetError):
    """The server answered a request with ``ok: false``; ``code`` is its protocol error code."""

    def __init__(self, code: ErrorCode | str, message: str = "") -> None:
        # Unknown codes are allowed (protocol v1 may add codes); they stay plain strings.
        try:
            code = ErrorCode(code)
        except ValueError:
            pass
        super().__init__(f"request refused: {code}", str(code))
        # The server's message is for developers; it may echo input, so it is kept, never logged.
        self.server_message = message


class ConnectionLost(NetError):
    """The connection closed (or was dropped) before the answer came."""

    code = CONNECTION_LOST


class RequestTimeout(ConnectionLost):
    """No answer in time: the connection is treated as dead."""

    code = TIMEOUT


class NotConnected(NetError):
    """There is no open connection to send on (offline, or reconnecting)."""

    code = NOT_CONNECTED


class Unreachable(NetError):
    """The server could not be reached (refused, DNS, handshake failure, open timeout)."""

    code = UNREACHABLE


class InsecureUrl(NetError):
    """``ws://`` to a host outside loopback without ``allow_insecure``, or not a ws/wss URL."""

    code = INSECURE_URL


class CertificateFailed(NetError):
    """The ``wss://`` server's certificate did not verify."""

    code = CERTIFICATE
