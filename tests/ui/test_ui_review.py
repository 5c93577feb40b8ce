"""The team lead's and supervisor's windows against the real server in-process and a real encrypted
cache, driven through real widgets: transcripts listed when the window opens, filtered, highlighted,
read with their consents, reviewed and saved as PDF; the audit viewer and its CSV; the team at work and
its daily report; a live chat watched read-only."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from ui_widget_text import all_text

from operator_desk.domain.model import ChatState
from operator_desk.services.review import Source
from operator_desk.ui.models.record_table_model import RecordRole
from operator_desk.ui.windows.audit_window import AuditWindow
from operator_desk.ui.windows.observe_window import ObserveWindow
from operator_desk.ui.windows.team_window import TeamWindow
from operator_desk.ui.windows.transcripts_window import TranscriptsWindow
from tests.kit.tools import pdf_pages
from tests.kit.visitors import consent

pytestmark = pytest.mark.slow


def signed_in(stack, run, qtbot, user: str) -> None:
    run(stack.desk.sign_in(user, "demo"))
    qtbot.waitUntil(lambda: stack.window.status.connection_label.text() == "Online")


def chat(stack, run, qtbot, first: str, *, reply: str = "Let me look into it", close: bool = True) -> str:
    """A visitor's chat that the window's desk accepts and answers (so this desk caches it)."""
    visitor = stack.visitor(run)
    run(consent(visitor, "chat", granted=True, method="prechat_form"))
    chat_id = run(visitor.ok("chat.start", {"name": "Ada Lovelace", "message": first}))["chat"]["id"]
    qtbot.waitUntil(lambda: chat_id in stack.desk.chats)
    assert run(stack.window.commands.accept_chat(chat_id))
    run(stack.desk.send_message(chat_id, reply))
    if close:
        run(stack.desk.close_chat(chat_id))
        qtbot.waitUntil(lambda: stack.desk.chats[chat_id].state is ChatState.CLOSED)
    run(stack.desk.flush())
    return chat_id


def opened_window(stack, qtbot, kind):
    """The one window of ``kind`` the main window shows (its action's slot runs on the loop)."""
    def shown():
        return [w for w in stack.window.findChildren(kind) if w.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    return shown()[0]


def row_ids(window: TranscriptsWindow) -> list[str]:
    model = window.results_model
    return [model.record_at(row).summary.id for row in range(model.rowCount())]


def test_transcripts_are_listed_at_once_filtered_highlighted_reviewed_and_saved(stack, run, qtbot, tmp_path):
    signed_in(stack, run, qtbot, "lead")
    refund = chat(stack, run, qtbot, "I want a refund for my tent")
    boots = chat(stack, run, qtbot, "Do the boots come in 46?")
    stack.window.desk_actions.transcripts.trigger()
    window = opened_window(stack, qtbot, TranscriptsWindow)
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 2)
    assert row_ids(window) == [boots, refund]   # the latest first, listed without a search
    assert {window.results_model.record_at(r).source for r in range(2)} == {Source.BOTH}
    assert window.operator_box.findText("Lee Lead") >= 0

    window.text_edit.setText("refund")
    run(window.search())
    assert row_ids(window) == [refund]
    record = window.results_model.index(0, 0).data(RecordRole.RECORD)
    assert [record.summary.snippet[a:b] for a, b in record.summary.highlights] == ["refund"]
    window.state_box.setCurrentIndex(window.state_box.findData(ChatState.ACTIVE))
    run(window.search())
    assert row_ids(window) == []
    window.state_box.setCurrentIndex(0)
    window.details_box.setCurrentIndex(window.details_box.findData(True))
    run(window.search())
    assert row_ids(window) == []
    window.details_box.setCurrentIndex(0)
    run(window.search())

    window.results_view.selectRow(0)
    qtbot.waitUntil(lambda: window.reader.opened is not None)
    reader = window.reader
    assert reader.transcript_model.rowCount() == 2
    assert reader.transcript_view.highlight_words() == ["refund"]
    assert "Chat" in reader.consent_label.text()
    assert "recorded in the audit log" in reader.reading_label.text()

    reader.rating_box.setCurrentIndex(reader.rating_box.findData(5))
    reader.note_edit.setPlainText("Calm and quick")
    qtbot.mouseClick(reader.add_review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reader.reviews_model.rowCount() == 1)
    assert "Calm and quick" in all_text(reader.reviews_view)

    pdf = tmp_path / "transcript.pdf"
    window.save_pdf(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert [p.stat().st_size > 1000 for p in pdf_pages(pdf, tmp_path)] == [True]
    text = subprocess.run([shutil.which("pdftotext") or "pdftotext", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    for expected in ("I want a refund for my tent", "Let me look into it", "Calm and quick"):
        assert expected in text.replace("\n", " ")


def test_the_audit_viewer_lists_both_logs_and_exports_what_it_shows(stack, run, qtbot, tmp_path):
    signed_in(stack, run, qtbot, "supervisor")
    chat_id = chat(stack, run, qtbot, "Hello")
    run(stack.desk.review.open(chat_id))
    stack.window.desk_actions.audit.trigger()
    window = opened_window(stack, qtbot, AuditWindow)
    qtbot.waitUntil(lambda: window.entries_model.rowCount() > 0)
    window.action_box.setEditText("transcripts.get")
    run(window.show_entries())
    shown = all_text(window.entries_view)
    assert window.entries_model.rowCount() == 1 and chat_id in shown and "Sam Supervisor" in shown
    window.log_box.setCurrentIndex(window.log_box.findData("cache"))
    run(window.show_entries())
    assert window.entries_model.rowCount() == 1
    assert chat_id in all_text(window.entries_view)

    path = tmp_path / "audit.csv"
    assert window.export_csv(path) == 1
    with path.open(encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    model = window.entries_model
    assert rows[0] == [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert rows[1] == [model.index(0, c).data() for c in range(model.columnCount())]


def test_the_team_view_shows_who_is_online_the_queue_and_the_day_and_a_lead_watches_a_chat(
        stack, run, qtbot):
    signed_in(stack, run, qtbot, "lead")
    chat(stack, run, qtbot, "Closed one")
    live = chat(stack, run, qtbot, "Still talking", close=False)
    waiting = stack.visitor(run)
    run(consent(waiting, "chat", granted=True, method="prechat_form"))
    run(waiting.ok("chat.start", {"name": "Bob", "message": "Anyone there?"}))
    stack.window.desk_actions.team.trigger()
    window = opened_window(stack, qtbot, TeamWindow)
    qtbot.waitUntil(lambda: window.report is not None)
    # The lead's desk said its status at sign-in (nothing remembered: away); the others are offline.
    table = window.operators_model
    rows = {table.index(r, 0).data(): table.index(r, 2).data() for r in range(table.rowCount())}
    assert rows["Lee Lead"] == "Away" and rows["Olu Operator"] == "Offline"
    assert window.live_model.rowCount() == 2 and "1 waiting" in window.queue_label.text()
    assert window.report.total.chats == 3 and window.report.total.accepted == 2
    assert sum(bar.accepted for bar in window.chart.bars()) == 2
    assert window.chart.grab().width() > 0

    row = next(r for r in range(window.live_model.rowCount())
               if window.live_model.record_at(r).chat_id == live)
    window.live_view.selectRow(row)
    qtbot.mouseClick(window.watch_button, Qt.MouseButton.LeftButton)
    watcher = opened_window(stack, qtbot, ObserveWindow)
    qtbot.waitUntil(lambda: watcher.model.rowCount() == 2)
    visitor = stack.visitors[1]
    run(visitor.ok("chat.send", {"client_msg_id": "k1", "text": "One more thing"}))
    qtbot.waitUntil(lambda: watcher.model.rowCount() == 3)
    assert "One more thing" in all_text(watcher.view)
    window.close()   # stops its refresh timer: no refresh runs into the teardown
    assert not window._timer.isActive()
