"""A chat tab: plain-text transcript, composer keys, canned responses, typing, the details suggestion."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from ui_factories import make_visitor
from ui_fakes import local_message

from operator_desk.domain.model import Chat, ChatState, DetailField
from operator_desk.services.detect import detail_fields_asked_for
from operator_desk.ui.widgets.chat_tab import ChatTab

HOSTILE = "<b>bold</b><img src=x>"


@pytest.fixture
def tab(qtbot):
    chat = Chat(id="c1", visitor_id="v1", state=ChatState.ACTIVE, operator_id="op-1",
                started_at="2026-11-29T10:00:00.000Z")
    widget = ChatTab(chat, detail_fields_asked_for)
    widget.set_visitor(make_visitor("v1", name=HOSTILE, chat=True))
    widget.composer.set_canned_responses({"hi": "Hello! How can I help?"})
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_visitor_text_is_shown_literally_never_as_markup(tab, qtbot):
    tab.add_messages([local_message("c1", HOSTILE, name=HOSTILE)])
    tab.show_typing(True, HOSTILE)
    assert tab.model.index(0).data() == HOSTILE
    labels = [label for label in tab.findChildren(QLabel) if HOSTILE in label.text()]
    assert labels, "the name and the draft should be on screen"
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_the_draft_preview_goes_the_moment_typing_preview_consent_is_withdrawn(tab):
    tab.set_visitor(make_visitor("v1", name="Ada", chat=True, typing_preview=True))
    tab.show_typing(True, "my order number is")
    assert tab._preview.isVisible()
    assert "my order number is" in tab._preview.text()
    tab.set_visitor(make_visitor("v1", name="Ada", chat=True, typing_preview=False))
    assert not tab._preview.isVisible()
    assert "my order number is" not in tab._preview.text()


def test_enter_sends_and_shift_enter_adds_a_line(tab, qtbot):
    sent = []
    tab.message_submitted.connect(lambda chat_id, text: sent.append((chat_id, text)))
    qtbot.keyClicks(tab.composer, "first line")
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(tab.composer, "second line")
    assert sent == []
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    assert sent == [("c1", "first line\nsecond line")]
    tab.message_sent()
    assert tab.composer.toPlainText() == ""


def test_slash_keyword_inserts_the_canned_response(tab, qtbot):
    sent = []
    tab.message_submitted.connect(lambda chat_id, text: sent.append(text))
    qtbot.keyClicks(tab.composer, "/hi")
    tab.composer._completer.popup().hide()   # the popup is a convenience; Enter on the keyword works too
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    assert tab.composer.toPlainText() == "Hello! How can I help?"
    assert sent == []


def test_typing_is_reported_once_then_stops_when_the_composer_empties(tab, qtbot):
    states = []
    tab.typing_changed.connect(lambda chat_id, typing: states.append(typing))
    qtbot.keyClicks(tab.composer, "hel")
    qtbot.keyClicks(tab.composer, "lo")
    assert states == [True]          # throttled: not one per key
    tab.composer.clear()
    assert states == [True, False]


def test_a_free_text_request_for_details_suggests_the_privacy_prompt(tab, qtbot):
    sent, requested = [], []
    tab.message_submitted.connect(lambda chat_id, text: sent.append(text))
    tab.details_requested.connect(lambda chat_id, fields: requested.append(fields))
    qtbot.keyClicks(tab.composer, "Could you give me your phone number?")
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    assert sent == []
    assert tab._suggestion.isVisible()
    qtbot.mouseClick(tab._suggest_request, Qt.MouseButton.LeftButton)
    assert requested == [frozenset({DetailField.PHONE})]
    assert not tab._suggestion.isVisible()
    qtbot.keyClick(tab.composer, Qt.Key.Key_Return)
    qtbot.mouseClick(tab._suggest_send, Qt.MouseButton.LeftButton)
    assert sent == ["Could you give me your phone number?"]


def test_the_live_draft_shows_only_when_a_preview_is_given(tab, qtbot):
    tab.show_typing(True, None)
    assert "is typing" in tab._typing_label.text()
    assert not tab._preview.isVisible()
    tab.show_typing(True, "my order numb")
    assert tab._preview.isVisible()
    assert "not sent yet" in tab._preview.text() and "my order numb" in tab._preview.text()
    tab.show_typing(False, None)
    assert not tab._preview.isVisible() and tab._typing_label.text() == ""


def test_an_ended_chat_cannot_be_written_to(tab, qtbot):
    tab.set_chat(Chat(id="c1", visitor_id="v1", state=ChatState.CLOSED,
                      started_at="2026-11-29T10:00:00.000Z"))
    assert not tab.composer.isEnabled()
    assert tab._closed_note.isVisible()
