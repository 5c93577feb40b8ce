"""README.md opens with the two set-up commands, and CI runs exactly the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shell_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S)]


def test_readme_starts_with_demo_then_test_command():
    blocks = shell_blocks((ROOT / "README.md").read_text())
    assert blocks[0].endswith("operator-desk --demo")
    assert "-e '.[test]'" in blocks[1]
    assert blocks[1].endswith("python -m pytest")
    # The desk requires the core and the server distributions of the same checkout (packages/): both
    # commands install them from here, so that pip never looks for them on an index.
    for block in blocks[:2]:
        assert "pip install -e packages/core -e packages/server -e " in block


def test_ci_runs_the_readme_test_command():
    test_command = shell_blocks((ROOT / "README.md").read_text())[1]
    ci_lines = [line.strip() for line in (ROOT / ".ci/run").read_text().splitlines()]
    assert test_command in ci_lines


def test_a_stale_install_is_named_with_the_command_that_mends_it():
    from tests.conftest import INSTALL, missing_parts

    # The command the test session prints for a stale install is the README's own.
    assert INSTALL in shell_blocks((ROOT / "README.md").read_text())[1]
    assert missing_parts() == []
    missing = "operator_desk.no_such_part"
    assert missing_parts(("operator_desk.domain", missing)) == [missing]
