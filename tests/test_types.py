"""The layers below the UI stay typed: mypy over the files pyproject.toml names ([tool.mypy]), with no
untyped definitions, finds nothing. So a store operation called with the wrong arguments, or a new
function without annotations, fails the test suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_type_errors(tmp_path):
    mypy = shutil.which("mypy") or str(Path(sys.executable).with_name("mypy"))
    result = subprocess.run(
        [mypy, "--cache-dir", str(tmp_path / "mypy-cache")], cwd=ROOT, capture_output=True, text=True,
        timeout=600,
    )
    assert "Success" in result.stdout or "error" in result.stdout, (
        f"mypy printed no summary: {result.stdout}{result.stderr}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
