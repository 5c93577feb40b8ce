"""Icons by name, from ``assets/icons/<name>.svg`` in the package, loaded once each."""

from __future__ import annotations

import logging
from functools import cache

from PySide6.QtGui import QIcon

from operator_desk.ui.resources import resource_path

logger = logging.getLogger(__name__)


@cache
def icon(name: str) -> QIcon:
    path = resource_path(f"assets/icons/{name}.svg")
    if path is None:
        return QIcon()
    loaded = QIcon(str(path))
    # A QIcon from a file is never null; without Qt's SVG plugins it draws nothing. Draw it once.
    if loaded.pixmap(16, 16).isNull():
        logger.error("Qt could not draw the icon %s (are Qt's SVG plugins missing?)", name)
    else:
        logger.debug("icon %s loaded", name)
    return loaded
