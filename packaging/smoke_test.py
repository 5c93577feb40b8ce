"""Smoke test of an installed desk (a wheel in a clean virtual environment, or the frozen build), run
from outside the checkout: it starts, and its icons, style sheet and German catalog were loaded.

    python packaging/smoke_test.py [--desk COMMAND] [--checkout DIR]

``--desk`` is the desk's command (default ``operator-desk``, the one on PATH); ``--checkout`` is a
source tree the desk must NOT be running from. Exit status 0 when every check passed; otherwise each
failure is printed. Needs only the standard library.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from desk_process import DeskProcess

# Icons the main window, its status bar and the visitor list load at start (the "no consent" shield
# among them: the demo always has visitors who did not consent to insights).
ICONS_AT_START = ("app", "lock", "accept", "no-consent", "settings", "sign-out")


def check(failures: list[str], ok: bool, what: str) -> None:
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desk", default="operator-desk", help="the desk's command")
    parser.add_argument("--checkout", type=Path, help="a source tree the desk must not run from")
    args = parser.parse_args()
    command = args.desk.split()
    if shutil.which(command[0]) is None:
        print(f"no {command[0]} on PATH", file=sys.stderr)
        return 2
    failures: list[str] = []

    version = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
    check(failures, version.returncode == 0 and re.fullmatch(r"operator-desk \d+\.\d+\.\d+\S*\n",
                                                               version.stdout) is not None,
          f"--version prints the version ({version.stdout.strip()!r})")

    desk = DeskProcess(command, language="de", display=False)
    try:
        desk.wait_for(r"visitors: [1-9]")
        desk.wait_for(r"icon no-consent loaded")
    except RuntimeError as exc:
        check(failures, False, f"the demo came up ({exc})")
    code = desk.stop()
    log = desk.log
    check(failures, code == 0, f"the desk quit cleanly on SIGTERM (exit {code})")
    check(failures, "signed in (role supervisor)" in log, "the demo signed in")
    check(failures, "interface language de: catalog operator_desk_de.qm loaded" in log,
          "the German catalog was loaded")
    built = list((desk.home / "cache").rglob("*.qm"))
    check(failures, not built, "the catalog came with the installation (none was built at run time)")
    sheet = re.search(r"style sheet loaded \((\d+) characters\)", log)
    check(failures, bool(sheet and int(sheet.group(1)) > 500), "the style sheet was loaded")
    for name in ICONS_AT_START:
        check(failures, f"icon {name} loaded" in log, f"the icon {name} was loaded")
    errors = [line for line in log.splitlines() if " ERROR " in line or "Traceback" in line]
    check(failures, not errors, "no error in the log" + "".join(f"\n      {line}" for line in errors[:10]))
    if args.checkout is not None:
        found = re.search(r"operator_desk from (\S+)", log)
        where = Path(found.group(1)).resolve() if found else None
        check(failures, where is not None and not where.is_relative_to(args.checkout.resolve()),
              f"the desk ran from the installation ({where}), not from {args.checkout}")
    shutil.rmtree(desk.home, ignore_errors=True)
    print("smoke test passed" if not failures else f"smoke test FAILED: {len(failures)} check(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
