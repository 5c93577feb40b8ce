"""Where each profile keeps its files: a private folder (mode 0700) under the user's data directory."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path

import platformdirs

APP_NAME = "operator-desk"
FOLDER_MODE = 0o700
CACHE_FILE_NAME = "cache.sqlite3"
_SAFE = re.compile(r"[^A-Za-z0-9._@-]")


def data_root() -> Path:
    """The user's data directory for the app (``~/.local/share/operator-desk`` on Linux)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def profile_folder_name(profile: str) -> str:
    """A file-system-safe folder name for a profile. Names with other characters (or that look like
    ``.``/``..``) get them replaced plus a short digest, so two profiles never share a folder."""
    if not profile:
        raise ValueError("empty profile name")
    safe = _SAFE.sub("_", profile)
    if safe == profile and profile.strip(".") and len(profile) <= 100:
        return profile
    digest = hashlib.sha256(profile.encode("utf-8")).hexdigest()[:12]
    return f"{safe.strip('.')[:80]}-{digest}"


def private_folder(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700, and tighten it to 0700 if it exists wider."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != FOLDER_MODE:
        os.chmod(path, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    return path


def profile_dir(profile: str, *, root: Path | None = None) -> Path:
    """The profile's private folder, created on first use. ``root`` replaces the data directory (tests,
    portable installs)."""
    base = root if root is not None else data_root()
    private_folder(base)
    return private_folder(base / "profiles" / profile_folder_name(profile))


def cache_path(profile: str, *, root: Path | None = None) -> Path:
    """The profile's cache file (created by the store, not here)."""
    return profile_dir(profile, root=root) / CACHE_FILE_NAME


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only (0600), also when the file exists.

    For what leaves the encrypted cache by the user's choice, such as a data-subject export: it holds
    everything about a person, so other accounts on the machine must not read it. Blocks: call it off
    the UI thread.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        # O_CREAT's mode applies only to a new file: tighten one that was there before.
        os.fchmod(file.fileno(), stat.S_IRUSR | stat.S_IWUSR)
        file.write(text)
