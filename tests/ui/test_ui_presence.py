"""The operator's status and the offers of chats in the desk window, against the real server: the status
bar and the Desk menu show and set one status, remembered for the account in the settings; an offered
chat shows in a strip with the time left, is accepted with one key, lets pass, or goes by itself."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from test_ui_real_server import sign_in

from operator_desk.services.desk import Desk
from operator_desk.services.events import ChatOffer
from operator_desk.services.tokens import MemoryTokens
from operator_desk.ui.widgets.offer_bar import OfferBar
from tests.kit.visitors import consent

pytestmark = pytest.mark.slow
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def new_chat(stack, run) -> str:
    visitor = stack.visitor(run)
    run(consent(visitor, "chat", granted=True, method="prechat_form"))
    return run(visitor.ok("chat.start", {"name": "Ada Lovelace", "message": "Hello"}))["chat"]["id"]


def offered_while_available(stack, run, qtbot) -> tuple[str, OfferBar]:
    """An operator signed in and available, and a new chat offered to them: its id and the offer bar,
    shown."""
    sign_in(stack, run, qtbot, "operator")
    run(stack.window.commands.set_status("available"))
    chat_id = new_chat(stack, run)
    bar = stack.window.offer_bar
    qtbot.waitUntil(bar.isVisible)
    return chat_id, bar


def test_the_status_is_set_from_the_menu_shown_in_the_status_bar_and_remembered(stack, run, qtbot):
    window = stack.window
    status = window.desk_actions.status
    assert not window.status.status_button.isVisible() and not status.menu.menuAction().isEnabled()
    sign_in(stack, run, qtbot, "operator")
    qtbot.waitUntil(lambda: window.status.status_button.text() == "Away")   # nothing remembered: away
    assert status.actions["away"].isChecked() and status.menu.menuAction().isEnabled()
    assert window.status.status_button.isVisible()

    status.actions["available"].trigger()
    qtbot.waitUntil(lambda: window.status.status_button.text() == "Available")
    assert status.actions["available"].isChecked() and not status.actions["away"].isChecked()
    operator_id = stack.desk.operator.id
    assert window.settings.remembered_status(operator_id) == "available"
    qtbot.waitUntil(lambda: presence_on_server(stack, "Olu Operator") == "available")

    # Ctrl+Shift+S opens the Status menu from the keyboard; B chooses Busy.
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL_SHIFT)
    qtbot.waitUntil(status.menu.isVisible)
    qtbot.keyClick(status.menu, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: window.status.status_button.text() == "Busy")
    assert window.settings.remembered_status(operator_id) == "busy"

    # Signed out: no status to show or choose.
    run(window.commands.sign_out())
    qtbot.waitUntil(lambda: not window.status.status_button.isVisible())
    assert not status.menu.menuAction().isEnabled()


def presence_on_server(stack, name: str) -> str:
    return next(p.status for p in stack.server.hub.router.everyone() if p.operator.name == name)


def running(loop, slot_name: str) -> bool:
    """Whether a task of the named async slot is still going (its coroutine's qualified name)."""
    return any(slot_name in task.get_coro().__qualname__ for task in asyncio.all_tasks(loop))


def test_an_offered_chat_shows_with_the_time_left_and_one_key_accepts_it(stack, run, qtbot, qloop):
    window = stack.window
    chat_id, bar = offered_while_available(stack, run, qtbot)
    assert bar.chat_id == chat_id
    # The offer can come before the visitor's name and page: the bar then names the pseudonym and
    # is rendered again when they come.
    qtbot.waitUntil(lambda: bar.label.text() == "Chat offered to you: Ada Lovelace, on “Tents”")
    assert bar.time_left.text().endswith("s left") and 0 < int(bar.time_left.text().split()[0]) <= 20
    assert window.desk_actions.accept_offer.isEnabled()
    assert window.tabs.count() == 0   # not modal, nothing taken: the operator decides

    qtbot.keyClick(window, Qt.Key.Key_A, CTRL_SHIFT)
    qtbot.waitUntil(lambda: window.tabs.chat_tab(chat_id) is not None)
    qtbot.waitUntil(lambda: not running(qloop, "on_accept_offer_action_triggered"))
    assert window.tabs.current_chat_tab().chat_id == chat_id
    assert not bar.isVisible()
    assert not window.desk_actions.accept_offer.isEnabled()
    assert stack.desk.chats[chat_id].operator_id == stack.desk.operator.id


def test_an_offer_lets_pass_and_one_taken_elsewhere_goes(stack, run, qtbot):
    window = stack.window
    chat_id, bar = offered_while_available(stack, run, qtbot)
    qtbot.mouseClick(bar.pass_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.isVisible())
    assert window.queue_model.is_waiting(chat_id)   # still in the queue for anyone to take

    second = new_chat(stack, run)
    qtbot.waitUntil(lambda: bar.chat_id == second)
    # A supervisor on another desk takes it by hand: the offer goes from this window.
    other = Desk(server_url=stack.server.url, profile="other", sink=lambda event: None, store=None,
                 tokens=MemoryTokens())
    try:
        run(other.sign_in("supervisor", "demo"))
        run(other.accept_chat(second))
        qtbot.waitUntil(lambda: not bar.isVisible())
    finally:
        run(other.close())


def test_the_offer_bar_counts_down_and_names_more_offers(qtbot):
    now = [100.0]
    bar = OfferBar(lambda chat_id: (f"Visitor {chat_id}", ""), clock=lambda: now[0])
    qtbot.addWidget(bar)
    bar.show_offers((ChatOffer("c1", 112.2, 20.0), ChatOffer("c2", 118.0, 20.0)))
    assert bar.isVisible()
    assert bar.label.text() == "Chat offered to you: Visitor c1 (and 1 more)"
    assert bar.time_left.text() == "13 s left"
    now[0] = 111.5
    bar._render_time_left()
    assert bar.time_left.text() == "1 s left"
    with qtbot.waitSignal(bar.accept_requested) as accepted:
        bar.accept_button.click()
    assert accepted.args == ["c1"]
    bar.show_offers(())
    assert bar.isHidden()


def test_a_supervisor_sets_an_operators_chat_limit_in_the_team_window(stack, run, qtbot):
    from test_ui_review import opened_window

    from operator_desk.ui.windows.team_window import TeamWindow

    sign_in(stack, run, qtbot, "supervisor")
    stack.window.desk_actions.team.trigger()
    window = opened_window(stack, qtbot, TeamWindow)
    qtbot.waitUntil(lambda: window.status is not None)
    model = window.operators_model

    def row_of(name: str) -> int:
        return next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)

    limit_column = next(c for c in range(model.columnCount())
                        if model.headerData(c, Qt.Orientation.Horizontal) == "Chat limit")
    assert model.index(row_of("Olu Operator"), limit_column).data() == "4 (site)"
    assert model.index(row_of("Sam Supervisor"), limit_column).data() == "—"
    assert window.set_limit_button.isVisible() and not window.set_limit_button.isEnabled()

    window.operators_view.selectRow(row_of("Olu Operator"))
    assert window.set_limit_button.isEnabled() and window.limit_box.value() == 4
    window.limit_box.setValue(2)
    qtbot.mouseClick(window.set_limit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.index(row_of("Olu Operator"), limit_column).data() == "2")
    stored = run(stack.server.db.call(lambda conn: conn.execute(
        "SELECT chat_limit FROM operators WHERE username = 'operator'").fetchone()[0]))
    assert stored == 2
    # Still chosen after the refresh; back to the site's.
    assert window.selected_member().name == "Olu Operator"
    assert run(window.set_limit(None))
    assert model.index(row_of("Olu Operator"), limit_column).data() == "4 (site)"

    # An operator's chat limit cannot be changed from a lead's window: the editor is not there.
    run(stack.desk.sign_out())
    sign_in(stack, run, qtbot, "lead")
    lead_window = TeamWindow(stack.desk, stack.window)
    qtbot.addWidget(lead_window)
    lead_window.show()
    assert not lead_window.set_limit_button.isVisible()


