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


def test_the_status_is_set_from_the_menu_shown_in_the_status_bar_and_remembered(stack, run, qtbot):
    window = stack.window
    status = window.desk_actions.status
    assert not window.status_button.isVisible() and not status.menu.menuAction().isEnabled()
    sign_in(stack, run, qtbot, "operator")
    qtbot.waitUntil(lambda: window.status_button.text() == "Away")   # nothing remembered: away
    assert status.actions["away"].isChecked() and status.menu.menuAction().isEnabled()
    assert window.status_button.isVisible()

    status.actions["available"].trigger()
    qtbot.waitUntil(lambda: window.status_button.text() == "Available")
    assert status.actions["available"].isChecked() and not status.actions["away"].isChecked()
    operator_id = stack.desk.operator.id
    assert window.settings.remembered_status(operator_id) == "available"
    qtbot.waitUntil(lambda: presence_on_server(stack, "Olu Operator") == "available")

    # Ctrl+Shift+S opens the Status menu from the keyboard; B chooses Busy.
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL_SHIFT)
    qtbot.waitUntil(status.menu.isVisible)
    qtbot.keyClick(status.menu, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: window.status_button.text() == "Busy")
    assert window.settings.remembered_status(operator_id) == "busy"

    # Signed out: no status to show or choose.
    run(window.commands.sign_out())
    qtbot.waitUntil(lambda: not window.status_button.isVisible())
    assert not status.menu.menuAction().isEnabled()


def presence_on_server(stack, name: str) -> str:
    return next(p.status for p in stack.server.hub.router.everyone() if p.operator.name == name)


def running(loop, slot_name: str) -> bool:
    """Whether a task of the named async slot is still going (its coroutine's qualified name)."""
    return any(slot_name in task.get_coro().__qualname__ for task in asyncio.all_tasks(loop))


def test_an_offered_chat_shows_with_the_time_left_and_one_key_accepts_it(stack, run, qtbot, qloop):
    window = stack.window
    sign_in(stack, run, qtbot, "operator")
    run(window.commands.set_status("available"))
    chat_id = new_chat(stack, run)
    bar = window.offer_bar
    qtbot.waitUntil(bar.isVisible)
    assert bar.chat_id == chat_id
    assert bar.label.text() == "Chat offered to you: Ada Lovelace, on “Tents”"
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
    sign_in(stack, run, qtbot, "operator")
    run(window.commands.set_status("available"))
    chat_id = new_chat(stack, run)
    bar = window.offer_bar
    qtbot.waitUntil(bar.isVisible)
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
