"""Writing a bundle folder so that it is whole or absent: nothing half-written after a failure, a full
disk, a cancel or a crash.

The files go into a hidden sibling folder (``.<name>.partial-<random>``, mode 0700) created with the
final folder's parent; each file is created exclusively with mode 0600 and synced. Only when every file
(the manifest last) is written is the folder renamed to its name, and the parent synced; the optional zip
is written beside it the same way (``.<name>.zip.partial-<random>``) and renamed with it. Whatever stops
the work before that, the partial folder and zip are removed. A crash leaves at most a hidden
``.partial-`` folder, never a folder under the bundle's name.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
FOLDER_MODE = 0o700
FILE_MODE = 0o600


@dataclass(frozen=True, slots=True)
class FileEntry:
    name: str
    size: int
    sha256: str


class PartialFolder:
    """The folder being written. ``commit()`` makes it the bundle; ``discard()`` (also on leaving a
    ``with`` block without a commit) removes every trace of it."""

    def __init__(self, target: Path) -> None:
        if target.exists() or target.is_symlink():
            raise FileExistsError(f"{target} exists already")
        parent = target.parent
        if not parent.is_dir():
            raise FileNotFoundError(f"{parent} is not a folder")
        self.target = target
        self.path = parent / f".{target.name}.partial-{secrets.token_hex(4)}"
        os.mkdir(self.path, FOLDER_MODE)
        os.chmod(self.path, FOLDER_MODE)   # whatever the umask
        self.files: list[FileEntry] = []
        self.committed = False
        self.zip_target = target.with_name(target.name + ".zip")
        self._zip_partial: Path | None = None

    def __enter__(self) -> PartialFolder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self.committed:
            self.discard()

    def write(self, name: str, data: bytes) -> FileEntry:
        """A new file of the bundle, 0600, synced; its size and SHA-256 go into the manifest."""
        entry = FileEntry(name, len(data), hashlib.sha256(data).hexdigest())
        _write_new(self.path / name, data)
        self.files.append(entry)
        return entry

    def adopt(self, name: str) -> FileEntry:
        """A file something else wrote into the folder (the PDF renderer): checked, tightened, synced,
        hashed."""
        path = self.path / name
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{name} is not a regular file")
        os.chmod(path, FILE_MODE)
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            os.fsync(handle.fileno())
        entry = FileEntry(name, info.st_size, digest.hexdigest())
        self.files.append(entry)
        return entry

    def write_manifest(self, generated_at: str, extra: Mapping[str, Any]) -> FileEntry:
        """``manifest.json``: the SHA-256 and size of every file written before it, in order."""
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "generated_at": generated_at,
            "algorithm": "sha256",
            **extra,
            "files": [{"name": f.name, "bytes": f.size, "sha256": f.sha256} for f in self.files],
        }
        data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        entry = FileEntry(MANIFEST, len(data), hashlib.sha256(data).hexdigest())
        _write_new(self.path / MANIFEST, data)
        return entry

    def write_zip(self) -> None:
        """One zip of the folder (its files under the folder's name, for sending), beside it: written now
        under a hidden partial name, renamed with the folder by ``commit()``."""
        if self.zip_target.exists() or self.zip_target.is_symlink():
            raise FileExistsError(f"{self.zip_target} exists already")
        partial = self.target.with_name(f".{self.zip_target.name}.partial-{secrets.token_hex(4)}")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        self._zip_partial = partial
        with os.fdopen(descriptor, "wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(self.path.iterdir()):
                    archive.write(path, f"{self.target.name}/{path.name}")
            handle.flush()
            os.fsync(handle.fileno())

    def commit(self) -> Path:
        """The folder (and its zip) under their names, or (if the renaming fails) nothing."""
        _sync_dir(self.path)
        os.rename(self.path, self.target)
        try:
            if self._zip_partial is not None:
                os.rename(self._zip_partial, self.zip_target)
        except BaseException:
            shutil.rmtree(self.target, ignore_errors=True)
            raise
        self.committed = True
        _sync_dir(self.target.parent)
        return self.target

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._zip_partial is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._zip_partial)


def _write_new(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
