"""Opening the cache: encryption on disk, file modes, and a typed error for each way it can fail, none of
which changes the file."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from store_helpers import BlockingStore, files_of, make_chat, make_message

from operator_desk.store import (
    CacheUnusable,
    CorruptDatabase,
    DatabaseLocked,
    DiskFull,
    NewerSchema,
    Passphrase,
    RawKey,
    ReadOnlyDatabase,
    StoreClosed,
    UnencryptedDatabase,
    WrongKey,
    move_aside,
)
from operator_desk.store.errors import translate
from operator_desk.store.migrations import LATEST_VERSION

PAGE = 4096


def _filled_cache(cache_file: Path, key: RawKey) -> None:
    db = BlockingStore.open(cache_file, key)
    db.upsert_chats([make_chat()])
    db.upsert_messages([make_message(f"m{i}", f"order {i} arrived damaged", seconds=i) for i in range(50)])
    db.close()


def test_file_is_encrypted_and_plain_sqlite_cannot_read_it(cache_file: Path, key: RawKey) -> None:
    _filled_cache(cache_file, key)
    raw = cache_file.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert b"damaged" not in raw
    plain = sqlite3.connect(cache_file)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            plain.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        plain.close()


def test_new_cache_folder_and_files_are_private(tmp_path: Path, key: RawKey) -> None:
    cache_file = tmp_path / "new-profile" / "cache.sqlite3"
    db = BlockingStore.open(cache_file, key)
    try:
        db.upsert_chats([make_chat()])  # something in the WAL, so -wal and -shm exist now
        assert stat.S_IMODE(cache_file.parent.stat().st_mode) == 0o700
        for name in ("cache.sqlite3", "cache.sqlite3-wal", "cache.sqlite3-shm"):
            assert stat.S_IMODE((cache_file.parent / name).stat().st_mode) == 0o600, name
    finally:
        db.close()


def test_reopen_with_the_same_key_reads_the_data(cache_file: Path, key: RawKey) -> None:
    _filled_cache(cache_file, key)
    db = BlockingStore.open(cache_file, RawKey(key.material))
    try:
        assert len(db.chat_messages("c1", limit=100)) == 50
        assert db.schema_version() == LATEST_VERSION
    finally:
        db.close()


def test_wrong_key_is_a_typed_error_and_changes_nothing(cache_file: Path, key: RawKey) -> None:
    _filled_cache(cache_file, key)
    before = files_of(cache_file.parent)
    with pytest.raises(WrongKey):
        BlockingStore.open(cache_file, RawKey(os.urandom(32)))
    assert files_of(cache_file.parent) == before


def test_damaged_first_page_is_corrupt_not_wrong_key(cache_file: Path, key: RawKey) -> None:
    _filled_cache(cache_file, key)
    raw = bytearray(cache_file.read_bytes())
    raw[1000:1016] = bytes(b ^ 0xFF for b in raw[1000:1016])
    cache_file.write_bytes(raw)
    before = files_of(cache_file.parent)
    with pytest.raises(CorruptDatabase) as caught:
        BlockingStore.open(cache_file, key)
    assert not isinstance(caught.value, WrongKey)
    assert files_of(cache_file.parent) == before


def test_damaged_table_page_is_a_typed_error_and_changes_nothing(cache_file: Path, key: RawKey) -> None:
    _filled_cache(cache_file, key)
    raw = bytearray(cache_file.read_bytes())
    # Page 2 is the root of the first table created: chats. Opening reads only page 1 (and indexes), so
    # the damage shows when the chats are read; either way it must surface as CorruptDatabase.
    raw[PAGE + 2000 : PAGE + 2016] = bytes(b ^ 0xFF for b in raw[PAGE + 2000 : PAGE + 2016])
    cache_file.write_bytes(raw)
    before = files_of(cache_file.parent)
    with pytest.raises(CorruptDatabase):
        _open_and_read_everything(cache_file, key)
    assert files_of(cache_file.parent) == before


def _open_and_read_everything(cache_file: Path, key: RawKey) -> None:
    db = BlockingStore.open(cache_file, key)
    try:
        for chat in db.list_chats():
            db.chat_messages(chat.id, limit=1000)
        db.search("damaged", limit=200)
    finally:
        db.close()


def test_plain_sqlite_file_is_refused_not_used(cache_file: Path, key: RawKey) -> None:
    cache_file.parent.mkdir(mode=0o700)
    plain = sqlite3.connect(cache_file)
    plain.execute("CREATE TABLE t (x)")
    plain.commit()
    plain.close()
    before = files_of(cache_file.parent)
    with pytest.raises(UnencryptedDatabase):
        BlockingStore.open(cache_file, key)
    assert files_of(cache_file.parent) == before


def test_newer_schema_is_refused_and_changes_nothing(cache_file: Path, key: RawKey) -> None:
    _filled_cache(cache_file, key)
    conn = sqlcipher.connect(str(cache_file), isolation_level=None)
    conn.execute(f"PRAGMA key = {key.pragma_value()}")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 10}")
    conn.close()
    before = files_of(cache_file.parent)
    with pytest.raises(NewerSchema) as caught:
        BlockingStore.open(cache_file, key)
    assert caught.value.found == LATEST_VERSION + 10
    assert files_of(cache_file.parent) == before


def test_read_only_file_is_a_typed_error_and_changes_nothing(cache_file: Path, key: RawKey) -> None:
    _filled_cache(cache_file, key)
    cache_file.chmod(0o400)
    before = files_of(cache_file.parent)
    try:
        with pytest.raises(ReadOnlyDatabase):
            BlockingStore.open(cache_file, key)
        assert files_of(cache_file.parent) == before
        assert stat.S_IMODE(cache_file.stat().st_mode) == 0o400
    finally:
        cache_file.chmod(0o600)


def test_full_database_maps_to_disk_full(tmp_path: Path, key: RawKey) -> None:
    # A real SQLITE_FULL: the page limit stands in for a full disk.
    conn = sqlcipher.connect(str(tmp_path / "full.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = {key.pragma_value()}")
    conn.execute("CREATE TABLE t (x BLOB)")
    conn.execute("PRAGMA max_page_count = 8")
    with pytest.raises(sqlcipher.Error) as caught:
        conn.execute(
            "INSERT INTO t SELECT randomblob(4000) FROM (SELECT 1 UNION SELECT 2) AS a, "
            "(SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5) AS b"
        )
    conn.close()
    assert isinstance(translate(caught.value), DiskFull)


def test_cache_held_by_another_writer_is_locked(cache_file: Path, key: RawKey) -> None:
    db = BlockingStore.open(cache_file, key, busy_timeout_ms=0)
    other = sqlcipher.connect(str(cache_file), isolation_level=None)
    try:
        other.execute(f"PRAGMA key = {key.pragma_value()}")
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(DatabaseLocked):
            db.upsert_chats([make_chat()])
        other.execute("ROLLBACK")
        assert db.upsert_chats([make_chat()]) == 1
    finally:
        other.close()
        db.close()


def test_passphrase_opens_what_it_created_and_a_wrong_one_does_not(cache_file: Path) -> None:
    db = BlockingStore.open(cache_file, Passphrase("correct horse 'battery' staple"))
    db.upsert_chats([make_chat()])
    db.close()
    with pytest.raises(WrongKey):
        BlockingStore.open(cache_file, Passphrase("correct horse battery staple"))
    db = BlockingStore.open(cache_file, Passphrase("correct horse 'battery' staple"))
    try:
        assert db.get_chat("c1") is not None
    finally:
        db.close()


def test_keys_never_show_their_material() -> None:
    material = bytes(range(32))
    assert material.hex() not in repr(RawKey(material))
    assert "secret" not in repr(Passphrase("secret"))


@pytest.mark.allow_log_warnings
def test_move_aside_keeps_every_byte_and_frees_the_name(cache_file: Path, key: RawKey) -> None:
    db = BlockingStore.open(cache_file, key)
    db.upsert_chats([make_chat()])
    wal = Path(f"{cache_file}-wal")
    wal_bytes, main_bytes = wal.read_bytes(), cache_file.read_bytes()
    db.close()  # the -wal is checkpointed and removed on close; put a copy back, as after a crash
    wal.write_bytes(wal_bytes)
    main_bytes = cache_file.read_bytes()

    moved = move_aside(cache_file, now=datetime(2026, 11, 29, 10, 0, tzinfo=UTC))

    assert moved.name == "cache.sqlite3.broken-20261129T100000.000000Z"
    assert moved.read_bytes() == main_bytes
    assert Path(f"{moved}-wal").read_bytes() == wal_bytes
    assert not cache_file.exists() and not wal.exists()
    fresh = BlockingStore.open(cache_file, RawKey(os.urandom(32)))
    try:
        assert fresh.list_chats() == []
    finally:
        fresh.close()


def test_closed_cache_refuses_calls(db: BlockingStore) -> None:
    db.close()
    with pytest.raises(StoreClosed):
        db.list_chats()


def test_a_folder_that_cannot_be_created_is_a_typed_error(tmp_path: Path, key: RawKey) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    with pytest.raises(CacheUnusable):
        BlockingStore.open(blocker / "cache.sqlite3", key)
