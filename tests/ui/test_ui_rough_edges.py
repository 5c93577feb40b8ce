"""The rough edges a new user found (issue 14, item 1), each as a user would meet it: the queue under the
pointer, quitting during chats, Tab and canned responses, ended tabs, details waiting and noted, the
erasure confirmation, the visitor panel's tables, closing windows from the keyboard."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QCloseEvent, QEnterEvent, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QTableView
from ui_factories import make_visitor
from ui_fakes import FakeDesk, contact_notice
from ui_main_window_kit import interface_language, shown_main_window

from operator_desk.domain.model import (
    Chat,
    ChatState,
    ConsentEvent,
    ConsentMethod,
    Purpose,
    VisitorState,
)
from operator_desk.protocol.messages import DetailRecord
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import (
    ChatArrived,
    ChatsChanged,
    DetailsChanged,
    VisitorsChanged,
)
from operator_desk.ui.dialogs.quit_confirm import QuitDialog
from operator_desk.ui.models.queue_model import QueueRole
from operator_desk.ui.models.transcript_model import TranscriptRole
from operator_desk.ui.models.visitor_columns import VisitorColumn
from operator_desk.ui.resources import style_sheet
from operator_desk.ui.widgets.chat_tab import ChatTab
from operator_desk.ui.windows.main_window import MainWindow
from operator_desk.ui.windows.requests_window import RequestsWindow
from operator_desk.ui.windows.subjects_window import SubjectsWindow
from operator_desk.ui.windows.transcripts_window import TranscriptsWindow

AT = "2026-11-29T10:00:00.000Z"


def activate(qtbot, widget) -> None:
    """Make ``widget``'s window the active one, where window shortcuts work. (``activateWindow`` is
    not enough offscreen while the application itself is inactive.)"""
    widget.windowHandle().requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())


def waiting(chat_id: str, visitor_id: str, minute: int = 0) -> Chat:
    return Chat(id=chat_id, visitor_id=visitor_id, state=ChatState.WAITING,
                started_at=f"2026-11-29T10:{minute:02d}:00.000Z")


def taken(chat: Chat, operator_id: str = "op-2") -> Chat:
    return Chat(id=chat.id, visitor_id=chat.visitor_id, state=ChatState.ACTIVE, operator_id=operator_id,
                started_at=chat.started_at)


def open_chat(window: MainWindow, desk: FakeDesk, chat_id: str = "c1", visitor_id: str = "v1") -> ChatTab:
    desk.chats[chat_id] = Chat(id=chat_id, visitor_id=visitor_id, state=ChatState.ACTIVE, operator_id="op-1",
                               started_at=AT)
    window.bridge(ChatsChanged(chats=(desk.chats[chat_id],)))
    return window.tabs.chat_tab(chat_id)


def end(window: MainWindow, desk: FakeDesk, chat_id: str) -> None:
    chat = desk.chats[chat_id]
    desk.chats[chat_id] = Chat(id=chat.id, visitor_id=chat.visitor_id, state=ChatState.CLOSED,
                               operator_id=chat.operator_id, started_at=chat.started_at, closed_at=AT)
    window.bridge(ChatsChanged(chats=(desk.chats[chat_id],)))


def three_waiting(window: MainWindow) -> list[Chat]:
    chats = [waiting(f"c{n}", f"v{n}", n) for n in (1, 2, 3)]
    window.desk.chats.update((chat.id, chat) for chat in chats)
    window.bridge(VisitorsChanged(upserts=tuple(make_visitor(f"v{n}", name=f"Guest {n}", chat=True)
                                                for n in (1, 2, 3))))
    for chat in chats:
        window.bridge(ChatArrived(chat=chat, visitor=make_visitor(chat.visitor_id)))
    return chats


def queue_ids(window: MainWindow) -> list[str]:
    model = window.queue_model
    return [model.index(row, 0).data(QueueRole.CHAT_ID) for row in range(model.rowCount())]


# -- the queue under the pointer -----------------------------------------------------------------------


def test_a_double_click_accepts_the_chat_that_was_pressed_even_when_the_rows_moved(window, desk, qtbot):
    c1, _c2, _c3 = three_waiting(window)
    view = window.queue_panel.view
    where = view.visualRect(window.queue_model.index(1, 0)).center()   # the operator aims at Guest 2
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    # Between the two clicks another operator takes Guest 1: the rows move up under the pointer.
    window.bridge(ChatsChanged(chats=(taken(c1),)))
    assert queue_ids(window) == ["c2", "c3"]
    assert view.indexAt(where).data(QueueRole.CHAT_ID) == "c3"
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: ("accept_chat", ("c2",)) in desk.calls)
    assert [call for call in desk.calls if call[0] == "accept_chat"] == [("accept_chat", ("c2",))]


def test_rows_hold_still_while_the_pointer_is_over_the_queue(window, desk, qtbot):
    c1, c2, _c3 = three_waiting(window)
    view = window.queue_panel.view
    inside = QPointF(view.visualRect(window.queue_model.index(1, 0)).center())
    QApplication.sendEvent(view.viewport(), QEnterEvent(inside, inside, view.viewport().mapToGlobal(inside)))
    window.bridge(ChatsChanged(chats=(taken(c1),)))
    window.bridge(ChatArrived(chat=waiting("c4", "v4", 9), visitor=make_visitor("v4")))
    # Guest 1's row stays, greyed and no longer acceptable; the newcomer joins at the end; the count
    # says who really waits.
    assert queue_ids(window) == ["c1", "c2", "c3", "c4"]
    assert window.queue_model.index(0, 0).data(QueueRole.STILL_WAITING) is False
    assert window.queue_model.index(0, 1).data() == "No longer waiting"
    assert window.queue_dock.windowTitle() == "Queue (3)"
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=view.visualRect(window.queue_model.index(0, 0)).center())
    view.selectRow(0)
    assert window.queue_panel.chosen_chat_id() is None            # never someone else instead
    assert not window.queue_panel.accept_button.isEnabled()
    assert not [call for call in desk.calls if call[0] == "accept_chat"]
    # The pointer leaves: the rows that no longer wait go, in one step.
    QApplication.sendEvent(view.viewport(), QEvent(QEvent.Type.Leave))
    assert queue_ids(window) == ["c2", "c3", "c4"]
    view.selectRow(0)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=view.visualRect(window.queue_model.index(0, 0)).center())
    qtbot.waitUntil(lambda: ("accept_chat", (c2.id,)) in desk.calls)


def test_enter_on_the_queue_accepts_the_current_row(window, desk, qtbot):
    three_waiting(window)
    view = window.queue_panel.view
    view.setFocus()
    view.selectRow(2)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("accept_chat", ("c3",)) in desk.calls)


# -- quitting during chats -----------------------------------------------------------------------------


def shown_quit_dialog(window: MainWindow) -> QuitDialog | None:
    shown = [d for d in window.findChildren(QuitDialog) if d.isVisible()]
    return shown[0] if shown else None


def test_ctrl_q_during_chats_asks_first_and_staying_ends_nothing(window, desk, qtbot):
    open_chat(window, desk, "c1", "v1")
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shown_quit_dialog(window) is not None)
    dialog = shown_quit_dialog(window)
    assert dialog.heading.text() == "You have 1 open chat(s)."   # English plural forms: not loaded here
    dialog.reject()
    qtbot.waitUntil(lambda: shown_quit_dialog(window) is None)
    assert window.isVisible()
    assert not [call for call in desk.calls if call[0] == "close_chat"]


def test_quitting_ends_each_open_chat_cleanly_then_closes(window, desk, qtbot):
    open_chat(window, desk, "c1", "v1")
    open_chat(window, desk, "c2", "v2")
    task = asyncio.ensure_future(window.commands.quit())
    qtbot.waitUntil(lambda: shown_quit_dialog(window) is not None)
    with qtbot.waitSignal(window.closed):
        shown_quit_dialog(window).accept()
    qtbot.waitUntil(task.done)
    assert task.result() is True
    assert {call for call in desk.calls if call[0] == "close_chat"} == {("close_chat", ("c1",)),
                                                                       ("close_chat", ("c2",))}
    assert not window.isVisible()


def test_chats_that_cannot_be_ended_are_said_and_the_operator_chooses(window, desk, qtbot):
    open_chat(window, desk, "c1", "v1")
    desk.fail_with = DeskError(FailureCode.SERVER_UNREACHABLE, "chat.close")
    task = asyncio.ensure_future(window.commands.quit())
    qtbot.waitUntil(lambda: shown_quit_dialog(window) is not None)
    shown_quit_dialog(window).accept()
    qtbot.waitUntil(lambda: shown_quit_dialog(window) is not None
                    and "could not be ended" in shown_quit_dialog(window).heading.text())
    assert "cannot be reached" in window.banner.label.text()
    shown_quit_dialog(window).reject()
    qtbot.waitUntil(task.done)
    assert task.result() is False
    assert window.isVisible()


def test_closing_the_window_from_its_title_bar_during_chats_asks_too(window, desk, qtbot, monkeypatch):
    open_chat(window, desk, "c1", "v1")
    # A close from the window manager is spontaneous; offscreen there is none to press, so say so.
    monkeypatch.setattr(QCloseEvent, "spontaneous", lambda _event: True)
    window.close()
    assert window.isVisible()
    qtbot.waitUntil(lambda: shown_quit_dialog(window) is not None)
    with qtbot.waitSignal(window.closed):
        shown_quit_dialog(window).accept()
    assert ("close_chat", ("c1",)) in desk.calls


def test_quitting_with_no_open_chat_does_not_ask(window, desk, qtbot):
    with qtbot.waitSignal(window.closed):
        window.desk_actions.quit.trigger()
    assert shown_quit_dialog(window) is None


# -- canned responses ----------------------------------------------------------------------------------


def test_tab_inserts_the_canned_response_and_the_popup_shows_its_text(window, desk, qtbot):
    composer = open_chat(window, desk).composer
    composer.setFocus()
    qtbot.keyClicks(composer, "Sure. /tha")
    popup = composer.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(row, 0).data() for row in range(popup.model().rowCount())]
    assert shown == ["/thanks — Thank you for your patience."]
    qtbot.keyClick(composer, Qt.Key.Key_Tab)
    assert composer.toPlainText() == "Sure. Thank you for your patience."
    assert composer.hasFocus()
    assert not popup.isVisible()
    assert not [call for call in desk.calls if call[0] == "send_message"]


def test_tab_after_a_whole_keyword_inserts_it_and_otherwise_moves_the_focus_on(window, desk, qtbot):
    composer = open_chat(window, desk).composer
    composer.setPlainText("/bye")
    composer.moveCursor(composer.textCursor().MoveOperation.End)
    composer.setFocus()
    qtbot.keyClick(composer, Qt.Key.Key_Tab)
    assert composer.toPlainText() == "Thanks for chatting with us. Have a nice day!"
    qtbot.keyClick(composer, Qt.Key.Key_Tab)
    assert not composer.hasFocus()   # no keyword: Tab goes on to the next control, as before


# -- ended chats ---------------------------------------------------------------------------------------


def test_an_ended_chat_keeps_the_name_its_messages_carry(window, desk, qtbot):
    window.bridge(VisitorsChanged(upserts=(make_visitor("v1", name="Jule Horn", chat=True),)))
    tab = open_chat(window, desk, "c1", "v1")
    index = window.tabs.indexOf(tab)
    assert window.tabs.tabText(index) == "Jule Horn"
    # The visitor leaves the site, and the chat ends.
    window.bridge(VisitorsChanged(removed=("v1",)))
    end(window, desk, "c1")
    assert window.tabs.tabText(index) == "Jule Horn — ended"
    assert tab._title.text() == "Jule Horn"


def test_a_withdrawn_chat_consent_still_takes_the_name_away(window, desk, qtbot):
    window.bridge(VisitorsChanged(upserts=(make_visitor("v1", name="Jule Horn", chat=True),)))
    tab = open_chat(window, desk, "c1", "v1")
    window.bridge(VisitorsChanged(upserts=(make_visitor("v1", state=VisitorState.CHATTING),)))
    assert tab.title.startswith("Visitor ")
    assert "Jule" not in window.tabs.tabText(window.tabs.indexOf(tab))


def test_ended_tabs_close_by_themselves_once_they_are_not_in_front(window, desk, qtbot, settings):
    front = open_chat(window, desk, "c1", "v1")
    open_chat(window, desk, "c2", "v2")
    window.tabs.show_tab(front)
    settings.close_ended_chats = True
    window.tabs.set_close_ended(settings.close_ended_chats)
    end(window, desk, "c2")                       # in the background: gone at once
    assert window.tabs.chat_tab("c2") is None
    end(window, desk, "c1")                       # in front: the operator may still be reading it
    assert window.tabs.chat_tab("c1") is not None
    window.tabs.show_tab(open_chat(window, desk, "c3", "v3"))
    assert window.tabs.chat_tab("c1") is None
    assert window.tabs.chat_tab("c3") is not None


def test_ended_tabs_stay_without_the_option(window, desk, qtbot):
    front = open_chat(window, desk, "c1", "v1")
    open_chat(window, desk, "c2", "v2")
    window.tabs.show_tab(front)
    end(window, desk, "c2")
    assert window.tabs.chat_tab("c2") is not None


def test_the_settings_dialog_saves_the_option(qtbot, settings):
    from operator_desk.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.close_ended_box.isChecked() is False
    dialog.close_ended_box.setChecked(True)
    dialog.buttons.accepted.emit()
    assert settings.close_ended_chats is True


# -- details asked for ---------------------------------------------------------------------------------


def record(status: str, values: dict[str, str] | None = None) -> DetailRecord:
    notice = contact_notice()
    return DetailRecord(request_id="r1", chat_id="c1", fields=("phone", "email"),
                        purpose=Purpose.CONTACT_DETAILS, notice_id=notice.id, notice_version=notice.version,
                        requested_at="2026-11-29T10:01:00.000Z", status=status, values=values,
                        answered_at=None if status == "pending" else "2026-11-29T10:02:00.000Z")


def notes(tab: ChatTab) -> list[str]:
    return [tab.model.index(r).data() for r in range(tab.model.rowCount())
            if tab.model.index(r).data(TranscriptRole.AUTHOR) == "system"]


def test_the_waiting_line_goes_when_the_answer_comes_and_both_are_noted(window, desk, qtbot):
    tab = open_chat(window, desk)
    window.bridge(DetailsChanged("c1", record("pending")))
    assert tab._details_state.isVisibleTo(tab)
    assert notes(tab) == [
        "Details requested: Phone number, E-mail address (privacy notice details-en, version 3)"]
    window.bridge(DetailsChanged("c1", record("received", {"phone": "+49 30 1234567"})))
    assert not tab._details_state.isVisibleTo(tab)
    assert notes(tab)[1] == "The visitor agreed and shared: Phone number (see the visitor panel)"
    assert "1234567" not in " ".join(notes(tab))
    window.bridge(DetailsChanged("c1", record("received", {"phone": "+49 30 1234567"})))
    assert len(notes(tab)) == 2   # the same record again adds nothing


def test_a_declined_request_is_noted_and_a_reopened_tab_has_the_notes_in_time_order(window, desk, qtbot):
    from ui_fakes import local_message

    desk.messages["c1"] = (local_message("c1", "before", at="2026-11-29T10:00:30.000Z"),
                           local_message("c1", "after", at="2026-11-29T10:03:00.000Z"))
    desk.details["c1"] = (record("declined"),)
    tab = open_chat(window, desk)
    rows = [tab.model.index(r).data() for r in range(tab.model.rowCount())]
    assert rows == ["before", notes(tab)[0], "The visitor declined to share the details.", "after"]
    assert not tab._details_state.isVisibleTo(tab)


@pytest.fixture
def styled(qapp):
    qapp.setStyleSheet(style_sheet())
    yield
    qapp.setStyleSheet("")


# -- every window closes from the keyboard -----------------------------------------------------------------


@pytest.mark.parametrize("window_class", [TranscriptsWindow, SubjectsWindow, RequestsWindow])
@pytest.mark.parametrize("keys", [(Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
                                  (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)])
def test_the_review_windows_close_with_escape_and_ctrl_w(qtbot, qloop, window_class, keys):
    review = window_class(FakeDesk())
    qtbot.addWidget(review)
    review.show()
    qtbot.waitExposed(review)
    activate(qtbot, review)
    qtbot.keyClick(review, *keys)
    qtbot.waitUntil(lambda: not review.isVisible())


# -- the visitor panel's tables --------------------------------------------------------------------------


def consent(purpose: Purpose, seq: int) -> ConsentEvent:
    return ConsentEvent(id=f"e{seq}", visitor_id="v1", purpose=purpose, granted=True, notice_id="prechat-en",
                        notice_version=1, method=ConsentMethod.WIDGET_SETTINGS, at=AT, seq=seq)


def header_fits(header, column: int, text: str) -> bool:
    """The header's text, as the style sheet draws it (weight 600, 6 px padding a side), fits."""
    font = QFont(header.font())
    font.setWeight(QFont.Weight.DemiBold)
    return header.sectionSize(column) >= QFontMetrics(font).horizontalAdvance(text) + 12


