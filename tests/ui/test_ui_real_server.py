"""The desk window against the real server in-process and a real encrypted cache: sign in, live visitors,
accept and answer a chat, the details round trip, typing previews, and erasure."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from PySide6.QtCore import Qt
from ui_widget_text import all_text

from operator_desk.domain.cases import IdentityCheck, RequestKind
from operator_desk.domain.model import DetailField
from operator_desk.services.desk import Desk
from operator_desk.services.tokens import MemoryTokens
from operator_desk.ui.dialogs.details_request import DetailsRequestDialog
from operator_desk.ui.dialogs.login import LoginDialog
from operator_desk.ui.models.privacy_models import DetailColumn
from operator_desk.ui.models.transcript_model import TranscriptRole
from operator_desk.ui.windows.main_window import MainWindow
from tests.kit.visitors import consent, notice_for

HOSTILE = "<b>bold</b><img src=x>"

pytestmark = pytest.mark.slow


async def erased_with_four_eyes(stack, visitor_id: str, reason: str) -> None:
    """The window's desk asks for the erasure; a second supervisor, on a desk of their own, approves."""
    requests = stack.desk.subject_requests
    case = await requests.open_case(RequestKind.ERASURE, date.today().isoformat(), IdentityCheck.OTHER,
                                    visitor_id=visitor_id)
    pending = await requests.request_approval("subjects.erase", case.id, visitor_id, reason)
    # The default timing: no heartbeat in its short life (a ping cut short by close() would be a late
    # answer, logged as a warning).
    approver = Desk(server_url=stack.server.url, profile="approver", sink=lambda event: None, store=None,
                    tokens=MemoryTokens())
    try:
        await approver.sign_in("dpo", "demo")
        await approver.subject_requests.decide(pending, approve=True)
    finally:
        await approver.close()


def sign_in(stack, run, qtbot, user: str = "supervisor") -> None:
    async def attempt(url, username, password):
        try:
            await stack.desk.sign_in(username, password)
        except Exception as exc:
            return exc.code
        return None

    dialog = LoginDialog(attempt, server_url=stack.server.url, username=user, parent=stack.window)
    dialog.password_edit.setText("wrong")
    assert run(dialog.try_sign_in()) is False
    assert "wrong" in dialog.error_label.text()
    dialog.password_edit.setText("demo")
    assert run(dialog.try_sign_in()) is True
    qtbot.waitUntil(lambda: stack.window.status.connection_label.text() == "Online")


def start_chat(stack, run, qtbot, *, name="Ada Lovelace", message=HOSTILE, preview=False):
    visitor = stack.visitor(run)
    run(consent(visitor, "chat", granted=True, method="prechat_form"))
    if preview:
        run(consent(visitor, "typing_preview", granted=True, method="widget_settings"))
    chat = run(visitor.ok("chat.start", {"name": name, "email": "ada@example.com",
                                              "message": message}))["chat"]
    qtbot.waitUntil(lambda: stack.window.queue_model.rowCount() == 1)
    assert run(stack.window.commands.accept_chat(chat["id"]))
    tab = stack.window.tabs.chat_tab(chat["id"])
    return visitor, chat, tab


def test_sign_in_and_the_visitor_list_follows_the_site(stack, run, qtbot):
    sign_in(stack, run, qtbot)
    assert "Supervisor" in stack.window.status.operator_label.text()
    assert stack.window.status.cache_label.text() == "Cache encrypted"
    visitor = stack.visitor(run)
    model = stack.window.visitor_model
    qtbot.waitUntil(lambda: model.row_of(visitor.visitor_id) is not None)
    run(visitor.ok("visitor.page", {"url": "https://shop.example/boots", "title": "Boots"}))
    row = model.row_of(visitor.visitor_id)
    qtbot.waitUntil(lambda: model.index(row, 2).data() == "Boots")
    assert model.index(row, 7).data() == "No consent"      # IP without insights consent
    run(consent(visitor, "visitor_insights", granted=True, method="prechat_form"))
    qtbot.waitUntil(lambda: model.index(model.row_of(visitor.visitor_id), 7).data() != "No consent")


