"""Signing a command in, and the profile's cache it reads and purges.

The stored token is used when it is this account's: the profile (``--profile``) was last signed in to
the same server as the same user. Otherwise the password is read from standard input when that is not a
terminal (a script pipes it in), or asked for on the terminal; a token won with a password is not kept
(nothing of a batch run outlives it). The profile's cache is read only under the same condition: it
holds what that account's desk received, and its unsent messages would be sent in that account's name.
A cache that cannot be opened (the desk runs with this profile and holds it, the key is not in the
keyring) stops the command, unless ``--no-cache`` says to go without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import logging
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from operator_desk.commands.exit_codes import CommandFailed, Exit, or_exit
from operator_desk.platform.keystore import KeyStore, KeyStoreError, TokenStore
from operator_desk.platform.paths import cache_path
from operator_desk.services.desk import Desk
from operator_desk.services.events import Event
from operator_desk.services.tokens import MemoryTokens
from operator_desk.store import DatabaseLocked, RawKey, Store, StoreError
from operator_desk.ui.settings import DeskSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Account:
    server: str | None
    user: str | None
    profile: str
    use_cache: bool
    allow_insecure: bool = False
    ca_file: str | None = None
    client_version: str = "0.1.0"


def profile_settings(profile: str) -> DeskSettings:
    """The desk's own settings of the profile (the app reads the same file)."""
    return DeskSettings(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "operator-desk",
                                  f"desk-{profile}"))


def _ignore(event: Event) -> None:
    """A command shows no live events; what it asked for comes back as answers."""


@contextlib.asynccontextmanager
async def signed_in(account: Account, say: Callable[[str], None]) -> AsyncIterator[Desk]:
    settings = profile_settings(account.profile)
    server = account.server or settings.server_url
    user = account.user or settings.last_username
    if not user:
        raise CommandFailed(Exit.USAGE, "--user is needed (this profile has never signed in)")
    this_profiles = settings.server_url.rstrip("/") == server.rstrip("/") and settings.last_username == user
    store = await _open_cache(account.profile) if account.use_cache and this_profiles else None
    if account.use_cache and not this_profiles:
        say(f"the cache of profile {account.profile!r} is another account's: not read")
    desk: Desk | None = None
    try:
        if this_profiles:
            desk = _desk(account, server, store, TokenStore(account.profile))
            if not await or_exit(desk.start()):
                await desk.close()
                desk = None
        if desk is None:
            password = await asyncio.to_thread(read_password, user, server)
            desk = _desk(account, server, store, MemoryTokens())
            await or_exit(desk.sign_in(user, password))
        yield desk
    finally:
        if desk is not None:
            await desk.close()
        if store is not None:
            await store.close()


def _desk(account: Account, server: str, store: Store | None, tokens: TokenStore | MemoryTokens) -> Desk:
    return Desk(server_url=server, profile=account.profile, sink=_ignore, store=store, tokens=tokens,
                allow_insecure=account.allow_insecure, ca_file=account.ca_file,
                client_version=account.client_version)


def read_password(user: str, server: str) -> str:
    """The password: the first line of standard input when that is not a terminal, else asked for."""
    if sys.stdin is None:
        raise CommandFailed(Exit.USAGE, "no stored sign-in and no standard input to read a password from")
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password of {user} at {server}: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandFailed(Exit.USAGE, "no stored sign-in for this account, and no password given "
                                        "(pipe it to standard input)")
    return password


async def _open_cache(profile: str) -> Store | None:
    """The profile's cache; None when it has none (never signed in here, or no keyring entry)."""
    path = await asyncio.to_thread(cache_path, profile)
    if not await asyncio.to_thread(path.exists):
        return None
    try:
        key = await asyncio.to_thread(KeyStore(profile).load_key)
    except KeyStoreError as exc:
        raise CommandFailed(Exit.FAILED, f"the cache key is not readable from the keyring "
                                         f"({type(exc).__name__}); add --no-cache to go without it") from exc
    if key is None:
        raise CommandFailed(Exit.FAILED, "the cache key is not in the keyring (a cache with a passphrase?); "
                                         "add --no-cache to go without it")
    try:
        return await Store.open(path, RawKey(key))
    except DatabaseLocked as exc:
        raise CommandFailed(Exit.FAILED, "the desk is running with this profile and holds its cache: quit "
                                         "it, or add --no-cache") from exc
    except StoreError as exc:
        raise CommandFailed(Exit.FAILED, f"this computer's cache does not open ({type(exc).__name__}); "
                                         "add --no-cache to go without it") from exc


def say(line: str) -> None:
    """A line about what a command does, on standard error (standard output holds its results)."""
    print(f"operator-desk: {line}", file=sys.stderr, flush=True)
