"""Administering people with ``operator-desk-server accounts ...`` against a running server: every
command changes what signing in does at once, is audited, and names a wrong username clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pytest_asyncio

from operator_desk.server import accounts
from operator_desk.server.embedded import RunningServer
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import Admin, fast_settings, start

pytestmark = pytest.mark.asyncio

STRONG = "tidal moor lantern quartz"
NEWER = "seven gulls over the slipway"


@pytest_asyncio.fixture
async def running(tmp_path: Path):
    server = await start(tmp_path)
    try:
        yield server
    finally:
        await server.close()



async def sign_in_refused(server: RunningServer, payload: dict) -> str:
    client = await AsyncClient.connect(server.operator_url)
    try:
        return await client.refused("auth.login", payload)
    finally:
        await client.close()


async def audit_actions(server: RunningServer) -> list[str]:
    """What the account commands wrote to the audit log, in order."""
    rows = await server.hub.db.call(lambda conn: conn.execute(
        "SELECT action FROM audit_log WHERE actor = ? ORDER BY id", (accounts.ADMIN_ACTOR,)).fetchall())
    return [row[0] for row in rows]


@pytest.mark.parametrize(("password", "reason"), [
    ("short1!", "at least 12 characters"),
    ("password1234", "too easy to guess"),
    ("qwertyuiop123", "too easy to guess"),
    ("aaaaaaaaaaaaaaaa", "too easy to guess"),
    ("kim.lindqvist2026", "too easy to guess"),  # the account's own name with a year
])
async def test_a_weak_password_is_refused_and_nothing_is_stored(running, admin, password, reason):
    code, out, err = await admin("add", "kim.lindqvist", "--role", "operator", "--name", "Kim Lindqvist",
                                 stdin=password + "\n")
    assert code == 1
    assert reason in err
    assert password not in out + err
    code, out, _ = await admin("list")
    assert code == 0 and "kim" not in out
    assert await audit_actions(running) == []


async def test_an_account_through_its_whole_life(running, admin):
    code, out, err = await admin("add", "kim", "--role", "operator", "--name", "Kim Lind",
                                 stdin=STRONG + "\n")
    assert code == 0, err
    assert STRONG not in out + err
    desk = await login(running, "kim", STRONG)
    token = desk.login["token"]
    assert desk.login["operator"]["role"] == "operator"
    await desk.close()

    code, out, _ = await admin("list")
    assert code == 0
    header, row = out.splitlines()
    assert header.split() == ["USERNAME", "NAME", "ROLE", "TEAM", "STATE", "SIGN-INS", "CREATED"]
    assert row.split()[:7] == ["kim", "Kim", "Lind", "operator", "-", "enabled", "1"]

    assert (await admin("set-role", "kim", "team_lead"))[0] == 0
    desk = await login(running, "kim", STRONG)
    assert desk.login["operator"]["role"] == "team_lead"
    await desk.close()

    code, out, _ = await admin("revoke-tokens", "kim")
    assert code == 0 and "2 sign-in(s) revoked" in out
    assert await sign_in_refused(running, {"token": token}) == "invalid_credentials"

    assert (await admin("disable", "kim"))[0] == 0
    assert await sign_in_refused(running, {"username": "kim", "password": STRONG}) == "invalid_credentials"
    code, out, _ = await admin("disable", "kim")
    assert code == 0 and "disabled already" in out
    assert "disabled" in (await admin("list"))[1]
    assert (await admin("enable", "kim"))[0] == 0
    desk = await login(running, "kim", STRONG)
    token = desk.login["token"]
    await desk.close()

    code, out, _ = await admin("reset-password", "kim", stdin=NEWER + "\n")
    assert code == 0 and "1 sign-in(s) revoked" in out
    assert await sign_in_refused(running, {"username": "kim", "password": STRONG}) == "invalid_credentials"
    assert await sign_in_refused(running, {"token": token}) == "invalid_credentials"
    await (await login(running, "kim", NEWER)).close()

    code, _, err = await admin("remove", "kim")
    assert code == 1 and "--yes" in err
    assert (await admin("remove", "kim", "--yes"))[0] == 0
    assert await sign_in_refused(running, {"username": "kim", "password": NEWER}) == "invalid_credentials"
    assert "kim" not in (await admin("list"))[1]

    # Each change is in the audit log, by the admin, about the account's id, without any password.
    assert await audit_actions(running) == [
        "account.add", "account.role", "account.revoke", "account.disable", "account.enable",
        "account.password", "account.remove",
    ]
    details = await running.hub.db.call(lambda conn: [
        json.loads(row[0]) for row in conn.execute("SELECT detail FROM audit_log WHERE actor = ?",
                                                   (accounts.ADMIN_ACTOR,))])
    assert all(entry["username"] == "kim" for entry in details)
    assert STRONG not in json.dumps(details) and NEWER not in json.dumps(details)


@pytest.mark.parametrize("command", [
    ("set-role", "nobody", "supervisor"), ("disable", "nobody"), ("enable", "nobody"),
    ("remove", "nobody", "--yes"), ("revoke-tokens", "nobody"),
])
async def test_a_wrong_name_is_a_clear_error_and_changes_nothing(running, admin, command):
    code, out, err = await admin(*command)
    assert code == 1
    assert out == ""
    assert "there is no account named 'nobody'" in err
    assert await audit_actions(running) == []


async def test_reset_password_of_a_wrong_name_is_a_clear_error(running, admin):
    code, _, err = await admin("reset-password", "nobody", stdin=NEWER + "\n")
    assert code == 1 and "there is no account named 'nobody'" in err


async def test_an_account_name_is_taken_once(running, admin):
    assert (await admin("add", "kim", "--role", "operator", stdin=STRONG + "\n"))[0] == 0
    code, _, err = await admin("add", "kim", "--role", "supervisor", stdin=NEWER + "\n")
    assert code == 1 and "exists already" in err
    assert await audit_actions(running) == ["account.add"]


async def test_the_audit_names_the_admin_a_wrapper_passes_on(running, admin, monkeypatch):
    monkeypatch.setenv(accounts.ADMIN_VARIABLE, "ana.root")
    assert (await admin("add", "kim", "--role", "operator", stdin=STRONG + "\n"))[0] == 0
    detail = await running.hub.db.call(lambda conn: conn.execute(
        "SELECT detail FROM audit_log WHERE actor = ?", (accounts.ADMIN_ACTOR,)).fetchone()[0])
    assert json.loads(detail)["by"] == "ana.root"


@pytest.mark.parametrize("command", [("revoke-tokens", "kim"), ("disable", "kim"),
                                     ("reset-password", "kim")])
async def test_a_connected_desk_is_signed_out_by_the_command(tmp_path, capsys, monkeypatch, command):
    """The running server checks its sessions' tokens (every 30 s; here 0.2 s): the command's revocation
    ends the live session too, for good."""
    server = await start(tmp_path, settings=fast_settings(token_check_interval=0.2))
    admin = Admin(tmp_path / "data", capsys, monkeypatch)
    try:
        assert (await admin("add", "kim", "--role", "operator", stdin=STRONG + "\n"))[0] == 0
        desk = await login(server, "kim", STRONG)
        assert (await admin(*command, stdin=NEWER + "\n"))[0] == 0
        closing = await desk.push("session.closing")
        assert closing == {"reason": "sign-in token revoked", "reconnect": "never"}
    finally:
        await server.close()
