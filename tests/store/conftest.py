"""Fixtures for the store tests: real SQLCipher files in tmp_path and a clock the test moves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import BlockingStore, Clock

from operator_desk.store import RawKey


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def key() -> RawKey:
    return RawKey(os.urandom(32))


@pytest.fixture
def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "cache.sqlite3"


@pytest.fixture
def db(cache_file: Path, key: RawKey, clock: Clock) -> Iterator[BlockingStore]:
    database = BlockingStore.open(cache_file, key, clock=clock)
    yield database
    database.close()
