"""Per-profile data folders: private (0700), distinct per profile, safe names."""

from __future__ import annotations

import stat
from pathlib import Path

from operator_desk.platform.paths import cache_path, data_root, profile_dir, profile_folder_name


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_profile_folder_is_created_private(tmp_path: Path) -> None:
    folder = profile_dir("alice@desk.example", root=tmp_path / "data")
    assert folder.is_dir()
    assert folder.parent.parent == tmp_path / "data"
    assert _mode(folder) == 0o700
    assert _mode(tmp_path / "data") == 0o700


def test_an_existing_open_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "profiles" / "alice"
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    assert profile_dir("alice", root=tmp_path) == folder
    assert _mode(folder) == 0o700


def test_cache_file_lives_in_the_profile_folder(tmp_path: Path) -> None:
    path = cache_path("alice", root=tmp_path)
    assert path.parent == profile_dir("alice", root=tmp_path)
    assert not path.exists()  # the store creates it, with its own mode


def test_unsafe_profile_names_get_distinct_safe_folders() -> None:
    names = ["../../etc", "a/b", "a_b", "..", "alice@desk.example:8443", "alice@desk.example_8443"]
    folders = [profile_folder_name(n) for n in names]
    assert len(set(folders)) == len(names)
    for folder in folders:
        assert "/" not in folder and folder not in (".", "..") and not folder.startswith(".")


def test_default_root_is_the_user_data_folder() -> None:
    assert data_root().name == "operator-desk"


def test_private_file_is_owner_only_new_or_overwritten(tmp_path):
    from operator_desk.platform.paths import write_private_file

    fresh = tmp_path / "export.json"
    write_private_file(fresh, '{"name": "Ada"}')
    assert fresh.read_text(encoding="utf-8") == '{"name": "Ada"}'
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600

    existing = tmp_path / "old.json"
    existing.write_text("a much longer earlier export", encoding="utf-8")
    existing.chmod(0o644)
    write_private_file(existing, "{}")
    assert existing.read_text(encoding="utf-8") == "{}"
    assert stat.S_IMODE(existing.stat().st_mode) == 0o600
