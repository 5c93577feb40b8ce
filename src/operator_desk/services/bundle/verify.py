"""Checking an export bundle as its recipient can: every file the manifest lists is there with its size
and SHA-256, nothing else is, and ``records.json`` is of the schema version the manifest names. The
manifest's own SHA-256 is what the server keeps as the ``bundle_written`` step of the request's case,
so a bundle can be matched to the one that was sent.

A folder or the zip of one (its files under ``<name>/``). Reads files in blocks: a bundle of any size
costs little memory.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from operator_desk.services.bundle.writer import MANIFEST, MANIFEST_VERSION

BLOCK = 1 << 20
RECORDS = "records.json"


@dataclass(frozen=True, slots=True)
class BundleCheck:
    """What checking found. ``problems`` empty: the bundle is whole and unchanged."""

    manifest_sha256: str
    files: int
    problems: tuple[str, ...] = field(default=())

    @property
    def verified(self) -> bool:
        return not self.problems


Opener = Callable[[str], AbstractContextManager[IO[bytes]]]


def check_bundle(path: Path) -> BundleCheck:
    """Check the bundle folder or zip at ``path``. Raises ``OSError`` when it cannot be read at all, and
    ``ValueError`` when it is no bundle (no manifest, or not one this version understands)."""
    if path.is_dir():
        names = {p.name for p in path.iterdir() if p.is_file()}
        return _check(names, lambda name: (path / name).open("rb"))
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"{path.name} is neither a bundle folder nor a zip of one") from exc
    with archive:
        members = {PurePosixPath(info.filename): info for info in archive.infolist() if not info.is_dir()}
        folders = {member.parent for member in members}
        if len(folders) != 1 or len(next(iter(folders)).parts) != 1:
            raise ValueError(f"{path.name} does not hold one bundle folder")
        return _check({member.name for member in members},
                      lambda name: archive.open(str(next(iter(folders)) / name)))


def _check(names: set[str], open_file: Opener) -> BundleCheck:
    if MANIFEST not in names:
        raise ValueError("no manifest.json: this is not an export bundle")
    manifest_digest, manifest = _read_manifest(open_file)
    problems: list[str] = []
    listed = manifest["files"]
    for entry in listed:
        name = entry["name"]
        if name not in names:
            problems.append(f"{name}: missing")
            continue
        size, digest = _digest(open_file, name)
        if size != entry["bytes"] or digest != entry["sha256"]:
            problems.append(f"{name}: changed (SHA-256 {digest}, the manifest says {entry['sha256']})")
    extra = sorted(names - {entry["name"] for entry in listed} - {MANIFEST})
    problems += [f"{name}: not in the manifest" for name in extra]
    if RECORDS in names and not any(p.startswith(f"{RECORDS}:") for p in problems):
        problems += _records_problems(open_file, manifest.get("records_schema_version"))
    return BundleCheck(manifest_sha256=manifest_digest, files=len(listed), problems=tuple(problems))


def _read_manifest(open_file: Opener) -> tuple[str, dict[str, Any]]:
    with open_file(MANIFEST) as handle:
        data = handle.read(BLOCK + 1)
    if len(data) > BLOCK:
        raise ValueError("manifest.json is too large to be a bundle's")
    try:
        manifest = json.loads(data)
        files = manifest["files"]
        ok = (manifest.get("manifest_version") == MANIFEST_VERSION and manifest.get("algorithm") == "sha256"
              and all(isinstance(f["name"], str) and isinstance(f["bytes"], int)
                      and isinstance(f["sha256"], str) for f in files))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("manifest.json is not a bundle manifest") from exc
    if not ok:
        raise ValueError(f"manifest.json is not of version {MANIFEST_VERSION} with SHA-256")
    return hashlib.sha256(data).hexdigest(), manifest


def _digest(open_file: Opener, name: str) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open_file(name) as handle:
        for block in _blocks(handle):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _blocks(handle: IO[bytes]) -> Iterator[bytes]:
    while block := handle.read(BLOCK):
        yield block


def _records_problems(open_file: Opener, version: object) -> list[str]:
    with open_file(RECORDS) as handle:
        try:
            records = json.load(handle)
        except ValueError:
            return [f"{RECORDS}: not JSON"]
    if not isinstance(records, dict) or records.get("schema_version") != version:
        return [f"{RECORDS}: not of schema version {version} as the manifest says"]
    return []
