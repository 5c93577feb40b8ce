"""Visitors are not tracked by the cyclic garbage collector: a desk holds up to 50,000 of them (five
objects each), and a full collection over them stopped its event loop for 150 ms and more. They hold
only text, numbers and each other (frozen), so they cannot be part of a cycle."""

from __future__ import annotations

import gc

import msgspec

from operator_desk.domain.model import ConsentFlags, Insights, Location, Page, Visitor, VisitorState


def test_a_visitor_and_what_it_holds_are_not_tracked_by_the_cyclic_collector():
    visitor = Visitor(
        id="v1", state=VisitorState.BROWSING, page=Page(url="https://shop.example/", title="Tents"),
        on_site_since="2026-11-29T10:00:00.000Z", consent=ConsentFlags(visitor_insights=True),
        insights=Insights(ip="192.0.2.1", location=Location(city="Lyon"), company="Acme"),
    )
    decoded = msgspec.json.decode(msgspec.json.encode(visitor), type=Visitor)   # as they come from the wire
    for each in (visitor, decoded):
        assert not any(gc.is_tracked(part) for part in
                       (each, each.page, each.consent, each.insights, each.insights.location))
