"""The kit's pytest fixtures, for every test folder (``tests/conftest.py`` loads this plugin). A
folder's own ``conftest.py`` builds on them; test modules never import fixtures."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.kit.clients import AsyncClient, Served
from tests.kit.closing import ClosedAtEnd
from tests.kit.keyrings import MemoryKeyring, installed
from tests.kit.postgres import Cluster, start_cluster
from tests.kit.tls import TestCA
from tests.kit.visitors import arrive
from tests.kit.webhooks import WebhookReceiver


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the session, started on first use (tests.kit.postgres); stopped at
    the end, by its own pg_ctl."""
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring in place of the process-wide one for the test (the real one would fail
    on a headless machine, or write to the developer's)."""
    with installed(MemoryKeyring()) as backend:
        yield backend


@pytest_asyncio.fixture
async def visitors() -> AsyncIterator[Callable[..., Awaitable[AsyncClient]]]:
    """``await visitors(server, **arrive_options)``: a visitor arrived (``visitors.arrive``), closed
    when the test ends."""
    arrived = ClosedAtEnd[AsyncClient]()

    async def visitor(server: Served, **options: Any) -> AsyncClient:
        return arrived.keep(await arrive(server, **options))

    yield visitor
    await arrived.close()


@pytest.fixture
def webhook_receivers(tmp_path: Path) -> Iterator[Callable[..., WebhookReceiver]]:
    """``webhook_receivers("crm")``: a running webhook receiver (``tests.kit.webhooks``) whose
    certificate ``stem`` comes from the test's one CA (``receiver.ca``, in ``tmp_path``/ca). All stop
    when the test ends, and fail it if a body they got does not follow the published schema."""
    authority: list[TestCA] = []
    with contextlib.ExitStack() as running:
        def receiver(stem: str = "receiver") -> WebhookReceiver:
            if not authority:
                authority.append(TestCA(tmp_path / "ca"))
            return running.enter_context(WebhookReceiver(authority[0], stem))

        yield receiver
