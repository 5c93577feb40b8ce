"""Handing a chat over from the desk (issue 14, item 3): the chat tab's Hand over (and Ctrl+Shift+H)
opens a chooser listing colleagues with their presence and team, and teams, all from the keyboard; the
note goes with the hand-over; the tab ends cleanly for the sender; the receiver's tab says from whom,
with the note."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from ui_factories import make_visitor
from ui_main_window_kit import quiet_composers, shown_main_window

from operator_desk.domain.model import Chat, ChatState, OperatorInfo, Role, TeamRef
from operator_desk.protocol.messages import OperatorPresence
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import ChatsChanged, ChatTransferredIn, VisitorsChanged
from operator_desk.ui.dialogs.transfer_dialog import TransferDialog

AT = "2026-11-29T10:00:00.000Z"
SUPPORT = TeamRef(id="support", name="Support")


def colleague(operator_id: str, name: str, status: str, open_chats: int = 0, team: TeamRef | None = SUPPORT,
              limit: int = 4) -> OperatorPresence:
    return OperatorPresence(operator=OperatorInfo(id=operator_id, name=name, role=Role.OPERATOR, team=team),
                            status=status, open_chats=open_chats, chat_limit=limit)


def open_chat(window, desk, chat_id="c1", visitor_id="v1"):
    window.bridge(VisitorsChanged(upserts=(make_visitor(visitor_id, name="Ada", chat=True),)))
    desk.chats[chat_id] = Chat(id=chat_id, visitor_id=visitor_id, state=ChatState.ACTIVE, operator_id="op-1",
                               started_at=AT)
    window.bridge(ChatsChanged(chats=(desk.chats[chat_id],)))
    return window.tabs.chat_tab(chat_id)


def shown_dialog(window) -> TransferDialog | None:
    shown = [d for d in window.findChildren(TransferDialog) if d.isVisible()]
    return shown[0] if shown else None


def test_the_chooser_lists_colleagues_and_teams_and_hands_over_from_the_keyboard(qtbot, qloop, desk,
                                                                                 settings):
    window = shown_main_window(qtbot, desk, settings)
    desk.colleagues = [colleague("op-1", "Sam", "available"),     # the operator themself: not listed
                       colleague("op-2", "Lee Lead", "busy", open_chats=1),
                       colleague("op-3", "Olu", "available", open_chats=4),   # at the limit
                       colleague("op-4", "Kai", "away", team=None)]
    tab = open_chat(window, desk)
    tab.composer.setPlainText("a draft")
    window.tabs.show_tab(tab)
    task = asyncio.ensure_future(window.commands.transfer_chat("c1"))
    qtbot.waitUntil(lambda: shown_dialog(window) is not None)
    dialog = shown_dialog(window)
    rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]
    assert rows == [["Team Support", "Support", "2 signed in", "1 can take it"],
                    ["Kai", "—", "Away", "0 of 4"],
                    ["Lee Lead", "Support", "Busy", "1 of 4"],
                    ["Olu", "Support", "Available", "4 of 4"]]
    assert not dialog.table.item(3, 0).flags() & Qt.ItemFlag.ItemIsEnabled   # at the limit: not to pick
    assert dialog.table.hasFocus() and dialog.chosen().team_id == "support"   # the first that can take it
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.chosen().operator_id == "op-2"
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.chosen().operator_id == "op-2"   # Olu, at the limit, cannot be reached
    dialog.note_edit.setFocus()
    qtbot.keyClicks(dialog.note_edit, "Wants a refund.")
    qtbot.keyClick(dialog.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(task.done)
    assert task.result() is True
    assert ("transfer_chat", ("c1", "op-2", None, "Wants a refund.")) in desk.calls
    assert tab.is_closed and tab.handed_over and not tab.composer.isEnabled()
    assert tab.composer.toPlainText() == "a draft"   # nothing typed is lost
    assert "You handed this chat to Lee Lead." in [lab.text() for lab in tab.findChildren(type(dialog.empty))]
    assert not window.desk_actions.transfer.isEnabled() and not window.desk_actions.end.isEnabled()
    assert "c1" not in window.open_chat_ids()   # quitting no longer asks about it
    quiet_composers(window)


def test_a_refused_hand_over_says_why_and_the_chat_stays(qtbot, qloop, desk, settings):
    window = shown_main_window(qtbot, desk, settings)
    desk.colleagues = [colleague("op-2", "Lee Lead", "available")]
    tab = open_chat(window, desk)
    task = asyncio.ensure_future(window.commands.transfer_chat("c1"))
    qtbot.waitUntil(lambda: shown_dialog(window) is not None)
    desk.fail_with = DeskError(FailureCode.RECIPIENT_AT_LIMIT, "chat.transfer")
    shown_dialog(window).ok_button.click()
    qtbot.waitUntil(task.done)
    assert task.result() is False
    assert "as many chats open as allowed" in window.banner.label.text()
    assert not tab.is_closed and tab.composer.isEnabled()
    quiet_composers(window)


def test_the_receiving_tab_says_who_handed_it_over_with_the_note(qtbot, qloop, desk, settings):
    window = shown_main_window(qtbot, desk, settings)
    tab = open_chat(window, desk)
    window.bridge(ChatTransferredIn(chat=desk.chats["c1"], note="Refund: order 4471.",
                                    from_operator=OperatorInfo(id="op-9", name="Olu", role=Role.OPERATOR)))
    texts = [tab.model.index(r).data() for r in range(tab.model.rowCount())]
    assert texts == ["Olu handed this chat to you: Refund: order 4471."]
    assert tab.composer.isEnabled()
    quiet_composers(window)
