"""Keyring backends for tests and benchmarks: an in-memory one, a file one for desks run as a child
process, and ones that fail the way real ones do. ``installed`` puts one in place of the process-wide
keyring (keyring's own ``set_keyring``) and puts the previous one back."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Keeps secrets in a dict; records every write so a test can show that nothing was written."""

    priority = 1  # type: ignore[assignment]
    # Nothing is kept at rest at all: the key store may use it (platform.keystore.encrypts_at_rest).
    encrypted_at_rest = True

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}
        self.writes: list[tuple[str, str]] = []

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes.append((service, username))
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class LockedKeyring(MemoryKeyring):
    """A keyring the user has not unlocked (or refused to)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")


class DBusError(Exception):
    """Stands in for secretstorage/jeepney D-Bus errors, which are not keyring.errors types."""


class DBusBrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise DBusError("org.freedesktop.DBus.Error.ServiceUnknown")


class ForgetfulKeyring(MemoryKeyring):
    """Accepts writes and keeps nothing, like a misconfigured backend."""

    def set_password(self, service: str, username: str, password: str) -> None:
        self.writes.append((service, username))


class FileKeyring(KeyringBackend):
    """Stands in for the OS keyring in a desk run as a subprocess: keeps secrets in the JSON file named
    by ``OPERATOR_DESK_TEST_KEYRING``, so the test can give the desk a token and afterwards learn the
    cache key it made (to search the desk's log for both). ``file_keyring_env`` selects it for a child
    process."""

    priority = 1  # type: ignore[assignment]
    # It is not encrypted: it says so only so that the key store accepts it in tests, as it would the
    # OS keyring this stands in for.
    encrypted_at_rest = True

    def __init__(self, path: Path | None = None) -> None:
        """``path``: the file, for the process that prepares it; keyring builds it without one, from
        the environment."""
        super().__init__()
        self._file = path

    @property
    def _path(self) -> Path:
        return self._file or Path(os.environ["OPERATOR_DESK_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        return json.loads(self._path.read_text()) if self._path.exists() else {}

    def _save(self, entries: dict[str, str]) -> None:
        # 0600 from its first moment: it holds a cache key in plain text.
        with open(os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
            json.dump(entries, file)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[f"{service}/{username}"] = password
        self._save(entries)

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError("not found")
        self._save(entries)


Backend = TypeVar("Backend", bound=KeyringBackend)

# The checkout's root: a child process imports this module as tests.kit.keyrings from there.
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def installed(backend: Backend) -> Iterator[Backend]:
    """``backend`` as the process-wide keyring while the block runs."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def file_keyring_env(path: Path, environ: dict[str, str] | None = None) -> dict[str, str]:
    """The variables that give a child process (``python -m operator_desk``) the ``FileKeyring`` on
    ``path``: added to ``environ`` (default: this process's environment), returned as a new dict."""
    env = dict(os.environ if environ is None else environ)
    env.update(PYTHON_KEYRING_BACKEND="tests.kit.keyrings.FileKeyring", OPERATOR_DESK_TEST_KEYRING=str(path),
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p))
    return env
