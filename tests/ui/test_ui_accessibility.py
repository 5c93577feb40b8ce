"""What a screen reader hears is what a sighted user sees. Read the way AT-SPI reads a Qt window: Qt's
accessibility interfaces (``QAccessible.queryAccessibleInterface``), their name and description, walked
from the window down as an assistive technology walks the tree."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QWidget
from ui_factories import make_visitor
from ui_main_window_kit import interface_language, quiet_composers, shown_main_window

from operator_desk.domain.model import Chat, ChatState
from operator_desk.services.errors import FailureCode
from operator_desk.services.events import (
    CacheStatus,
    ChatsChanged,
    ConnectionChanged,
    ConnectionState,
    Failure,
    TypingChanged,
    VisitorsChanged,
)
from operator_desk.ui.dialogs.login import LoginDialog
from operator_desk.ui.settings import default_canned_responses
from operator_desk.ui.widgets.chat_tab import ChatTab
from operator_desk.ui.windows.main_window import MainWindow

NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description


def heard(widget: QWidget) -> tuple[str, str]:
    """(name, description) as an assistive technology gets them for ``widget``."""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(NAME), interface.text(DESCRIPTION)


def walk(interface: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    yield interface
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None and child.isValid():
            yield from walk(child)


def unheard_labels(root: QWidget) -> list[str]:
    """Visible labels whose text a screen reader would not read as shown."""
    problems = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text() or label.textFormat() != Qt.TextFormat.PlainText:
            continue
        name, _description = heard(label)
        if name != label.text():
            problems.append(f"{label.objectName() or type(label.parent()).__name__}: shows {label.text()!r}, "
                            f"reads {name!r}")
    return problems


@pytest.fixture
def window(qtbot, qloop, desk, settings):
    win = shown_main_window(qtbot, desk, settings, demo=True)
    yield win
    quiet_composers(win)


def busy_window(window: MainWindow) -> ChatTab:
    """A window with all it can show: a chat with a named visitor typing (with preview), a failure in
    the banner, the connection, the operator and the cache in the status bar."""
    desk = window.desk
    visitor = make_visitor("v1", name="Jule Horn", chat=True, typing_preview=True)
    desk.visitors["v1"] = visitor
    window.bridge(VisitorsChanged(upserts=(visitor,)))
    desk.chats["c1"] = Chat(id="c1", visitor_id="v1", state=ChatState.ACTIVE, operator_id="op-1",
                            started_at="2026-11-29T10:00:00.000Z")
    window.bridge(ChatsChanged(chats=(desk.chats["c1"],)))
    window.bridge(TypingChanged("c1", True, "Ich brauche eine neue Zeltstange"))
    window.bridge(Failure(action="chat.accept", code=FailureCode.CONFLICT))
    window.bridge(ConnectionChanged(ConnectionState.ONLINE))
    window.bridge(CacheStatus(available=True, encrypted=True))
    return window.tabs.chat_tab("c1")


def test_the_sign_in_problem_is_heard_as_written(qtbot, qloop):
    async def refuse(url, username, password):
        return FailureCode.INVALID_CREDENTIALS

    dialog = LoginDialog(refuse, server_url="ws://127.0.0.1:1", username="ann")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_problem("The user name or password is wrong.")
    assert heard(dialog.error_label) == ("The user name or password is wrong.", "Sign-in problem")
    assert unheard_labels(dialog) == []


def test_every_label_of_a_busy_window_is_heard_as_shown(window):
    tab = busy_window(window)
    assert tab._preview.isVisible() and window.banner.isVisible()
    assert unheard_labels(window) == []
    # The ones that had a name instead of their text:
    assert heard(window.banner.label) == (window.banner.label.text(), "Error")
    assert heard(window.status.connection_label) == ("Online", "Connection state")
    assert heard(window.status.operator_label)[0] == "Sam (Supervisor)"
    assert heard(window.status.cache_label)[0] == "Cache encrypted"
    assert heard(tab._typing_label) == ("Jule Horn is typing…", "Visitor typing state")
    assert heard(tab._preview)[0] == "Live preview (not sent yet): Ich brauche eine neue Zeltstange"
    assert heard(window.status.demo_label)[0] == "DEMO"


def test_nothing_in_the_accessibility_tree_is_read_as_markup(window):
    busy_window(window)
    window.tabs.refresh_title(window.tabs.chat_tab("c1"))
    texts = []
    for interface in walk(QAccessible.queryAccessibleInterface(window)):
        texts += [interface.text(NAME), interface.text(DESCRIPTION)]
    assert "Jule Horn" in texts                         # the tab's tooltip, as the tab's description
    marked_up = [text for text in texts if text and ("<p>" in text or GuiQt.mightBeRichText(text))]
    assert marked_up == []


def test_the_view_menu_names_each_panel_differently_in_german(qtbot, qloop, tmp_path, desk, settings):
    with interface_language("de", tmp_path / "translations"):
        window = shown_main_window(qtbot, desk, settings)
        view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Ansicht")
        names = [a.text() for a in view_menu.actions() if not a.isSeparator()]
    assert len(names) == len(set(names)), names
    assert "Besucherdetails" in names


def test_the_german_canned_responses_have_german_keywords(qapp, tmp_path):
    with interface_language("de", tmp_path / "translations"):
        responses = default_canned_responses()
    assert set(responses) == {"hallo", "moment", "danke", "tschüss"}
    assert responses["danke"] == "Vielen Dank für Ihre Geduld."
