"""The desk's own client over wss:// to a server whose certificate a company CA signed: refused
without the CA file, signed in with it (``--ca-file`` / the setting hand it to the desk)."""

from __future__ import annotations

import pytest
import pytest_asyncio

from operator_desk.services.desk import Desk
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import ConnectionChanged, ConnectionState, SignedIn
from tests.kit.desks import Events, make_desk
from tests.kit.servers import start_demo
from tests.kit.tls import TestCA


@pytest_asyncio.fixture
async def tls_server(tmp_path):
    ca = TestCA(tmp_path / "ca")
    issued = ca.issue("127.0.0.1")
    running = await start_demo(tmp_path / "server", certfile=issued.certfile, keyfile=issued.keyfile)
    try:
        yield running, ca
    finally:
        await running.close()


def tls_desk(url: str, events: Events, store, ca_file: str | None) -> Desk:
    return make_desk(url, events, store, profile="tls", ca_file=ca_file)


@pytest.mark.asyncio
async def test_the_desk_signs_in_over_wss_with_the_company_ca(tls_server, store, memory_keyring):
    server, ca = tls_server
    assert server.url.startswith("wss://127.0.0.1:")
    events = Events()
    desk = tls_desk(server.url, events, store, str(ca.cafile))
    try:
        await desk.sign_in("operator", "demo")
        await events.wait_for(SignedIn)
        await events.wait_for(ConnectionChanged, lambda e: e.state is ConnectionState.ONLINE)
    finally:
        await desk.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("which", ["none", "another CA", "unreadable"])
async def test_without_the_right_ca_the_certificate_is_refused(tls_server, store, memory_keyring, tmp_path,
                                                               which):
    server, _ = tls_server
    ca_file = {"none": None, "another CA": str(TestCA(tmp_path / "other", "Elsewhere CA").cafile),
               "unreadable": str(tmp_path / "missing.pem")}[which]
    desk = tls_desk(server.url, Events(), store, ca_file)
    try:
        with pytest.raises(DeskError) as caught:
            await desk.sign_in("operator", "demo")
        assert caught.value.code is FailureCode.CERTIFICATE
        assert memory_keyring.secrets == {}
    finally:
        await desk.close()
