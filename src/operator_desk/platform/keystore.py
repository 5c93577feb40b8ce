"""Secrets in the OS keyring: the cache key of each profile, and the server's login token.

One random 256-bit key per profile (a profile is one server account on this machine), kept as 64 hex
digits under service ``operator-desk``, user name = the profile. The first run creates it; later runs
read it. Nothing here ever writes a key or a token anywhere but the keyring.

When no keyring works (the fail backend of a headless machine, the null backend, a locked keyring, a
D-Bus error), every call raises :class:`KeyStoreUnavailable`. The app then offers the user a choice:
protect the cache with a passphrase (the store opens it with ``store.Passphrase``, through SQLCipher's
own key derivation), or run without a local cache this time.

keyring calls may block on D-Bus: callers run them off the UI thread.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null

logger = logging.getLogger(__name__)

SERVICE = "operator-desk"
KEY_BYTES = 32
_PENDING_SUFFIX = ":next-key"
_TOKEN_SUFFIX = ":token"


class KeyStoreError(Exception):
    """Base of the key store's errors."""


class KeyStoreUnavailable(KeyStoreError):
    """No usable keyring: offer a passphrase, or no local cache this time."""


class KeyringNotEncrypted(KeyStoreUnavailable):
    """The keyring backend would keep secrets on disk without encrypting them: it is not used."""

    def __init__(self, backend_name: str) -> None:
        super().__init__(f"the keyring backend {backend_name} does not encrypt at rest")
        self.backend_name = backend_name


class StoredKeyInvalid(KeyStoreError):
    """The keyring holds something under this profile that is not a key. It is left as it is (replacing
    it would make an existing cache unreadable for good)."""


@dataclass(frozen=True, slots=True)
class ProfileKey:
    material: bytes
    # True when this call made the key: an existing cache file cannot have been written with it.
    created: bool

    def __repr__(self) -> str:
        return f"ProfileKey(<redacted>, created={self.created})"


# keyring's own backends that keep secrets encrypted at rest (by the OS's secret store). Anything else
# must say so itself with a true ``encrypted_at_rest`` class attribute (a third-party backend that
# encrypts, or one that keeps nothing at rest at all): keyring has no such property of its own, and
# keyrings.alt's PlaintextKeyring, installed beside the real ones, would otherwise be used silently.
ENCRYPTING_BACKENDS = frozenset({
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.libsecret.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.Windows.WinVaultKeyring",
})


# Backends that keep nothing and fail or ignore every call.
_UNUSABLE = (keyring.backends.fail.Keyring, keyring.backends.null.Keyring)


def encrypts_at_rest(backend: keyring.backend.KeyringBackend) -> bool:
    """Whether this backend keeps what it is given encrypted (or not on disk at all)."""
    if getattr(type(backend), "encrypted_at_rest", False) is True:
        return True
    return any(f"{cls.__module__}.{cls.__qualname__}" in ENCRYPTING_BACKENDS for cls in type(backend).__mro__)


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    return type(backend).__qualname__


