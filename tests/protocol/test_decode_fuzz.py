"""Any text or bytes decode to a message or a ProtocolError, never another exception."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from operator_desk.protocol import Endpoint, ProtocolError, decode
from operator_desk.protocol.messages import OPERATOR_ACTIONS, OPERATOR_PUSHES, VISITOR_ACTIONS

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
names = st.sampled_from(sorted(set(OPERATOR_ACTIONS) | set(VISITOR_ACTIONS) | set(OPERATOR_PUSHES)))
# Frames that look almost right reach deeper than random text: a real envelope around random payloads.
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "v": st.sampled_from([1, 2, "1", None]),
        "type": st.sampled_from(["req", "res", "push", "x"]),
        "id": st.text(max_size=70) | st.integers(),
        "action": names | st.text(max_size=10),
        "seq": st.integers(min_value=-2, max_value=10) | st.none(),
        "ok": st.booleans() | st.none(),
        "payload": st.dictionaries(st.sampled_from(["chat_id", "text", "token", "visitor", "chat",
                                                    "fields", "purpose", "page", "message"]),
                                   json_values, max_size=4) | json_values,
        "error": json_values,
    },
)


def decodes_or_refuses(frame, endpoint, pending=None):
    try:
        decode(frame, endpoint, pending)
    except ProtocolError:
        pass


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes(frame):
    decodes_or_refuses(frame, Endpoint.OPERATOR)


@settings(max_examples=400)
@given(st.text(max_size=300))
def test_any_text(frame):
    decodes_or_refuses(frame, Endpoint.VISITOR)


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(envelopes, st.sampled_from(list(Endpoint)), st.booleans())
def test_almost_valid_envelopes(body, endpoint, with_pending):
    pending = {body["id"]: "chat.send"} if with_pending and isinstance(body.get("id"), str) else None
    decodes_or_refuses(json.dumps(body), endpoint, pending)
