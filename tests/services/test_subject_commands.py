"""The command line for data-subject requests, end to end: the real server in-process, the commands as
a subprocess without a display (``python -m operator_desk export-subject ...``, the password on standard
input) or awaited in-process with a profile's stored token and its real encrypted cache; every
documented exit code."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import socket
import stat
import sys
from pathlib import Path

import jsonschema
import pytest
import pytest_asyncio
from PySide6.QtCore import QSettings
from subject_history import (
    EMAIL,
    FILES,
    FIRST,
    NAME,
    OTHER_NAME,
    OTHER_TEXT,
    PHONE,
    another_person,
    person_with_history,
)

from operator_desk.commands import NAMES, cli, connecting
from operator_desk.commands.exit_codes import Exit
from operator_desk.platform.keystore import KeyStore, TokenStore
from operator_desk.store import RawKey, Store
from operator_desk.ui.settings import DeskSettings
from tests.kit.desks import Events, decrypted_rows, signed_in
from tests.kit.keyrings import file_keyring_env

COMMAND_WAIT = 120.0


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory):
    """One cache of compiled catalogs for every subprocess (lrelease runs once)."""
    return tmp_path_factory.mktemp("xdg-cache")


async def command(*argv: str, home: Path, catalogs: Path, password: str | None = "demo"):
    """``python -m operator_desk ARGV`` with no display and its own home; the password on stdin."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"),
               XDG_CACHE_HOME=str(catalogs))
    env = file_keyring_env(home / "keyring.json", env)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "operator_desk", *argv, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env, cwd=home)
    out, err = await asyncio.wait_for(
        process.communicate(b"" if password is None else f"{password}\n".encode()), COMMAND_WAIT)
    return process.returncode, out.decode(), err.decode()


def results(stdout: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in stdout.splitlines() if ": " in line)