class _Keyring:
    """The keyring calls, with a check that the backend can really keep secrets and every failure turned
    into :class:`KeyStoreUnavailable`."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None) -> None:
        # None: whatever keyring chose for this process (PYTHON_KEYRING_BACKEND, or the OS default).
        self._backend = backend

    def _usable_backend(self) -> keyring.backend.KeyringBackend:
        backend = self._backend or keyring.get_keyring()
        if isinstance(backend, keyring.backends.chainer.ChainerBackend):
            # A chain writes to the first member that takes the secret: with a plaintext member behind a
            # locked OS keyring, the secret would land in plain text. Only its encrypting members count,
            # the best of them alone.
            members = list(backend.backends)
            encrypting = [member for member in members if encrypts_at_rest(member)]
            if encrypting:
                return encrypting[0]
            plaintext = [m for m in members if not isinstance(m, _UNUSABLE)]
            if plaintext:
                raise KeyringNotEncrypted(_backend_name(plaintext[0]))
            raise KeyStoreUnavailable(f"no usable keyring backend ({_backend_name(backend)})")
        if isinstance(backend, _UNUSABLE):
            raise KeyStoreUnavailable(f"no usable keyring backend ({_backend_name(backend)})")
        if not encrypts_at_rest(backend):
            raise KeyringNotEncrypted(_backend_name(backend))
        return backend

    def get(self, username: str) -> str | None:
        backend = self._usable_backend()
        try:
            return backend.get_password(SERVICE, username)
        except Exception as exc:  # any backend failure (D-Bus, locked, ...) means: not usable now
            raise self._unavailable("read", exc) from exc

    def set(self, username: str, secret: str) -> None:
        backend = self._usable_backend()
        try:
            backend.set_password(SERVICE, username, secret)
            kept = backend.get_password(SERVICE, username)
        except Exception as exc:
            raise self._unavailable("write", exc) from exc
        if kept != secret:
            raise KeyStoreUnavailable("the keyring did not keep the secret")

    def delete(self, username: str) -> bool:
        backend = self._usable_backend()
        try:
            if backend.get_password(SERVICE, username) is None:
                return False
            backend.delete_password(SERVICE, username)
        except Exception as exc:
            raise self._unavailable("delete", exc) from exc
        return True

    @staticmethod
    def _unavailable(what: str, exc: Exception) -> KeyStoreUnavailable:
        # The exception type only: backend messages are not ours to vouch for.
        logger.warning("keyring %s failed: %s", what, type(exc).__name__)
        return KeyStoreUnavailable(f"the keyring could not {what} ({type(exc).__name__})")


def _decode_key(stored: str) -> bytes:
    try:
        material = bytes.fromhex(stored)
    except ValueError:
        raise StoredKeyInvalid("the keyring entry is not a hex key") from None
    if len(material) != KEY_BYTES:
        raise StoredKeyInvalid("the keyring entry has the wrong length for a key")
    return material


class KeyStore:
    """The cache key of one profile."""

    def __init__(self, profile: str, *, backend: keyring.backend.KeyringBackend | None = None) -> None:
        if not profile or ":" in profile:
            # ":" separates the profile from the token and pending-key entries.
            raise ValueError("a profile name is non-empty and has no ':'")
        self._profile = profile
        self._keyring = _Keyring(backend)

    @property
    def profile(self) -> str:
        return self._profile

    def load_key(self) -> bytes | None:
        stored = self._keyring.get(self._profile)
        return _decode_key(stored) if stored is not None else None

    def get_or_create_key(self) -> ProfileKey:
        existing = self.load_key()
        if existing is not None:
            return ProfileKey(existing, created=False)
        material = secrets.token_bytes(KEY_BYTES)
        self._keyring.set(self._profile, material.hex())
        logger.info("created a new cache key in the keyring")
        return ProfileKey(material, created=True)

    def delete_key(self) -> bool:
        """Forget the key (after the cache it protected was deleted). True if there was one."""
        return self._keyring.delete(self._profile)

    # Rotation in three steps, so that a crash at any point leaves a key that opens the cache:
    #   new = begin_rotation()   the new key is kept under a second entry first
    #   store.rekey(RawKey(new)) the cache is re-encrypted
    #   finish_rotation()        the new key replaces the old one, the second entry goes
    # After a crash between the last two steps the cache opens with pending_key(); then call
    # finish_rotation(). After a crash before the rekey, abandon_rotation().

    def begin_rotation(self) -> bytes:
        material = secrets.token_bytes(KEY_BYTES)
        self._keyring.set(self._profile + _PENDING_SUFFIX, material.hex())
        return material

    def pending_key(self) -> bytes | None:
        stored = self._keyring.get(self._profile + _PENDING_SUFFIX)
        return _decode_key(stored) if stored is not None else None

    def finish_rotation(self) -> None:
        pending = self.pending_key()
        if pending is None:
            raise KeyStoreError("no key rotation in progress")
        self._keyring.set(self._profile, pending.hex())
        self._keyring.delete(self._profile + _PENDING_SUFFIX)
        logger.info("cache key rotated")

    def abandon_rotation(self) -> bool:
        return self._keyring.delete(self._profile + _PENDING_SUFFIX)


class TokenStore:
    """The server's login token for one profile. The client keeps only this token, never a password."""

    def __init__(self, profile: str, *, backend: keyring.backend.KeyringBackend | None = None) -> None:
        if not profile or ":" in profile:
            raise ValueError("a profile name is non-empty and has no ':'")
        self._username = profile + _TOKEN_SUFFIX
        self._keyring = _Keyring(backend)

    def get(self) -> str | None:
        return self._keyring.get(self._username)

    def set(self, token: str) -> None:
        if not token:
            raise ValueError("empty token")
        self._keyring.set(self._username, token)

    def delete(self) -> bool:
        return self._keyring.delete(self._username)
