"""The desk's own files, shipped inside the package and read with ``importlib.resources``.

``assets/`` holds the icons and the style sheet; ``translations/`` the catalogs (``.ts`` sources in a
checkout, compiled ``.qm`` in a built wheel or a frozen build). The desk runs without any of them, but a
missing one means a broken installation: it is logged as an error (once per file), never skipped
silently.
"""

from __future__ import annotations

import logging
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

logger = logging.getLogger(__name__)

_PACKAGE = "operator_desk.ui"


def _entry(relative: str) -> Traversable:
    return resources.files(_PACKAGE).joinpath(*relative.split("/"))


def has_resource(relative: str) -> bool:
    """Whether the package holds ``relative`` (e.g. ``translations/operator_desk_de.qm``); no log."""
    return _entry(relative).is_file()


@cache
def resource_path(relative: str) -> Path | None:
    """The file ``relative`` (below ``operator_desk/ui``) on disk, or None, logged as an error, when
    the installation lacks it. Qt opens files by path, so a resource must be a real file (a wheel
    installs as files, a frozen build unpacks them into its folder)."""
    entry = _entry(relative)
    if not entry.is_file():
        logger.error("the installation lacks %s (operator_desk/ui/%s)", relative.rsplit("/", 1)[-1], relative)
        return None
    if not isinstance(entry, Path):
        logger.error("%s is not a file on disk (a zipped package?); Qt cannot open it", relative)
        return None
    return entry


def style_sheet() -> str:
    """The application style sheet, or "" (logged) when it cannot be read."""
    path = resource_path("assets/style.qss")
    if path is None:
        return ""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        logger.error("cannot read the style sheet (%s)", type(exc).__name__)
        return ""
    logger.info("style sheet loaded (%d characters)", len(text))
    return text
