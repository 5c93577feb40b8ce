"""The server's configuration: the defaults shipped in ``defaults.toml``, overridden by the site's file."""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from operator_desk.domain.model import MAX_CHAT_LIMIT, Purpose
from operator_desk.server.webhooks.settings import Receiver, ReceiverError, receivers

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEMO_ORIGIN_PATTERNS = ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")
LOOPBACK_PROXIES = ("127.0.0.0/8", "::1/128")


class ConfigError(Exception):
    """The configuration file is missing, not TOML, or holds a value the server cannot use."""


@dataclass(frozen=True, slots=True)
class NoticeText:
    key: str
    language: str
    title: str
    purposes: tuple[Purpose, ...]
    # The site's own opening words (optional); the rest of the body and the summary are composed from
    # [controller], [purposes] and [retention] (server.notice_text) before the notice is published.
    intro: str = ""
    # When this text is published as a new version: does it ask for consent again (consents to
    # earlier versions then stop counting)? A correction of a typo may say no.
    fresh_consent: bool = True
    summary: str = ""
    body: str = ""

    @property
    def notice_id(self) -> str:
        # One id per language: a consent event names the exact text the visitor read.
        return f"{self.key}-{self.language}"


@dataclass(frozen=True, slots=True)
class Controller:
    """Who is responsible for the visitors' data (the controller) and how to reach them; every notice
    names them. ``address`` and ``email`` are required; the rest where there is one."""

    name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    dpo_name: str = ""
    dpo_email: str = ""
    # The supervisory authority a visitor may complain to (an example the notice names).
    authority: str = ""
    authority_url: str = ""


@dataclass(frozen=True, slots=True)
class PurposeText:
    """What one purpose involves, in one language, as the notice tells it."""

    data: str
    why: str
    legal_basis: str
    recipients: str


# The demo shop's controller (``--demo``), so that the demo's notices say all the law asks them to.
DEMO_CONTROLLER = Controller(
    name="Northwind Outfitters GmbH",
    address="Hafenstraße 1, 20457 Hamburg, Germany",
    email="privacy@northwind.example",
    phone="+49 40 555 0100",
    dpo_name="Dana Schutz",
    dpo_email="dpo@northwind.example",
    authority="Der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit",
    authority_url="https://datenschutz-hamburg.de",
)


@dataclass(frozen=True, slots=True)
class Retention:
    transcripts_days: float = 30
    received_details_days: float = 7
    visitor_insights_days: float = 1
    # The erasure journal (tombstones for offline desks) is kept much longer than anything it
    # tombstones: a desk offline for longer than this cannot catch up and clears its cache instead.
    erasure_journal_days: float = 400


# The actions a site may reserve for two supervisors (four eyes; docs/server.md "Data-subject requests").
APPROVABLE_ACTIONS = ("subjects.erase", "subjects.export")


@dataclass(frozen=True, slots=True)
class Routing:
    # [routing]: how long an offer of a new chat waits for its operator before it goes to the next, and
    # how many chats an operator has open at most (offers and their own accepts).
    offer_seconds: float = 20.0
    chat_limit: int = 4   # the site's; an account may have its own (operators.chat_limit)
    # [routing.page_teams]: chats started on a page whose URL starts with a prefix go to that team
    # (the longest prefix wins; a widget's data-team comes first). (prefix, team id) pairs.
    page_teams: tuple[tuple[str, str], ...] = ()

    def team_for_page(self, url: str) -> str | None:
        matches = [(len(prefix), team) for prefix, team in self.page_teams if url.startswith(prefix)]
        return max(matches)[1] if matches else None


@dataclass(frozen=True, slots=True)
class Approvals:
    # Actions done only once a second supervisor approves them ([approvals] required).
    required: tuple[str, ...] = ("subjects.erase",)
    # An unapproved request expires after this many hours.
    expire_after_hours: float = 168

    def needed_for(self, action: str) -> bool:
        return action in self.required


