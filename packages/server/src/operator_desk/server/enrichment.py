"""Location and company from a visitor's address: the bundled directory, then (when configured) a
MaxMind database. Called only for visitors who granted ``visitor_insights``: the hub guarantees that."""

from __future__ import annotations

import ipaddress
import json
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from operator_desk.domain.model import Location

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Enrichment:
    location: Location | None = None
    company: str | None = None


NOTHING = Enrichment()


class Reader(Protocol):
    """What ``maxminddb.Reader`` offers that we use (a fake in tests)."""

    def get(self, address: str) -> Any: ...

    def close(self) -> None: ...


class Directory:
    """The bundled CIDR directory, longest prefix first."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        parsed = []
        for entry in entries:
            network = ipaddress.ip_network(entry["cidr"], strict=False)
            location = Location(
                country=entry.get("country"), country_code=entry.get("country_code"), city=entry.get("city")
            )
            parsed.append((network, Enrichment(location=location, company=entry.get("company"))))
        parsed.sort(key=lambda item: item[0].prefixlen, reverse=True)
        self._networks = parsed

    @classmethod
    def bundled(cls) -> Directory:
        text = resources.files(__package__).joinpath("directory.json").read_text("utf-8")
        return cls(json.loads(text)["networks"])

    def lookup(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> Enrichment | None:
        for network, enrichment in self._networks:
            if address.version == network.version and address in network:
                return enrichment
        return None


def from_maxmind_record(record: Any) -> Enrichment | None:
    """A GeoIP2/GeoLite2 City (or ASN/ISP) record as an Enrichment; ``None`` if it holds nothing."""
    if not isinstance(record, dict):
        return None
    country = record.get("country") or {}
    city = record.get("city") or {}
    names = country.get("names") or {}
    city_names = city.get("names") or {}
    location = None
    if names or city_names or country.get("iso_code"):
        location = Location(
            country=names.get("en"), country_code=country.get("iso_code"), city=city_names.get("en")
        )
    company = record.get("organization") or record.get("autonomous_system_organization")
    if location is None and company is None:
        return None
    return Enrichment(location=location, company=company)


class Enricher:
    def __init__(self, directory: Directory, reader: Reader | None = None) -> None:
        self._directory = directory
        self._reader = reader

    @classmethod
    def create(cls, maxmind_db: Path | None) -> Enricher:
        reader = None
        if maxmind_db is not None:
            import maxminddb

            reader = maxminddb.open_database(str(maxmind_db))
            logger.info("enrichment reads a MaxMind database")
        return cls(Directory.bundled(), reader)

    def lookup(self, ip: str) -> Enrichment:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return NOTHING
        found = self._directory.lookup(address)
        if found is not None:
            return found
        if self._reader is not None:
            try:
                from_db = from_maxmind_record(self._reader.get(str(address)))
            except (ValueError, OSError):
                logger.warning("MaxMind lookup failed")
                from_db = None
            if from_db is not None:
                return from_db
        return NOTHING

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
