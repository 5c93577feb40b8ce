"""docs/deploy.md, followed from the file itself: each block that names a file is loaded, checked or
run here, with the machine's paths replaced by temporary ones.

nginx runs the document's server block in front of a real server (a test CA's certificate for
127.0.0.1, free ports): the widget in Chromium and the desk's own client connect through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from operator_desk.server import cli
from operator_desk.server.config import load_config
from operator_desk.server.embedded import ServerOptions
from tests.kit.servers import ThreadedServer
from tests.kit.tls import TestCA
from tests.kit.tools import tool

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs/deploy.md"
SERVER_COMMAND = Path(sys.executable).with_name("operator-desk-server")
TEAM_PASSWORDS = {"ana": "ana keeps the lighthouse lit", "lee": "lee sails past the old pier",
                  "olu": "olu bakes rye bread on fridays"}


def doc_blocks() -> dict[str, str]:
    """Each fenced block whose first line names a file: ```` ```lang NAME ````."""
    text = DOC.read_text("utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"^```\w+ (\S+)\n(.*?)^```", text, re.M | re.S)}


BLOCKS = doc_blocks()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shell(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", "-eu", "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})


class Machine:
    """The document's paths, below a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.etc = root / "etc/operator-desk"
        self.var_lib = root / "var/lib"
        self.data = self.var_lib / "operator-desk"
        self.backup = root / "srv/backup"
        for folder in (self.etc, self.var_lib, self.backup):
            folder.mkdir(parents=True)
        self.key = self.etc / "server.key"
        self.site = self.etc / "site.toml"

    def localize(self, text: str) -> str:
        return (text.replace("/etc/operator-desk", str(self.etc))
                .replace("/var/lib/operator-desk", str(self.data))
                .replace("/var/lib", str(self.var_lib))
                .replace("/srv/backup", str(self.backup))
                .replace("/opt/operator-desk/bin/operator-desk-server", str(SERVER_COMMAND)))

    def admin(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        """desk-admin: the account commands with the service's key, as the document's wrapper runs them
        (in this process: the same ``main`` as the command, without starting Python a dozen times)."""
        argv = ["accounts", *args, "--data", str(self.data), "--key-file", str(self.key)]
        out, err = io.StringIO(), io.StringIO()
        saved = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli.main(argv)
        finally:
            sys.stdin = saved
        return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def set_up_machine(root: Path) -> Machine:
    made = Machine(root)
    done = shell(made.localize(BLOCKS["make-key.sh"]))
    assert done.returncode == 0, done.stderr
    made.site.write_text(BLOCKS["site.toml"], "utf-8")
    return made


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return set_up_machine(tmp_path / "machine")


def run_team_script(machine: Machine) -> list[str]:
    """team.sh, one line at a time (each password from standard input); returns what `list` printed."""
    listed = []
    for line in BLOCKS["team.sh"].splitlines():
        command = line.split("#", 1)[0].strip()
        if not command:
            continue
        words = re.findall(r'"[^"]*"|\S+', command)
        assert words[0] == "desk-admin"
        args = [w.strip('"') for w in words[1:]]
        password = TEAM_PASSWORDS.get(args[1], "") if args[0] in ("add", "reset-password") else ""
        if args[0] == "reset-password":
            password = "a new password for " + args[1] + " by the harbour"
        done = machine.admin(*args, stdin=password + "\n")
        assert done.returncode == 0, f"{command}: {done.stderr}"
        if args[0] == "list":
            listed = done.stdout.splitlines()
    return listed


# -- the configuration, the key, the units ---------------------------------------------------------


def test_the_site_configuration_loads_as_its_comments_say(machine):
    config = load_config(machine.site)
    assert config.name == "Example Ltd. chat"
    assert config.allowed_origins == ("https://www.example.com", "https://shop.example.com",
                                      "https://chat.example.com")
    assert [str(n) for n in config.trusted_proxies] == ["127.0.0.1/32", "::1/128"]
    assert config.retention.transcripts_days == 30
    assert config.detail_fields == ("phone", "postal_address", "email", "company", "order_reference")
    assert config.maxmind_db is None


def test_the_key_command_makes_a_private_key_that_opens_a_database(machine):
    assert oct(machine.key.stat().st_mode & 0o777) == "0o600"
    assert re.fullmatch(r"[0-9a-f]{64}\n", machine.key.read_text())
    done = machine.admin("list")
    assert done.returncode == 0, done.stderr
    assert not (machine.data / "server.key").exists(), "the key must stay outside the data folder"


def test_the_units_verify_and_stay_hardened(tmp_path):
    analyze = tool("systemd-analyze", "systemd")
    if not SERVER_COMMAND.exists():
        pytest.fail(f"{SERVER_COMMAND} is missing: systemd-analyze checks that ExecStart exists")
    units = tmp_path / "units"
    (units / "operator-desk-server.service.d").mkdir(parents=True)
    unit = units / "operator-desk-server.service"
    unit.write_text(BLOCKS["operator-desk-server.service"].replace(
        "/opt/operator-desk/bin/operator-desk-server", str(SERVER_COMMAND)), "utf-8")
    (units / "operator-desk-server.service.d/tls-direct.conf").write_text(BLOCKS["tls-direct.conf"].replace(
        "/opt/operator-desk/bin/operator-desk-server", str(SERVER_COMMAND)), "utf-8")
    verified = subprocess.run([analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True,
                              timeout=60, cwd=units)
    assert verified.returncode == 0 and verified.stdout + verified.stderr == "", verified.stderr
    # The key comes as a credential; ExecStart of the drop-in reads the TLS files from there too.
    text = unit.read_text()
    assert "LoadCredential=server.key:/etc/operator-desk/server.key" in text
    assert "--key-file" not in text and "server.key" not in text.split("ExecStart=", 1)[1].split("\n")[0]
    security = subprocess.run([analyze, "security", "--offline=yes", str(unit)],
                              capture_output=True, text=True, timeout=60, cwd=units)
    exposure = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", security.stdout)
    assert security.returncode == 0 and exposure, security.stdout[-2000:] + security.stderr
    assert float(exposure.group(1)) <= 2.0


def test_a_unit_with_a_mistake_does_not_verify(tmp_path):
    """The check above can fail: a misspelt key is reported."""
    analyze = tool("systemd-analyze", "systemd")
    unit = tmp_path / "operator-desk-server.service"
    unit.write_text(BLOCKS["operator-desk-server.service"].replace(
        "/opt/operator-desk/bin/operator-desk-server", str(SERVER_COMMAND)).replace(
        "ProtectHome=yes", "ProtectHomes=yes"), "utf-8")
    verified = subprocess.run([analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True,
                              timeout=60, cwd=tmp_path)
    assert "ProtectHomes" in verified.stdout + verified.stderr


# -- accounts, backup and restore, upgrades --------------------------------------------------------


def test_the_team_script_sets_up_the_accounts_it_says(machine):
    listed = run_team_script(machine)
    rows = {line.split()[0]: line.split() for line in listed[1:]}
    assert set(rows) == {"ana", "lee", "olu"}
    assert rows["ana"][3] == "supervisor" and rows["lee"][3] == "team_lead" and rows["olu"][3] == "operator"
    final = machine.admin("list").stdout
    assert "olu" not in final and "ana" in final and "lee" in final


def test_backup_wipe_restore_and_the_data_is_there(machine, tmp_path):
    run_team_script(machine)
    before = machine.admin("list").stdout
    # systemctl stop/start: the test's server is not running between its commands.
    backup = machine.localize(BLOCKS["backup.sh"]).replace("systemctl stop operator-desk-server", "true")
    done = shell(backup.replace("systemctl start operator-desk-server", "true"))
    assert done.returncode == 0, done.stderr
    archive = machine.backup / "operator-desk-data.tar.gz"
    assert archive.is_file()
    listing = subprocess.run(["tar", "--list", "--file", str(archive)], capture_output=True, text=True).stdout
    assert "server.key" not in listing, "the key is kept apart from the data"

    shutil.rmtree(machine.data)
    assert machine.admin("list").stdout.count("\n") <= 1  # a new, empty database
    shutil.rmtree(machine.data)
    restore = machine.localize(BLOCKS["restore.sh"])
    restore = re.sub(r"^(systemctl|chown) .*$", "true", restore, flags=re.M)
    done = shell(restore)
    assert done.returncode == 0, done.stderr
    assert machine.admin("list").stdout == before

    # The archive alone opens nothing: a server with another key refuses it.
    other_key = tmp_path / "other.key"
    other_key.write_text("ab" * 32)
    other_key.chmod(0o600)
    refused = subprocess.run([str(SERVER_COMMAND), "accounts", "list", "--data", str(machine.data),
                              "--key-file", str(other_key)], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "does not decrypt" in refused.stderr


def test_an_upgrade_migrates_a_database_of_the_first_schema(machine, monkeypatch):
    from operator_desk.domain.clock import now_ts
    from operator_desk.domain.model import OperatorInfo, Role
    from operator_desk.server import accounts, auth, dbfile, migrations, repository

    # The first release's server made this database: only the first migration existed then.
    monkeypatch.setattr(dbfile, "MIGRATIONS", migrations.MIGRATIONS[:1])
    old = accounts.open_database(machine.data, key_file=machine.key, config_path=None, environ={})
    try:
        assert old.run_sync(lambda conn: conn.execute("PRAGMA user_version").fetchone()[0]) == 10
        ana = OperatorInfo(id="op_first", name="Ana", role=Role.SUPERVISOR)
        old.run_sync(repository.add_operator, ana, "ana", auth.hash_password(TEAM_PASSWORDS["ana"]), now_ts())
    finally:
        old.close_sync()
    monkeypatch.undo()
    # The new server (a separate process, as after pip install --upgrade) migrates it at start.
    upgraded = subprocess.run([str(SERVER_COMMAND), "accounts", "list", "--data", str(machine.data),
                               "--key-file", str(machine.key)], capture_output=True, text=True, timeout=60)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.splitlines()[1].split()[:6] == ["ana", "Ana", "supervisor", "-", "enabled", "0"]
    assert machine.admin("disable", "ana").returncode == 0  # the new schema's column is there


# -- nginx in front ------------------------------------------------------------------------------------


class Nginx:
    """Debian's nginx running the document's server block, on free loopback ports."""

    def __init__(self, root: Path, issued, upstream: int, site: str | None = None) -> None:
        """``site``: the server block to run (default: the document's), with ``upstream`` in it."""
        self.root = root
        self.https_port, self.http_port = free_port(), free_port()
        site = site if site is not None else BLOCKS["operator-desk.conf"]
        site = re.sub(r"^\s*listen \[::\]:\d+.*\n", "", site, flags=re.M)
        site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{self.https_port} ssl;")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.http_port};")
        site = site.replace("/etc/letsencrypt/live/chat.example.com/fullchain.pem", str(issued.certfile))
        site = site.replace("/etc/letsencrypt/live/chat.example.com/privkey.pem", str(issued.keyfile))
        site = site.replace("http://127.0.0.1:8765", f"http://127.0.0.1:{upstream}")
        assert f"127.0.0.1:{self.https_port} ssl" in site and str(upstream) in site
        (root / "sites-enabled").mkdir(parents=True)
        (root / "sites-enabled/operator-desk.conf").write_text(site, "utf-8")
        # What Debian's /etc/nginx/nginx.conf gives the site, reduced to a private prefix.
        temp = "".join(f"    {kind}_temp_path {root / kind};\n"
                       for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        user = "user root;\n" if os.geteuid() == 0 else ""
        (root / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {root / 'nginx.pid'};\nerror_log {root / 'error.log'} warn;\n"
            f"events {{ worker_connections 256; }}\nhttp {{\n{temp}"
            f"    include {root / 'sites-enabled'}/*.conf;\n}}\n", "utf-8")

    def __enter__(self) -> Nginx:
        binary = tool("nginx", "nginx")
        checked = subprocess.run([binary, "-t", "-p", str(self.root), "-c", str(self.root / "nginx.conf")],
                                 capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([binary, "-p", str(self.root), "-c", str(self.root / "nginx.conf"),
                                         "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.https_port), 1):
                return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"nginx did not start: {self.process.stderr.read()}")
            time.sleep(0.05)  # polling a port nginx opens; nothing to wait on otherwise

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stderr.close()

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"


@pytest.fixture(scope="module")
def behind_nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Machine, Nginx, TestCA]]:
    """One machine for the nginx tests (setting up the team costs a dozen processes)."""
    tmp_path = tmp_path_factory.mktemp("behind-nginx")
    machine = set_up_machine(tmp_path / "machine")
    ca = TestCA(tmp_path / "ca")
    issued = ca.issue("127.0.0.1")
    run_team_script(machine)
    upstream = free_port()
    nginx = Nginx(tmp_path / "nginx", issued, upstream)
    # The document's configuration, with this nginx's public origin for chat.example.com.
    machine.site.write_text(BLOCKS["site.toml"].replace("https://chat.example.com", nginx.origin), "utf-8")
    options = ServerOptions(data_dir=machine.data, port=upstream, config_path=machine.site,
                            key_file=machine.key)
    with ThreadedServer(options), nginx:
        yield machine, nginx, ca


def test_through_nginx_the_redirect_and_health_answer(behind_nginx):
    _, nginx, ca = behind_nginx
    context = ssl.create_default_context(cafile=str(ca.cafile))
    import urllib.request

    with urllib.request.urlopen(f"{nginx.origin}/healthz", context=context, timeout=10) as answer:
        assert answer.read() == b"ok\n"
    plain = socket.create_connection(("127.0.0.1", nginx.http_port), 5)
    plain.sendall(b"GET /widget/ HTTP/1.1\r\nHost: chat.example.com\r\nConnection: close\r\n\r\n")
    head = plain.recv(4096).decode("latin-1")
    plain.close()
    assert head.startswith("HTTP/1.1 301") and "Location: https://chat.example.com/widget/" in head


@pytest.mark.asyncio
async def test_a_desk_signs_in_through_nginx_and_sees_the_address_nginx_saw(behind_nginx, tmp_path,
                                                                             memory_keyring):
    """The desk's own client over wss:// through nginx, with the company CA; a visitor connecting from
    127.0.0.5 with a forged X-Forwarded-For is seen at 127.0.0.5."""
    from operator_desk.platform.keystore import TokenStore
    from operator_desk.services.desk import Desk
    from operator_desk.services.events import SignedIn, VisitorsChanged
    from tests.kit.clients import AsyncClient

    _, nginx, ca = behind_nginx
    events: list[object] = []
    arrived = asyncio.Event()

    def sink(event: object) -> None:
        events.append(event)
        arrived.set()

    desk = Desk(server_url=nginx.origin.replace("https://", "wss://"), profile="nginx", sink=sink,
                store=None, tokens=TokenStore("nginx"), ca_file=str(ca.cafile))
    visitor = None
    try:
        await desk.sign_in("ana", TEAM_PASSWORDS["ana"])
        assert any(isinstance(e, SignedIn) and e.operator.role == "supervisor" for e in events)
        context = ssl.create_default_context(cafile=str(ca.cafile))
        visitor = await AsyncClient.connect(f"wss://127.0.0.1:{nginx.https_port}/v1/visitor", ssl=context,
                                            local_addr=("127.0.0.5", 0),
                                            additional_headers={"X-Forwarded-For": "192.0.2.10"})
        page = {"url": "https://www.example.com/", "title": "Home"}
        hello = await visitor.ok("visitor.hello", {"page": page, "language": "en"})
        notice = next(n for n in hello["notices"]
                      if "visitor_insights" in n["purposes"] and n["language"] == "en")
        await visitor.ok("consent.set", {
            "purpose": "visitor_insights", "granted": True, "notice_id": notice["id"],
            "notice_version": notice["version"], "method": "widget_settings"})

        async def seen() -> str:
            while True:  # re-checked on each event the desk emits
                found = desk.visitors.get(hello["visitor_id"])
                if found is not None and found.insights is not None:
                    return found.insights.ip
                arrived.clear()
                await arrived.wait()

        assert await asyncio.wait_for(seen(), 15) == "127.0.0.5"
        assert any(isinstance(e, VisitorsChanged) for e in events)
    finally:
        if visitor is not None:
            await visitor.close()
        await desk.close()


def test_the_widget_chats_through_nginx(behind_nginx):
    """Chromium loads the widget from nginx over https, and its chat reaches an operator connected
    through nginx too."""
    from tests.kit import browser
    from tests.kit.clients import SyncClient

    if not browser.CHROMIUM.exists() and not browser.BROWSER_REQUIRED:
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    _, nginx, ca = behind_nginx
    context = ssl.create_default_context(cafile=str(ca.cafile))
    with SyncClient.connect(f"wss://127.0.0.1:{nginx.https_port}/v1/operator", ssl=context) as operator:
        operator.ok("auth.login", {"username": "ana", "password": TEAM_PASSWORDS["ana"]})
        # Available: a desk of ana's signed in earlier in this module said "away" (its session may still
        # be kept for resuming), and with nobody available the widget leaves a message, not a chat.
        operator.ok("presence.set", {"status": "available"})
        operator.ok("visitors.subscribe")
        # The test CA is not in Chromium's trust store; what is checked here is the proxying, not TLS.
        driver = browser.chrome(nginx.root / "profile", language=None,
                                extra_args=("--ignore-certificate-errors",))
        try:
            driver.get(f"{nginx.origin}/widget/")
            browser.visible(driver, ".odw-launcher").click()
            browser.start_chat(driver, "Grace", "Do you ship to Orkney?")
            incoming = operator.push("chat.incoming", lambda p: p["visitor"]["name"] == "Grace")
            operator.ok("chat.accept", {"chat_id": incoming["chat"]["id"]})
            browser.operator_says(driver, operator, incoming["chat"]["id"], "We do, every Tuesday.")
            assert browser.complaints_of(driver) == []
        finally:
            driver.quit()
