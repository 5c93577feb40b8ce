"""Run the server inside the caller's asyncio loop: the command line, the desktop app's demo mode
(a qasync loop) and tests all start it here. No signal handlers, no ``asyncio.run``, and nothing that
blocks the loop: file and database work goes to threads.

    server = await start_server(ServerOptions(data_dir=path, demo=True))
    print(server.url, server.widget_url)
    await server.add_operator("ann", "secret", Role.OPERATOR, "Ann")
    await server.close()
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import OperatorInfo, Role
from operator_desk.protocol import MAX_FRAME_BYTES
from operator_desk.server import __version__, accounts, auth, logsummary, repository, retention, teams
from operator_desk.server.bus import Bus, bus_location, open_bus
from operator_desk.server.colleagues import COLLEAGUES, ColleaguePacing, Colleagues
from operator_desk.server.config import ConfigError, Limits, ServerConfig, SimulatorPacing, load_config
from operator_desk.server.crowd import Crowd
from operator_desk.server.db import Database, is_postgresql_url
from operator_desk.server.dbfile import database_location, key_path
from operator_desk.server.enrichment import Enricher
from operator_desk.server.guard import Guard
from operator_desk.server.http import OPERATOR_PATH, VISITOR_PATH, HttpRoutes, load_widget_files
from operator_desk.server.hub import Hub, Settings, new_id
from operator_desk.server.notice_text import compose_notices
from operator_desk.server.operator_endpoint import OperatorEndpoint
from operator_desk.server.simulator import Simulator
from operator_desk.server.sockets import Sockets, file_limit, guarded_connection
from operator_desk.server.stats import LoadStats
from operator_desk.server.visitor_endpoint import VisitorEndpoint
from operator_desk.server.webhooks import outbox as webhook_outbox
from operator_desk.server.webhooks.delivery import Dispatcher

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "demo"
DEMO_ACCOUNTS = (
    ("supervisor", "Sam Supervisor", Role.SUPERVISOR),
    # A second supervisor: an erasure needs one to ask and another to approve (four eyes).
    ("dpo", "Dana Schutz", Role.SUPERVISOR),
    ("lead", "Lee Lead", Role.TEAM_LEAD),
    ("operator", "Olu Operator", Role.OPERATOR),
)
# The demo's team (a department with its queue and canned responses): the lead and the operator.
DEMO_TEAM = ("support", "Support", ("lead", "operator"))
RETENTION_INTERVAL = 3600.0
# Loggers whose records repeat when the machine fails (a full disk, no file descriptors left) or as often
# as a remote party likes (a refused connection, a slow reader): logged as a summary, at most one of a
# kind a minute (logsummary.py), so nobody outside makes the log grow without bound.
REPEATING_LOGGERS = (
    "asyncio",
    "websockets.server",
    "operator_desk.server.db",
    "operator_desk.server.sqlcipher_engine",
    "operator_desk.server.embedded",
    "operator_desk.server.enrichment",
    "operator_desk.server.guard",
    "operator_desk.server.http",
    "operator_desk.server.operator_endpoint",
    "operator_desk.server.send_queue",
    "operator_desk.server.request_loop",
    # A Redis away: its warning comes again every few seconds while the outage lasts.
    "operator_desk.server.shared_limits",
    "operator_desk.server.sockets",
    "operator_desk.server.visitor_endpoint",
)
SHUTDOWN_GRACE = 2.0


@dataclass(frozen=True, slots=True)
class ServerOptions:
    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 0
    demo: bool = False
    simulate: int = 0
    # With demo: this many more visitors held in the hub itself, browsing (crowd.py), and their page
    # changes a second in all.
    crowd: int = 0
    crowd_page_changes: float = 0.0
    config_path: Path | None = None
    certfile: Path | None = None
    keyfile: Path | None = None
    # Timings a test shortens (login deadline, replay buffer, visitor grace period).
    settings: Settings | None = None
    # Overrides the configuration's [simulator] pacing (the benchmark drives it hard).
    simulator_pacing: SimulatorPacing | None = None
    # With demo: the demo team's simulated colleagues sign in and take the chats routed to them
    # (colleagues.py); their pacing (None: the default).
    colleagues: bool = False
    colleague_pacing: ColleaguePacing | None = None
    # Overrides the configuration's [limits] (a test that floods on purpose).
    limits: Limits | None = None
    # Log load figures (loop lag, requests and pushes per second, database queue) every so many seconds.
    stats_interval: float | None = None
    # The database key file (``serve --key-file``); else the configuration's, else DATA/server.key.
    key_file: Path | None = None
    # ``serve --database``: a postgresql:// URL or a SQLCipher file; else the configuration's, else
    # DATA/server.db (dbfile.database_location).
    database: str | None = None
    # The process environment, for OPERATOR_DESK_KEY_FILE and systemd's CREDENTIALS_DIRECTORY: given by
    # the command line only, so that an embedded server (the desk's demo) is not steered by variables
    # meant for a real one.
    environ: Mapping[str, str] | None = None
    # The bus to the site's other nodes (bus.py), started by the server; None: the one ``bus_url`` names.
    bus: Bus | None = None
    # ``serve --bus``: a redis:// URL; else OPERATOR_DESK_BUS, else the configuration's; None: alone.
    bus_url: str | None = None


def _pin_websockets_logger() -> None:
    # At DEBUG websockets logs frame payloads: message text, names, addresses. Never below INFO.
    ws_logger = logging.getLogger("websockets")
    if ws_logger.level < logging.INFO:
        ws_logger.setLevel(logging.INFO)


class RunningServer:
    """A started server. ``async with`` closes it."""

    def __init__(
        self,
        options: ServerOptions,
        config: ServerConfig,
        db: Database,
        hub: Hub,
        enricher: Enricher,
        ws_server: Server,
    ) -> None:
        self.options = options
        self.config = config
        self.db = db
        self.hub = hub
        self._enricher = enricher
        self._ws_server = ws_server
        sockname = ws_server.sockets[0].getsockname()
        self.host: str = options.host
        self.port: int = int(sockname[1])
        self.tls = options.certfile is not None
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"{'wss' if self.tls else 'ws'}://{host}:{self.port}"
        self.widget_url = f"{'https' if self.tls else 'http'}://{host}:{self.port}/widget/"
        self.operator_url = self.url + OPERATOR_PATH
        self.visitor_url = self.url + VISITOR_PATH
        self.simulator: Simulator | None = None
        self.crowd: Crowd | None = None
        self.colleagues: Colleagues | None = None
        self._closed = False
        self._unsummarise_logs = logsummary.install(REPEATING_LOGGERS)

    async def add_operator(
        self, username: str, password: str, role: Role | str, name: str | None = None
    ) -> OperatorInfo:
        """Create an operator account; ``repository.AlreadyExists`` if the username is taken."""
        return await add_operator(self.db, username, password, Role(role), name)

    async def add_team(self, team_id: str, name: str, *usernames: str) -> None:
        """A team with these accounts in it, as ``operator-desk-server accounts add-team`` and
        ``set-team`` make one (it applies from each account's next sign-in)."""
        await self.db.call(accounts.add_team, team_id, name)
        for username in usernames:
            await self.db.call(accounts.set_team, username, team_id)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        hub = self.hub
        hub.closing = True
        # Stop accepting before telling anyone to reconnect: a desk told "backoff" below may come back
        # within the drain, and a connection accepted as the listener closes is leaked by asyncio on
        # 3.11 (Server._attach asserts, and the accepted socket is never closed).
        self._ws_server.server.close()
        hub.cancel_timers()
        if self.crowd is not None:
            await self.crowd.stop()
        if self.simulator is not None:
            await self.simulator.stop()
        if self.colleagues is not None:
            await self.colleagues.stop()
        send_queues = []
        for session in list(hub.sessions.values()):
            if session.send_queue is not None:
                send_queues.append(session.send_queue)
                hub.end_session(session, "server shutting down", "backoff", code=1001)
        if send_queues:
            await asyncio.wait([asyncio.ensure_future(q.drained()) for q in send_queues],
                               timeout=SHUTDOWN_GRACE)
        self._ws_server.close()
        await self._ws_server.wait_closed()
        await hub.cancel_tasks()
        await hub.bus.close()
        await self.db.close()
        self._enricher.close()
        logger.info("server stopped")
        self._unsummarise_logs()

    async def __aenter__(self) -> RunningServer:
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.close()


async def add_operator(
    db: Database, username: str, password: str, role: Role, name: str | None
) -> OperatorInfo:
    info = OperatorInfo(id=new_id("op"), name=name or username, role=role)
    password_hash = await asyncio.to_thread(auth.hash_password, password)
    await db.call(repository.add_operator, info, username, password_hash, now_ts())
    return info


def add_operator_sync(
    data_dir: Path,
    username: str,
    password: str,
    role: Role,
    name: str | None,
    *,
    key_file: Path | None = None,
    config_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
    database: str | None = None,
) -> OperatorInfo:
    """For the command line: blocking, outside any loop. The database and its key are found as
    ``serve`` finds them."""
    config = load_config(config_path)
    key_file = key_path(data_dir, explicit=key_file, configured=config.key_file, environ=environ)
    location = database_location(explicit=database, configured=config.database, environ=environ)
    db = Database.open(data_dir, key_file, location)
    try:
        info = OperatorInfo(id=new_id("op"), name=name or username, role=role)
        db.run_sync(repository.add_operator, info, username, auth.hash_password(password), now_ts())
        return info
    finally:
        db.close_sync()


def _ssl_context(certfile: Path, keyfile: Path | None) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(certfile), str(keyfile) if keyfile else None)
    return context


