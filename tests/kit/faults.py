"""Faults made for real, for the tests of every folder: a full disk (a small tmpfs, filled).

CI sets ``OPERATOR_DESK_REQUIRE_FAULTS=1``: the tests that make real faults (a tmpfs mount needs root;
faketime; a lowered file limit) must run there, never skip. Elsewhere they skip and say why.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

FAULTS_REQUIRED = os.environ.get("OPERATOR_DESK_REQUIRE_FAULTS") == "1"


def skip_or_fail(reason: str) -> None:
    if FAULTS_REQUIRED:
        pytest.fail(f"OPERATOR_DESK_REQUIRE_FAULTS=1 but {reason}")
    pytest.skip(reason)


class Disk:
    """A tmpfs of its own, and a file that fills it to the last byte."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.filler = root / "filler"

    def fill(self) -> None:
        with open(self.filler, "ab", buffering=0) as handle:
            chunk = b"\0" * 65536
            while True:
                try:
                    handle.write(chunk)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    if len(chunk) == 1:
                        return
                    chunk = chunk[: len(chunk) // 2]

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@contextmanager
def small_disk(folder: Path, size: str = "8m") -> Iterator[Disk]:
    """Mount a tmpfs of ``size`` on ``folder`` (root only; skipped or failed otherwise, see above)."""
    if os.geteuid() != 0:
        skip_or_fail("mounting a tmpfs to fill needs root")
    folder.mkdir(parents=True, exist_ok=True)
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)]
    mounted = subprocess.run(mount, capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        skip_or_fail(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield Disk(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
