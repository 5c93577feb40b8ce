"""The Debian tools some tests run (pdftoppm, nginx, systemd-analyze, the AppStream and desktop-file
validators). CI sets ``OPERATOR_DESK_REQUIRE_TOOLS=1`` and installs them: there a missing tool fails the
test; elsewhere the test is skipped with the package to install."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS_REQUIRED = os.environ.get("OPERATOR_DESK_REQUIRE_TOOLS") == "1"


def tool(name: str, package: str) -> str:
    """The path of the command ``name`` (on PATH or in /usr/sbin), from the Debian ``package``."""
    sbin = Path("/usr/sbin") / name
    found = shutil.which(name) or (str(sbin) if sbin.exists() else None)
    if found is None:
        if TOOLS_REQUIRED:
            pytest.fail(f"{name} is missing (apt-get install {package})")
        pytest.skip(f"needs {name} (apt-get install {package})")
    return found


def pdf_pages(pdf: Path, target: Path) -> list[Path]:
    """The pages of ``pdf`` rendered by pdftoppm at 40 dpi into ``target``, as PNG files in order."""
    subprocess.run([tool("pdftoppm", "poppler-utils"), "-r", "40", "-png", str(pdf), str(target / "page")],
                   check=True, timeout=120)
    return sorted(target.glob("page-*.png"))
