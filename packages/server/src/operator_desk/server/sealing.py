"""Crypto-shredding: each person's personal fields sealed under a key of their own, so that deleting the
key erases them from every copy the database made (docs/scaling.md, "Erasure on PostgreSQL").

PostgreSQL keeps what was deleted: in dead rows until a vacuum, in its write-ahead log, on every replica
and in every backup. So on PostgreSQL the repository seals each personal field (a visitor's name and
e-mail, messages' text and author name, received details, insights, page views, and what staff wrote or
the server queued about the person: review notes, case texts, approval reasons, audit details, webhook
bodies; docs/scaling.md lists every column) with AES-GCM under its person's key before it is written,
and opens it after it is read. The keys are 32 random bytes per visitor in the table ``person_keys``,
each wrapped (AES-GCM) under a key derived from the server's key file, as the server's own secrets are
(``wrap_secret``): the database, its WAL and its dumps hold no key that opens anything without that
file. An erasure deletes the person's key with the person; whatever copy of their rows is left is
ciphertext that nothing opens any more.

The SQLCipher file needs none of this (``PLAIN``): the file is encrypted as a whole with the key file,
and ``secure_delete`` with a truncated WAL overwrites what an erasure deletes. The repository asks
``of(conn)`` for the connection's sealer and calls it the same way on both engines.

The repository's functions run on the database worker, one transaction at a time: ``PersonKeys`` keeps
the keys it unwrapped (bounded) for the next transactions, but only once the transaction that read or
made them is committed (``ended``), so that a key of a rolled-back transaction is never used again.
``drop`` takes keys out of that cache from any thread (another node's erasure, heard on the bus).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

logger = logging.getLogger(__name__)

Connection = Any
NONCE = 12
# Unwrapped keys kept between transactions (about 200 bytes each), and chats' visitors.
CACHED_KEYS = 20_000
CACHED_CHATS = 20_000
# What the key file's key is checked against at open (settings): a wrong key file is refused there,
# before anything is read or written with it.
CHECK_SETTING = "person_keys_check"
_CHECK_TEXT = b"operator-desk person keys"


class SealError(Exception):
    """A sealed field does not open under its person's key: changed on disk, or moved to another row."""


class WrongKeyFile(Exception):
    """The key file is not the one the database's person keys were wrapped under."""


def _derive(file_key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"operator-desk " + purpose).derive(
        file_key)


class Plain:
    """The sealer of an engine that encrypts its files as a whole (SQLCipher): every field as it is."""

    seals = False

    def seal(self, conn: Connection, visitor_id: str, field: str, value: str | None) -> str | None:
        return value

    def open(self, conn: Connection, visitor_id: str, field: str, value: str | None) -> str | None:
        return value

    def seal_in_chat(self, conn: Connection, chat_id: str, field: str, value: str | None) -> str | None:
        return value

    def open_in_chat(self, conn: Connection, chat_id: str, field: str, value: str | None) -> str | None:
        return value

    def seal_bytes(self, conn: Connection, visitor_id: str, field: str, value: bytes | None) -> bytes | None:
        return value

    def open_bytes(self, conn: Connection, visitor_id: str, field: str, value: bytes | None) -> bytes | None:
        return value

    def seal_if_stored(self, conn: Connection, visitor_id: str | None, field: str,
                       value: str | None) -> str | None:
        return value

    def email_index(self, email: str | None) -> str | None:
        return None

    def wrap_secret(self, name: str, value: bytes) -> bytes:
        return value

    def unwrap_secret(self, name: str, stored: bytes) -> bytes:
        return stored

    def forget(self, conn: Connection, visitor_ids: Sequence[str]) -> None:
        pass

    def drop(self, visitor_ids: Sequence[str]) -> None:
        pass

    def take_shredded(self) -> list[str]:
        return []

    def ended(self, committed: bool) -> None:
        pass

    def check(self, conn: Connection) -> None:
        pass


PLAIN = Plain()


def of(conn: Connection) -> Plain:
    """The connection's sealer: its engine's ``PersonKeys``, or ``PLAIN``."""
    return getattr(conn, "sealer", PLAIN)


