"""Fixtures of the server tests: a demo-mode server started in-process on 127.0.0.1, port 0, and the
server's command line beside it (tests.kit.servers).

Every test here runs twice, once on each storage engine: on the SQLCipher file, and on PostgreSQL
(a cluster the tests start, tests.kit.postgres). A test about the SQLCipher file itself (a wrong key,
damaged pages, its migrations from older files) is marked ``sqlcipher_only`` and says why; one about
PostgreSQL itself, ``postgresql_only``. A test of the protocol marked ``two_nodes_too`` runs a third
time against two nodes of one site on PostgreSQL and Redis (tests.kit.cluster): its visitors on one
node, its operators on the other."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from operator_desk.server import dbfile
from operator_desk.server.embedded import RunningServer
from tests.kit.cluster import Site, SplitSite, node_data, site_key_file, started_nodes
from tests.kit.redis import RedisServer
from tests.kit.servers import Admin, add_team, start

ENGINES = ("sqlcipher", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database" in metafunc.fixturenames:
        only = [engine for engine in ENGINES if metafunc.definition.get_closest_marker(f"{engine}_only")]
        # Only a test that runs against ``server``: one that starts servers of its own runs twice.
        if metafunc.definition.get_closest_marker("two_nodes_too") and not only \
                and "server" in metafunc.fixturenames:
            cases = [(engine, 1) for engine in ENGINES] + [("postgresql", 2)]
            metafunc.parametrize(("database", "nodes"), cases, indirect=True,
                                 ids=[*ENGINES, "postgresql-two-nodes"])
        else:
            metafunc.parametrize("database", only or ENGINES, indirect=True)


@pytest.fixture(autouse=True)
def database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """The engine the test runs on: None for the SQLCipher file in the data folder, or the URL of an
    emptied PostgreSQL database, put where every way of starting the server finds it (the
    environment's ``OPERATOR_DESK_DATABASE``: the kit's ``start``, ``serve`` processes, the account
    commands)."""
    if request.param == "sqlcipher":
        monkeypatch.delenv(dbfile.DATABASE_VARIABLE, raising=False)
        return None
    url = request.getfixturevalue("postgres_cluster").fresh()
    monkeypatch.setenv(dbfile.DATABASE_VARIABLE, url)
    return url


@pytest.fixture
def nodes(request: pytest.FixtureRequest) -> int:
    """How many nodes ``server`` is: 1, or 2 for a ``two_nodes_too`` test's third run."""
    return int(getattr(request, "param", 1))


@pytest_asyncio.fixture
async def server(tmp_path: Path, nodes: int, request: pytest.FixtureRequest) -> AsyncIterator[RunningServer]:
    """A demo-mode server (loopback trusted as a proxy) with the kit's team (tests.kit.accounts.TEAM:
    ann, ben operators, lee team lead, sue and sam supervisors: an erasure needs two), all with
    PASSWORD. Of two nodes (``nodes``): the site as one server (``tests.kit.cluster.SplitSite``)."""
    if nodes == 2:
        async with started_nodes(tmp_path, request.getfixturevalue("redis_server").url) as site:
            yield SplitSite(*site)  # type: ignore[misc]  # a RunningServer to the tests, in all they use
        return
    running = await start(tmp_path, demo=True)
    try:
        yield await add_team(running)
    finally:
        await running.close()


@pytest_asyncio.fixture
async def site(tmp_path: Path, redis_server: RedisServer) -> AsyncIterator[Site]:
    """Two nodes of one site, a and b (tests.kit.cluster), on the test's PostgreSQL database and a Redis
    of its own, with the kit's team."""
    async with started_nodes(tmp_path, redis_server.url) as nodes:
        yield nodes


@pytest.fixture
def admin(tmp_path: Path, nodes: int, capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> Admin:
    """``operator-desk-server accounts ...`` on the data folder of a server started with
    ``start(tmp_path)``; of two nodes (``server``), on the first node's, with the site's key file."""
    if nodes == 2:
        monkeypatch.setenv(dbfile.KEY_FILE_VARIABLE, str(site_key_file(tmp_path)))
        return Admin(node_data(tmp_path, "a"), capsys, monkeypatch)
    return Admin(tmp_path / "data", capsys, monkeypatch)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real ``redis-server`` of the test's own, persistence off (tests.kit.redis; the bus tests)."""
    running = RedisServer(tmp_path).start()
    try:
        yield running
    finally:
        running.stop()
