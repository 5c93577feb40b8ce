"""The team's canned responses in the desk window, against the real server: the lead saves one in the
Team canned responses window, it is there for ``/keyword`` in a chat at once, the operator's own
canned response wins on the same keyword, and an operator of the team reads the list without an editor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_ui_real_server import sign_in, start_chat

from operator_desk.ui.windows.team_canned_window import TeamCannedWindow

pytestmark = pytest.mark.slow

TEXT = "We answer from 8 to 18.\nMonday to Friday."


def test_a_lead_saves_a_team_canned_response_and_slash_keyword_inserts_it(stack, run, qtbot):
    window = stack.window
    assert not window.desk_actions.team_canned.isVisible()    # nobody signed in
    sign_in(stack, run, qtbot, "lead")
    qtbot.waitUntil(window.desk_actions.team_canned.isEnabled)
    window.desk_actions.team_canned.trigger()
    team = window.review_windows.team_canned_window()
    assert isinstance(team, TeamCannedWindow) and team.isVisible()
    assert "Support" in team.team_label.text() and team.editor.isVisible()
    assert not team.save_button.isEnabled()
    qtbot.keyClicks(team.keyword_edit, "/hours")
    team.text_edit.setPlainText(TEXT)
    assert team.save_button.isEnabled() and not team.remove_button.isEnabled()
    assert run(team.save())
    qtbot.waitUntil(lambda: team.model.rowCount() == 1)
    assert team.model.index(0, 0).data() == "/hours"
    assert team.model.index(0, 2).data().endswith("by Lee Lead")
    assert team.remove_button.isEnabled()

    # In a chat, /hours and Tab insert the team's text; the operator's own wins on the same keyword.
    _visitor, _chat, tab = start_chat(stack, run, qtbot, message="When are you open?")
    composer = tab.composer
    composer.setFocus()
    qtbot.keyClicks(composer, "/hours")
    qtbot.keyClick(composer, Qt.Key.Key_Tab)
    assert composer.toPlainText() == TEXT
    composer.clear()
    window.settings.canned_responses = {"hours": "Ask me, I know."}
    assert window.canned_responses()["hours"] == "Ask me, I know."

    # Removed for the team: gone from the list and from /keyword (the own one stays).
    window.settings.canned_responses = {}
    team.table.selectRow(0)
    assert team.keyword_edit.text() == "hours"
    assert run(team.remove())
    qtbot.waitUntil(lambda: team.model.rowCount() == 0)
    assert "hours" not in window.canned_responses()


def test_an_operator_of_the_team_reads_the_list_and_cannot_edit_it(stack, run, qtbot):
    run(stack.server.hub.db.call(lambda conn: conn.execute(
        "INSERT INTO team_canned_responses VALUES ('support', 'refund', 'Refunds take 5 days.', "
        "'2026-11-29T10:00:00.000Z', NULL)")))
    sign_in(stack, run, qtbot, "operator")
    window = stack.window
    qtbot.waitUntil(window.desk_actions.team_canned.isEnabled)
    team = window.review_windows.team_canned_window()
    team.show()
    assert team.model.rowCount() == 1 and team.model.index(0, 1).data() == "Refunds take 5 days."
    assert not team.editor.isVisible()
    assert "kept by your team lead" in team.team_label.text()
    assert window.canned_responses()["refund"] == "Refunds take 5 days."
