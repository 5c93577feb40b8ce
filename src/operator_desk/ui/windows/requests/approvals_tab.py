"""The requests waiting for a second supervisor's approval (four eyes), with the site's rule for which
actions need one: approve or reject the chosen one, never one's own."""

from __future__ import annotations

import functools
from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QVBoxLayout, QWidget

from operator_desk.domain.cases import Approval, ApprovalState
from operator_desk.protocol.messages import ApprovalsListResponse
from operator_desk.ui.case_words import approvable_action_text
from operator_desk.ui.widgets.action_button import action_button, window_action
from operator_desk.ui.widgets.hint import hint_label
from operator_desk.ui.windows.requests.columns import RequestColumns
from operator_desk.ui.windows.review_window import results_table


class ApprovalsTab(QWidget):
    """``window`` carries the actions' shortcuts; ``me`` is the signed-in supervisor's id."""

    def __init__(self, window: QWidget, columns: RequestColumns, me: Callable[[], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._me = me
        # The site's rule and the approvals, as last listed (None until then).
        self.policy: ApprovalsListResponse | None = None
        self.policy_label = hint_label()
        self.model, self.view = results_table(columns.approvals(), self.tr("Requests for a second approval"),
                                              QHeaderView.ResizeMode.ResizeToContents, self)
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self.enable_actions)
        action = functools.partial(window_action, window)
        self.approve_action = action(self.tr("&Approve"), "Ctrl+Shift+A", "approve")
        self.reject_action = action(self.tr("Re&ject"), "Ctrl+Shift+J")
        buttons = QHBoxLayout()
        buttons.addWidget(self.policy_label, 1)
        buttons.addWidget(action_button(self.approve_action, self.tr("Approve the chosen request")))
        buttons.addWidget(action_button(self.reject_action, self.tr("Reject the chosen request")))
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.enable_actions()

    def selected(self) -> Approval | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def waiting(self) -> int:
        return sum(1 for a in self.model.records() if a.state is ApprovalState.PENDING)

    def needs_approval(self, action: str) -> bool:
        """Whether ``action`` needs a second supervisor here (yes, until the rule is known)."""
        return self.policy is None or action in self.policy.required

    def show_policy(self, policy: ApprovalsListResponse) -> None:
        self.policy = policy
        self.model.set_records(policy.approvals)
        self.policy_label.setText(self._policy_text(policy))

    def clear_choice(self) -> None:
        self.view.clearSelection()
        self.view.selectionModel().clearCurrentIndex()
        self.enable_actions()

    def enable_actions(self, *_args: object) -> None:
        approval = self.selected()
        me = self._me()
        own = approval is not None and me is not None and approval.requested_by.id == me
        decidable = approval is not None and approval.state is ApprovalState.PENDING and not own
        self.approve_action.setEnabled(decidable)
        self.reject_action.setEnabled(decidable)

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
