"""Wire format v1: envelope, message types, encode/decode with strict validation. Pure, no I/O."""

from operator_desk.protocol.codec import (
    MAX_FRAME_BYTES,
    VERSION,
    ErrorInfo,
    Frame,
    Push,
    PushFrames,
    Request,
    Response,
    decode,
    encode,
    error,
    error_for,
    ok,
    push,
    request,
    request_id_of,
    to_builtins,
)
from operator_desk.protocol.errors import ErrorCode, ProtocolError
from operator_desk.protocol.messages import Endpoint

__all__ = [
    "MAX_FRAME_BYTES", "VERSION", "Endpoint", "ErrorCode", "ErrorInfo", "Frame", "ProtocolError",
    "Push", "PushFrames", "Request", "Response", "decode", "encode", "error", "error_for", "ok", "push",
    "request", "request_id_of", "to_builtins",
]
