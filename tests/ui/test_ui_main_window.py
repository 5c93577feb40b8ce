"""The main window against a fake desk: tabs, unread counts, erasure, consent gating on screen, roles,
failures in words, layout restored."""

from __future__ import annotations

import msgspec
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from ui_factories import make_visitor
from ui_fakes import FakeDesk, local_message
from ui_widget_text import all_text

from operator_desk.domain.model import Chat, ChatState, Insights, Location, Role, VisitorState
from operator_desk.services.detect import detail_fields_asked_for
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import (
    ChatArrived,
    ChatsChanged,
    ConnectionChanged,
    ConnectionState,
    Failure,
    MessagesAdded,
    SignedIn,
    TypingChanged,
    VisitorErased,
    VisitorsChanged,
)
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.windows.main_window import MainWindow

SECRETS = ("Grenoble", "Initech", "198.51.100.23")


def waiting(chat_id: str, visitor_id: str, started: str = "2026-11-29T10:00:00.000Z") -> Chat:
    return Chat(id=chat_id, visitor_id=visitor_id, state=ChatState.WAITING, started_at=started)


def active(chat_id: str, visitor_id: str) -> Chat:
    return Chat(id=chat_id, visitor_id=visitor_id, state=ChatState.ACTIVE, operator_id="op-1",
                started_at="2026-11-29T10:00:00.000Z")


def open_chat(window: MainWindow, desk: FakeDesk, chat_id: str = "c1", visitor_id: str = "v1") -> None:
    desk.chats[chat_id] = active(chat_id, visitor_id)
    window.bridge(ChatsChanged(chats=(desk.chats[chat_id],)))


def test_accepting_opens_a_tab_and_ctrl_return_takes_the_oldest(window, desk, qtbot, run):
    visitor = make_visitor("v1", name="Ada", chat=True)
    window.bridge(VisitorsChanged(upserts=(visitor, make_visitor("v2"))))
    desk.chats = {"c1": waiting("c1", "v1"), "c2": waiting("c2", "v2", "2026-11-29T10:05:00.000Z")}
    window.bridge(ChatArrived(chat=desk.chats["c2"], visitor=make_visitor("v2")))
    window.bridge(ChatArrived(chat=desk.chats["c1"], visitor=visitor))
    assert window.queue_model.rowCount() == 2
    assert window.queue_dock.windowTitle() == "Queue (2)"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.tabs.chat_tab("c1") is not None)
    assert ("accept_chat", ("c1",)) in desk.calls
    assert window.tabs.currentWidget() is window.tabs.chat_tab("c1")
    assert window.tabs.tabText(0) == "Ada"


def test_the_visitor_list_state_filter_is_what_the_desk_subscribes_to(window, desk, qtbot):
    """Issue 16: the desk receives what its list shows, so the state filter goes to the desk (and on
    to the server's visitors.subscribe)."""
    combo = window.visitor_list.state_combo
    combo.setCurrentIndex(next(i for i in range(combo.count())
                               if tuple(combo.itemData(i)) == (VisitorState.WAITING,)))
    qtbot.waitUntil(lambda: ("show_visitor_states", ((VisitorState.WAITING,),)) in desk.calls)
    combo.setCurrentIndex(0)   # all states
    qtbot.waitUntil(lambda: ("show_visitor_states", ((),)) in desk.calls)


def test_unread_counts_on_tabs_that_are_not_in_front(window, desk, qtbot):
    open_chat(window, desk, "c1", "v1")
    open_chat(window, desk, "c2", "v2")
    window.tabs.setCurrentWidget(window.tabs.chat_tab("c1"))
    window.bridge(MessagesAdded("c2", (local_message("c2", "hello"), local_message("c2", "anyone?"))))
    index = window.tabs.indexOf(window.tabs.chat_tab("c2"))
    assert window.tabs.tabText(index).endswith("(2)")
    window.tabs.setCurrentIndex(index)
    assert not window.tabs.tabText(index).endswith(")")


def test_sending_goes_to_the_desk_and_frees_the_composer(window, desk, qtbot):
    open_chat(window, desk)
    tab = window.tabs.chat_tab("c1")
    qtbot.keyClicks(tab.composer, "We ship tomorrow.")
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("send_message", ("c1", "We ship tomorrow.")) in desk.calls)
    assert tab.composer.toPlainText() == ""


def test_a_failed_send_is_said_in_words_and_the_text_given_back(window, desk, qtbot, run):
    open_chat(window, desk)
    desk.fail_with = DeskError(FailureCode.SERVER_UNREACHABLE, "chat.send")
    assert run(window.commands.send_message("c1", "Are you there?")) is False
    assert "cannot be reached" in window.banner.label.text()
    assert window.tabs.chat_tab("c1").composer.toPlainText() == "Are you there?"


def test_failure_events_are_shown_as_sentences(window, qtbot):
    window.bridge(Failure(action="chat.accept", code=FailureCode.CONFLICT))
    assert window.banner.isVisible()
    assert "Another operator was quicker" in window.banner.label.text()
    assert "conflict" not in window.banner.label.text()


