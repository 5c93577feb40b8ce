"""Key rotation: after ``rekey`` the data opens with the new key only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from store_helpers import BlockingStore, make_chat, make_message

from operator_desk.store import Passphrase, RawKey, WrongKey


def test_rekey_keeps_data_readable_with_the_new_key_only(cache_file: Path, key: RawKey) -> None:
    db = BlockingStore.open(cache_file, key)
    db.upsert_chats([make_chat()])
    db.upsert_messages([make_message(f"m{i}", f"rotation check {i}", seconds=i) for i in range(100)])
    new_key = RawKey(os.urandom(32))
    db.rekey(new_key)
    assert len(db.search("rotation", limit=200).hits) == 100  # the open connection carries on
    db.close()

    with pytest.raises(WrongKey):
        BlockingStore.open(cache_file, key)
    db = BlockingStore.open(cache_file, new_key)
    try:
        assert len(db.chat_messages("c1", limit=200)) == 100
        assert db.audit_entries()[0].action == "rekey"
    finally:
        db.close()


def test_a_passphrase_cache_can_move_to_a_raw_key(cache_file: Path, key: RawKey) -> None:
    db = BlockingStore.open(cache_file, Passphrase("temporary passphrase"))
    db.upsert_chats([make_chat()])
    db.rekey(key)
    db.close()
    with pytest.raises(WrongKey):
        BlockingStore.open(cache_file, Passphrase("temporary passphrase"))
    db = BlockingStore.open(cache_file, key)
    try:
        assert db.get_chat("c1") is not None
    finally:
        db.close()
