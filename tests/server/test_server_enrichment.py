"""Enrichment from the bundled directory and a MaxMind reader, and whose X-Forwarded-For is believed."""

from __future__ import annotations

import ipaddress

import pytest

from operator_desk.domain.model import Location
from operator_desk.server.config import LOOPBACK_PROXIES
from operator_desk.server.enrichment import NOTHING, Directory, Enricher, Enrichment
from operator_desk.server.guard import forwarded_address
from tests.kit.clients import login
from tests.kit.servers import start
from tests.kit.visitors import arrive, consent


class FakeReader:
    """Stands in for maxminddb.Reader: writing a real .mmdb needs a writer library we do not ship."""

    def __init__(self, records):
        self.records = records
        self.closed = False

    def get(self, address):
        return self.records.get(address)

    def close(self):
        self.closed = True


def test_directory_and_maxmind_lookup():
    reader = FakeReader(
        {
            "81.2.69.142": {
                "country": {
                    "iso_code": "GB",
                    "names": {"en": "United Kingdom", "de": "Vereinigtes Königreich"},
                },
                "city": {"names": {"en": "London"}},
            },
            "192.0.2.5": {"country": {"iso_code": "US", "names": {"en": "United States"}}},
        }
    )
    enricher = Enricher(Directory.bundled(), reader)
    assert enricher.lookup("81.2.69.142") == Enrichment(
        location=Location(country="United Kingdom", country_code="GB", city="London"), company=None
    )
    # The bundled directory wins for its own (documentation and demo) ranges.
    assert enricher.lookup("192.0.2.5").company == "Spreewald Logistik GmbH"
    assert enricher.lookup("10.2.200.1").location.city == "Leeds"
    assert enricher.lookup("8.8.8.8") == NOTHING
    assert enricher.lookup("not an address") == NOTHING
    enricher.close()
    assert reader.closed


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the nearest hop is believed
        ("127.0.0.1", "198.51.100.1, 127.0.0.1", "198.51.100.1"),  # skipping our own proxies
        ("192.0.2.50", "203.0.113.9", "192.0.2.50"),  # not a trusted proxy: its header is ignored
        ("127.0.0.1", "garbage", "127.0.0.1"),
        ("127.0.0.1", None, "127.0.0.1"),
    ],
)
def test_forwarded_for_only_from_trusted_proxies(peer, forwarded, expected):
    trusted = tuple(ipaddress.ip_network(n) for n in LOOPBACK_PROXIES)
    assert forwarded_address(peer, forwarded, trusted) == expected


@pytest.mark.asyncio
async def test_forwarded_for_is_ignored_outside_demo_mode(tmp_path):
    async with await start(tmp_path) as server:
        await server.add_operator("ann", "pw", "operator")
        ann = await login(server, "ann", "pw")
        await ann.ok("visitors.subscribe")
        visitor = await arrive(server, ip="192.0.2.10")
        await consent(visitor, "visitor_insights", granted=True, method="prechat_form")
        seen = await ann.push("visitor.upsert", lambda p: p["visitor"]["insights"] is not None)
        assert seen["visitor"]["insights"]["ip"] == "127.0.0.1"
        assert seen["visitor"]["insights"]["company"] is None
