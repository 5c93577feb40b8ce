"""The desk with a keyring that would keep its secrets in plain text (keyrings.alt's PlaintextKeyring
installed as the system's keyring): the cache key is never handed to it, and the desk offers the
passphrase choice, saying why."""

from __future__ import annotations

import asyncio

import pytest
from keyrings.alt.file import PlaintextKeyring

from operator_desk.store import Store
from operator_desk.ui.dialogs.cache_choice import CacheChoiceDialog
from operator_desk.ui.flows.cache_opening import open_cache
from tests.kit.keyrings import installed


@pytest.fixture
def plaintext_keyring(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    with installed(backend):
        yield backend


def _open_dialog(qapp) -> CacheChoiceDialog | None:
    shown = [w for w in qapp.topLevelWidgets() if isinstance(w, CacheChoiceDialog) and w.isVisible()]
    return shown[0] if shown else None


def test_a_plaintext_keyring_gets_no_key_and_the_desk_offers_a_passphrase(qapp, qtbot, qloop, tmp_path,
                                                                           plaintext_keyring):
    opening = asyncio.ensure_future(open_cache("plain"), loop=qloop)
    qtbot.waitUntil(lambda: _open_dialog(qapp) is not None)
    dialog = _open_dialog(qapp)
    texts = " ".join(label.text() for label in dialog.findChildren(type(dialog.error_label)))
    assert "PlaintextKeyring" in texts and "unencrypted" in texts
    assert dialog.passphrase_option.isChecked()
    dialog.passphrase_edit.setText("correct horse battery")
    dialog.confirm_edit.setText("correct horse battery")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(opening.done)
    store = opening.result()
    assert isinstance(store, Store)
    task = asyncio.ensure_future(store.close(), loop=qloop)
    qtbot.waitUntil(task.done)
    # The key never reached the plaintext file; the cache is encrypted (by the passphrase).
    assert not (tmp_path / "keyring_pass.cfg").exists()
    caches = list((tmp_path / "data").rglob("cache.sqlite3"))
    assert caches and all(not c.read_bytes().startswith(b"SQLite format 3") for c in caches)
