"""The database file at start: whatever is wrong with it is named in one sentence and the server does not
start (wrong key, damaged pages, page 1 among them, newer schema, read-only file); the key may live
outside the data folder, so that a copy of the data folder alone does not decrypt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from operator_desk.server import dbfile
from operator_desk.server.db import Database
from operator_desk.server.db_errors import (
    CorruptDatabase,
    KeyFileError,
    NewerSchema,
    ReadOnlyDatabase,
    WrongKey,
)
from tests.kit.servers import with_controller

PAGE = 4096


# The SQLCipher file itself (its key, damaged pages, a read-only file): PostgreSQL has none of these.
pytestmark = pytest.mark.sqlcipher_only


def make_database(data, key_file=None):
    database = Database.open(data, key_file)
    database.close_sync()  # checkpoints: every page is in server.db
    return data / "server.db"


def damage(path, page):
    with path.open("r+b") as handle:
        handle.seek((page - 1) * PAGE + 200)
        handle.write(os.urandom(64))


def test_a_wrong_key_is_named_as_such(tmp_path):
    data = tmp_path / "data"
    make_database(data)
    (data / "server.key").write_text("00" * 32)
    with pytest.raises(WrongKey, match="wrong key"):
        Database.open(data)


@pytest.mark.parametrize("page", [1, 3])
def test_damaged_pages_are_named_as_damage_not_as_a_wrong_key(tmp_path, page):
    """Page 1 is what a wrong key fails on first: damage there used to be reported as a wrong key.
    A later page used to pass the start and fail with ``internal`` at the first request reading it."""
    data = tmp_path / "data"
    path = make_database(data)
    assert path.stat().st_size // PAGE > 3
    damage(path, page)
    with pytest.raises(CorruptDatabase, match="damaged") as raised:
        Database.open(data)
    assert "wrong key" not in str(raised.value)


def test_a_newer_schema_is_named(tmp_path):
    data = tmp_path / "data"
    make_database(data)
    key = dbfile.prepare_data_dir(data)
    conn = dbfile.open_connection(data / "server.db", key)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(NewerSchema, match="newer"):
        Database.open(data)


def test_a_read_only_file_is_named_and_left_alone(tmp_path):
    data = tmp_path / "data"
    path = make_database(data)
    before = path.read_bytes()
    path.chmod(0o400)
    with pytest.raises(ReadOnlyDatabase, match="read-only"):
        Database.open(data)
    assert path.read_bytes() == before


def test_a_missing_key_beside_an_existing_database_is_not_replaced_by_a_new_one(tmp_path):
    data = tmp_path / "data"
    make_database(data)
    (data / "server.key").unlink()
    with pytest.raises(KeyFileError, match="does not exist"):
        Database.open(data)
    assert not (data / "server.key").exists()


def test_servers_making_the_key_file_at_the_same_moment_all_get_the_one_key(tmp_path):
    """Several servers (threads of one process here, processes on a site) starting at once on a new
    database each find no key file and make one: all end up with the same whole key, and no draft is
    left behind."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    makers = 8
    ready = threading.Barrier(makers)

    def make() -> bytes:
        ready.wait()
        return dbfile.load_key(tmp_path / "data", tmp_path / "site.key", needed_by=None)

    with ThreadPoolExecutor(makers) as pool:
        keys = list(pool.map(lambda _: make(), range(makers)))
    assert len(set(keys)) == 1
    assert keys[0] == bytes.fromhex((tmp_path / "site.key").read_text())
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "site.key"]


def test_the_key_file_is_found_in_order(tmp_path):
    data = tmp_path / "data"
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    default = data / "server.key"
    assert dbfile.key_path(data) == default
    assert dbfile.key_path(data, environ={"CREDENTIALS_DIRECTORY": str(credentials)}) == default  # none there
    (credentials / "server.key").write_text("00" * 32)
    environ = {"CREDENTIALS_DIRECTORY": str(credentials)}
    assert dbfile.key_path(data, environ=environ) == credentials / "server.key"
    configured = tmp_path / "configured.key"
    assert dbfile.key_path(data, configured=configured, environ=environ) == configured
    environ["OPERATOR_DESK_KEY_FILE"] = str(tmp_path / "env.key")
    assert dbfile.key_path(data, configured=configured, environ=environ) == tmp_path / "env.key"
    flag = tmp_path / "flag.key"
    assert dbfile.key_path(data, explicit=flag, configured=configured, environ=environ) == flag


def server(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "operator_desk.server.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        input="wind over the quay at noon\n",
    )


def test_a_key_outside_the_data_folder_is_used_and_a_copy_of_the_folder_does_not_open(tmp_path):
    data, secrets = tmp_path / "data", tmp_path / "secrets"
    secrets.mkdir(mode=0o700)
    key = secrets / "server.key"
    done = server("add-operator", "--data", str(data), "--key-file", str(key), "kim", "--role", "operator")
    assert done.returncode == 0, done.stderr
    assert key.exists() and not (data / "server.key").exists()
    assert oct(key.stat().st_mode & 0o777) == "0o600"

    # The same key through the environment variable, the configuration, and a systemd credential.
    again = server("add-operator", "--data", str(data), "lee", "--role", "operator",
                   env={"OPERATOR_DESK_KEY_FILE": str(key)})
    assert again.returncode == 0, again.stderr
    config = tmp_path / "site.toml"
    config.write_text(f'[database]\nkey_file = "{key}"\n')
    third = server("add-operator", "--data", str(data), "--config", str(config), "sam", "--role", "operator")
    assert third.returncode == 0, third.stderr
    fourth = server("add-operator", "--data", str(data), "max", "--role", "operator",
                    env={"CREDENTIALS_DIRECTORY": str(secrets)})
    assert fourth.returncode == 0, fourth.stderr

    copy = tmp_path / "copy"
    shutil.copytree(data, copy)
    refused = server("serve", "--data", str(copy), "--port", "0",
                     "--config", str(with_controller(tmp_path, None)))
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"operator-desk-server: the key file {copy / 'server.key'} does not exist, "
        f"and {copy / 'server.db'} needs it"
    )


def test_serve_names_a_damaged_database_in_one_sentence_and_exits_non_zero(tmp_path):
    data = tmp_path / "data"
    path = make_database(data)
    damage(path, 1)
    site = with_controller(tmp_path, None)
    done = server("serve", "--data", str(data), "--port", "0", "--config", str(site))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == [f"operator-desk-server: {path} is damaged: 1 of {path.stat().st_size // PAGE} pages "
                     "fail their check (restore a backup)"]
