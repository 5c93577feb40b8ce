"""Smoke test of the server installed alone (the core and server wheels in an empty virtual environment),
run with that environment's Python from outside the checkout: no desk part is installed, every server
module imports, and ``operator-desk-server serve`` starts, serves the widget from the wheel and stops
cleanly on SIGTERM.

    ENV/bin/python packaging/server_smoke_test.py [--checkout DIR]

``--checkout`` is a source tree the server must NOT be imported from. Exit status 0 when every check
passed; otherwise each failure is printed. Needs only the standard library (and the installed server).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import pkgutil
import re
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

# What only the desk installs (tests/test_distributions.py checks the metadata; this the installation).
DESK_ONLY = ("operator-desk", "PySide6-Essentials", "shiboken6", "qasync", "keyring", "platformdirs")
# Drivers that come with an extra of the server, not with the server: a module that needs one is
# imported only by the deployments that use it (redis_bus.py for --bus, say).
EXTRA_DRIVERS = {"redis": "redis", "psycopg": "postgresql", "psycopg_pool": "postgresql"}


def check(failures: list[str], ok: bool, what: str) -> None:
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def installed(name: str) -> bool:
    try:
        importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def import_every_server_module(failures: list[str]) -> None:
    import operator_desk.server

    broken, with_extra = [], []
    modules = pkgutil.walk_packages(operator_desk.server.__path__, "operator_desk.server.")
    names = [info.name for info in modules]
    for name in names:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            extra = EXTRA_DRIVERS.get((exc.name or "").split(".")[0])
            if extra is None:
                broken.append(f"{name}: {exc!r}")
            else:
                with_extra.append(f"{name} [{extra}]")
        except Exception as exc:  # any failure to import is what this reports
            broken.append(f"{name}: {exc!r}")
    check(failures, len(names) > 30 and not broken,
          f"all {len(names) - len(with_extra)} server modules import"
          + "".join(f"\n      {line}" for line in broken[:10]))
    print(f"      needing an extra: {', '.join(with_extra) or 'none'}")


def serve(failures: list[str], checkout: Path | None) -> None:
    command = Path(sys.executable).with_name("operator-desk-server")
    with tempfile.TemporaryDirectory() as data:
        arguments = ["serve", "--data", data, "--host", "127.0.0.1", "--port", "0", "--demo"]
        server = subprocess.Popen([str(command), *arguments], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        lines: list[str] = []
        found = None
        try:
            assert server.stdout is not None
            while found is None and (line := server.stdout.readline()):
                lines.append(line)
                found = re.search(r"listening on wss?://([\d.]+:\d+)", line)
            check(failures, found is not None,
                  "the server started" + ("" if found else "".join(f"\n      {x}" for x in lines[-10:])))
            if found is not None:
                for path in ("/widget/", "/widget/widget.js", "/widget/widget.css"):
                    with urllib.request.urlopen(f"http://{found.group(1)}{path}", timeout=30) as answer:
                        check(failures, answer.status == 200 and len(answer.read()) > 100,
                              f"it serves {path} from the wheel")
        finally:
            server.send_signal(signal.SIGTERM)
            rest, _ = server.communicate(timeout=60)
        code = server.returncode
        check(failures, code == 0, f"the server stopped cleanly on SIGTERM (exit {code})")
        log = "".join(lines) + rest
        errors = [line for line in log.splitlines() if " ERROR " in line or "Traceback" in line]
        check(failures, not errors, "no error in the log" + "".join(f"\n      {x}" for x in errors[:10]))
    if checkout is not None:
        import operator_desk.server

        where = Path(operator_desk.server.__file__).resolve()
        check(failures, not where.is_relative_to(checkout.resolve()),
              f"the server runs from the installation ({where.parent}), not from {checkout}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkout", type=Path, help="a source tree the server must not run from")
    args = parser.parse_args()
    failures: list[str] = []
    check(failures, installed("operator-desk-server") and installed("operator-desk-core"),
          "the server and the core are installed")
    present = [name for name in DESK_ONLY if installed(name)]
    check(failures, not present, f"nothing of the desk is installed ({', '.join(present) or 'none'})")
    import_every_server_module(failures)
    serve(failures, args.checkout)
    print("server smoke test passed" if not failures
          else f"server smoke test FAILED: {len(failures)} check(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
