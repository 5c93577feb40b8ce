"""Opening the profile's local cache, asking the user only when something is in the way.

The usual path asks nothing: the key comes from the OS keyring and the cache opens. Without a usable
keyring (none, one that keeps secrets unencrypted, an unreadable entry) the user chooses a passphrase or
no cache; when the file does not open (damaged, locked, newer, wrong key) the user chooses a fresh cache
(the old file is kept aside), no cache this time, or Quit (``NoCache``). Nothing is deleted here.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from operator_desk.platform.keystore import KeyringNotEncrypted, KeyStore, KeyStoreError, KeyStoreUnavailable
from operator_desk.platform.paths import cache_path
from operator_desk.store import (
    CorruptDatabase,
    DatabaseLocked,
    NewerSchema,
    Passphrase,
    RawKey,
    Store,
    StoreEnvironmentError,
    WrongKey,
    move_aside,
)
from operator_desk.ui.dialogs.async_dialog import run_dialog
from operator_desk.ui.dialogs.cache_choice import CacheChoiceDialog
from operator_desk.ui.flows.no_cache import NoCache

logger = logging.getLogger(__name__)


async def open_cache(profile: str) -> Store | NoCache:
    """The profile's open cache, or what the user chose instead of one."""
    path = await asyncio.to_thread(cache_path, profile)
    keys = KeyStore(profile)
    try:
        key = await asyncio.to_thread(keys.get_or_create_key)
    except KeyringNotEncrypted as exc:
        logger.info("the keyring backend %s does not encrypt at rest; asking how to protect the cache",
                    exc.backend_name)
        return await _open_with_passphrase(path, unencrypted_keyring=exc.backend_name)
    except KeyStoreUnavailable:
        logger.info("no usable keyring; asking how to protect the cache")
        return await _open_with_passphrase(path)
    except KeyStoreError as exc:
        logger.info("the keyring entry is unusable (%s)", type(exc).__name__)
        return await _open_with_passphrase(path)
    return await _open_store(path, RawKey(key.material))


async def _open_with_passphrase(path: Path, *, unencrypted_keyring: str = "") -> Store | NoCache:
    problem = ""
    existing = await asyncio.to_thread(path.exists)
    while True:
        dialog = CacheChoiceDialog(existing_cache=existing, problem=problem,
                                   unencrypted_keyring=unencrypted_keyring)
        if await run_dialog(dialog) != CacheChoiceDialog.DialogCode.Accepted:
            return NoCache.QUIT
        choice = dialog.choice()
        dialog.deleteLater()
        if choice.passphrase is None:
            return NoCache.WITHOUT
        try:
            return await _open_store(path, Passphrase(choice.passphrase), raise_wrong_key=True)
        except WrongKey:
            problem = QCoreApplication.translate(
                "cache_opening", "That passphrase does not open the cache. Try again.")


async def _open_store(
    path: Path, key: RawKey | Passphrase, *, raise_wrong_key: bool = False
) -> Store | NoCache:
    while True:
        try:
            return await Store.open(path, key)
        except WrongKey:
            if raise_wrong_key:
                raise
            reason = QCoreApplication.translate(
                "cache_opening", "The local cache cannot be opened with the key in your keyring.")
            can_reset = True
        except CorruptDatabase:
            reason = QCoreApplication.translate("cache_opening", "The local cache is damaged.")
            can_reset = True
        except DatabaseLocked:
            reason = QCoreApplication.translate(
                "cache_opening", "The local cache is in use, probably by another copy of Operator Desk with "
                "this profile.")
            can_reset = False
        except NewerSchema:
            reason = QCoreApplication.translate(
                "cache_opening", "The local cache was written by a newer version of Operator Desk.")
            can_reset = False
        except StoreEnvironmentError as exc:
            reason = QCoreApplication.translate(
                "cache_opening", "The local cache cannot be opened (%1).").replace("%1", type(exc).__name__)
            can_reset = False
        logger.info("cache did not open: %s", reason)
        choice = await _ask_after_problem(reason, can_reset=can_reset)
        if choice is not None:
            return choice
        await asyncio.to_thread(move_aside, path)


async def _ask_after_problem(reason: str, *, can_reset: bool) -> NoCache | None:
    """What to do about a cache that did not open: None to start a fresh one (the old file kept aside)."""
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("cache_opening", "Local cache"),
                      reason)
    box.setInformativeText(QCoreApplication.translate(
        "cache_opening", "You can go on without a local cache this time: chats work, but nothing is kept on "
        "this computer."))
    fresh = box.addButton(QCoreApplication.translate(
        "cache_opening", "Start a fresh cache (keep the old file aside)"),
        QMessageBox.ButtonRole.AcceptRole) if can_reset else None
    without = box.addButton(QCoreApplication.translate("cache_opening", "Continue without a local cache"),
                            QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QCoreApplication.translate("cache_opening", "Quit"), QMessageBox.ButtonRole.RejectRole)
    await run_dialog(box)
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is without:
        return NoCache.WITHOUT
    if fresh is None or clicked is not fresh:
        return NoCache.QUIT
    return None
