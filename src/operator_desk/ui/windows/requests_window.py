"""Data-subject requests (supervisors): the open requests by due day with overdue ones marked, each
request's steps, and what to do next (find the person, export a bundle, ask for an erasure, extend,
note, record the answer, close); and the requests waiting for a second supervisor's approval.

Cases live on the server (``desk.subject_requests``), so every supervisor sees the same ones.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.domain.cases import (
    Approval,
    ApprovalState,
    CaseState,
    CaseStep,
    StepKind,
    SubjectCase,
    days_left,
    is_overdue,
)
from operator_desk.protocol.messages import (
    ApprovalsListResponse,
    SubjectSummary,
    WebhookDeliveriesRequest,
    WebhookDelivery,
)
from operator_desk.services.subject_requests import Decision
from operator_desk.ui import icons
from operator_desk.ui.case_words import (
    approvable_action_text,
    approval_state_text,
    identity_text,
    kind_text,
    outcome_text,
    person_text,
    step_text,
)
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.dialogs.async_dialog import run_dialog
from operator_desk.ui.dialogs.case_dialogs import (
    CloseCaseDialog,
    ErasureRequestDialog,
    ExtendCaseDialog,
    NewCaseDialog,
    NoteDialog,
)
from operator_desk.ui.dialogs.erasure_confirmation import ErasureConfirmationDialog, ErasureLetter
from operator_desk.ui.flows.bundle_export import desk_language, export_bundle
from operator_desk.ui.models.record_table_model import Column
from operator_desk.ui.report_words import QtReportWords
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.person_finder import PersonFinder
from operator_desk.ui.windows.review_window import ReviewWindow

OVERDUE = QColor("#b91c1c")
DUE_SOON_DAYS = 3


class RequestsWindow(ReviewWindow):
    """``reloaded`` fires when the lists and the chosen request's steps are up to date."""

    reloaded = Signal()

    def __init__(self, desk: DeskPort, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(desk, self.tr("Data-subject requests — Operator Desk"), icons.icon("requests"),
                         parent)
        self.resize(1040, 680)
        self.close_action = self._add_close_action(self.tr("&Window"), self.tr("&Close"))
        self._today = today
        self._policy: ApprovalsListResponse | None = None
        self.case_steps: tuple[CaseStep, ...] = ()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_cases_tab(), icons.icon("requests"), self.tr("Requests"))
        self.tabs.addTab(self._build_approvals_tab(), icons.icon("approve"), self.tr("Waiting for approval"))
        self.tabs.setAccessibleName(self.tr("Requests and approvals"))
        top = QHBoxLayout()
        top.addWidget(self.state_combo)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.new_button)
        self._set_body(top, self.tabs)
        self._update_buttons()

    def _info(self, text: str) -> None:
        self.banner.show_message(text, kind="info")

    def today(self) -> date:
        return self._today or date.today()

    # -- building ---------------------------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey, slot, icon: str = "") -> QAction:
        action = QAction(icons.icon(icon) if icon else QIcon(), text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction, accessible: str) -> QPushButton:
        button = QPushButton(action.icon(), action.text())
        button.setAccessibleName(accessible)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{accessible} ({keys})")
        button.clicked.connect(action.trigger)
        action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
        button.setEnabled(action.isEnabled())
        return button

    def _build_cases_tab(self) -> QWidget:
        self.state_combo = QComboBox()
        self.state_combo.addItem(self.tr("Open requests"), CaseState.OPEN)
        self.state_combo.addItem(self.tr("Closed requests"), CaseState.CLOSED)
        self.state_combo.setAccessibleName(self.tr("Which requests to list"))
        self.state_combo.currentIndexChanged.connect(self._on_state_combo_changed)
        self.new_action = self._action(self.tr("&New request…"), QKeySequence.StandardKey.New,
                                       self._on_new_action_triggered, "requests")
        self.refresh_action = self._action(self.tr("&Refresh"), QKeySequence.StandardKey.Refresh,
                                           self._on_refresh_action_triggered)
        self.new_button = self._button(self.new_action, self.tr("Record a new data-subject request"))
        self.refresh_button = self._button(self.refresh_action, self.tr("Load the requests again"))
        self.cases_model, self.cases_view = self._results_table([
            Column(self.tr("Due"), self._due_text, foreground=self._due_colour, icon=self._due_icon,
                   tooltip=self._due_tip),
            Column(self.tr("Request"), lambda c: kind_text(c.kind)),
            Column(self.tr("Person"), person_text),
            Column(self.tr("Received"), lambda c: c.received_on),
            Column(self.tr("Reference"), lambda c: c.reference or "—"),
            Column(self.tr("Status"), self._status_text),
        ], self.tr("Data-subject requests"), QHeaderView.ResizeMode.ResizeToContents)
        self.cases_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.cases_view.selectionModel().selectionChanged.connect(self._on_cases_selection_changed)

        self.title_label = QLabel()
        self.title_label.setObjectName("dialogHeading")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)    # names are the visitor's own text
        self.detail_label = QLabel()
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_label.setWordWrap(True)
        self.detail_label.setAccessibleName(self.tr("The chosen request"))
        self.steps_model, self.steps_view = self._results_table([
            Column(self.tr("When"), lambda s: date_time(s.at)),
            Column(self.tr("Step"), lambda s: step_text(s.step)),
            Column(self.tr("Who"), lambda s: s.actor.name),
            Column(self.tr("Note"), self._step_note),
        ], self.tr("Steps of the request"), QHeaderView.ResizeMode.ResizeToContents)
        self.steps_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        a = self._action
        self.find_action = a(self.tr("&Find the person…"), "Ctrl+L", self._on_find_action_triggered,
                             "search")
        self.export_action = a(self.tr("&Export bundle…"), "Ctrl+E", self._on_export_action_triggered,
                               "export")
        self.erase_action = a(self.tr("Request e&rasure…"), "Ctrl+Shift+Del",
                              self._on_erase_action_triggered, "withdrawn")
        self.extend_action = a(self.tr("E&xtend deadline…"), "Ctrl+Shift+X",
                               self._on_extend_action_triggered)
        self.note_action = a(self.tr("Add &note…"), "Ctrl+Shift+N", self._on_note_action_triggered)
        self.sent_action = a(self.tr("Answer &sent"), "Ctrl+Shift+S", self._on_sent_action_triggered,
                             "approve")
        self.close_case_action = a(self.tr("&Close request…"), "Ctrl+Shift+C",
                                   self._on_close_action_triggered)
        buttons = QHBoxLayout()
        for action, accessible in (
            (self.find_action, self.tr("Find the person this request is about")),
            (self.export_action, self.tr("Export everything held about the person")),
            (self.erase_action, self.tr("Ask for the person's data to be erased")),
            (self.extend_action, self.tr("Extend the deadline")),
            (self.note_action, self.tr("Add a note to the request")),
            (self.sent_action, self.tr("Record that the answer was sent")),
            (self.close_case_action, self.tr("Close the request with its outcome")),
        ):
            buttons.addWidget(self._button(action, accessible))
        buttons.addStretch(1)

        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.title_label)
        below_layout.addWidget(self.detail_label)
        below_layout.addLayout(buttons)
        below_layout.addWidget(self.steps_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.cases_view)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def _build_approvals_tab(self) -> QWidget:
        self.policy_label = QLabel()
        self.policy_label.setWordWrap(True)
        self.policy_label.setObjectName("hint")
        self.approvals_model, self.approvals_view = self._results_table([
            Column(self.tr("Action"), lambda a: approvable_action_text(a.action)),
            Column(self.tr("Person"), lambda a: a.subject_name or "—"),
            Column(self.tr("Asked by"), lambda a: a.requested_by.name),
            Column(self.tr("Reason"), lambda a: a.reason or "—"),
            Column(self.tr("Asked"), lambda a: date_time(a.requested_at)),
            Column(self.tr("Expires"), lambda a: date_time(a.expires_at) if a.state is ApprovalState.PENDING
                   else "—"),
            Column(self.tr("State"), self._approval_state),
        ], self.tr("Requests for a second approval"), QHeaderView.ResizeMode.ResizeToContents)
        self.approvals_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.approvals_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.approve_action = self._action(self.tr("&Approve"), "Ctrl+Shift+A",
                                           self._on_approve_action_triggered, "approve")
        self.reject_action = self._action(self.tr("Re&ject"), "Ctrl+Shift+J",
                                          self._on_reject_action_triggered)
        buttons = QHBoxLayout()
        buttons.addWidget(self.policy_label, 1)
        buttons.addWidget(self._button(self.approve_action, self.tr("Approve the chosen request")))
        buttons.addWidget(self._button(self.reject_action, self.tr("Reject the chosen request")))
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.approvals_view, 1)
        layout.addLayout(buttons)
        return tab

    # -- what the rows say ----------------------------------------------------------------------------

    def _due_text(self, case: SubjectCase) -> str:
        """The due day, and for an open case "in 12 days", "today", "3 days overdue"."""
        if case.state is not CaseState.OPEN:
            return case.due_on
        left = days_left(case, self.today())
        if left > 1:
            return self.tr("%1 (in %n day(s))", "", left).replace("%1", case.due_on)
        if left == 1:
            return self.tr("%1 (tomorrow)").replace("%1", case.due_on)
        if left == 0:
            return self.tr("%1 (today)").replace("%1", case.due_on)
        return self.tr("%1 (%n day(s) overdue)", "", -left).replace("%1", case.due_on)

    def _due_colour(self, case: SubjectCase) -> QColor | None:
        return OVERDUE if is_overdue(case, self.today()) else None

    def _due_icon(self, case: SubjectCase):
        if case.state is not CaseState.OPEN:
            return None
        if is_overdue(case, self.today()):
            return icons.icon("overdue")
        return icons.icon("due-soon") if days_left(case, self.today()) <= DUE_SOON_DAYS else None

    def _due_tip(self, case: SubjectCase) -> str:
        if is_overdue(case, self.today()):
            return self.tr("Overdue: the answer was due on %1.").replace("%1", case.due_on)
        if case.extended_months:
            return self.tr("Extended by %n month(s).", "", case.extended_months)
        return ""

    def _status_text(self, case: SubjectCase) -> str:
        if case.state is CaseState.CLOSED:
            return outcome_text(case.outcome)
        if case.extended_months:
            return self.tr("Open, extended")
        return self.tr("Open")

    def _step_note(self, step: CaseStep) -> str:
        detail = step.detail or {}
        if step.step is StepKind.BUNDLE_WRITTEN and "sha256" in detail:
            return self.tr("manifest SHA-256 %1").replace("%1", str(detail["sha256"])[:16] + "…")
        if step.step is StepKind.EXTENDED and "due_on" in detail:
            return self.tr("now due %1: %2").replace("%1", str(detail["due_on"])).replace("%2", step.note)
        if step.step is StepKind.ERASED:
            return self.tr("%1 chat(s), %2 message(s)").replace("%1", str(detail.get("chats", 0))) \
                .replace("%2", str(detail.get("messages", 0)))
        if step.step is StepKind.CLOSED and "outcome" in detail:
            return outcome_text(detail["outcome"]) + (f": {step.note}" if step.note else "")
        return step.note

    def _approval_state(self, approval: Approval) -> str:
        own = self.desk.operator is not None and approval.requested_by.id == self.desk.operator.id
        text = approval_state_text(approval.state)
        if approval.state is ApprovalState.PENDING and own:
            return self.tr("%1 (yours: another supervisor approves)").replace("%1", text)
        if approval.decided_by is not None:
            return self.tr("%1 by %2").replace("%1", text).replace("%2", approval.decided_by.name)
        return text

    # -- the chosen rows ------------------------------------------------------------------------------

    def selected_case(self) -> SubjectCase | None:
        rows = self.cases_view.selectionModel().selectedRows()
        return self.cases_model.record_at(rows[0].row()) if rows else None

    def selected_approval(self) -> Approval | None:
        rows = self.approvals_view.selectionModel().selectedRows()
        return self.approvals_model.record_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: object) -> None:
        case = self.selected_case()
        open_case = case is not None and case.state is CaseState.OPEN
        linked = open_case and case.visitor_id is not None and not case.subject_erased
        self.find_action.setEnabled(open_case and case.visitor_id is None)
        self.export_action.setEnabled(linked)
        self.erase_action.setEnabled(linked)
        self.extend_action.setEnabled(open_case and case.extended_months < 2)
        self.note_action.setEnabled(case is not None and not case.subject_erased)
        self.sent_action.setEnabled(case is not None)
        self.close_case_action.setEnabled(open_case)
        approval = self.selected_approval()
        own = approval is not None and self.desk.operator is not None \
            and approval.requested_by.id == self.desk.operator.id
        decidable = approval is not None and approval.state is ApprovalState.PENDING and not own
        self.approve_action.setEnabled(decidable)
        self.reject_action.setEnabled(decidable)

    def _show_case(self, case: SubjectCase | None, erasures: tuple[WebhookDelivery, ...] = ()) -> None:
        """The chosen case's facts; ``erasures``: for an erased person, the erasure events sent to the
        site's connected systems, and which of them confirmed it."""
        if case is None:
            self.title_label.setText(self.tr("Choose a request to see its steps."))
            self.detail_label.setText("")
            self.steps_model.set_records([])
            return
        self.title_label.setText(f"{kind_text(case.kind)} · {person_text(case)}")
        lines = [
            self.tr("Received %1, due %2; identity: %3").replace("%1", case.received_on)
            .replace("%2", case.due_on).replace("%3", identity_text(case.identity_check)),
        ]
        if case.identity_note:
            lines.append(self.tr("Identity note: %1").replace("%1", case.identity_note))
        if case.extension_reason:
            lines.append(self.tr("Extended: %1").replace("%1", case.extension_reason))
        lines.append(self.tr("Recorded by %1 on %2").replace("%1", case.opened_by.name)
                     .replace("%2", date_time(case.opened_at)))
        if erasures:
            lines.append(self.tr("Erasure sent to the connected systems: %1")
                         .replace("%1", "; ".join(self._erasure_text(d) for d in erasures)))
        self.detail_label.setText("\n".join(lines))

    def _erasure_text(self, delivery: WebhookDelivery) -> str:
        if delivery.state == "delivered":
            return self.tr("%1 confirmed it on %2").replace("%1", delivery.receiver).replace(
                "%2", date_time(delivery.delivered_at))
        if delivery.state == "dropped":
            return self.tr("%1 never confirmed it (given up)").replace("%1", delivery.receiver)
        return self.tr("%1 not confirmed yet (%2)").replace("%1", delivery.receiver).replace(
            "%2", delivery.last_error or self.tr("waiting"))

    # -- loading --------------------------------------------------------------------------------------

    async def reload(self, keep: str | None = None) -> None:
        """The cases in the chosen state, the approvals, the chosen case's steps (``keep``: a case id to
        choose again)."""
        keep = keep or (case.id if (case := self.selected_case()) else None)
        requests = self.desk.subject_requests
        state = CaseState(self.state_combo.currentData())
        cases = await self._run("cases.list", requests.cases(state))
        if cases is FAILED:
            return
        self.cases_model.set_records(cases)
        for row, case in enumerate(cases):
            if case.id == keep:
                self.cases_view.selectRow(row)
        policy = await self._run("approvals.list", requests.approvals())
        if policy is not FAILED:
            self._policy = policy
            self.approvals_model.set_records(policy.approvals)
            self.policy_label.setText(self._policy_text(policy))
            waiting = sum(1 for a in policy.approvals if a.state is ApprovalState.PENDING)
            self.tabs.setTabText(1, self.tr("Waiting for approval (%1)").replace("%1", str(waiting)))
        overdue = sum(1 for c in cases if is_overdue(c, self.today()))
        self.statusBar().showMessage(self.tr("%n request(s)", "", len(cases))
                                     + (self.tr(", %n overdue", "", overdue) if overdue else ""))
        await self._load_steps()
        self.reloaded.emit()

    def _policy_text(self, policy: ApprovalsListResponse) -> str:
        needs = [approvable_action_text(action) for action in policy.required]
        if not needs:
            return self.tr("At this site one supervisor may erase and export alone.")
        hours = policy.expires_after_hours
        if hours >= 24 and hours % 24 == 0:   # the default is a week: "7 days", not "168 hours"
            return self.tr("At this site a second supervisor approves: %1. Unapproved requests expire after "
                           "%n day(s).", "", int(hours // 24)).replace("%1", ", ".join(needs))
        return self.tr("At this site a second supervisor approves: %1. Unapproved requests expire after %n "
                       "hour(s).", "", int(hours)).replace("%1", ", ".join(needs))

    def needs_approval(self, action: str) -> bool:
        return self._policy is None or action in self._policy.required

    async def _load_steps(self) -> None:
        case = self.selected_case()
        self._show_case(case)
        self._update_buttons()
        if case is None:
            return
        found = await self._run("cases.get", self.desk.subject_requests.case(case.id))
        if found is FAILED or self.selected_case() is None or self.selected_case().id != case.id:
            return
        self.case_steps = found.steps
        self.steps_model.set_records(found.steps)
        self.cases_model.replace_record(lambda c: c.id == case.id, found.case)
        self._show_case(found.case)
        self._update_buttons()
        if found.case.subject_erased and found.case.visitor_id:
            # The case keeps the erasure's pseudonym: the erasure events sent under it say who confirmed.
            sent = await self._run("webhooks.deliveries", self.desk.review.webhook_deliveries(
                WebhookDeliveriesRequest(erasure=found.case.visitor_id)))
            chosen = self.selected_case()
            if sent is not FAILED and chosen is not None and chosen.id == case.id:
                self._show_case(found.case, sent.deliveries)

    @asyncSlot()
    async def _on_refresh_action_triggered(self) -> None:
        await self.reload()

    @asyncSlot()
    async def _on_state_combo_changed(self, *_args: object) -> None:
        await self.reload()

    @asyncSlot()
    async def _on_cases_selection_changed(self, *_args: object) -> None:
        await self._load_steps()

    # -- recording a request --------------------------------------------------------------------------

    @asyncSlot()
    async def _on_new_action_triggered(self) -> None:
        await self.new_request()

    def _finder(self) -> PersonFinder:
        return PersonFinder(self.desk.find_subjects, self._run)

    async def new_request(self, person: SubjectSummary | None = None,
                          dialog: NewCaseDialog | None = None) -> SubjectCase | None:
        """Ask for the request's facts (``dialog``: one already filled in) and record it."""
        dialog = dialog or NewCaseDialog(self._finder(), person, self)
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return None
            chosen = dialog.person()
            call = self.desk.subject_requests.open_case(
                dialog.kind(), dialog.received_on().isoformat(), dialog.identity_check(),
                identity_note=dialog.identity_note.text().strip(),
                reference=dialog.reference_edit.text().strip(),
                visitor_id=chosen.visitor_id if chosen is not None else None)
        finally:
            dialog.deleteLater()
        case = await self._run("cases.open", call)
        if case is FAILED:
            return None
        self.state_combo.setCurrentIndex(0)
        await self.reload(keep=case.id)
        self._info(self.tr("Request recorded: the answer is due by %1.").replace("%1", case.due_on))
        return case

    @asyncSlot()
    async def _on_find_action_triggered(self) -> None:
        await self.link_person()

    async def link_person(self, dialog: NewCaseDialog | None = None) -> bool:
        case = self.selected_case()
        if case is None:
            return False
        finder = self._finder()
        picker = dialog or _PersonDialog(finder, self)
        try:
            if await run_dialog(picker) != QDialog.DialogCode.Accepted or picker.person() is None:
                return False
            visitor_id = picker.person().visitor_id
        finally:
            picker.deleteLater()
        linked = await self._run("cases.link", self.desk.subject_requests.link_case(case.id, visitor_id))
        if linked is FAILED:
            return False
        await self.reload(keep=case.id)
        return True

    # -- exporting and erasing ------------------------------------------------------------------------

    @asyncSlot()
    async def _on_export_action_triggered(self) -> None:
        await self.export_selected()

    async def export_selected(self, **options):
        """The bundle of the chosen case's person (``options``: ``folder``, ``make_zip``, ``progress``
        instead of asking)."""
        case = self.selected_case()
        if case is None or case.visitor_id is None:
            return None
        approval_id = None
        if self.needs_approval("subjects.export"):
            approval_id = await self._approved_export(case)
            if approval_id is None:
                return None
        written = await export_bundle(self, self.desk.bundles, case.visitor_id, person_text(case), case,
                                      self._show_failure, approval_id=approval_id, **options)
        if written is None or written is FAILED:
            return None
        note = "" if written.recorded_in_case else self.tr(
            " The request's steps could not be updated: record it with a note.")
        self._info(self.tr("Bundle written to %1 (manifest SHA-256 %2…).")
                   .replace("%1", str(written.zip or written.folder))
                   .replace("%2", written.manifest_sha256[:16]) + note)
        await self.reload(keep=case.id)
        return written

    async def _approved_export(self, case: SubjectCase) -> str | None:
        """Where exports need four eyes: this supervisor's approved, unused export of the person, or a
        request for one (then None: the export waits for the approval)."""
        own = self.desk.operator.id if self.desk.operator else ""
        approvals = self._policy.approvals if self._policy else ()
        for approval in approvals:
            if (approval.action == "subjects.export" and approval.case_id == case.id and not approval.used
                    and approval.state is ApprovalState.APPROVED and approval.requested_by.id == own):
                return approval.id
        reason = NoteDialog(self.tr("Export needs approval"), self.tr("This site has every export approved "
                            "by a second supervisor. Why is it needed?"), self)
        try:
            if await run_dialog(reason) != QDialog.DialogCode.Accepted:
                return None
            text = reason.text()
        finally:
            reason.deleteLater()
        asked = await self._run("approvals.request", self.desk.subject_requests.request_approval(
            "subjects.export", case.id, case.visitor_id or "", text))
        if asked is not FAILED:
            self._info(self.tr("Export requested: another supervisor approves it, then export again."))
            await self.reload(keep=case.id)
        return None

    @asyncSlot()
    async def _on_erase_action_triggered(self) -> None:
        await self.request_erasure()

    async def request_erasure(self, dialog: ErasureRequestDialog | None = None) -> Approval | bool | None:
        case = self.selected_case()
        if case is None or case.visitor_id is None:
            return None
        four_eyes = self.needs_approval("subjects.erase")
        confirm = dialog or ErasureRequestDialog(person_text(case), 0, four_eyes, self)
        try:
            if await run_dialog(confirm) != QDialog.DialogCode.Accepted:
                return None
            reason = confirm.reason()
        finally:
            confirm.deleteLater()
        if not four_eyes:
            counts = await self._run("subjects.erase", self.desk.erase_subject(case.visitor_id, reason))
            if counts is FAILED:
                return None
            self._info(self.tr("Erased: %1 chat(s), %2 message(s).").replace("%1", str(counts.chats))
                       .replace("%2", str(counts.messages)))
            await self.reload(keep=case.id)
            return True
        approval = await self._run("approvals.request", self.desk.subject_requests.request_approval(
            "subjects.erase", case.id, case.visitor_id, reason))
        if approval is FAILED:
            return None
        self._info(self.tr("Erasure requested. Another supervisor approves it under \"Waiting for "
                           "approval\"; it expires on %1.").replace("%1", date_time(approval.expires_at)))
        await self.reload(keep=case.id)
        return approval

    # -- approvals ------------------------------------------------------------------------------------

    @asyncSlot()
    async def _on_approve_action_triggered(self) -> None:
        await self.decide(True)

    @asyncSlot()
    async def _on_reject_action_triggered(self) -> None:
        await self.decide(False)

    async def decide(self, approve: bool, *, show_confirmation: bool = True):
        approval = self.selected_approval()
        if approval is None:
            return None
        # Read before: after an erasure the case keeps only its tombstone (its reference is gone).
        case = await self._run("cases.get", self.desk.subject_requests.case(approval.case_id))
        decision = await self._run("approvals.decide", self.desk.subject_requests.decide(approval, approve))
        await self.reload()
        # Nothing chosen after a decision: a selection that moved on to the next request would make a
        # second click decide someone else's.
        self.approvals_view.clearSelection()
        self.approvals_view.selectionModel().clearCurrentIndex()
        self._update_buttons()
        if decision is FAILED:
            return None
        if decision.erased is None:
            self._info(self.tr("%1: %2.").replace("%1", approvable_action_text(approval.action))
                       .replace("%2", approval_state_text(decision.approval.state)))
            return decision
        self.confirmation = self._confirmation_dialog(approval, decision,
                                                      None if case is FAILED else case.case)
        if show_confirmation:
            self.confirmation.open()
        return decision

    def _confirmation_dialog(self, approval: Approval, decision: Decision,
                             case: SubjectCase | None) -> ErasureConfirmationDialog:
        words = QtReportWords(desk_language())
        reference = (case.reference or case.id) if case is not None else approval.case_id
        letter = ErasureLetter().text(words, decision.approval.decided_at or "",
                                      case.received_on if case is not None else None, reference,
                                      decision.erased, decision.erased_here)
        dialog = ErasureConfirmationDialog(decision.erased, decision.erased_here, letter, self)
        dialog.sent.connect(lambda: self._record_sent(approval.case_id))
        dialog.finished.connect(dialog.deleteLater)
        return dialog

    # -- the rest of a case's life --------------------------------------------------------------------

    @asyncSlot()
    async def _record_sent(self, case_id: str) -> None:
        if await self._run("cases.record", self.desk.subject_requests.record_step(case_id, "response_sent")) \
                is not FAILED:
            await self.reload(keep=case_id)

    @asyncSlot()
    async def _on_extend_action_triggered(self) -> None:
        await self.extend_selected()

    async def extend_selected(self, dialog: ExtendCaseDialog | None = None) -> SubjectCase | None:
        case = self.selected_case()
        if case is None:
            return None
        asked = dialog or ExtendCaseDialog(case, self)
        try:
            if await run_dialog(asked) != QDialog.DialogCode.Accepted:
                return None
            months, reason = asked.months(), asked.reason()
        finally:
            asked.deleteLater()
        extended = await self._run("cases.extend",
                                   self.desk.subject_requests.extend_case(case.id, months, reason))
        if extended is FAILED:
            return None
        await self.reload(keep=case.id)
        return extended

    @asyncSlot()
    async def _on_note_action_triggered(self) -> None:
        await self.note_selected()

    async def note_selected(self, dialog: NoteDialog | None = None) -> bool:
        case = self.selected_case()
        if case is None:
            return False
        asked = dialog or NoteDialog(self.tr("Add a note"), self.tr("Note:"), self)
        try:
            if await run_dialog(asked) != QDialog.DialogCode.Accepted:
                return False
            text = asked.text()
        finally:
            asked.deleteLater()
        if await self._run("cases.record", self.desk.subject_requests.record_step(case.id, "note", text)) \
                is FAILED:
            return False
        await self.reload(keep=case.id)
        return True

    @asyncSlot()
    async def _on_sent_action_triggered(self) -> None:
        case = self.selected_case()
        if case is not None:
            await self._record_sent(case.id)

    @asyncSlot()
    async def _on_close_action_triggered(self) -> None:
        await self.close_selected()

    async def close_selected(self, dialog: CloseCaseDialog | None = None) -> SubjectCase | None:
        case = self.selected_case()
        if case is None:
            return None
        asked = dialog or CloseCaseDialog(case, self)
        try:
            if await run_dialog(asked) != QDialog.DialogCode.Accepted:
                return None
            outcome, note = asked.outcome(), asked.note()
        finally:
            asked.deleteLater()
        closed = await self._run("cases.close", self.desk.subject_requests.close_case(case.id, outcome, note))
        if closed is FAILED:
            return None
        await self.reload()
        self._info(self.tr("Request closed: %1.").replace("%1", outcome_text(outcome)))
        return closed


class _PersonDialog(QDialog):
    """Find the person a request is about."""

    def __init__(self, finder: PersonFinder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Find the person"))
        self.setMinimumSize(640, 360)
        self.finder = finder
        ok = QDialogButtonBox.StandardButton.Ok
        buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(ok).setText(self.tr("This is the person"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(finder, 1)
        layout.addWidget(buttons)

    def person(self) -> SubjectSummary | None:
        return self.finder.selected()

