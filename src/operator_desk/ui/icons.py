"""Icons by name, from ``resources/icons/<name>.svg``, loaded once each."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from operator_desk.ui.resources import resources_dir


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
