"""The key store: one random key per profile in the keyring, created once, typed errors without one."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest

from operator_desk.platform.keystore import (
    SERVICE,
    KeyringNotEncrypted,
    KeyStore,
    KeyStoreError,
    KeyStoreUnavailable,
    StoredKeyInvalid,
    TokenStore,
)
from tests.kit.keyrings import DBusBrokenKeyring, ForgetfulKeyring, LockedKeyring, MemoryKeyring, installed


def test_first_run_creates_a_key_and_later_runs_reuse_it(memory_keyring: MemoryKeyring) -> None:
    first = KeyStore("alice@desk.example").get_or_create_key()
    again = KeyStore("alice@desk.example").get_or_create_key()
    assert first.created and not again.created
    assert len(first.material) == 32
    assert again.material == first.material
    assert memory_keyring.secrets == {(SERVICE, "alice@desk.example"): first.material.hex()}


def test_each_profile_has_its_own_random_key(memory_keyring: MemoryKeyring) -> None:
    alice = KeyStore("alice").get_or_create_key().material
    bob = KeyStore("bob").get_or_create_key().material
    assert alice != bob


def test_fail_backend_raises_the_typed_error_and_writes_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with installed(keyring.backends.fail.Keyring()):
        store = KeyStore("alice")
        with pytest.raises(KeyStoreUnavailable):
            store.get_or_create_key()
        with pytest.raises(KeyStoreUnavailable):
            TokenStore("alice").set("tok")
    assert list(tmp_path.iterdir()) == []  # no key, no token, nothing in plain text anywhere


@pytest.mark.allow_log_warnings
@pytest.mark.parametrize(
    "backend",
    [LockedKeyring(), DBusBrokenKeyring(), keyring.backends.null.Keyring(), ForgetfulKeyring()],
    ids=["locked", "dbus-error", "null", "forgetful"],
)
def test_unusable_backends_raise_the_typed_error(backend) -> None:
    with pytest.raises(KeyStoreUnavailable):
        KeyStore("alice", backend=backend).get_or_create_key()


def test_a_stored_value_that_is_not_a_key_is_reported_and_left_alone() -> None:
    backend = MemoryKeyring()
    backend.secrets[(SERVICE, "alice")] = "hunter2"
    with pytest.raises(StoredKeyInvalid):
        KeyStore("alice", backend=backend).get_or_create_key()
    assert backend.secrets[(SERVICE, "alice")] == "hunter2"


def test_rotation_is_staged_so_a_key_for_the_cache_always_exists() -> None:
    backend = MemoryKeyring()
    store = KeyStore("alice", backend=backend)
    old = store.get_or_create_key().material
    new = store.begin_rotation()
    # Until finished, both keys are kept: the cache may be under either after a crash.
    assert store.load_key() == old
    assert store.pending_key() == new
    store.finish_rotation()
    assert store.load_key() == new
    assert store.pending_key() is None
    with pytest.raises(KeyStoreError):
        store.finish_rotation()


def test_an_abandoned_rotation_keeps_the_old_key() -> None:
    store = KeyStore("alice", backend=MemoryKeyring())
    old = store.get_or_create_key().material
    store.begin_rotation()
    assert store.abandon_rotation()
    assert store.load_key() == old and store.pending_key() is None


def test_token_is_kept_apart_from_the_key(memory_keyring: MemoryKeyring) -> None:
    tokens = TokenStore("alice")
    assert tokens.get() is None
    tokens.set("opaque-token-123")
    assert TokenStore("alice").get() == "opaque-token-123"
    assert memory_keyring.secrets[(SERVICE, "alice:token")] == "opaque-token-123"
    assert KeyStore("alice").load_key() is None
    assert tokens.delete()
    assert tokens.get() is None
    assert not tokens.delete()


def test_profile_names_cannot_reach_the_token_or_pending_entries() -> None:
    with pytest.raises(ValueError, match="profile"):
        KeyStore("alice:token")
    with pytest.raises(ValueError, match="profile"):
        TokenStore("")


def test_key_material_never_shows_in_its_repr(memory_keyring: MemoryKeyring) -> None:
    key = KeyStore("alice").get_or_create_key()
    assert key.material.hex() not in repr(key)


@pytest.fixture
def plaintext_keyring(tmp_path, monkeypatch):
    """keyrings.alt's PlaintextKeyring installed as the process's keyring, its file in tmp_path (it keeps
    secrets there as base64: readable by anyone who can read the home folder or a backup of it)."""
    from keyrings.alt.file import PlaintextKeyring

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring_pass.cfg")
    with installed(backend):
        yield backend


def test_a_plaintext_keyring_is_refused_and_given_nothing(plaintext_keyring, tmp_path) -> None:
    with pytest.raises(KeyringNotEncrypted) as refused:
        KeyStore("alice").get_or_create_key()
    assert refused.value.backend_name == "PlaintextKeyring"
    assert isinstance(refused.value, KeyStoreUnavailable)  # the app offers the passphrase choice
    with pytest.raises(KeyringNotEncrypted):
        TokenStore("alice").set("opaque-token-123")
    with pytest.raises(KeyringNotEncrypted):
        TokenStore("alice").get()
    # Neither the key nor the token reached the file, or any file.
    assert not (tmp_path / "keyring_pass.cfg").exists()
    assert not (tmp_path / "data").exists()


def test_a_value_already_in_a_plaintext_keyring_is_not_read(plaintext_keyring) -> None:
    plaintext_keyring.set_password(SERVICE, "alice", "ab" * 32)
    with pytest.raises(KeyringNotEncrypted):
        KeyStore("alice").load_key()


def test_a_chain_uses_only_its_encrypting_members(tmp_path, monkeypatch) -> None:
    """With an OS keyring and keyrings.alt installed, keyring chains them: a secret would go to the
    plaintext file whenever the OS keyring refused it. Only the encrypting member is used."""
    from keyring.backends.chainer import ChainerBackend
    from keyrings.alt.file import PlaintextKeyring

    plaintext = PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "keyring_pass.cfg")
    plaintext.priority = 50  # ahead of the encrypting one in the chain
    encrypting = MemoryKeyring()
    monkeypatch.setattr("keyring.backend.get_all_keyring", lambda: [plaintext, encrypting])
    chain = ChainerBackend()
    assert [type(b) for b in chain.backends] == [PlaintextKeyring, MemoryKeyring]
    key = KeyStore("alice", backend=chain).get_or_create_key()
    TokenStore("alice", backend=chain).set("opaque-token-123")
    assert encrypting.secrets[(SERVICE, "alice")] == key.material.hex()
    assert encrypting.secrets[(SERVICE, "alice:token")] == "opaque-token-123"
    assert not (tmp_path / "keyring_pass.cfg").exists()

    monkeypatch.setattr("keyring.backend.get_all_keyring", lambda: [plaintext])
    with pytest.raises(KeyringNotEncrypted):
        KeyStore("alice", backend=ChainerBackend()).get_or_create_key()
    assert not (tmp_path / "keyring_pass.cfg").exists()


def test_the_os_keyrings_count_as_encrypting() -> None:
    from keyring.backends import SecretService, kwallet, libsecret

    from operator_desk.platform.keystore import encrypts_at_rest

    for backend_class in (SecretService.Keyring, libsecret.Keyring, kwallet.DBusKeyring):
        assert encrypts_at_rest(backend_class.__new__(backend_class)), backend_class
    from keyrings.alt.file import EncryptedKeyring, PlaintextKeyring

    assert not encrypts_at_rest(PlaintextKeyring())
    # keyrings.alt's EncryptedKeyring asks for its password on a terminal: no use to a desktop app.
    assert not encrypts_at_rest(EncryptedKeyring.__new__(EncryptedKeyring))
