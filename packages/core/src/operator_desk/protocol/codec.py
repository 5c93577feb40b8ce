"""``encode`` and ``decode`` for protocol v1 frames: the envelope, then the payload of its action.

Decoding is strict (types, required fields, lengths, id length, ``v``) and total: any text or bytes
gives a message or a ``ProtocolError`` with the code the peer should be answered with, never another
exception. Unknown fields are ignored at every level.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from operator_desk.domain.model import MAX_ID, Struct
from operator_desk.protocol.errors import ErrorCode, ProtocolError
from operator_desk.protocol.messages import ACTIONS, PUSHES, Endpoint

VERSION = 1
MAX_FRAME_BYTES = 256 * 1024


class ErrorInfo(msgspec.Struct, frozen=True, forbid_unknown_fields=False):
    code: str
    message: str = ""


class Request(msgspec.Struct, frozen=True):
    id: str
    action: str
    payload: Struct


class Response(msgspec.Struct, frozen=True):
    """A response. ``payload`` is a typed struct when the codec knew which request it answers, else
    the plain JSON object; ``error`` is set exactly when ``ok`` is false."""

    id: str | None
    ok: bool
    payload: Any = None
    error: ErrorInfo | None = None

    @property
    def error_code(self) -> str | None:
        return self.error.code if self.error else None


class Push(msgspec.Struct, frozen=True):
    seq: int | None
    action: str
    payload: Struct


Frame = Request | Response | Push


class _Envelope(msgspec.Struct, forbid_unknown_fields=False):
    # Loosely typed on purpose: each field is checked by hand below, so that the error code can be the
    # right one (unsupported_version before bad_request) and the request id can be echoed back.
    v: Any = msgspec.UNSET
    type: Any = msgspec.UNSET
    id: Any = msgspec.UNSET
    action: Any = msgspec.UNSET
    seq: Any = msgspec.UNSET
    ok: Any = msgspec.UNSET
    payload: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    error: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET


_envelope_decoder = msgspec.json.Decoder(_Envelope)
_decoders: dict[type, msgspec.json.Decoder[Any]] = {}
_encoder = msgspec.json.Encoder()


def _decoder(kind: type) -> msgspec.json.Decoder[Any]:
    decoder = _decoders.get(kind)
    if decoder is None:
        decoder = _decoders[kind] = msgspec.json.Decoder(kind)
    return decoder


def _size_in_bytes(frame: str | bytes) -> int:
    # A character is 1 to 4 UTF-8 bytes: only a text that might be over the limit is encoded to know.
    if isinstance(frame, str) and len(frame) * 4 > MAX_FRAME_BYTES:
        return len(frame.encode("utf-8", "surrogatepass"))
    return len(frame)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= MAX_ID


def _payload(raw: Any, kind: type, request_id: str | None, what: str) -> Any:
    if raw is msgspec.UNSET:
        raise ProtocolError(ErrorCode.BAD_REQUEST, f"{what}: payload is missing", request_id)
    try:
        return _decoder(kind).decode(raw)
    except msgspec.ValidationError as exc:
        raise ProtocolError(ErrorCode.BAD_REQUEST, f"{what}: {exc}", request_id) from None
    except (msgspec.DecodeError, ValueError, TypeError) as exc:
        # __post_init__ checks raise ValueError/TypeError, which msgspec reports as ValidationError;
        # this branch is belt and braces for a library change.
        raise ProtocolError(ErrorCode.BAD_REQUEST, f"{what}: {exc}", request_id) from None


class _IdOnly(msgspec.Struct, forbid_unknown_fields=False):
    id: Any = msgspec.UNSET


_id_decoder = msgspec.json.Decoder(_IdOnly)


def request_id_of(frame: str | bytes) -> str | None:
    """The id of the request in ``frame`` if it can be read, else ``None``: for answering a frame that
    is refused before it is decoded (over a rate), so that its sender can match the refusal."""
    if _size_in_bytes(frame) > MAX_FRAME_BYTES:
        return None
    try:
        envelope = _id_decoder.decode(frame)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return None
    return envelope.id if _is_id(envelope.id) else None


def decode(
    frame: str | bytes,
    endpoint: Endpoint = Endpoint.OPERATOR,
    pending: Mapping[str, str] | None = None,
) -> Frame:
    """Decode one frame received on ``endpoint``.

    ``pending`` maps the ids of requests still waiting for an answer to their actions; with it a
    response's payload is decoded into that action's response type and a response to an unknown id is
    refused. Without it (a server, or a test) response payloads stay plain JSON objects.
    """
    if _size_in_bytes(frame) > MAX_FRAME_BYTES:
        raise ProtocolError(ErrorCode.BAD_REQUEST, "frame is larger than 256 KiB")
    try:
        envelope = _envelope_decoder.decode(frame)
    except (msgspec.DecodeError, UnicodeDecodeError):
        raise ProtocolError(ErrorCode.BAD_REQUEST, "frame is not a JSON object") from None

    request_id = envelope.id if _is_id(envelope.id) else None
    if envelope.v is msgspec.UNSET:
        raise ProtocolError(ErrorCode.BAD_REQUEST, "missing field v", request_id)
    if type(envelope.v) is not int or envelope.v != VERSION:
        raise ProtocolError(ErrorCode.UNSUPPORTED_VERSION, "only protocol version 1 is spoken", request_id)

    kind = envelope.type
    if kind == "req":
        return _decode_request(envelope, endpoint, request_id)
    if kind == "res":
        return _decode_response(envelope, endpoint, request_id, pending)
    if kind == "push":
        return _decode_push(envelope, endpoint)
    raise ProtocolError(ErrorCode.BAD_REQUEST, "type must be req, res or push", request_id)


def _decode_request(envelope: _Envelope, endpoint: Endpoint, request_id: str | None) -> Request:
    if request_id is None:
        raise ProtocolError(ErrorCode.BAD_REQUEST, f"id must be a string of 1 to {MAX_ID} characters")
    if not isinstance(envelope.action, str):
        raise ProtocolError(ErrorCode.BAD_REQUEST, "action must be a string", request_id)
    spec = ACTIONS[endpoint].get(envelope.action)
    if spec is None:
        raise ProtocolError(ErrorCode.UNKNOWN_ACTION, "unknown action", request_id)
    payload = _payload(envelope.payload, spec.request, request_id, envelope.action)
    return Request(id=request_id, action=envelope.action, payload=payload)


def _decode_response(
    envelope: _Envelope,
    endpoint: Endpoint,
    request_id: str | None,
    pending: Mapping[str, str] | None,
) -> Response:
    if envelope.id is not None and request_id is None:
        raise ProtocolError(ErrorCode.BAD_REQUEST, "response id must be a request id or null")
    if not isinstance(envelope.ok, bool):
        raise ProtocolError(ErrorCode.BAD_REQUEST, "ok must be true or false", request_id)
    if not envelope.ok:
        error = _payload(envelope.error, ErrorInfo, request_id, "error")
        return Response(id=request_id, ok=False, error=error)
    if pending is None:
        payload = _payload(envelope.payload, dict[str, Any], request_id, "response")
        return Response(id=request_id, ok=True, payload=payload)
    action = pending.get(request_id) if request_id is not None else None
    if action is None:
        raise ProtocolError(ErrorCode.BAD_REQUEST, "response to no pending request", request_id)
    spec = ACTIONS[endpoint][action]
    payload = _payload(envelope.payload, spec.response, request_id, action)
    return Response(id=request_id, ok=True, payload=payload)


def _decode_push(envelope: _Envelope, endpoint: Endpoint) -> Push:
    if not isinstance(envelope.action, str):
        raise ProtocolError(ErrorCode.BAD_REQUEST, "action must be a string")
    kind = PUSHES[endpoint].get(envelope.action)
    if kind is None:
        raise ProtocolError(ErrorCode.UNKNOWN_ACTION, "unknown push")
    seq = envelope.seq
    if endpoint is Endpoint.OPERATOR:
        # Operator sessions number their pushes from 1 without gaps; visitor pushes carry no seq.
        if type(seq) is not int or seq < 1:
            raise ProtocolError(ErrorCode.BAD_REQUEST, "seq must be an integer from 1")
    elif seq is not msgspec.UNSET and seq is not None and (type(seq) is not int or seq < 1):
        raise ProtocolError(ErrorCode.BAD_REQUEST, "seq must be an integer from 1")
    payload = _payload(envelope.payload, kind, None, envelope.action)
    return Push(seq=seq if type(seq) is int else None, action=envelope.action, payload=payload)


# -- encoding ----------------------------------------------------------------------------------------


def encode(message: Frame) -> str:
    """The text of one frame. The payload is encoded as it is: build it from the typed structs."""
    if isinstance(message, Request):
        body: dict[str, Any] = {
            "v": VERSION, "type": "req", "id": message.id,
            "action": message.action, "payload": message.payload,
        }
    elif isinstance(message, Push):
        body = {"v": VERSION, "type": "push", "action": message.action, "payload": message.payload}
        if message.seq is not None:
            body["seq"] = message.seq
    elif message.ok:
        body = {"v": VERSION, "type": "res", "id": message.id, "ok": True,
                "payload": message.payload if message.payload is not None else {}}
    else:
        body = {"v": VERSION, "type": "res", "id": message.id, "ok": False, "error": message.error}
    return _encoder.encode(body).decode("utf-8")


def request(request_id: str, action: str, payload: Struct) -> str:
    return encode(Request(id=request_id, action=action, payload=payload))


def ok(request_id: str, payload: Struct | Mapping[str, Any] | None = None) -> str:
    return encode(Response(id=request_id, ok=True, payload=payload))


def error(request_id: str | None, code: ErrorCode, message: str) -> str:
    return encode(Response(id=request_id, ok=False, error=ErrorInfo(code=code.value, message=message)))


def error_for(exc: ProtocolError) -> str:
    """The response frame that answers a refused frame."""
    return error(exc.request_id, exc.code, exc.message)


def push(seq: int | None, action: str, payload: Struct) -> str:
    return encode(Push(seq=seq, action=action, payload=payload))


class PushFrames:
    """One push encoded once for everyone who receives it: a server fans a push out to many sessions,
    and encoding its payload again for each was most of the cost of fan-out. ``numbered(seq)`` is the
    frame for an operator session (only its ``seq`` differs from one session to the next);
    ``unnumbered`` the frame without a seq, the same text for every visitor connection."""

    __slots__ = ("_head", "unnumbered")

    def __init__(self, action: str, payload: Struct) -> None:
        # The envelope without its closing brace; the seq goes last (a JSON object's members have no
        # order, so ``decode`` reads it wherever it stands).
        body = {"v": VERSION, "type": "push", "action": action, "payload": payload}
        head = _encoder.encode(body)[:-1].decode("utf-8")
        self.unnumbered = head + "}"
        self._head = head + ',"seq":'

    def numbered(self, seq: int) -> str:
        return f"{self._head}{seq}}}"


def to_builtins(value: Any) -> Any:
    """Plain JSON-compatible data (dicts, lists, strings) of a struct: for exports and storage."""
    return msgspec.to_builtins(value)
