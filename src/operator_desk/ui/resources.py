"""Where the app's own files live: ``resources/`` (icons, style sheet) and ``translations/``.

They sit at the top of the source tree next to ``src/``; an installed copy without them still runs,
with Qt's standard icons and no style sheet (nothing here is needed for correctness).
"""

from __future__ import annotations

from pathlib import Path

_TREE = Path(__file__).resolve().parents[3]


def resources_dir() -> Path:
    return _TREE / "resources"


def translations_dir() -> Path:
    return _TREE / "translations"


def style_sheet() -> str:
    path = resources_dir() / "style.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""
