"""Operator credentials: argon2id password hashes, opaque tokens kept only as their sha256, and the
failed-login limit."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's minimum for argon2id (19 MiB, 2 passes): a login costs tens of milliseconds, not hundreds,
# and it runs off the event loop.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified when the username is unknown, so that a wrong username costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

TOKEN_DAYS = 30
FAILED_LOGIN_LIMIT = 5
FAILED_LOGIN_WINDOW = 60.0


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


class FailedLoginLimiter:
    """Five failed logins for one username within a minute lock that username until the oldest failure
    is a minute old. Counted per username, not per address: the attack it stops is password guessing
    against one account."""

    def __init__(
        self,
        limit: int = FAILED_LOGIN_LIMIT,
        window: float = FAILED_LOGIN_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)

    def _recent(self, username: str) -> deque[float]:
        failures = self._failures[username]
        horizon = self._clock() - self._window
        while failures and failures[0] <= horizon:
            failures.popleft()
        if not failures:
            del self._failures[username]
            return deque()
        return failures

    def is_locked(self, username: str) -> bool:
        return len(self._recent(username.casefold())) >= self._limit

    def record_failure(self, username: str) -> None:
        key = username.casefold()
        self._recent(key)
        self._failures[key].append(self._clock())

    def reset(self, username: str) -> None:
        self._failures.pop(username.casefold(), None)
