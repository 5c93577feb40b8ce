"""What the rows of the Requests window say: the requests with their due day ("in 12 days", "3 days
overdue", marked red with an icon), the steps of a request, and the approvals waiting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QIcon

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
from operator_desk.ui import icons
from operator_desk.ui.case_words import (
    approvable_action_text,
    approval_state_text,
    kind_text,
    outcome_text,
    person_text,
    step_text,
)
from operator_desk.ui.models.record_table_model import Column
from operator_desk.ui.timefmt import date_time

OVERDUE = QColor("#b91c1c")
DUE_SOON_DAYS = 3


class RequestColumns(QObject):
    """The columns of the three tables; ``today`` says which day it is (a test names one), ``me`` the
    signed-in supervisor's id (None when signed out)."""

    def __init__(self, today: Callable[[], date], me: Callable[[], str | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._me = me

    def cases(self) -> list[Column]:
        return [
            Column(self.tr("Due"), self.due_text, foreground=self.due_colour, icon=self.due_icon,
                   tooltip=self.due_tip),
            Column(self.tr("Request"), lambda c: kind_text(c.kind)),
            Column(self.tr("Person"), person_text),
            Column(self.tr("Received"), lambda c: c.received_on),
            Column(self.tr("Reference"), lambda c: c.reference or "—"),
            Column(self.tr("Status"), self.status_text),
        ]

    def steps(self) -> list[Column]:
        return [
            Column(self.tr("When"), lambda s: date_time(s.at)),
            Column(self.tr("Step"), lambda s: step_text(s.step)),
            Column(self.tr("Who"), lambda s: s.actor.name),
            Column(self.tr("Note"), self.step_note),
        ]

    def approvals(self) -> list[Column]:
        return [
            Column(self.tr("Action"), lambda a: approvable_action_text(a.action)),
            Column(self.tr("Person"), lambda a: a.subject_name or "—"),
            Column(self.tr("Asked by"), lambda a: a.requested_by.name),
            Column(self.tr("Reason"), lambda a: a.reason or "—"),
            Column(self.tr("Asked"), lambda a: date_time(a.requested_at)),
            Column(self.tr("Expires"), lambda a: date_time(a.expires_at) if a.state is ApprovalState.PENDING
                   else "—"),
            Column(self.tr("State"), self.approval_state),
        ]

    # -- a request ------------------------------------------------------------------------------------

    def due_text(self, case: SubjectCase) -> str:
        """The due day, and for an open case "in 12 days", "today", "3 days overdue"."""
        if case.state is not CaseState.OPEN:
            return case.due_on
        left = days_left(case, self._today())
        if left > 1:
            return self.tr("%1 (in %n day(s))", "", left).replace("%1", case.due_on)
        if left == 1:
            return self.tr("%1 (tomorrow)").replace("%1", case.due_on)
        if left == 0:
            return self.tr("%1 (today)").replace("%1", case.due_on)
        return self.tr("%1 (%n day(s) overdue)", "", -left).replace("%1", case.due_on)

    def due_colour(self, case: SubjectCase) -> QColor | None:
        return OVERDUE if is_overdue(case, self._today()) else None

    def due_icon(self, case: SubjectCase) -> QIcon | None:
        if case.state is not CaseState.OPEN:
            return None
        if is_overdue(case, self._today()):
            return icons.icon("overdue")
        return icons.icon("due-soon") if days_left(case, self._today()) <= DUE_SOON_DAYS else None

    def due_tip(self, case: SubjectCase) -> str:
        if is_overdue(case, self._today()):
            return self.tr("Overdue: the answer was due on %1.").replace("%1", case.due_on)
        if case.extended_months:
            return self.tr("Extended by %n month(s).", "", case.extended_months)
        return ""

    def status_text(self, case: SubjectCase) -> str:
        if case.state is CaseState.CLOSED:
            return outcome_text(case.outcome)
        if case.extended_months:
            return self.tr("Open, extended")
        return self.tr("Open")

    # -- a step, an approval --------------------------------------------------------------------------

    def step_note(self, step: CaseStep) -> str:
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

    def approval_state(self, approval: Approval) -> str:
        me = self._me()
        own = me is not None and approval.requested_by.id == me
        text = approval_state_text(approval.state)
        if approval.state is ApprovalState.PENDING and own:
            return self.tr("%1 (yours: another supervisor approves)").replace("%1", text)
        if approval.decided_by is not None:
            return self.tr("%1 by %2").replace("%1", text).replace("%2", approval.decided_by.name)
        return text