def test_erasure_closes_the_tab_and_drops_the_rows(window, desk, qtbot):
    window.bridge(VisitorsChanged(upserts=(make_visitor("v1", name="Ada", chat=True), make_visitor("v2"))))
    open_chat(window, desk, "c1", "v1")
    window.visitor_list.select_visitor("v1")
    window.bridge(VisitorErased(visitor_id="v1", chat_ids=("c1",)))
    assert window.tabs.chat_tab("c1") is None
    assert window.visitor_model.visitor("v1") is None
    assert window.visitor_model.rowCount() == 1
    assert "Ada" not in all_text(window)


def test_without_insights_consent_no_location_company_or_ip_appears_anywhere(window, desk, qtbot):
    leaky = msgspec.structs.replace(
        make_visitor("v1", name="Ada", chat=True),
        insights=Insights(ip="198.51.100.23", location=Location(city="Grenoble", country="France"),
                          company="Initech"),
    )
    desk.visitors["v1"] = leaky
    window.bridge(VisitorsChanged(upserts=(leaky,)))
    open_chat(window, desk, "c1", "v1")
    window.visitor_list.select_visitor("v1")
    window.bridge(TypingChanged("c1", True, None))
    text = all_text(window)
    for secret in SECRETS:
        assert secret not in text
    assert "No consent" in text

    # With consent the same panel shows them: the check above would notice if they were shown.
    consenting = make_visitor("v1", name="Ada", chat=True, insights=True, city="Grenoble",
                              company="Initech", ip="198.51.100.23")
    window.bridge(VisitorsChanged(upserts=(consenting,)))
    text = all_text(window)
    for secret in SECRETS:
        assert secret in text

    # Withdrawn: gone again at once.
    withdrawn = make_visitor("v1", name="Ada", chat=True, insights=False)
    window.bridge(VisitorsChanged(upserts=(withdrawn,)))
    text = all_text(window)
    for secret in SECRETS:
        assert secret not in text


def test_review_menus_follow_the_role(qtbot, qloop, settings):
    bridge = EventBridge()
    desk = FakeDesk(Role.OPERATOR)
    window = MainWindow(desk, bridge, settings, detail_fields_asked_for)
    qtbot.addWidget(window)
    bridge(SignedIn(operator=desk.operator, server_name="t", resumed=False))
    actions = window.desk_actions
    # An operator reviews their own transcripts; the team and the logs are for leads and supervisors.
    assert actions.transcripts.isVisible() and not actions.subjects.isVisible()
    assert not actions.team.isVisible() and not actions.audit.isVisible()
    lead = FakeDesk(Role.TEAM_LEAD)
    bridge(SignedIn(operator=lead.operator, server_name="t", resumed=False))
    assert actions.transcripts.isVisible() and actions.team.isVisible() and not actions.subjects.isVisible()
    assert not actions.requests.isVisible() and not actions.audit.isVisible()
    supervisor = FakeDesk(Role.SUPERVISOR)
    bridge(SignedIn(operator=supervisor.operator, server_name="t", resumed=False))
    assert actions.subjects.isVisible() and actions.requests.isVisible() and actions.audit.isVisible()


def test_status_bar_counts_down_while_reconnecting(window, qtbot):
    window.bridge(ConnectionChanged(ConnectionState.RECONNECTING, retry_in=3.0,
                                    failure=FailureCode.SERVER_UNREACHABLE))
    label = window.status.connection_label
    assert "retrying in 3 s" in label.text()
    qtbot.waitUntil(lambda: "retrying in 2 s" in label.text(), timeout=3000)
    window.bridge(ConnectionChanged(ConnectionState.ONLINE))
    assert label.text() == "Online"
    assert "Sam" in window.status.operator_label.text()


def test_dock_layout_is_restored_on_the_next_start(qtbot, qloop, settings):
    first = MainWindow(FakeDesk(), EventBridge(), settings, detail_fields_asked_for)
    qtbot.addWidget(first)
    first.show()
    first.panel_dock.hide()
    first.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, first.queue_dock)
    first.close()
    second = MainWindow(FakeDesk(), EventBridge(), settings, detail_fields_asked_for)
    qtbot.addWidget(second)
    second.restore_layout()
    second.show()
    assert second.panel_dock.isHidden()
    assert second.dockWidgetArea(second.queue_dock) == Qt.DockWidgetArea.RightDockWidgetArea


def test_no_two_commands_of_the_main_window_share_a_shortcut(qtbot, qloop, settings):
    # Qt fires neither of two window shortcuts bound to the same keys (activatedAmbiguously): both
    # commands would silently stop working from the keyboard.
    window = MainWindow(FakeDesk(Role.SUPERVISOR), EventBridge(), settings, detail_fields_asked_for)
    qtbot.addWidget(window)
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            owners.setdefault(key.toString(), []).append(action.text())
    assert owners, "the window has shortcuts"
    assert {key: texts for key, texts in owners.items() if len(texts) > 1} == {}
