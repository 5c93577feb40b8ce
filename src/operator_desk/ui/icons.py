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
    if loaded.isNull():
        logger.error("Qt could not load the icon %s", name)
    else:
        logger.debug("icon %s loaded", name)
    return loaded
