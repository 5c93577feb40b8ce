"""The encrypted local cache (SQLCipher) on its own thread: schema, retention, search, subjects. No Qt.

``Store`` is the API: each operation runs on the store's own thread and is awaited. Keys are ``RawKey``
(from the OS keyring) or ``Passphrase``.
"""

from operator_desk.store.connection import move_aside
from operator_desk.store.database import Store
from operator_desk.store.errors import (
    CacheUnusable,
    ConsentMissing,
    CorruptDatabase,
    DatabaseLocked,
    DiskFull,
    NewerSchema,
    ReadOnlyDatabase,
    StoreClosed,
    StoreEnvironmentError,
    StoreError,
    StoreInternalError,
    UnencryptedDatabase,
    WrongKey,
)
from operator_desk.store.keys import Passphrase, RawKey
from operator_desk.store.records import (
    CacheAuditEntry,
    CacheAuditPage,
    CacheAuditQuery,
    CacheRetention,
    DetailRequest,
    OutboxEntry,
    ReceivedDetail,
    SearchHit,
    SearchPage,
)

__all__ = [
    "CacheAuditEntry",
    "CacheAuditPage",
    "CacheAuditQuery",
    "CacheRetention",
    "CacheUnusable",
    "ConsentMissing",
    "CorruptDatabase",
    "DatabaseLocked",
    "DetailRequest",
    "DiskFull",
    "NewerSchema",
    "OutboxEntry",
    "Passphrase",
    "RawKey",
    "ReadOnlyDatabase",
    "ReceivedDetail",
    "SearchHit",
    "SearchPage",
    "Store",
    "StoreClosed",
    "StoreEnvironmentError",
    "StoreError",
    "StoreInternalError",
    "UnencryptedDatabase",
    "WrongKey",
    "move_aside",
]
