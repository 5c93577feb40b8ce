"""Where the desk keeps the server's sign-in token between runs.

The desk needs three calls; ``platform.keystore.TokenStore`` answers them from the OS keyring, and
:class:`MemoryTokens` (the demo's) from memory only, so that nothing outlives the process.
"""

from __future__ import annotations

from typing import Protocol


class TokenStorage(Protocol):
    """The token of one profile. Calls may block (the keyring may wait on D-Bus): the desk makes them
    off the event loop."""

    def get(self) -> str | None: ...
    def set(self, token: str) -> None: ...
    def delete(self) -> bool: ...


class MemoryTokens:
    """The demo's token storage: the token lives only as long as the process."""

    def __init__(self) -> None:
        self._token: str | None = None

    def get(self) -> str | None:
        return self._token

    def set(self, token: str) -> None:
        self._token = token

    def delete(self) -> bool:
        had, self._token = self._token is not None, None
        return had
