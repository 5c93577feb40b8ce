"""What opening the cache gives instead of a store: its own module, so that the app can tell the
outcomes apart without importing the opening flow (the keyring, the dialogs) where it needs none."""

from __future__ import annotations

import enum


class NoCache(enum.Enum):
    """Why opening the cache gave no store: what the user chose instead."""

    WITHOUT = "without"  # go on without a local cache this time: chats work, nothing is kept
    QUIT = "quit"
