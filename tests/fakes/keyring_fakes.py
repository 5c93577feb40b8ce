"""Keyring backends for tests: an in-memory one, and ones that fail the way real ones do."""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Keeps secrets in a dict; records every write so a test can show that nothing was written."""

    priority = 1  # type: ignore[assignment]

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