class PersonKeys(Plain):
    """The person keys of one database, wrapped under (a key derived from) the key file's key."""

    seals = True

    def __init__(self, file_key: bytes) -> None:
        self._wrap = AESGCM(_derive(file_key, b"person key wrapping"))
        self._index_key = _derive(file_key, b"e-mail index")
        self._keys: OrderedDict[str, AESGCM] = OrderedDict()
        self._chats: OrderedDict[str, str] = OrderedDict()
        # Learnt in the open transaction: cached once it commits, dropped if it rolls back.
        self._pending: dict[str, AESGCM | None] = {}
        # The parts of person_keys that erased keys were in, to be rewritten after the commit.
        self._shredded: set[str] = set()
        # ``drop`` may come from another thread: the cache changes under this lock, and a key dropped
        # while a transaction holds it in ``_pending`` is not cached when that transaction commits.
        self._lock = threading.Lock()
        self._dropped: set[str] = set()

    # -- the key file ------------------------------------------------------------------------------

    def check(self, conn: Connection) -> None:
        """Refuse a key file other than the one the database's keys are wrapped under (``WrongKeyFile``);
        on a database that has none yet, record this one's check value. Changes nothing else."""
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (CHECK_SETTING,)).fetchone()
        if row is None:
            if conn.execute("SELECT 1 FROM person_keys LIMIT 1").fetchone() is not None:
                raise WrongKeyFile("person keys are stored but no check value: not this server's database")
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)",
                         (CHECK_SETTING, self._wrap_bytes(_CHECK_TEXT, b"check")))
            return
        try:
            self._unwrap_bytes(bytes(row[0]), b"check")
        except InvalidTag:
            raise WrongKeyFile("the key file does not open this database's person keys") from None

    def wrap_secret(self, name: str, value: bytes) -> bytes:
        """One of the server's own secrets (``repository.secret``: the keys of the erasure pseudonyms,
        say) as it is stored: wrapped under the key file, as the person keys are, so that a dump of the
        database holds no key that works without that file."""
        return self._wrap_bytes(value, b"setting:" + name.encode())

    def unwrap_secret(self, name: str, stored: bytes) -> bytes:
        try:
            return self._unwrap_bytes(stored, b"setting:" + name.encode())
        except InvalidTag:
            raise SealError(f"the server secret {name} does not open under the key file") from None

    def has_check(self, conn: Connection) -> bool:
        return conn.execute("SELECT 1 FROM settings WHERE key = ?", (CHECK_SETTING,)).fetchone() is not None

    def _wrap_bytes(self, data: bytes, context: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE)
        return nonce + self._wrap.encrypt(nonce, data, b"person_keys:" + context)

    def _unwrap_bytes(self, wrapped: bytes, context: bytes) -> bytes:
        return self._wrap.decrypt(wrapped[:NONCE], wrapped[NONCE:], b"person_keys:" + context)

    # -- transactions ------------------------------------------------------------------------------

    def ended(self, committed: bool) -> None:
        """The open transaction committed (what it learnt is cached) or rolled back (forgotten)."""
        with self._lock:
            if committed:
                for visitor_id, key in self._pending.items():
                    if key is None or visitor_id in self._dropped:
                        self._keys.pop(visitor_id, None)
                    else:
                        self._keys[visitor_id] = key
                        self._keys.move_to_end(visitor_id)
                while len(self._keys) > CACHED_KEYS:
                    self._keys.popitem(last=False)
            self._pending.clear()
            self._dropped.clear()

    def drop(self, visitor_ids: Sequence[str]) -> None:
        """Forget these people's keys now, from any thread: they were erased (by another node, say),
        and their keys are gone from the database. Nothing is read or written; a key still wanted is
        read again (and is not there once the erasure is committed)."""
        with self._lock:
            for visitor_id in visitor_ids:
                self._keys.pop(visitor_id, None)
                self._dropped.add(visitor_id)

    def forget(self, conn: Connection, visitor_ids: Sequence[str]) -> None:
        """These people are about to be deleted (erased, or purged by retention), and their keys with
        them: not used again, whatever the transaction's fate, and the parts of the key table they are
        in are noted for ``take_shredded``."""
        self.drop(visitor_ids)
        for visitor_id in visitor_ids:
            self._pending[visitor_id] = None
        for start in range(0, len(visitor_ids), 500):
            chunk = visitor_ids[start:start + 500]
            rows = conn.execute("SELECT DISTINCT tableoid::regclass::text FROM person_keys "
                                f"WHERE visitor_id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
            self._shredded.update(row[0] for row in rows)

    def take_shredded(self) -> list[str]:
        """The parts of person_keys that held keys deleted since the last call (``forget``)."""
        shredded, self._shredded = sorted(self._shredded), set()
        return shredded

    # -- keys --------------------------------------------------------------------------------------

    def _key(self, conn: Connection, visitor_id: str, create: bool) -> AESGCM | None:
        if visitor_id in self._pending:
            key = self._pending[visitor_id]
            if key is not None or not create:
                return key
        else:
            key = self._keys.get(visitor_id)
            if key is not None:
                return key
        row = conn.execute("SELECT wrapped FROM person_keys WHERE visitor_id = ?", (visitor_id,)).fetchone()
        if row is None and create:
            wrapped = self._wrap_bytes(secrets.token_bytes(32), visitor_id.encode())
            # Another node may make one at the same time: one row wins (the insert returns nothing for
            # the other), and both use it. Nobody stored by that id (an audit entry's subject may be an
            # operator): no key, and nothing inserted.
            row = conn.execute("INSERT INTO person_keys (visitor_id, wrapped) SELECT ?, ? "
                               "WHERE EXISTS (SELECT 1 FROM visitors WHERE id = ?) "
                               "ON CONFLICT (visitor_id) DO NOTHING RETURNING wrapped",
                               (visitor_id, wrapped, visitor_id)).fetchone()
            if row is None:
                row = conn.execute("SELECT wrapped FROM person_keys WHERE visitor_id = ?",
                                   (visitor_id,)).fetchone()
        if row is None:
            return None  # erased (or never given anything to seal)
        try:
            key = AESGCM(self._unwrap_bytes(bytes(row[0]), visitor_id.encode()))
        except InvalidTag:
            raise SealError("a person key does not open under the key file: changed or moved") from None
        self._pending[visitor_id] = key
        return key

    def _visitor_of_chat(self, conn: Connection, chat_id: str) -> str | None:
        visitor_id = self._chats.get(chat_id)
        if visitor_id is None:
            row = conn.execute("SELECT visitor_id FROM chats WHERE id = ?", (chat_id,)).fetchone()
            if row is None:
                return None
            visitor_id = row[0]
            # A chat's visitor never changes, and chat ids are never reused: safe to keep at once.
            self._chats[chat_id] = visitor_id
            if len(self._chats) > CACHED_CHATS:
                self._chats.popitem(last=False)
        return visitor_id

    # -- fields ------------------------------------------------------------------------------------

    def seal(self, conn: Connection, visitor_id: str, field: str, value: str | None) -> str | None:
        """``value`` sealed under the person's key (made on first use); ``field`` ("table.column") is
        bound to it, so that it opens nowhere else. None and "" stay as they are (they hold nothing)."""
        if not value:
            return value
        sealed = self.seal_bytes(conn, visitor_id, field, value.encode())
        assert sealed is not None
        return base64.b64encode(sealed).decode("ascii")

    def open(self, conn: Connection, visitor_id: str, field: str, value: str | None) -> str | None:
        """The value sealed by ``seal``; None once the person's key is gone (they were erased)."""
        if not value:
            return value
        opened = self.open_bytes(conn, visitor_id, field, base64.b64decode(value))
        return opened.decode() if opened is not None else None

    def seal_bytes(self, conn: Connection, visitor_id: str, field: str, value: bytes | None) -> bytes | None:
        """``seal`` of bytes, for a BYTEA column: the nonce and the ciphertext as they are (28 bytes
        more than ``value``), no base64."""
        if not value:
            return value
        key = self._key(conn, visitor_id, create=True)
        if key is None:
            raise SealError(f"nobody stored to seal a {field} of")
        nonce = secrets.token_bytes(NONCE)
        return nonce + key.encrypt(nonce, value, field.encode())

    def open_bytes(self, conn: Connection, visitor_id: str, field: str, value: bytes | None) -> bytes | None:
        if not value:
            return value
        key = self._key(conn, visitor_id, create=False)
        if key is None:
            return None
        try:
            return key.decrypt(value[:NONCE], value[NONCE:], field.encode())
        except InvalidTag:
            raise SealError(f"a sealed {field} does not open under its person's key") from None

    def seal_if_stored(self, conn: Connection, visitor_id: str | None, field: str,
                       value: str | None) -> str | None:
        """``seal`` under the key of ``visitor_id`` if that names a stored visitor; otherwise (an
        operator, a team, an erasure's pseudonym, nobody) ``value`` as it is. The caller tells the two
        apart when it reads the value back (an audit detail: clear JSON starts with "{", base64 never
        has one)."""
        if not value or visitor_id is None:
            return value
        if self._key(conn, visitor_id, create=True) is None:
            return value
        return self.seal(conn, visitor_id, field, value)

    def seal_in_chat(self, conn: Connection, chat_id: str, field: str, value: str | None) -> str | None:
        visitor_id = self._visitor_of_chat(conn, chat_id)
        if visitor_id is None:
            raise SealError("no chat to seal a field of")
        return self.seal(conn, visitor_id, field, value)

    def open_in_chat(self, conn: Connection, chat_id: str, field: str, value: str | None) -> str | None:
        visitor_id = self._visitor_of_chat(conn, chat_id)
        return self.open(conn, visitor_id, field, value) if visitor_id is not None else None

    def email_index(self, email: str | None) -> str | None:
        """What finds a person by e-mail without the e-mail: an HMAC of it (case folded) under the key
        file. Kept beside the sealed e-mail; gone with the person's row."""
        if not email:
            return None
        return hmac.new(self._index_key, email.strip().casefold().encode(), hashlib.sha256).hexdigest()


def drop_cached_key(conn: Connection, visitor_id: str) -> None:
    """Another node of the site erased this person (the bus's ``Erasure``): the key this node's worker
    may still hold for them is dropped too. Their row is gone from the database already; a job queued
    behind this one finds no key, as on the erasing node."""
    of(conn).forget(conn, [visitor_id])
