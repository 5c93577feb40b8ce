"""Operator credentials: argon2id password hashes, opaque tokens kept only as their sha256, and the
failed-login limits."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's minimum for argon2id (19 MiB, 2 passes): a login costs tens of milliseconds, not hundreds,
# and it runs off the event loop.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified when the username is unknown, so that a wrong username costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def address_key(address: str) -> str:
    """What one party controls: an IPv4 address, or the /64 an IPv6 host is handed as a whole."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def address_digest(address: str) -> str:
    """What an address is known by outside the node (the site's shared limits in Redis): a digest."""
    return hashlib.blake2b(address.encode(), digest_size=12).hexdigest()


def login_digests(username: str, address: str) -> tuple[str, str]:
    """What the failed-login limits count, as digests: of the (account, address) pair and of the address
    (``address_key``). A limiter keeps these, never a name or an address, and they are what nodes tell
    each other of an attempt (cluster.py)."""
    where = address_key(address)
    pair = hashlib.sha256(f"{username.casefold()}\n{where}".encode()).hexdigest()
    return pair, hashlib.sha256(where.encode()).hexdigest()


def _keys_of_digests(pair: str, place: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return ("pair", pair), ("address", place)


@dataclass(slots=True)
class _Failures:
    count: int = 0
    window_start: float = 0.0
    strikes: int = 0  # how often this key was locked: the next lock lasts twice as long
    locked_until: float = 0.0
    last: float = 0.0


class LoginLimiter:
    """Failed logins, counted per (account, address) and per address; never per account alone, so that
    guesses from one place cannot lock the owner out from another.

    ``per_account`` failures for one account from one address within ``window`` lock that pair, and
    ``per_address`` failures from one address (any accounts: a sweep over user names) lock the address,
    for ``window`` seconds, twice as long at each further lock (up to ``max_lock``), until the key has
    been quiet for ``max_lock``. An attempt counts as failed until its password is verified, so guesses
    sent at once on many connections cannot all pass the check while argon2 runs. At most ``capacity``
    keys are remembered (the least recently failed are forgotten first): memory is bounded whatever
    number of addresses and names an attacker uses."""

    def __init__(
        self,
        *,
        per_account: int = 5,
        per_address: int = 20,
        window: float = 60.0,
        max_lock: float = 3600.0,
        capacity: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = {"pair": per_account, "address": per_address}
        self._window = window
        self._max_lock = max_lock
        self._capacity = capacity
        self._clock = clock
        self._keys: OrderedDict[tuple[str, ...], _Failures] = OrderedDict()

    def __len__(self) -> int:
        return len(self._keys)

    @staticmethod
    def _keys_of(username: str, address: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return _keys_of_digests(*login_digests(username, address))

    def locked_for(self, username: str, address: str) -> float:
        """Seconds until this account may be tried again from this address (0: it may now)."""
        now = self._clock()
        self._forget_quiet(now)
        waits = [
            failures.locked_until - now
            for key in self._keys_of(username, address)
            if (failures := self._keys.get(key)) is not None
        ]
        return max([0.0, *waits])

    def record_attempt(self, username: str, address: str) -> None:
        """Count an attempt as failed (before its password is checked: see the class)."""
        self.count_attempt(*login_digests(username, address))

    def count_attempt(self, pair: str, place: str) -> None:
        """``record_attempt`` by the digests of ``login_digests`` (an attempt made on another node)."""
        now = self._clock()
        for key in _keys_of_digests(pair, place):
            failures = self._keys.pop(key, None) or _Failures(window_start=now)
            if now - failures.window_start > self._window:
                failures.count, failures.window_start = 0, now
            failures.count += 1
            failures.last = now
            if failures.count >= self._limits[key[0]]:
                lock = min(self._max_lock, self._window * 2**failures.strikes)
                failures.locked_until = now + lock
                failures.strikes += 1
                failures.count, failures.window_start = 0, failures.locked_until
            self._keys[key] = failures  # most recently failed last
        while len(self._keys) > self._capacity:
            self._keys.popitem(last=False)

    def record_success(self, username: str, address: str) -> None:
        """The password was right: the pair starts afresh, and the attempt no longer counts against the
        address."""
        self.count_success(*login_digests(username, address))

    def count_success(self, pair_digest: str, place_digest: str) -> None:
        """``record_success`` by the digests of ``login_digests``."""
        pair, place = _keys_of_digests(pair_digest, place_digest)
        self._keys.pop(pair, None)
        failures = self._keys.get(place)
        if failures is not None and failures.count > 0:
            failures.count -= 1

    def _forget_quiet(self, now: float) -> None:
        keys = self._keys
        while keys:
            failures = next(iter(keys.values()))
            if now - max(failures.last, failures.locked_until) < self._max_lock:
                break
            keys.popitem(last=False)