@dataclass(frozen=True, slots=True)
class Limits:
    """Every bound a remote party meets ([limits] in the configuration; see docs/server.md, "Limits").
    Rates are per second, bursts in requests; "per visitor" counts all of a visitor's tabs together."""

    # Requests on one connection, any action, and from one client address, all connections together.
    requests_per_second: float = 20.0
    requests_burst: int = 60
    address_requests_per_second: float = 200.0
    address_requests_burst: int = 600
    # Per visitor: messages (chat.start, chat.send), changes (consent.set, details.*, chat.end and any
    # action without a class of its own), typing, page views.
    messages_per_second: float = 1.0
    messages_burst: int = 15
    changes_per_second: float = 1.0
    changes_burst: int = 20
    typing_per_second: float = 5.0
    typing_burst: int = 10
    pages_per_second: float = 2.0
    pages_burst: int = 20
    # New visitors (a hello without a known token) per client address.
    new_visitors_per_minute: float = 30.0
    new_visitors_burst: int = 30
    # Refusals in a row (rate_limited) after which a connection is closed (1008).
    refusals_before_close: int = 20
    # The first request (visitor.hello) must come within this many seconds (auth.login: login_deadline).
    first_message_deadline: float = 10.0
    # Sockets: the opening handshake must be done within open_timeout; at most pending_per_address
    # sockets of one address may be in their handshake, and connections_per_address WebSocket
    # connections of one client address be open, on each endpoint.
    open_timeout: float = 5.0
    pending_per_address: int = 16
    connections_per_address: int = 64
    # A session's replay buffer and a connection's send queue, in bytes (as well as in pushes or frames).
    replay_bytes: int = 8 * 1024 * 1024
    send_queue_bytes: int = 16 * 1024 * 1024
    # Keepalive: every connection is pinged this often (seconds) and closed when no pong comes within
    # ping_timeout, so a peer that vanished (a laptop closed, a network gone) does not stay online.
    # Visitors less often than operators: the widget pings the server itself every 25 s, and each
    # server ping is a task wake-up, two frames and a timer (at 10,000 visitors and 20 s, 500 a second).
    operator_ping_interval: float = 20.0
    visitor_ping_interval: float = 60.0
    ping_timeout: float = 20.0


@dataclass(frozen=True, slots=True)
class SimulatorPacing:
    think_min: float = 2.0
    think_max: float = 8.0
    reply_delay: float = 1.5


@dataclass(frozen=True, slots=True)
class ServerConfig:
    name: str = "Operator Desk reference server"
    allowed_origins: tuple[str, ...] = ()
    # Browser origins allowed on /v1/operator ([origins] operators): none by default.
    operator_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[IpNetwork, ...] = ()
    retention: Retention = Retention()
    detail_fields: tuple[str, ...] = ()
    maxmind_db: Path | None = None
    # [database] key_file: the database key outside the data folder (see dbfile.key_path).
    key_file: Path | None = None
    # [database] url: a postgresql:// URL, or a SQLCipher file's path (see dbfile.database_location).
    database: str | None = None
    # [bus] url: the bus that joins this node to the site's others (bus.bus_location); None: alone.
    bus: str | None = None
    simulator: SimulatorPacing = SimulatorPacing()
    limits: Limits = Limits()
    notices: tuple[NoticeText, ...] = field(default=())
    controller: Controller = Controller()
    purpose_texts: dict[tuple[Purpose, str], PurposeText] = field(default_factory=dict)
    approvals: Approvals = Approvals()
    routing: Routing = Routing()
    # [masking] patterns: the site's own regular expressions masked out of chat text, besides card
    # numbers (domain.masking).
    masking_patterns: tuple[str, ...] = ()
    # [[webhooks]]: the site's receivers (a CRM), docs/webhooks.md.
    webhooks: tuple[Receiver, ...] = ()

    def with_demo(self) -> ServerConfig:
        """Demo mode: loopback pages may host the widget and loopback may forward addresses (the
        simulator gives each simulated visitor its own address that way)."""
        from dataclasses import replace

        return replace(
            self,
            allowed_origins=self.allowed_origins + DEMO_ORIGIN_PATTERNS,
            trusted_proxies=self.trusted_proxies + tuple(_networks(LOOPBACK_PROXIES, "demo")),
            controller=self.controller if self.controller.name else DEMO_CONTROLLER,
        )


