"""Every message of protocol v1 survives encode then decode unchanged."""

from __future__ import annotations

import json

import pytest

from operator_desk.protocol import Endpoint, Push, PushFrames, Request, Response, decode, encode
from operator_desk.protocol.messages import (
    OPERATOR_ACTIONS,
    OPERATOR_PUSHES,
    VISITOR_ACTIONS,
    VISITOR_PUSHES,
)

from . import samples

CASES = [
    (Endpoint.OPERATOR, samples.OPERATOR_REQUESTS, samples.OPERATOR_RESPONSES, OPERATOR_ACTIONS),
    (Endpoint.VISITOR, samples.VISITOR_REQUESTS, samples.VISITOR_RESPONSES, VISITOR_ACTIONS),
]


def test_samples_cover_every_message():
    assert set(samples.OPERATOR_REQUESTS) == set(OPERATOR_ACTIONS)
    assert set(samples.OPERATOR_RESPONSES) == set(OPERATOR_ACTIONS)
    assert set(samples.VISITOR_REQUESTS) == set(VISITOR_ACTIONS)
    assert set(samples.VISITOR_RESPONSES) == set(VISITOR_ACTIONS)
    assert set(samples.OPERATOR_PUSHES) == set(OPERATOR_PUSHES)
    assert set(samples.VISITOR_PUSHES) == set(VISITOR_PUSHES)


@pytest.mark.parametrize(
    ("endpoint", "action"),
    [(endpoint, action) for endpoint, requests, _, _ in CASES for action in requests],
)
def test_request_round_trip(endpoint, action):
    requests = samples.OPERATOR_REQUESTS if endpoint is Endpoint.OPERATOR else samples.VISITOR_REQUESTS
    sent = Request(id="req-7", action=action, payload=requests[action])
    frame = encode(sent)
    assert json.loads(frame)["v"] == 1
    assert decode(frame, endpoint) == sent


@pytest.mark.parametrize(
    ("endpoint", "action"),
    [(endpoint, action) for endpoint, _, responses, _ in CASES for action in responses],
)
def test_response_round_trip(endpoint, action):
    responses = samples.OPERATOR_RESPONSES if endpoint is Endpoint.OPERATOR else samples.VISITOR_RESPONSES
    sent = Response(id="req-7", ok=True, payload=responses[action])
    assert decode(encode(sent), endpoint, pending={"req-7": action}) == sent


@pytest.mark.parametrize("action", sorted(samples.OPERATOR_PUSHES))
def test_operator_push_round_trip(action):
    sent = Push(seq=42, action=action, payload=samples.OPERATOR_PUSHES[action])
    assert decode(encode(sent), Endpoint.OPERATOR) == sent


@pytest.mark.parametrize("action", sorted(samples.VISITOR_PUSHES))
def test_visitor_push_round_trip(action):
    sent = Push(seq=None, action=action, payload=samples.VISITOR_PUSHES[action])
    assert decode(encode(sent), Endpoint.VISITOR) == sent


def test_error_response_round_trip():
    from operator_desk.protocol import ErrorCode, error

    frame = error("req-1", ErrorCode.FORBIDDEN, "supervisors only")
    decoded = decode(frame, Endpoint.OPERATOR, pending={"req-1": "subjects.find"})
    assert decoded.ok is False
    assert decoded.error_code == "forbidden"
    assert decoded.error.message == "supervisors only"


def test_insights_null_is_sent_explicitly():
    """A withdrawal is told to operators as ``insights: null``: the field must be on the wire."""
    import msgspec

    visitor = msgspec.structs.replace(samples.VISITOR, insights=None)
    from operator_desk.protocol import push
    from operator_desk.protocol.messages import VisitorUpsert

    body = json.loads(push(3, "visitor.upsert", VisitorUpsert(visitor=visitor)))
    assert "insights" in body["payload"]["visitor"]
    assert body["payload"]["visitor"]["insights"] is None


@pytest.mark.parametrize("action", sorted(samples.OPERATOR_PUSHES))
def test_a_push_encoded_once_decodes_for_every_session(action):
    """The server encodes a push once and numbers it for each session: every numbered frame decodes to
    the push with its own seq."""
    frames = PushFrames(action, samples.OPERATOR_PUSHES[action])
    for seq in (1, 2, 10_000):
        assert decode(frames.numbered(seq), Endpoint.OPERATOR) == Push(
            seq=seq, action=action, payload=samples.OPERATOR_PUSHES[action]
        )


@pytest.mark.parametrize("action", sorted(samples.VISITOR_PUSHES))
def test_a_visitor_push_encoded_once_decodes(action):
    frames = PushFrames(action, samples.VISITOR_PUSHES[action])
    assert decode(frames.unnumbered, Endpoint.VISITOR) == Push(
        seq=None, action=action, payload=samples.VISITOR_PUSHES[action]
    )
