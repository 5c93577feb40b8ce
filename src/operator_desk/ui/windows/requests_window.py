"""Data-subject requests (supervisors): the open requests by due day with overdue ones marked, each
request's steps, and what to do next (find the person, export a bundle, ask for an erasure, extend,
note, record the answer, close); and the requests waiting for a second supervisor's approval.

Cases live on the server (``desk.subject_requests``), so every supervisor sees the same ones. This module
is the frame: the list of requests and the loading. Its parts are in ``ui/windows/requests/``: what the
rows say, the chosen request's pane, the approvals tab, and the use cases behind the actions.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QSplitter, QTabWidget, QWidget
from qasync import asyncSlot

from operator_desk.domain.cases import CaseState, SubjectCase, is_overdue
from operator_desk.protocol.messages import WebhookDeliveriesRequest
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.action_button import action_button, window_action
from operator_desk.ui.windows.requests.approvals_tab import ApprovalsTab
from operator_desk.ui.windows.requests.case_flows import CaseFlows
from operator_desk.ui.windows.requests.case_pane import CasePane
from operator_desk.ui.windows.requests.columns import OVERDUE, RequestColumns
from operator_desk.ui.windows.requests.subject_flows import SubjectFlows
from operator_desk.ui.windows.review_window import ReviewWindow

__all__ = ["OVERDUE", "RequestsWindow"]


class RequestsWindow(ReviewWindow):
    """``reloaded`` fires when the lists and the chosen request's steps are up to date."""

    reloaded = Signal()

    def __init__(self, desk: DeskPort, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(desk, self.tr("Data-subject requests — Operator Desk"), icons.icon("requests"),
                         parent)
        self.resize(1040, 680)
        self._today = today
        columns = RequestColumns(self.today, self._my_id, self)
        self.case_flows = CaseFlows(self)
        self.subject_flows = SubjectFlows(self)

        self.state_combo = QComboBox()
        self.state_combo.addItem(self.tr("Open requests"), CaseState.OPEN)
        self.state_combo.addItem(self.tr("Closed requests"), CaseState.CLOSED)
        self.state_combo.setAccessibleName(self.tr("Which requests to list"))
        self.state_combo.currentIndexChanged.connect(self._on_state_combo_changed)
        self.new_action = window_action(self, self.tr("&New request…"), QKeySequence.StandardKey.New,
                                        "requests", slot=self.case_flows.on_new_action_triggered)
        self.refresh_action = window_action(self, self.tr("&Refresh"), QKeySequence.StandardKey.Refresh,
                                            slot=self._on_refresh_action_triggered)
        self.cases_model, self.cases_view = self._results_table(
            columns.cases(), self.tr("Data-subject requests"), QHeaderView.ResizeMode.ResizeToContents)
        self.cases_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.cases_view.selectionModel().selectionChanged.connect(self._on_cases_selection_changed)
        self.case_pane = CasePane(self, columns)
        self.approvals = ApprovalsTab(self, columns, self._my_id)
        self._connect_actions()

        cases_tab = QSplitter(Qt.Orientation.Vertical)
        cases_tab.addWidget(self.cases_view)
        cases_tab.addWidget(self.case_pane)
        cases_tab.setStretchFactor(0, 3)
        cases_tab.setStretchFactor(1, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(cases_tab, icons.icon("requests"), self.tr("Requests"))
        self.tabs.addTab(self.approvals, icons.icon("approve"), self.tr("Waiting for approval"))
        self.tabs.setAccessibleName(self.tr("Requests and approvals"))
        top = QHBoxLayout()
        top.addWidget(self.state_combo)
        top.addStretch(1)
        top.addWidget(action_button(self.refresh_action, self.tr("Load the requests again")))
        top.addWidget(action_button(self.new_action, self.tr("Record a new data-subject request")))
        self._set_body(top, self.tabs)
        self.case_pane.enable_for(None)

    def _connect_actions(self) -> None:
        pane, cases, subject = self.case_pane, self.case_flows, self.subject_flows
        pane.find_action.triggered.connect(cases.on_find_action_triggered)
        pane.export_action.triggered.connect(subject.on_export_action_triggered)
        pane.erase_action.triggered.connect(subject.on_erase_action_triggered)
        pane.extend_action.triggered.connect(cases.on_extend_action_triggered)
        pane.note_action.triggered.connect(cases.on_note_action_triggered)
        pane.sent_action.triggered.connect(cases.on_sent_action_triggered)
        pane.close_case_action.triggered.connect(cases.on_close_action_triggered)
        self.approvals.approve_action.triggered.connect(subject.on_approve_action_triggered)
        self.approvals.reject_action.triggered.connect(subject.on_reject_action_triggered)

    def show_info(self, text: str) -> None:
        self.banner.show_message(text, kind="info")

    def today(self) -> date:
        return self._today or date.today()

    def _my_id(self) -> str | None:
        return self.desk.operator.id if self.desk.operator is not None else None

    def selected_case(self) -> SubjectCase | None:
        rows = self.cases_view.selectionModel().selectedRows()
        return self.cases_model.record_at(rows[0].row()) if rows else None

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
            self.approvals.show_policy(policy)
            self.tabs.setTabText(1, self.tr("Waiting for approval (%1)").replace("%1",
                                                                                 str(self.approvals.waiting())))
        overdue = sum(1 for c in cases if is_overdue(c, self.today()))
        self.statusBar().showMessage(self.tr("%n request(s)", "", len(cases))
                                     + (self.tr(", %n overdue", "", overdue) if overdue else ""))
        await self._load_steps()
        self.reloaded.emit()

    async def _load_steps(self) -> None:
        case = self.selected_case()
        pane = self.case_pane
        pane.show_case(case)
        pane.enable_for(case)
        if case is None:
            return
        found = await self._run("cases.get", self.desk.subject_requests.case(case.id))
        chosen = self.selected_case()
        if found is FAILED or chosen is None or chosen.id != case.id:
            return
        pane.show_steps(found.steps)
        self.cases_model.replace_record(lambda c: c.id == case.id, found.case)
        pane.show_case(found.case)
        pane.enable_for(self.selected_case())
        if found.case.subject_erased and found.case.visitor_id:
            # The case keeps the erasure's pseudonym: the erasure events sent under it say who confirmed.
            sent = await self._run("webhooks.deliveries", self.desk.review.webhook_deliveries(
                WebhookDeliveriesRequest(erasure=found.case.visitor_id)))
            chosen = self.selected_case()
            if sent is not FAILED and chosen is not None and chosen.id == case.id:
                pane.show_case(found.case, sent.deliveries)

    @asyncSlot()
    async def _on_refresh_action_triggered(self) -> None:
        await self.reload()

    @asyncSlot()
    async def _on_state_combo_changed(self, *_args: object) -> None:
        await self.reload()

    @asyncSlot()
    async def _on_cases_selection_changed(self, *_args: object) -> None:
        await self._load_steps()