def verify(folder: Path) -> dict:
    """What a recipient checks: every file's SHA-256 as the manifest says, records.json valid against
    the schema shipped beside it. Returns the records."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert {f["name"] for f in manifest["files"]} == FILES - {"manifest.json"}
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
    records = json.loads((folder / "records.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(json.loads((folder / "records.schema.json").read_text("utf-8"))) \
        .validate(records)
    return records


def written_bundle(facts: dict[str, str], parent: Path) -> Path:
    """The folder (and zip) the command says it wrote: there, whole, readable by its owner only."""
    folder = Path(facts["bundle"])
    assert folder.parent == parent and {p.name for p in folder.iterdir()} == FILES
    assert Path(facts["zip"]) == folder.with_name(folder.name + ".zip") and Path(facts["zip"]).is_file()
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert facts["manifest_sha256"] == hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
    return folder


@pytest_asyncio.fixture
async def anna_and_otto(server, memory_keyring, desks, visitors, tmp_path):
    """Anna's history and Otto on the server (the supervisor's desk, signed in, without a cache), and an
    empty home for the commands."""
    events = Events()
    desk = await signed_in(desks(server.url, events, None), events)
    await person_with_history(server, desk, events, visitors)
    await another_person(server, visitors)
    home = tmp_path / "home"
    home.mkdir()
    return desk, home


def test_the_app_knows_every_command():
    parser = cli.build_parser("0")
    assert set(parser._subparsers._group_actions[0].choices) == NAMES


@pytest.mark.asyncio
async def test_export_subject_writes_a_verifiable_bundle_without_a_display(server, anna_and_otto, catalogs):
    _, home = anna_and_otto

    code, out, err = await command("export-subject", "--server", server.url, "--user", "dpo",
                                   "--subject", EMAIL, "--out", str(home), "--zip",
                                   home=home, catalogs=catalogs)

    assert code == Exit.DONE, err
    facts = results(out)
    folder = written_bundle(facts, home)
    records = verify(folder)
    assert facts["chats"] == "2" and records["counts"]["chats"] == 2
    assert records["subject"]["email"] == EMAIL and records["exported_by"] == "Dana Schutz"
    assert not records["desk_cache"]["included"]   # this home has no profile that signed in as dpo
    assert (folder / "report.pdf").read_bytes().startswith(b"%PDF")
    everything = "".join((folder / name).read_text("utf-8") for name in ("records.json", "report.html"))
    assert FIRST in everything and PHONE in everything
    assert OTHER_NAME not in everything and OTHER_TEXT not in everything
    # Nothing personal in what the command printed about itself.
    assert EMAIL not in err and NAME not in err and "demo" not in err
    # The recipient checks the zip (no sign-in): the same manifest.
    code, out, err = await command("verify-bundle", facts["zip"], "--sha256", facts["manifest_sha256"],
                                   home=home, catalogs=catalogs, password=None)
    assert code == Exit.DONE, err
    assert results(out)["manifest_sha256"] == facts["manifest_sha256"] and "verified" in out


def test_verify_bundle_finds_a_changed_missing_or_added_file(tmp_path, capsys):
    folder = tmp_path / "bundle"
    folder.mkdir()
    files = {"records.json": b'{"schema_version": 1}\n', "report.html": b"<html></html>\n"}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    manifest = {"manifest_version": 1, "generated_at": "2026-12-01T10:00:00.000Z", "algorithm": "sha256",
                "records_schema_version": 1,
                "files": [{"name": n, "bytes": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                          for n, d in files.items()]}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    recorded = hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()

    def verify_bundle(*argv: str) -> tuple[int, str]:
        code = cli.main(["verify-bundle", *argv], "0")
        return code, capsys.readouterr().out

    code, out = verify_bundle(str(folder), "--sha256", recorded)
    assert code == Exit.DONE and f"manifest_sha256: {recorded}" in out and "files: 2" in out
    assert verify_bundle(str(folder), "--sha256", "0" * 64)[0] == Exit.FAILED
    (folder / "report.html").write_bytes(b"<html>changed</html>\n")
    code, out = verify_bundle(str(folder))
    assert code == Exit.FAILED and "report.html: changed" in out
    (folder / "report.html").write_bytes(files["report.html"])
    (folder / "extra.txt").write_text("added later")
    code, out = verify_bundle(str(folder))
    assert code == Exit.FAILED and "extra.txt: not in the manifest" in out
    (folder / "extra.txt").unlink()
    (folder / "records.json").unlink()
    code, out = verify_bundle(str(folder))
    assert code == Exit.FAILED and "records.json: missing" in out
    (folder / "manifest.json").unlink()
    assert verify_bundle(str(folder))[0] == Exit.FAILED   # no manifest: not a bundle
    assert verify_bundle(str(tmp_path / "nothing-here"))[0] == Exit.USAGE


@pytest.mark.asyncio
async def test_each_refusal_has_its_exit_code(server, anna_and_otto, catalogs):
    desk, home = anna_and_otto
    base = ("--server", server.url, "--user", "supervisor")

    async def run(*argv, password="demo"):
        return await command(*argv, home=home, catalogs=catalogs, password=password)

    # Several match "e" (Anna Beispiel, Otto Other): listed, nothing done.
    code, out, err = await run("export-subject", *base, "--subject", "e", "--out", str(home / "b"))
    assert code == Exit.SEVERAL_MATCHES, err
    assert NAME in out and OTHER_NAME in out and not (home / "b").exists()
    # An operator may not export anyone.
    code, _, err = await run("export-subject", "--server", server.url, "--user", "operator",
                             "--subject", EMAIL, "--out", str(home / "b"))
    assert code == Exit.FORBIDDEN, err
    assert not (home / "b").exists()
    # A wrong password, and none at all.
    code, _, err = await run("export-subject", *base, "--subject", EMAIL, "--out", str(home / "b"),
                             password="wrong")
    assert code == Exit.FORBIDDEN, err
    code, _, err = await run("export-subject", *base, "--subject", EMAIL, "--out", str(home / "b"),
                             password=None)
    assert code == Exit.USAGE and "password" in err
    # Nothing is erased without --yes.
    code, _, err = await run("erase-subject", *base, "--subject", EMAIL, "--reason", "asked by letter")
    assert code == Exit.USAGE and "--yes" in err
    assert await desk.find_subjects(EMAIL)
    # A server that is not there.
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = f"ws://127.0.0.1:{unused.getsockname()[1]}"
    code, _, err = await run("export-subject", "--server", closed, "--user", "supervisor",
                             "--subject", EMAIL, "--out", str(home / "b"))
    assert code == Exit.UNREACHABLE, err
    assert not (home / "b").exists()


# -- in-process: a profile's stored token and its cache ----------------------------------------------


@pytest.fixture
def profile(tmp_path, monkeypatch):
    """Profile "sam": its settings file and cache path under tmp_path (the commands read them)."""
    ini = tmp_path / "sam.ini"
    monkeypatch.setattr(connecting, "profile_settings",
                        lambda name: DeskSettings(QSettings(str(ini), QSettings.Format.IniFormat)))
    monkeypatch.setattr(connecting, "cache_path", lambda name: tmp_path / "sam-cache.db")
    return DeskSettings(QSettings(str(ini), QSettings.Format.IniFormat))


async def run_command(*argv: str, stdin: str | None = None, monkeypatch) -> int:
    args = cli.build_parser("0").parse_args(list(argv))
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin or ""))
    return await cli.run(args, "0")


@pytest.mark.asyncio
async def test_request_approve_and_confirm_an_erasure_on_the_command_line(
        server, memory_keyring, desks, visitors, tmp_path, profile, monkeypatch, capsys, qapp):
    key = KeyStore("sam").get_or_create_key().material
    store = await Store.open(tmp_path / "sam-cache.db", RawKey(key))
    events = Events()
    desk = await signed_in(desks(server.url, events, store, profile="sam"), events)   # its token is kept
    anna, _ = await person_with_history(server, desk, events, visitors)
    otto = await another_person(server, visitors)
    await desk.close()
    await store.close()
    profile.server_url, profile.last_username = server.url, "supervisor"
    profile.sync()
    sam = ("--server", server.url, "--user", "supervisor", "--profile", "sam")
    dana = ("--server", server.url, "--user", "dpo", "--profile", "sam")

    # Sam exports with the stored token (no password) and the profile's cache.
    code = await run_command("export-subject", *sam, "--subject", EMAIL, "--out", str(tmp_path / "anna"),
                             "--identity-check", "email_on_record", monkeypatch=monkeypatch)
    facts = results(capsys.readouterr().out)
    assert code == Exit.DONE
    records = verify(Path(facts["bundle"]))
    assert records["desk_cache"]["included"] and records["case"]["id"] == facts["case"]
    assert all(c["sources"] == ["server", "desk_cache"] for c in records["chats"])

    assert await run_command("export-subject", *sam, "--subject", "nobody@example.com",
                             "--out", str(tmp_path / "x"), monkeypatch=monkeypatch) == Exit.NO_MATCH
    # Dana (her password on stdin) files the erasure: it waits for a second supervisor.
    code = await run_command("erase-subject", *dana, "--subject", EMAIL, "--reason", "asked by e-mail",
                             "--yes", "--identity-check", "email_on_record", "--reference", "mail 3",
                             stdin="demo\n", monkeypatch=monkeypatch)
    filed = results(capsys.readouterr().out)
    assert code == Exit.WAITING_FOR_APPROVAL and filed["approval"]
    assert await run_command("erase-subject", *dana, "--subject", EMAIL, "--reason", "again", "--yes",
                             "--case", filed["case"], stdin="demo\n",
                             monkeypatch=monkeypatch) == Exit.WAITING_FOR_APPROVAL
    # Nobody approves their own request; the person is still there.
    assert await run_command("approve-erasure", *dana, "--approval", filed["approval"], "--yes",
                             stdin="demo\n", monkeypatch=monkeypatch) == Exit.FORBIDDEN
    capsys.readouterr()
    watching = Events()
    checker = await signed_in(desks(server.url, watching, None, profile="checker"), watching)
    assert await checker.find_subjects(EMAIL)

    # Sam approves (stored token, the profile's cache): erased on the server and in this cache.
    letter = tmp_path / "letter.txt"
    code = await run_command("approve-erasure", *sam, "--subject", EMAIL, "--yes", "--letter", str(letter),
                             monkeypatch=monkeypatch)
    done = results(capsys.readouterr().out)
    assert code == Exit.DONE
    assert done["erased_chats"] == "2" and int(done["erased_messages"]) >= 6
    assert "chats 2" in done["erased_here"] and done["case"] == filed["case"]
    assert stat.S_IMODE(letter.stat().st_mode) == 0o600
    text = letter.read_text("utf-8")
    assert "Confirmation of erasure" in text and "mail 3" in text and NAME not in text
    assert await checker.find_subjects(EMAIL) == ()
    assert await checker.find_subjects(otto.visitor_id)   # someone else is untouched
    rows = decrypted_rows(tmp_path / "sam-cache.db", key)
    for trace in (anna.visitor_id, NAME, EMAIL, PHONE, FIRST):
        assert trace not in rows, trace
    # Nothing waits any more.
    assert await run_command("approve-erasure", *sam, "--approval", filed["approval"], "--yes",
                             monkeypatch=monkeypatch) == Exit.NO_MATCH


@pytest.mark.asyncio
async def test_a_stored_token_for_a_server_that_is_not_there_ends_at_once(
        memory_keyring, tmp_path, profile, monkeypatch, qapp):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed = f"ws://127.0.0.1:{unused.getsockname()[1]}"
    TokenStore("sam").set("t" * 40)
    profile.server_url, profile.last_username = closed, "supervisor"
    profile.sync()
    # The desk keeps trying in the background with a stored token; a command ends at its first request.
    assert await run_command("export-subject", "--server", closed, "--user", "supervisor", "--profile", "sam",
                             "--no-cache", "--subject", EMAIL, "--out", str(tmp_path / "b"),
                             monkeypatch=monkeypatch) == Exit.UNREACHABLE
    assert not (tmp_path / "b").exists()
