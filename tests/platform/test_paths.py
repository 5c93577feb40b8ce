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
