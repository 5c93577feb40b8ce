"""Several server nodes of one site: in-process nodes on the test's loop, each with a bus of its own to
one real Redis (tests.kit.redis), all on the test's one PostgreSQL database (the ``database`` fixture of
tests/server). The kit's team is added once: the accounts are the site's, in the shared database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from operator_desk.server.bus import Deliver, Event, HistoryLost
from operator_desk.server.embedded import RunningServer
from operator_desk.server.redis_bus import RedisBus
from tests.kit.servers import add_team, start
from tests.kit.timing import WAIT


class WatchedBus(RedisBus):
    """A node's ``RedisBus`` that sets ``applied`` each time the node has applied an event (or been told
    its history was lost): what a node does with the bus's events comes with nothing else to wait on."""

    def __init__(self, url: str, applied: asyncio.Event, **options: Any) -> None:
        super().__init__(url, **options)
        self.applied = applied

    async def start(self, deliver: Deliver, history_lost: HistoryLost) -> None:
        def delivered(event: Event) -> None:
            try:
                deliver(event)
            finally:
                self.applied.set()

        def lost(reason: str) -> None:
            try:
                history_lost(reason)
            finally:
                self.applied.set()

        await super().start(delivered, lost)


class Site(list[RunningServer]):
    """The nodes, in the order they started; ``until`` waits for what they apply from the bus."""

    def __init__(self) -> None:
        super().__init__()
        self.applied = asyncio.Event()

    async def until(self, condition: Callable[[], bool], *, within: float = WAIT) -> None:
        """Until ``condition`` (about the nodes' live state) holds, checked after each event a node
        applied."""
        async def scan() -> None:
            while not condition():
                self.applied.clear()
                await self.applied.wait()
        await asyncio.wait_for(scan(), within)


class SplitSite:
    """Two nodes seen as one server by a test written for one: visitors connect to the first node,
    operators to the second, so that everything between them crosses the bus; the rest (the shared
    database, the hub holding the operators' sessions) is the operators' node's."""

    def __init__(self, visitors_node: RunningServer, operators_node: RunningServer) -> None:
        self.visitors_node = visitors_node
        self.operators_node = operators_node
        self.visitor_url = visitors_node.visitor_url
        self.operator_url = operators_node.operator_url

    def __getattr__(self, name: str) -> Any:
        return getattr(self.operators_node, name)


async def across(server: RunningServer | SplitSite) -> None:
    """Of a ``SplitSite``: what its visitors' node published so far is in the bus's stream and applied
    on its operators' node (for a test that looks at a moment of its choosing, a held feed clock's
    tick); nothing for one node, which applies each change at once."""
    if isinstance(server, SplitSite):
        await server.visitors_node.hub.bus.flush()
        await server.operators_node.hub.bus.caught_up()


def visitors_node(server: RunningServer | SplitSite) -> RunningServer:
    """The node a test's visitors connect to: the server itself, or a ``SplitSite``'s visitors' node
    (a test that reaches into the hub that holds its visitors)."""
    return server.visitors_node if isinstance(server, SplitSite) else server


def site_key_file(folder: Path) -> Path:
    """The key file every node of ``started_nodes(folder, ...)`` holds (the first node makes it)."""
    return folder / "site.key"


def node_data(folder: Path, name: str) -> Path:
    """The data folder of node ``name`` of ``started_nodes(folder, ...)``."""
    return folder / name / "data"


@asynccontextmanager
async def started_nodes(folder: Path, redis_url: str, names: tuple[str, ...] = ("a", "b"), *,
                        add_accounts: bool = True, **options: Any) -> AsyncIterator[Site]:
    """Nodes named ``names`` (their bus's node ids), started one after the other, and the kit's team
    unless ``add_accounts`` is False (a node joining a site that has them); ``options`` are
    ``ServerOptions`` fields for each (demo mode unless told otherwise)."""
    options.setdefault("demo", True)
    # Every node of a site holds the same key file: it wraps the person keys in the shared database
    # (docs/scaling.md, "Erasure on PostgreSQL"); the first node makes it.
    options.setdefault("key_file", site_key_file(folder))
    site = Site()
    try:
        for name in names:
            bus = WatchedBus(redis_url, site.applied, node_id=name, block_ms=100)
            site.append(await start(folder / name, bus=bus, **options))
        if add_accounts:
            await add_team(site[0])
        yield site
    finally:
        for node in site:
            await node.close()