async def _create_demo_accounts(db: Database, colleagues: bool) -> None:
    extra = tuple((username, name, Role.OPERATOR) for username, name in COLLEAGUES) if colleagues else ()
    created = set()
    for username, name, role in (*DEMO_ACCOUNTS, *extra):
        if await db.call(repository.operator_by_username, username) is None:
            await add_operator(db, username, DEMO_PASSWORD, role, name)
            created.add(username)
    team_id, team_name, usernames = DEMO_TEAM
    if await db.call(teams.team, team_id) is None:
        await db.call(accounts.add_team, team_id, team_name)
        created.update(usernames)
    # The team's members: the lead, the operator and the simulated colleagues (a team of five operators).
    for username in (*usernames, *(username for username, _, _ in extra)):
        if username in created:
            await db.call(accounts.set_team, username, team_id)


async def _every(interval: float, job: Any) -> None:
    """Run ``job`` every ``interval`` seconds; a failure (the disk full, say) is logged, and the next
    run comes as planned."""
    while True:
        await asyncio.sleep(interval)
        try:
            await job()
        except Exception as exc:
            logger.warning("%s failed: %s", getattr(job, "__name__", "a periodic job"), exc)


async def start_server(options: ServerOptions) -> RunningServer:
    _pin_websockets_logger()
    config = await asyncio.to_thread(load_config, options.config_path)
    if options.demo:
        config = config.with_demo()
    if options.limits is not None:
        config = dataclasses.replace(config, limits=options.limits)
    # Refused here, before anything is opened, when a notice would not name the controller.
    notice_texts = compose_notices(config)
    data_dir = Path(options.data_dir)
    key_file = key_path(
        data_dir, explicit=options.key_file, configured=config.key_file, environ=options.environ
    )
    location = database_location(
        explicit=options.database, configured=config.database, environ=options.environ
    )
    bus = options.bus
    bus_url = bus_location(explicit=options.bus_url, configured=config.bus, environ=options.environ)
    if bus is None and bus_url is not None:
        bus = open_bus(bus_url)
    if bus is not None and not bus.alone and not (location and is_postgresql_url(location)):
        raise ConfigError(
            "several nodes (--bus) must share one PostgreSQL database (--database postgresql://...): a "
            "SQLCipher file belongs to one node, and nodes on files of their own would each hold a part "
            "of the site's chats, consents and erasures")
    settings = options.settings or Settings()
    db = await asyncio.to_thread(Database.open, data_dir, key_file, location, settings.checkpoint_interval)
    try:
        # Changes write facts for the webhooks only while receivers are configured.
        await db.call(webhook_outbox.set_enabled, bool(config.webhooks))
        now = now_ts()
        open_chats = await db.call(repository.open_chats, now)
        notices = await db.call(repository.publish_notices, notice_texts, now)
        counts = await db.call(retention.purge, config.retention)
        logger.info("retention purge at start removed %s", counts)
        if options.demo:
            await _create_demo_accounts(db, options.colleagues)
        enricher = await asyncio.to_thread(Enricher.create, config.maxmind_db)
        widget_files = await asyncio.to_thread(load_widget_files)
        hub = Hub(db, config, enricher, notices, settings, __version__, bus)
        await hub.join_bus()
        if hub.bus.alone:
            # One node carries on the chats its previous run left open. Of several nodes, none does at
            # start: the chats open in the shared database are held by the nodes their visitors are
            # connected to (docs/scaling.md, "What each node keeps").
            hub.restore_open_chats(open_chats)
        # Of several nodes, the rates and connections of an address and of a visitor are the site's
        # (docs/scaling.md, "Limits across nodes").
        shared = hub.bus.shared_limits()
        sockets = Sockets(config.limits, config.trusted_proxies, file_limit(), shared)
        guard = Guard(config.limits, sockets, shared=shared)
        if shared is not None:
            hub.spawn(_every(hub.settings.node_heartbeat, partial(shared.refresh, sockets.connections)),
                      "shared-connections")
        login_limiter = auth.LoginLimiter()
        hub.cluster.login_limiter = login_limiter   # attempts on the site's other nodes count here too
        operators = OperatorEndpoint(hub, login_limiter, guard)
        visitors = VisitorEndpoint(hub, guard)
        routes = HttpRoutes(
            config.allowed_origins, options.certfile is not None, widget_files, config.operator_origins
        )
        ssl_context = None
        if options.certfile is not None:
            ssl_context = await asyncio.to_thread(_ssl_context, options.certfile, options.keyfile)

        async def handler(connection: ServerConnection) -> None:
            path = connection.request.path.split("?", 1)[0] if connection.request else ""
            if path == OPERATOR_PATH:
                await operators.serve(connection)
            elif path == VISITOR_PATH:
                await visitors.serve(connection)

        ws_server = await serve(
            handler,
            options.host,
            options.port,
            process_request=routes.process_request,
            max_size=MAX_FRAME_BYTES,
            # No permessage-deflate: see "Compression" in docs/server.md (a length side channel under
            # TLS, and a zlib context per connection that costs memory and CPU at every frame).
            compression=None,
            ssl=ssl_context,
            # Sockets counted from the moment they are accepted; the handshake has a deadline.
            create_connection=guarded_connection(sockets),
            open_timeout=config.limits.open_timeout,
            # Keepalive: operators' interval here; visitors get theirs once their path is known
            # (sockets.guarded_connection).
            ping_interval=config.limits.operator_ping_interval,
            ping_timeout=config.limits.ping_timeout,
            logger=logging.getLogger("websockets.server"),
        )
    except BaseException:
        if bus is not None:
            await bus.close()
        await db.close()
        raise
    server = RunningServer(options, config, db, hub, enricher, ws_server)

    async def purge() -> None:
        removed = await db.call(retention.purge, config.retention)
        logger.info("hourly retention purge removed %s", removed)

    async def expire_sessions() -> None:
        hub.expire_detached_sessions()

    hub.spawn(_every(RETENTION_INTERVAL, purge), "retention")
    hub.spawn(_every(30.0, expire_sessions), "session-expiry")
    hub.spawn(_every(hub.settings.token_check_interval, hub.end_sessions_whose_token_ended), "token-check")
    if config.webhooks:
        hub.webhooks = Dispatcher(db, config.webhooks, lambda: hub.counts_from, hub.settings.webhook_poll)
        hub.webhooks.start(hub.spawn)
    if options.stats_interval:
        hub.spawn(LoadStats(hub, db, options.stats_interval).run(), "stats")
    if options.simulate > 0:
        server.simulator = Simulator(
            server.visitor_url,
            options.simulate,
            options.simulator_pacing or config.simulator,
            ssl_context=None if not server.tls else _client_ssl_context(),
        )
        server.simulator.start()
    if options.demo and options.crowd > 0:
        server.crowd = Crowd(hub, options.crowd, options.crowd_page_changes)
        server.crowd.start()
    if options.demo and options.colleagues:
        server.colleagues = Colleagues(server.operator_url, COLLEAGUES, DEMO_PASSWORD,
                                       options.colleague_pacing)
        server.colleagues.start()
    logger.info("server listening on port %d", server.port)
    return server


def _client_ssl_context() -> ssl.SSLContext:
    # The simulator talks to this very server over loopback; its certificate may be self-signed.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
