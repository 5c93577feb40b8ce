"""The Requests window against the real server and a real cache: open requests by due day with overdue
ones marked, a request taken from the person to a bundle and a closed case, an erasure that only a second
supervisor can approve, with the confirmation for the person."""

from __future__ import annotations

import asyncio
import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from test_ui_real_server import sign_in
from ui_widget_text import all_text

from operator_desk.domain.cases import CaseState, IdentityCheck, Outcome, RequestKind, StepKind, add_months
from operator_desk.services.tokens import MemoryTokens
from operator_desk.ui.dialogs.case_dialogs import (
    CloseCaseDialog,
    ErasureRequestDialog,
    ExtendCaseDialog,
    NewCaseDialog,
    NoteDialog,
)
from operator_desk.ui.resources import style_sheet
from operator_desk.ui.widgets.banner import Banner
from operator_desk.ui.widgets.person_finder import PersonFinder
from operator_desk.ui.windows.requests.person_dialog import PersonDialog
from operator_desk.ui.windows.requests_window import OVERDUE, RequestsWindow
from tests.kit.desks import make_desk
from tests.kit.visitors import consent

pytestmark = pytest.mark.slow
NAME, EMAIL = "Anna Beispiel", "anna@example.com"


def answered(qtbot, coro, dialog, fill=lambda d: None):
    """Run a window's coroutine that asks ``dialog``: fill it in as a user would, accept, and return the
    coroutine's result."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(dialog.isVisible)
    fill(dialog)
    dialog.accept()
    qtbot.waitUntil(task.done, timeout=20_000)
    return task.result()


def chatting(stack, run, qtbot, name=NAME, email=EMAIL):
    visitor = stack.visitor(run)
    run(consent(visitor, "chat", granted=True, method="prechat_form"))
    run(visitor.ok("chat.start", {"name": name, "email": email, "message": "Please send me my data"}))
    qtbot.waitUntil(lambda: any(c.visitor_id == visitor.visitor_id for c in stack.desk.chats.values()))
    chat = next(c for c in stack.desk.chats.values() if c.visitor_id == visitor.visitor_id)
    run(stack.desk.accept_chat(chat.id))
    run(stack.desk.flush())
    return visitor


def window(stack, qtbot, desk=None, today=None) -> RequestsWindow:
    shown = RequestsWindow(desk or stack.desk, today=today)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_open_requests_come_by_due_day_and_overdue_ones_are_marked(stack, run, qtbot, qtmodeltester):
    sign_in(stack, run, qtbot)
    requests = stack.desk.subject_requests
    today = date.today()
    run(requests.open_case(RequestKind.ACCESS, today.isoformat(), IdentityCheck.OTHER, reference="new"))
    late = run(requests.open_case(RequestKind.ERASURE, (today - timedelta(days=40)).isoformat(),
                                  IdentityCheck.EMAIL_ON_RECORD, reference="old"))
    shown = window(stack, qtbot)
    run(shown.reload())
    model = shown.cases_model
    qtmodeltester.check(model)
    assert [c.reference for c in model.records()] == ["old", "new"]
    overdue, fresh = model.index(0, 0), model.index(1, 0)
    assert "overdue" in overdue.data() and late.due_on in overdue.data()
    assert overdue.data(Qt.ItemDataRole.ForegroundRole) == OVERDUE
    assert not overdue.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert "Overdue" in overdue.data(Qt.ItemDataRole.ToolTipRole)
    left = (add_months(today, 1) - today).days
    assert fresh.data(Qt.ItemDataRole.ForegroundRole) is None and f"(in {left} day" in fresh.data()
    assert "1 overdue" in shown.statusBar().currentMessage()
    # Tomorrow is a day later for everyone: the window counts from the day it is told.
    later = window(stack, qtbot, today=today + timedelta(days=400))
    run(later.reload())
    assert all(later.cases_model.index(r, 0).data(Qt.ItemDataRole.ForegroundRole) == OVERDUE
               for r in range(2))


def test_an_access_request_from_the_person_to_a_bundle_and_a_closed_case(stack, run, qtbot, tmp_path):
    sign_in(stack, run, qtbot)
    chatting(stack, run, qtbot)
    stranger = chatting(stack, run, qtbot, name="Otto Other", email="otto@example.org")
    shown = window(stack, qtbot)
    run(shown.reload())

    finder = PersonFinder(stack.desk.find_subjects, shown._run)
    dialog = NewCaseDialog(finder, None, shown)

    def fill(d: NewCaseDialog) -> None:
        d.reference_edit.setText("mail of today")
        run(d.finder.find(EMAIL))
        assert [p.name for p in d.finder.model.records()] == [NAME]
        assert "e-mail" in d.finder.model.index(0, 5).data()

    case = answered(qtbot, shown.case_flows.new_request(dialog=dialog), dialog, fill)
    assert case.kind is RequestKind.ACCESS and case.visitor_id and case.subject_name == NAME
    assert shown.selected_case().id == case.id and "due by" in shown.banner.label.text()

    written = run(shown.subject_flows.export_selected(folder=tmp_path / "anna", make_zip=True),
                  timeout=60_000)
    assert written is not None and (tmp_path / "anna.zip").is_file()
    records = json.loads((tmp_path / "anna" / "records.json").read_text("utf-8"))
    assert records["subject"]["email"] == EMAIL and records["case"]["reference"] == "mail of today"
    assert "Otto" not in json.dumps(records) and stranger.visitor_id not in json.dumps(records)
    qtbot.waitUntil(lambda: StepKind.BUNDLE_WRITTEN in [s.step for s in shown.case_pane.steps])
    bundle_row = next(r for r in range(shown.case_pane.steps_model.rowCount())
                      if shown.case_pane.steps_model.record_at(r).step is StepKind.BUNDLE_WRITTEN)
    assert written.manifest_sha256[:16] in shown.case_pane.steps_model.index(bundle_row, 3).data()
    assert "anna.zip" in shown.banner.label.text()

    run(shown.case_flows.record_sent(case.id))
    qtbot.waitUntil(lambda: StepKind.RESPONSE_SENT in [s.step for s in shown.case_pane.steps])
    closing = CloseCaseDialog(shown.selected_case(), shown)
    assert "on time" in all_text(closing)
    closed = answered(qtbot, shown.case_flows.close_selected(closing), closing)
    assert closed.state is CaseState.CLOSED and closed.outcome is Outcome.FULFILLED
    assert all(c.id != case.id for c in shown.cases_model.records())
    with qtbot.waitSignal(shown.reloaded, timeout=10_000):
        shown.state_combo.setCurrentIndex(1)
    assert any(c.id == case.id for c in shown.cases_model.records())


def test_a_request_recorded_before_the_person_was_known_is_linked_extended_and_noted(stack, run, qtbot):
    sign_in(stack, run, qtbot)
    visitor = chatting(stack, run, qtbot)
    case = run(stack.desk.subject_requests.open_case(RequestKind.ACCESS, date.today().isoformat(),
                                                     IdentityCheck.OTHER, reference="by post"))
    shown = window(stack, qtbot)
    run(shown.reload(keep=case.id))
    assert shown.case_pane.find_action.isEnabled() and not shown.case_pane.export_action.isEnabled()

    picker = PersonDialog(PersonFinder(stack.desk.find_subjects, shown._run), shown)

    def choose(d: PersonDialog) -> None:
        run(d.finder.find(EMAIL))
        d.finder.view.selectRow(0)

    assert answered(qtbot, shown.case_flows.link_person(picker), picker, choose) is True
    assert shown.selected_case().visitor_id == visitor.visitor_id
    assert shown.case_pane.export_action.isEnabled() and not shown.case_pane.find_action.isEnabled()

    extending = ExtendCaseDialog(shown.selected_case(), shown)
    extended = answered(qtbot, shown.case_flows.extend_selected(extending), extending,
                        lambda d: d.reason_edit.setPlainText("many records to gather"))
    assert extended.extended_months == 1 and extended.due_on != case.due_on
    assert "Extended: many records to gather" in shown.case_pane.detail_label.text()

    noting = NoteDialog("Add a note", "Note:", shown)
    assert answered(qtbot, shown.case_flows.note_selected(noting), noting,
                    lambda d: d.text_edit.setPlainText("called back")) is True
    notes = [s.note for s in shown.case_pane.steps if s.step is StepKind.NOTE]
    assert notes == ["called back"]
    # A cancelled dialog changes nothing.
    cancelled = NoteDialog("Add a note", "Note:", shown)
    task = asyncio.ensure_future(shown.case_flows.note_selected(cancelled))
    qtbot.waitUntil(cancelled.isVisible)
    cancelled.reject()
    qtbot.waitUntil(task.done)
    assert task.result() is False
    assert [s.note for s in run(stack.desk.subject_requests.case(case.id)).steps if s.step is StepKind.NOTE] \
        == ["called back"]


def test_an_erasure_needs_a_second_supervisor_who_gets_the_confirmation(stack, run, qtbot):
    sign_in(stack, run, qtbot)
    visitor = chatting(stack, run, qtbot)
    chat_ids = [c.id for c in stack.desk.chats.values() if c.visitor_id == visitor.visitor_id]
    requests = stack.desk.subject_requests
    case = run(requests.open_case(RequestKind.ERASURE, date.today().isoformat(), IdentityCheck.WIDGET_SESSION,
                                  reference="chat of today", visitor_id=visitor.visitor_id))
    shown = window(stack, qtbot)
    run(shown.reload(keep=case.id))
    # The site's rule, in the words a supervisor counts in (the default: a week, not "168 hours").
    # (Without the English catalog installed, as here, the plural reads "day(s)".)
    assert "Unapproved requests expire after 7 day" in shown.approvals.policy_label.text()
    asking = ErasureRequestDialog(NAME, 1, True, shown)

    def fill(d: ErasureRequestDialog) -> None:
        assert not d.erase_button.isEnabled()
        d.reason_edit.setPlainText("Art. 17 request in the chat")
        d.understood.setChecked(True)
        assert d.erase_button.isEnabled()

    approval = answered(qtbot, shown.subject_flows.request_erasure(asking), asking, fill)
    assert approval.state == "pending" and "expires" in shown.banner.label.text()
    shown.tabs.setCurrentIndex(1)
    shown.approvals.view.selectRow(0)
    assert "yours" in shown.approvals.model.index(0, 6).data()
    assert not shown.approvals.approve_action.isEnabled()   # four eyes: not the requester

    approver = make_desk(stack.server.url, lambda event: None, None, profile="dpo", tokens=MemoryTokens())
    try:
        run(approver.sign_in("dpo", "demo"))
        second = window(stack, qtbot, desk=approver)
        run(second.reload())
        second.tabs.setCurrentIndex(1)
        second.approvals.view.selectRow(0)
        assert second.approvals.approve_action.isEnabled()
        decision = run(second.subject_flows.decide(True, show_confirmation=False), timeout=30_000)
        assert decision.erased.chats == 1 and decision.erased.messages == 1
        # Nothing chosen after the decision (a second click must not decide another request); the
        # tab's count is down to none.
        assert second.approvals.view.selectionModel().selectedRows() == []
        assert not second.approvals.approve_action.isEnabled() and second.tabs.tabText(1).endswith("(0)")
        confirmation = second.subject_flows.confirmation
        qtbot.addWidget(confirmation)
        letter = confirmation.letter.toPlainText()
        assert "1 chat" in letter and "1 message" in letter and NAME not in letter
        assert "chat of today" in letter       # the reference, read before the tombstone cleared it
        confirmation.sent_button.click()
        qtbot.waitUntil(lambda: not confirmation.sent_button.isEnabled())
        qtbot.waitUntil(lambda: StepKind.RESPONSE_SENT in [
            s.step for s in run(approver.subject_requests.case(case.id)).steps])
    finally:
        run(approver.close())
    # This desk heard of it: the chat is gone from its cache.
    qtbot.waitUntil(lambda: all(run(stack.store.chat_messages(c)) == [] for c in chat_ids))
    closed = run(requests.case(case.id)).case
    assert closed.state is CaseState.CLOSED and closed.outcome is Outcome.FULFILLED and closed.subject_erased


def test_an_info_banner_reads_as_information(qtbot):
    banner = Banner()
    banner.setStyleSheet(style_sheet())
    qtbot.addWidget(banner)
    banner.show_message("failed")
    error = banner.label.palette().color(QPalette.ColorRole.WindowText)
    banner.show_message("done", kind="info")
    assert banner.label.palette().color(QPalette.ColorRole.WindowText) != error