def test_accept_and_answer_a_chat_with_hostile_text_shown_literally(stack, run, qtbot):
    sign_in(stack, run, qtbot)
    visitor, _chat, tab = start_chat(stack, run, qtbot)
    qtbot.waitUntil(lambda: tab.model.rowCount() >= 1)
    assert tab.model.index(0).data() == HOSTILE
    qtbot.keyClicks(tab.composer, "Hello Ada, how can I help?")
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    pushed = run(visitor.push("chat.message"))
    while pushed["message"]["author"] != "operator":
        pushed = run(visitor.push("chat.message"))
    assert pushed["message"]["text"] == "Hello Ada, how can I help?"
    qtbot.waitUntil(lambda: any(tab.model.index(r).data(TranscriptRole.DELIVERY_TEXT) == "delivered"
                                for r in range(tab.model.rowCount())))
    run(visitor.ok("chat.send", {"client_msg_id": "v-1", "text": "My tent has a hole."}))
    qtbot.waitUntil(lambda: tab.model.index(tab.model.rowCount() - 1).data() == "My tent has a hole.")


def _open_details_dialog(window: MainWindow) -> DetailsRequestDialog | None:
    shown = [d for d in window.findChildren(DetailsRequestDialog) if d.isVisible()]
    return shown[0] if shown else None


def test_details_request_round_trip(stack, run, qtbot):
    sign_in(stack, run, qtbot)
    visitor, chat, _tab = start_chat(stack, run, qtbot)
    window = stack.window
    task = asyncio.ensure_future(window.commands.request_details(chat["id"], frozenset({DetailField.PHONE})))
    qtbot.waitUntil(lambda: _open_details_dialog(window) is not None)
    dialog = _open_details_dialog(window)
    expected = notice_for(visitor, "contact_details")
    assert dialog.body_view.toPlainText() == expected["body"]
    assert dialog.version_label.text() == str(expected["version"])
    dialog.accept()
    qtbot.waitUntil(task.done)
    assert task.result()
    tab = window.tabs.chat_tab(chat["id"])
    qtbot.waitUntil(lambda: tab._details_state.isVisibleTo(tab))
    assert tab._details_state.text() == "Details requested; waiting for the visitor's answer."
    requested = run(visitor.push("details.requested"))
    assert requested["fields"] == ["phone"]
    run(consent(visitor, "contact_details", granted=True, method="widget_settings"))
    run(visitor.ok("details.submit", {"request_id": requested["request_id"],
                                           "fields": {"phone": "+33 4 72 00 00 00"}}))
    details = window.visitor_panel.details_model
    qtbot.waitUntil(lambda: details.rowCount() == 1
                    and details.index(0, DetailColumn.VALUE).data() == "+33 4 72 00 00 00")
    assert details.index(0, DetailColumn.STATUS).data() == "Received"
    # The answer ends the waiting, and the transcript notes the request and the answer (no values).
    assert not tab._details_state.isVisibleTo(tab)
    notes = [tab.model.index(r).data() for r in range(tab.model.rowCount())
             if tab.model.index(r).data(TranscriptRole.AUTHOR) == "system"]
    assert notes == [f"Details requested: Phone number (privacy notice {expected['id']}, version "
                     f"{expected['version']})",
                     "The visitor agreed and shared: Phone number (see the visitor panel)"]
    assert "+33 4 72" not in " ".join(notes)


def test_typing_preview_only_with_consent(stack, run, qtbot):
    sign_in(stack, run, qtbot)
    visitor, _chat, tab = start_chat(stack, run, qtbot)
    run(visitor.ok("chat.typing", {"typing": True, "draft": "my secret draft"}))
    qtbot.waitUntil(lambda: "is typing" in tab._typing_label.text())
    assert tab._preview.isHidden()
    assert "my secret draft" not in all_text(stack.window)
    run(consent(visitor, "typing_preview", granted=True, method="widget_settings"))
    run(visitor.ok("chat.typing", {"typing": True, "draft": "my visible draft"}))
    qtbot.waitUntil(lambda: "my visible draft" in tab._preview.text())
    assert not tab._preview.isHidden()


def test_erasure_closes_the_tab_and_empties_the_cache(stack, run, qtbot):
    sign_in(stack, run, qtbot)
    visitor, chat, tab = start_chat(stack, run, qtbot, name="Erin Erased")
    qtbot.waitUntil(lambda: tab.model.rowCount() >= 1)
    run(stack.desk.flush())
    assert run(stack.store.chat_messages(chat["id"]))
    run(erased_with_four_eyes(stack, visitor.visitor_id, "asked to be forgotten"))
    qtbot.waitUntil(lambda: stack.window.tabs.chat_tab(chat["id"]) is None)
    qtbot.waitUntil(lambda: stack.window.visitor_model.visitor(visitor.visitor_id) is None)
    run(stack.desk.flush())
    assert run(stack.store.chat_messages(chat["id"])) == []
    assert run(stack.store.visitor_snapshot(visitor.visitor_id)) is None
    assert "Erin" not in all_text(stack.window)