def fits(view) -> list[str]:
    """Headers that do not fit their column, and a table that scrolls sideways or hides rows."""
    header = view.horizontalHeader()
    problems = []
    for column in range(header.count()):
        if view.isColumnHidden(column):
            continue
        text = view.model().headerData(column, Qt.Orientation.Horizontal)
        if not header_fits(header, column, text):
            problems.append(f"{view.accessibleName()}: header {text!r} is cut off")
    if view.horizontalScrollBar().maximum() > 0:
        problems.append(f"{view.accessibleName()}: scrolls sideways")
    if view.verticalScrollBar().maximum() > 0:
        problems.append(f"{view.accessibleName()}: hides rows")
    return problems


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_visitor_panel_tables_fit_at_the_default_size(qtbot, qloop, tmp_path, language, desk, settings,
                                                          styled):
    desk.visitors["v1"] = make_visitor("v1", name="Jule Horn", chat=True, insights=True)
    desk.consents["v1"] = tuple(consent(p, n) for n, p in enumerate(Purpose, start=1))
    desk.details["c1"] = (record("received", {"phone": "+49 30 1234567", "email": "jule@example.com"}),)
    with interface_language(language, tmp_path / "translations"):
        window = shown_main_window(qtbot, desk, settings)
        window.bridge(VisitorsChanged(upserts=(desk.visitors["v1"],)))
        window.visitor_details.show_for("v1", "c1")
        qtbot.waitUntil(lambda: window.panel_dock.width() >= 500)   # the default, once laid out
        problems: list[str] = []
        for view in (v for v in window.visitor_panel.findChildren(QTableView) if v.isVisible()):
            problems += fits(view)
        header = window.visitor_list.view.horizontalHeader()
        this_page = window.visitor_model.this_page_text()   # what "Pages" says without consent, whole
        if header.sectionSize(VisitorColumn.PAGES_VIEWED) < window.visitor_list.view.fontMetrics(
                ).horizontalAdvance(this_page) + 8:
            problems.append(f"visitor list: {this_page!r} is cut off")
        for column in range(header.count() - 1):    # the last one stretches
            text = window.visitor_model.headerData(column, Qt.Orientation.Horizontal)
            if not header_fits(header, column, text):
                problems.append(f"visitor list: header {text!r} is cut off")
        assert not problems, "\n".join(problems)
