"""The main window against the fake desk, signed in, as most window tests want it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtWidgets import QApplication

from operator_desk.services.detect import detail_fields_asked_for
from operator_desk.services.events import SignedIn
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.i18n import install_translations
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.widgets.chat_tab import ChatTab
from operator_desk.ui.windows.main_window import MainWindow


def shown_main_window(qtbot, desk, settings: DeskSettings, *, demo: bool = False) -> MainWindow:
    window = MainWindow(desk, EventBridge(), settings, detail_fields_asked_for, demo=demo)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.bridge(SignedIn(operator=desk.operator, server_name="test", resumed=False))
    return window


def quiet_composers(window: MainWindow) -> None:
    """A composer that was typed into says "stopped typing" on a 4 s timer. On a slow machine that
    timer fires during a later test, after this test's event loop is gone (the async slot then fails
    there): silence them when the test is done."""
    for tab in window.findChildren(ChatTab):
        tab.composer.blockSignals(True)


@contextlib.contextmanager
def interface_language(language: str, cache: Path) -> Iterator[None]:
    """The interface in ``language`` ("de", "en") while the block runs: build the windows inside it."""
    translators = install_translations(QApplication.instance(), language, cache)
    try:
        yield
    finally:
        for translator in translators:
            QApplication.instance().removeTranslator(translator)
