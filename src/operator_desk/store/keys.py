"""How a cache is keyed: a raw 256-bit key (the normal case) or a passphrase (when no keyring works).

A raw key is handed to SQLCipher as ``x'<hex>'`` and skips its key derivation (about 200 ms per open
here). A passphrase goes through SQLCipher's own KDF (PBKDF2-HMAC-SHA512, 256,000 iterations, with the
per-file salt SQLCipher keeps in the first 16 bytes of the file): we add no KDF of our own, so there is
one well-reviewed derivation and nothing extra to store.
"""

from __future__ import annotations

from dataclasses import dataclass

RAW_KEY_BYTES = 32


@dataclass(frozen=True, slots=True)
class RawKey:
    """32 random bytes, as kept in the OS keyring."""

    material: bytes

    def __post_init__(self) -> None:
        if len(self.material) != RAW_KEY_BYTES:
            raise ValueError(f"a raw key has {RAW_KEY_BYTES} bytes")

    def __repr__(self) -> str:  # never show key material in a log or a traceback
        return "RawKey(<redacted>)"

    def pragma_value(self) -> str:
        return "\"x'" + self.material.hex() + "'\""


@dataclass(frozen=True, slots=True)
class Passphrase:
    """A passphrase the user typed; SQLCipher derives the key from it."""

    text: str

    def __post_init__(self) -> None:
        if not self.text or "\x00" in self.text:
            raise ValueError("a passphrase is non-empty and has no NUL characters")

    def __repr__(self) -> str:
        return "Passphrase(<redacted>)"

    def pragma_value(self) -> str:
        return "'" + self.text.replace("'", "''") + "'"


class _TestOnlyPlaintext:
    """Opens a database WITHOUT encryption. Only the erasure-residue test uses it, to look for leftover
    words in raw file bytes that encryption would otherwise hide. The app never passes it."""

    def __repr__(self) -> str:
        return "TEST_ONLY_PLAINTEXT"


TEST_ONLY_PLAINTEXT = _TestOnlyPlaintext()

CacheKey = RawKey | Passphrase | _TestOnlyPlaintext