def test_an_operator_in_a_team_sees_their_teams_queue_or_all(stack, run, qtbot):
    run(stack.server.add_team("sales", "Sales"))
    sign_in(stack, run, qtbot, "operator")   # in the demo's team, Support
    panel = stack.window.queue_panel
    assert panel.scope_box.isVisible()
    assert panel.scope_box.currentText() == "Team Support (and chats for anyone)"

    def started(team: str | None) -> str:
        visitor = stack.visitor(run)
        run(consent(visitor, "chat", granted=True, method="prechat_form"))
        payload = {"message": "Hello"} | ({"team": team} if team else {})
        return run(visitor.ok("chat.start", payload))["chat"]["id"]

    ours, anyones, theirs = started("support"), started(None), started("sales")
    model = stack.window.queue_model
    qtbot.waitUntil(lambda: model.is_waiting(ours) and model.is_waiting(anyones))
    qtbot.waitUntil(lambda: model.out_of_view_count() == 1)
    assert not model.is_waiting(theirs) and model.rowCount() == 2
    panel.scope_box.setCurrentIndex(1)   # All waiting chats
    assert model.is_waiting(theirs) and model.rowCount() == 3
    panel.scope_box.setCurrentIndex(0)
    assert model.rowCount() == 2

    # Signed in as someone in no team: no choice, everything.
    run(stack.desk.sign_out())
    qtbot.waitUntil(lambda: not panel.scope_box.isVisible())
    sign_in(stack, run, qtbot, "supervisor")
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    assert not panel.scope_box.isVisible()


def test_messages_left_are_listed_and_marked_under_the_queue(stack, run, qtbot):
    sign_in(stack, run, qtbot, "operator")
    box = stack.window.queue_panel.left_messages
    assert not box.isVisible()   # none yet
    visitor = stack.visitor(run)
    run(consent(visitor, "chat", granted=True, method="prechat_form"))
    run(visitor.ok("chat.start", {"name": "Mia Winter", "email": "mia@example.com",
                                       "message": "Please call me.\nAbout the tent.", "leave_message": True}))
    qtbot.waitUntil(box.isVisible)
    assert box.title() == "Messages left (1)"
    item = box.list.item(0)
    assert item.text().startswith("Message left by Mia Winter, ")
    assert item.text().endswith(": Please call me.")
    assert item.toolTip() == "Please call me.\nAbout the tent."
    assert not box.reply_button.isEnabled()
    box.list.setCurrentRow(0)
    assert box.reply_button.isEnabled()
    url = box.reply_url(box.chosen())
    assert url.scheme() == "mailto" and url.path() == "mia@example.com"
    assert stack.window.queue_model.rowCount() == 0   # never waiting: nobody to chat with

    # Someone who left no address: listed, no reply by e-mail; withdrawn consent: a pseudonym.
    other = stack.visitor(run)
    run(consent(other, "chat", granted=True, method="prechat_form"))
    run(other.ok("chat.start", {"message": "Hello?", "leave_message": True}))
    qtbot.waitUntil(lambda: box.list.count() == 2)
    box.list.setCurrentRow(0)
    assert box.list.item(0).text().startswith("Message left by Visitor ")
    assert not box.reply_button.isEnabled()

    # Signed out: gone from the window.
    run(stack.desk.sign_out())
    qtbot.waitUntil(lambda: not box.isVisible())
