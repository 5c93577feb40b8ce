"""The layering of STYLE §1 holds: import-linter's contracts in pyproject.toml are all kept."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert "broken" in result.stdout, f"lint-imports printed no summary: {result.stdout}{result.stderr}"
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
