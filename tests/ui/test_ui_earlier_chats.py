"""Earlier chats of a returning visitor in the visitor panel (issue 14, item 7), against the real server
in-process: listed with date, operator and first line only with visitor_insights consent, opened
read-only on a click, and gone, list and window, the moment the consent is withdrawn."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from shiboken6 import isValid
from ui_widget_text import all_text

from operator_desk.protocol.messages import FIRST_LINE_CHARS
from operator_desk.server import repository
from tests.kit.visitors import consent

pytestmark = pytest.mark.slow

LONG_FIRST = "Do your tents come in green? " * 10   # longer than a first line is shown


def earlier_chat_reads(stack, run, visitor_id: str) -> list[str]:
    """The server's audit entries of reads of this visitor's earlier chats."""
    entries = run(stack.server.db.call(repository.audit_about, visitor_id))
    return [e.action for e in entries if e.action.startswith("visitor.earlier_chat")]


def signed_in(stack, run, qtbot) -> None:
    run(stack.desk.sign_in("supervisor", "demo"))
    qtbot.waitUntil(lambda: stack.window.status.connection_label.text() == "Online")


def a_chat(stack, run, qtbot, visitor, first: str, answer: str) -> str:
    chat = run(visitor.ok("chat.start", {"name": "Jule Horn", "message": first}))["chat"]
    qtbot.waitUntil(lambda: stack.window.queue_model.rowCount() == 1)
    assert run(stack.window.commands.accept_chat(chat["id"]))
    run(stack.window.commands.send_message(chat["id"], answer))
    return chat["id"]


def test_earlier_chats_show_with_consent_open_on_a_click_and_go_with_the_withdrawal(stack, run, qtbot):
    signed_in(stack, run, qtbot)
    window = stack.window
    visitor = stack.visitor(run)
    run(consent(visitor, "chat", granted=True, method="prechat_form"))
    first_chat = a_chat(stack, run, qtbot, visitor, LONG_FIRST + "\nsecond line", "Yes, in green.")
    run(visitor.ok("chat.end", {}))
    qtbot.waitUntil(lambda: window.tabs.chat_tab(first_chat).is_closed)
    second_chat = a_chat(stack, run, qtbot, visitor, "Hello again", "Welcome back!")
    box = window.visitor_panel.earlier_chats
    window.visitor_details.show_for(visitor.visitor_id, second_chat)
    # Without visitor_insights: the desk does not ask, and the panel says why there is nothing.
    assert box.model.rowCount() == 0 and not box.view.isVisible()
    assert "consent" in box.note.text()
    assert not earlier_chat_reads(stack, run, visitor.visitor_id)   # the server was never asked

    run(consent(visitor, "visitor_insights", granted=True, method="prechat_form"))
    qtbot.waitUntil(lambda: box.model.rowCount() == 1)
    listed = box.earlier_chat(0)
    assert listed.chat_id == first_chat and listed.operator_name == "Sam Supervisor"
    assert listed.first_line == (LONG_FIRST.strip()[:FIRST_LINE_CHARS - 1] + "…")
    assert box.model.index(0, 2).data() == listed.first_line
    assert "1 earlier chat" in box.note.text()

    # Enter (or a double-click) on the row opens it, read-only.
    box.view.setCurrentIndex(box.model.index(0, 0))
    box.view.setFocus()
    qtbot.keyClick(box.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.visitor_details.earlier_chat_windows()) == 1)
    reader = window.visitor_details.earlier_chat_windows()[0]
    texts = [reader.model.index(r).data() for r in range(reader.model.rowCount())]
    assert texts == [LONG_FIRST + "\nsecond line", "Yes, in green."]
    assert "read-only" in reader.about.text()
    assert not [w for w in reader.findChildren(type(window.tabs.chat_tab(second_chat).composer))]

    run(consent(visitor, "visitor_insights", granted=False, method="prechat_form"))
    qtbot.waitUntil(lambda: box.model.rowCount() == 0)
    qtbot.waitUntil(lambda: not window.visitor_details.earlier_chat_windows())
    assert not isValid(reader) or not reader.isVisible()   # closed, and deleted with its messages
    assert "green" not in all_text(window.visitor_panel)
    # Asked now, the desk refuses before the server is even asked.
    assert not run(window.commands.load_earlier_chats(visitor.visitor_id))
    assert not run(window.commands.open_earlier_chat(visitor.visitor_id, first_chat))
    assert earlier_chat_reads(stack, run, visitor.visitor_id) == ["visitor.earlier_chats",
                                                                  "visitor.earlier_chat"]
