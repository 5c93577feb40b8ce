"""Fixtures for the platform tests: the process-wide keyring swapped for a test backend, then restored."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring_fakes import MemoryKeyring


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
