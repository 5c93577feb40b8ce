"""The desk's launcher in the desktop's application menu, for a desk installed with pip (a package
manager installs the same files system-wide itself).

``operator-desk --install-launcher`` writes the desktop entry and the app icon in every standard size
into the user's data directory (``$XDG_DATA_HOME``, by default ``~/.local/share``), where desktop
environments look for them, with ``Exec`` pointing at this installation's own command (a virtual
environment's ``bin`` is not on the desktop's PATH). The files come from ``platform/desktop/`` in the
package; ``--uninstall-launcher`` removes exactly those files again.
"""

from __future__ import annotations

import os
import shlex
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

APP_ID = "org.operatordesk.OperatorDesk"
DESKTOP_FILE = f"{APP_ID}.desktop"
_SHIPPED = resources.files(__package__).joinpath("desktop")


def data_home(environ: os._Environ[str] | dict[str, str] = os.environ) -> Path:
    """``$XDG_DATA_HOME`` if it is an absolute path (the specification ignores a relative one), else
    ``~/.local/share``."""
    value = environ.get("XDG_DATA_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".local/share"


def _icons() -> list[tuple[str, Traversable]]:
    """(path below hicolor/, file) for every shipped size of the icon."""
    found = []
    theme = _SHIPPED.joinpath("icons", "hicolor")
    for size in sorted(theme.iterdir(), key=lambda entry: entry.name):
        entry = size.joinpath("apps")
        for name in (f"{APP_ID}.png", f"{APP_ID}.svg"):
            if entry.joinpath(name).is_file():
                found.append((f"{size.name}/apps/{name}", entry.joinpath(name)))
    return found


def desktop_entry(command: list[str]) -> str:
    """The shipped desktop entry with ``Exec``/``TryExec`` set to ``command``. An argument with a space
    is put in double quotes, as the desktop entry specification asks; one with a character that would
    need escaping there (``"`$\\%``) is refused rather than written wrong."""
    for argument in command:
        if any(c in argument for c in '"`$\\%\n'):
            raise ValueError(f"cannot write a launcher for {argument!r}: move the installation to a "
                             "plainer path")
    exec_line = " ".join(f'"{a}"' if any(c.isspace() for c in a) else a for a in command)
    lines = []
    for line in _SHIPPED.joinpath(DESKTOP_FILE).read_text("utf-8").splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + exec_line
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0]
        lines.append(line)
    return "\n".join(lines) + "\n"


def install_launcher(command: list[str], home: Path) -> list[Path]:
    """Writes the launcher for ``command`` under ``home`` (a data directory); returns what it wrote."""
    written = []
    applications = home / "applications"
    applications.mkdir(parents=True, exist_ok=True)
    entry = applications / DESKTOP_FILE
    entry.write_text(desktop_entry(command), "utf-8")
    written.append(entry)
    for relative, source in _icons():
        target = home / "icons/hicolor" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        written.append(target)
    return written


def uninstall_launcher(home: Path) -> list[Path]:
    removed = []
    for target in [home / "applications" / DESKTOP_FILE,
                   *(home / "icons/hicolor" / relative for relative, _ in _icons())]:
        if target.is_file():
            target.unlink()
            removed.append(target)
    return removed


def describe(paths: list[Path]) -> str:
    return "\n".join(f"  {shlex.quote(str(path))}" for path in paths)
