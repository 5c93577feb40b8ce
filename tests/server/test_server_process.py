"""The server as its users start it: over TLS, and as the operator-desk-server command."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import os
import signal
import ssl
import subprocess
import sys
import urllib.request

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.kit.accounts import PASSWORD
from tests.kit.clients import AsyncClient
from tests.kit.servers import database_of_test, server_command, start
from tests.kit.timing import WAIT


def self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = tmp_path / "cert.pem", tmp_path / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return certfile, keyfile


@pytest.mark.asyncio
async def test_tls_serves_wss_and_https(tmp_path):
    certfile, keyfile = self_signed(tmp_path)
    async with await start(tmp_path, certfile=certfile, keyfile=keyfile) as server:
        assert server.url.startswith("wss://127.0.0.1:")
        assert server.widget_url.startswith("https://")
        await server.add_operator("ann", PASSWORD, "operator")
        trusting = ssl.create_default_context(cafile=str(certfile))
        client = await AsyncClient.connect(server.operator_url, ssl=trusting)
        assert (await client.ok("auth.login", {"username": "ann", "password": PASSWORD}))["operator"][
            "name"
        ] == "ann"
        await client.close()
        # A client that does not trust the certificate cannot connect.
        with pytest.raises(ssl.SSLCertVerificationError):
            await AsyncClient.connect(server.operator_url, ssl=ssl.create_default_context())

        def healthz() -> bytes:
            with urllib.request.urlopen(
                f"https://127.0.0.1:{server.port}/healthz", context=trusting, timeout=WAIT
            ) as response:
                return response.read()

        assert await asyncio.to_thread(healthz) == b"ok\n"


async def read_line(process: asyncio.subprocess.Process, prefix: str) -> str:
    while line := (await process.stdout.readline()).decode():
        if line.startswith(prefix):
            return line.strip()
    raise AssertionError(f"the server ended without printing {prefix!r}")


@pytest.mark.asyncio
async def test_cli_serves_demo_prints_its_address_and_stops_on_sigterm(tmp_path):
    process = await asyncio.create_subprocess_exec(
        *server_command(),
        "serve",
        "--data",
        str(tmp_path / "data"),
        "--demo",
        "--simulate",
        "5",
        "--port",
        "0",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        listening = await asyncio.wait_for(read_line(process, "listening on "), 30)
        url = listening.removeprefix("listening on ")
        assert url.startswith("ws://127.0.0.1:")
        widget = await asyncio.wait_for(read_line(process, "widget: "), WAIT)
        assert widget == f"widget: {url.replace('ws://', 'http://')}/widget/"
        port = int(url.rsplit(":", 1)[1])

        def healthz() -> bytes:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=WAIT) as response:
                return response.read()

        assert await asyncio.to_thread(healthz) == b"ok\n"
        client = await AsyncClient.connect(url + "/v1/operator")
        login = await client.ok("auth.login", {"username": "supervisor", "password": "demo"})
        assert login["operator"]["role"] == "supervisor"
        await client.ok("visitors.subscribe")
        await client.push("visitor.upsert", within=30)  # the simulator's visitors arrive
        process.send_signal(signal.SIGTERM)
        assert (await client.push("session.closing"))["reconnect"] == "backoff"
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def test_cli_add_operator_reads_the_password_from_stdin(tmp_path):
    data = tmp_path / "data"
    command = [
        sys.executable,
        "-m",
        "operator_desk.server.cli",
        "add-operator",
        "--data",
        str(data),
        "kim",
        "--role",
        "team_lead",
        "--name",
        "Kim Lead",
    ]
    done = subprocess.run(command, input="quiet harbour lantern 7\n", capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "lantern" not in done.stdout + done.stderr
    again = subprocess.run(command, input="another long harbour phrase\n", capture_output=True, text=True,
                           timeout=60)
    assert again.returncode == 1 and "exists" in again.stderr
    if database_of_test() is None:  # the SQLCipher file's key (PostgreSQL's data has no key file)
        assert oct(os.stat(data).st_mode & 0o777) == "0o700"
        assert oct(os.stat(data / "server.key").st_mode & 0o777) == "0o600"

    async def log_in() -> dict:
        async with await start(tmp_path) as server:
            client = await AsyncClient.connect(server.operator_url)
            result = await client.ok("auth.login", {"username": "kim", "password": "quiet harbour lantern 7"})
            await client.close()
            return result

    assert asyncio.run(log_in())["operator"] == {
        "id": asyncio.run(_operator_id(tmp_path)),
        "name": "Kim Lead",
        "role": "team_lead",
        "team": None,
        "chat_limit": None,   # the site's (no limit of the account's own)
    }


async def _operator_id(tmp_path) -> str:
    async with await start(tmp_path) as server:
        rows = await server.db.call(
            lambda conn: conn.execute("SELECT id, password_hash FROM operators").fetchall()
        )
    [(operator_id, password_hash)] = rows
    assert password_hash.startswith("$argon2id$")
    return operator_id
