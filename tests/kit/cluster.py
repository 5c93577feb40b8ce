"""Several server nodes of one site: in-process nodes on the test's loop, each with a ``RedisBus`` of its
own to one real Redis (tests.kit.redis), all on the test's one PostgreSQL database (the ``database``
fixture of tests/server). The kit's team is added once: the accounts are the site's, in the shared
database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from operator_desk.server.embedded import RunningServer
from operator_desk.server.redis_bus import RedisBus
from tests.kit.servers import add_team, start


@asynccontextmanager
async def started_nodes(folder: Path, redis_url: str, names: tuple[str, ...] = ("a", "b"), *,
                        add_accounts: bool = True, **options: Any) -> AsyncIterator[list[RunningServer]]:
    """Nodes named ``names`` (their bus's node ids), started one after the other, and the kit's team
    unless ``add_accounts`` is False (a node joining a site that has them); ``options`` are
    ``ServerOptions`` fields for each (demo mode unless told otherwise)."""
    options.setdefault("demo", True)
    started: list[RunningServer] = []
    try:
        for name in names:
            bus = RedisBus(redis_url, node_id=name, block_ms=100)
            started.append(await start(folder / name, bus=bus, **options))
        if add_accounts:
            await add_team(started[0])
        yield started
    finally:
        for node in started:
            await node.close()
