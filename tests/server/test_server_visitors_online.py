"""The hub's visitors online are found by the digest of their token as well as by id (a hello with a
token no longer scans every visitor online), and that index follows every change of who is online."""

from __future__ import annotations

import pytest

from operator_desk.domain.model import Page
from operator_desk.server.hub import LiveVisitor, VisitorsOnline

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too


def visitor(visitor_id: str, digest: str) -> LiveVisitor:
    return LiveVisitor(id=visitor_id, token_digest=digest, ip="192.0.2.1", language=None,
                       on_site_since="2026-12-01T10:00:00.000Z",
                       page=Page(url="http://shop.example/", title=""))


def test_the_token_index_follows_arrivals_departures_and_replacements():
    online = VisitorsOnline()
    ada, bea = visitor("v1", "d1"), visitor("v2", "d2")
    online[ada.id] = ada
    online[bea.id] = bea
    assert online.with_token("d1") is ada and online.with_token("d2") is bea
    del online[ada.id]
    assert online.with_token("d1") is None and online.with_token("d2") is bea
    assert online.pop(bea.id) is bea and online.pop("v9", None) is None
    assert online.with_token("d2") is None and not online
    again = visitor("v1", "d3")   # the same id under another token (a restart carried it over, say)
    online["v1"] = visitor("v1", "d1")
    online["v1"] = again
    assert online.with_token("d1") is None and online.with_token("d3") is again


@pytest.mark.parametrize("change", ["clear", "popitem", "setdefault", "update"])
def test_changes_that_would_bypass_the_index_are_refused(change):
    online = VisitorsOnline()
    online["v1"] = visitor("v1", "d1")
    with pytest.raises(TypeError):
        getattr(online, change)()
    assert online.with_token("d1") is online["v1"]