def load_config(path: Path | None = None) -> ServerConfig:
    defaults = tomllib.loads(resources.files(__package__).joinpath("defaults.toml").read_text("utf-8"))
    if path is not None:
        try:
            site = tomllib.loads(Path(path).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read the configuration file {path}: {exc}") from exc
        defaults = _merge(defaults, site)
    return _build(defaults)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value  # lists (notices among them) replace the default as a whole
    return merged


def _networks(values: Any, where: str) -> list[IpNetwork]:
    try:
        return [ipaddress.ip_network(str(value), strict=False) for value in values]
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


# Settings of [limits] that were renamed: a configuration file written for an older server still says so.
RENAMED_LIMITS = {"outbox_bytes": "send_queue_bytes"}


def _limits(values: dict[str, Any]) -> Limits:
    values = {RENAMED_LIMITS.get(name, name): value for name, value in values.items()}
    kinds = {name: type(getattr(Limits(), name)) for name in Limits.__dataclass_fields__}
    unknown = sorted(set(values) - set(kinds))
    if unknown:
        raise ConfigError(f"[limits]: unknown settings {', '.join(unknown)}")
    return Limits(**{name: kinds[name](value) for name, value in values.items()})


def _approvals(table: dict[str, Any]) -> Approvals:
    required = tuple(str(action) for action in table.get("required", Approvals.required))
    unknown = sorted(set(required) - set(APPROVABLE_ACTIONS))
    if unknown:
        raise ConfigError(f"approvals.required: {', '.join(unknown)} cannot need approval "
                          f"(possible: {', '.join(APPROVABLE_ACTIONS)})")
    hours = float(table.get("expire_after_hours", Approvals.expire_after_hours))
    if hours <= 0:
        raise ConfigError("approvals.expire_after_hours must be more than 0")
    return Approvals(required=required, expire_after_hours=hours)


def _routing(table: dict[str, Any]) -> Routing:
    offer_seconds = float(table.get("offer_seconds", Routing.offer_seconds))
    chat_limit = int(table.get("chat_limit", Routing.chat_limit))
    if offer_seconds <= 0:
        raise ConfigError("routing.offer_seconds must be more than 0")
    if not 1 <= chat_limit <= MAX_CHAT_LIMIT:
        raise ConfigError(f"routing.chat_limit must be 1 to {MAX_CHAT_LIMIT}")
    pages = table.get("page_teams", {})
    if not isinstance(pages, dict) or not all(isinstance(t, str) and t for t in pages.values()):
        raise ConfigError('routing.page_teams maps URL prefixes to team ids, as in '
                          '"https://shop.example/b2b/" = "sales"')
    return Routing(offer_seconds=offer_seconds, chat_limit=chat_limit,
                   page_teams=tuple((str(prefix), team) for prefix, team in pages.items()))


def _masking_patterns(table: dict[str, Any]) -> tuple[str, ...]:
    patterns = tuple(str(pattern) for pattern in table.get("patterns", []))
    for pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"masking.patterns: {pattern!r} is not a regular expression ({exc})") from exc
        if compiled.match(""):
            raise ConfigError(f"masking.patterns: {pattern!r} matches empty text")
    return patterns


def _build(data: dict[str, Any]) -> ServerConfig:
    try:
        retention = Retention(**{k: float(v) for k, v in data.get("retention", {}).items()})
        if retention.erasure_journal_days <= retention.transcripts_days:
            raise ConfigError("retention.erasure_journal_days must be longer than "
                              "retention.transcripts_days: offline desks catch up on erasures from it")
        pacing = SimulatorPacing(**{k: float(v) for k, v in data.get("simulator", {}).items()})
        limits = _limits(data.get("limits", {}))
        notices = []
        for entry in data.get("notices", []):
            purposes = tuple(Purpose(p) for p in entry["purposes"])
            for language, text in entry["text"].items():
                notices.append(
                    NoticeText(
                        key=str(entry["key"]),
                        language=str(language),
                        title=str(text["title"]),
                        # "body" is what older configurations called the site's own text.
                        intro=str(text.get("intro", text.get("body", ""))),
                        purposes=purposes,
                        fresh_consent=bool(entry.get("fresh_consent", True)),
                    )
                )
        controller = Controller(**{k: str(v) for k, v in data.get("controller", {}).items()})
        purpose_texts = {
            (Purpose(purpose), str(language)): PurposeText(**{k: str(v) for k, v in text.items()})
            for purpose, languages in data.get("purposes", {}).items()
            for language, text in languages.items()
        }
        approvals = _approvals(data.get("approvals", {}))
        routing = _routing(data.get("routing", {}))
        masking_patterns = _masking_patterns(data.get("masking", {}))
        try:
            webhooks = receivers(data.get("webhooks", []))
        except ReceiverError as exc:
            raise ConfigError(str(exc)) from exc
        maxmind = str(data.get("enrichment", {}).get("maxmind_db", "")).strip()
        key_file = str(data.get("database", {}).get("key_file", "")).strip()
        database = str(data.get("database", {}).get("url", "")).strip()
        bus = str(data.get("bus", {}).get("url", "")).strip()
        return ServerConfig(
            name=str(data.get("server", {}).get("name", ServerConfig.name)),
            allowed_origins=tuple(str(o) for o in data.get("origins", {}).get("allowed", [])),
            operator_origins=tuple(str(o) for o in data.get("origins", {}).get("operators", [])),
            trusted_proxies=tuple(_networks(data.get("proxies", {}).get("trusted", []), "proxies.trusted")),
            retention=retention,
            detail_fields=tuple(str(f) for f in data.get("details", {}).get("fields", [])),
            maxmind_db=Path(maxmind) if maxmind else None,
            key_file=Path(key_file) if key_file else None,
            database=database or None,
            bus=bus or None,
            simulator=pacing,
            limits=limits,
            notices=tuple(notices),
            controller=controller,
            purpose_texts=purpose_texts,
            approvals=approvals,
            routing=routing,
            masking_patterns=masking_patterns,
            webhooks=webhooks,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"invalid configuration: {exc!r}") from exc
