"""Strict decoding: each kind of bad frame gets the protocol error code the design names."""

from __future__ import annotations

import json

import pytest

from operator_desk.protocol import Endpoint, ErrorCode, ProtocolError, decode


def req(action="ping", payload=None, **envelope):
    body = {"v": 1, "type": "req", "id": "r1", "action": action, "payload": payload or {}}
    body.update(envelope)
    return json.dumps(body)


def refused(frame, endpoint=Endpoint.OPERATOR, pending=None) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        decode(frame, endpoint, pending)
    return caught.value


@pytest.mark.parametrize("frame", ["", "not json", "[1,2]", "42", '"text"', "null", "{", b"\xff\xfe\x00"])
def test_not_a_json_object_is_bad_request_with_null_id(frame):
    error = refused(frame)
    assert error.code is ErrorCode.BAD_REQUEST
    assert error.request_id is None


def test_wrong_version_is_unsupported_and_keeps_the_id():
    error = refused(req(v=2))
    assert error.code is ErrorCode.UNSUPPORTED_VERSION
    assert error.request_id == "r1"


@pytest.mark.parametrize("v", ["1", 1.0, True, None])
def test_version_must_be_the_integer_one(v):
    assert refused(req(v=v)).code is ErrorCode.UNSUPPORTED_VERSION


def test_missing_version_is_bad_request():
    frame = json.dumps({"type": "req", "id": "r1", "action": "ping", "payload": {}})
    assert refused(frame).code is ErrorCode.BAD_REQUEST


@pytest.mark.parametrize("bad_id", ["", "x" * 65, 7, None, ["a"]])
def test_request_id_must_be_1_to_64_characters(bad_id):
    error = refused(req(id=bad_id))
    assert error.code is ErrorCode.BAD_REQUEST
    assert error.request_id is None


def test_id_of_64_characters_is_fine():
    assert decode(req(id="x" * 64)).id == "x" * 64


def test_unknown_action():
    error = refused(req(action="chat.explode"))
    assert error.code is ErrorCode.UNKNOWN_ACTION
    assert error.request_id == "r1"


def test_operator_action_is_unknown_on_the_visitor_endpoint():
    assert refused(req(action="subjects.erase"), Endpoint.VISITOR).code is ErrorCode.UNKNOWN_ACTION


def test_missing_required_field_is_bad_request_naming_it():
    error = refused(req("chat.send", {"chat_id": "c1", "text": "hi"}))
    assert error.code is ErrorCode.BAD_REQUEST
    assert "client_msg_id" in error.message


def test_wrong_type_is_bad_request():
    assert refused(req("chat.accept", {"chat_id": 5})).code is ErrorCode.BAD_REQUEST


def test_message_text_over_10000_characters_is_refused():
    error = refused(req("chat.send", {"chat_id": "c1", "client_msg_id": "k", "text": "a" * 10_001}))
    assert error.code is ErrorCode.BAD_REQUEST
    assert "10000" in error.message


def test_message_text_of_10000_characters_is_fine():
    request = decode(req("chat.send", {"chat_id": "c1", "client_msg_id": "k", "text": "a" * 10_000}))
    assert len(request.payload.text) == 10_000


def test_empty_message_is_refused():
    assert refused(req("chat.send", {"chat_id": "c", "client_msg_id": "k", "text": ""})).code == "bad_request"


def test_unknown_fields_are_ignored_at_every_level():
    frame = req("auth.login", {"token": "t", "future": {"x": 1}, "resume": {"session_id": "s",
                                                                            "last_seq": 3, "y": 2}},
                extra="ignored")
    request = decode(frame)
    assert request.payload.token == "t"
    assert request.payload.resume.last_seq == 3


def test_login_needs_password_or_token_not_both():
    assert refused(req("auth.login", {"username": "a"})).code is ErrorCode.BAD_REQUEST
    assert refused(req("auth.login", {"username": "a", "password": "p", "token": "t"})).code == "bad_request"


def test_unknown_purpose_is_refused():
    payload = {"purpose": "marketing", "granted": True, "notice_id": "n", "notice_version": 1,
               "method": "prechat_form"}
    assert refused(req("consent.set", payload), Endpoint.VISITOR).code is ErrorCode.BAD_REQUEST


def test_details_request_purpose_must_be_contact_details():
    payload = {"chat_id": "c", "notice_id": "n", "notice_version": 1, "fields": ["phone"],
               "purpose": "chat"}
    assert refused(req("details.request", payload)).code is ErrorCode.BAD_REQUEST


def test_payload_is_required():
    frame = json.dumps({"v": 1, "type": "req", "id": "r1", "action": "ping"})
    assert refused(frame).code is ErrorCode.BAD_REQUEST


def test_push_seq_must_be_positive_on_operator_sessions():
    frame = json.dumps({"v": 1, "type": "push", "seq": 0, "action": "visitor.left",
                        "payload": {"visitor_id": "v"}})
    assert refused(frame).code is ErrorCode.BAD_REQUEST


def test_response_to_an_unknown_request_is_refused_by_a_client():
    frame = json.dumps({"v": 1, "type": "res", "id": "nope", "ok": True, "payload": {}})
    assert refused(frame, pending={"r1": "ping"}).code is ErrorCode.BAD_REQUEST


def test_frame_over_256_kib_is_refused():
    assert refused("x" * (256 * 1024 + 1)).code is ErrorCode.BAD_REQUEST


def test_frame_size_is_counted_in_utf8_bytes_not_characters():
    # 90,000 three-byte characters: under 256 Ki characters, over 256 KiB on the wire.
    text = "€" * 90_000
    frame = json.dumps({"v": 1, "type": "req", "id": "r1", "action": "ping", "payload": {"t": text}},
                       ensure_ascii=False)
    assert len(frame) < 256 * 1024 < len(frame.encode())
    error = refused(frame)
    assert error.code is ErrorCode.BAD_REQUEST
    assert "256 KiB" in error.message


def test_timestamps_must_be_rfc3339_utc_with_milliseconds():
    frame = json.dumps({"v": 1, "type": "push", "seq": 1, "action": "chat.updated",
                        "payload": {"chat": {"id": "c", "visitor_id": "v", "state": "waiting",
                                             "started_at": "2026-11-29 10:00"}}})
    assert refused(frame).code is ErrorCode.BAD_REQUEST


def test_message_text_refuses_control_characters_but_tab_and_line_breaks():
    """Each control character is six bytes in JSON: thirty 10,000-character messages of them were 1.8 MB."""
    import json

    from operator_desk.protocol import Endpoint, ErrorCode, ProtocolError, decode
    from operator_desk.protocol.messages import sendable_text

    def send(text: str):
        frame = {"v": 1, "type": "req", "id": "a", "action": "chat.send",
                 "payload": {"client_msg_id": "c", "text": text}}
        return decode(json.dumps(frame), Endpoint.VISITOR)

    assert send("two\nlines\tand\r\n").payload.text == "two\nlines\tand\r\n"
    for bad in ("\x00", "bell\x07", "esc\x1b[31m", "\x0bvertical"):
        with pytest.raises(ProtocolError) as refused:
            send(bad)
        assert refused.value.code is ErrorCode.BAD_REQUEST
        assert send(sendable_text(bad) or "x")
