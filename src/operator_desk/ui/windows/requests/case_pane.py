"""The chosen request, below the list: its facts, what can be done with it next (each a button and a
shortcut of the window), and its steps so far."""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from operator_desk.domain.cases import CaseState, CaseStep, SubjectCase
from operator_desk.protocol.messages import WebhookDelivery
from operator_desk.ui.case_words import identity_text, kind_text, person_text
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.widgets.action_button import action_button, window_action
from operator_desk.ui.windows.requests.columns import RequestColumns
from operator_desk.ui.windows.review_window import results_table


class CasePane(QWidget):
    """``window`` carries the actions' shortcuts; the window connects them to the flows."""

    def __init__(self, window: QWidget, columns: RequestColumns, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel()
        self.title_label.setObjectName("dialogHeading")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)    # names are the visitor's own text
        self.detail_label = QLabel()
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_label.setWordWrap(True)
        self.detail_label.setAccessibleName(self.tr("The chosen request"))
        self.steps_model, self.steps_view = results_table(
            columns.steps(), self.tr("Steps of the request"), QHeaderView.ResizeMode.ResizeToContents, self)
        self.steps_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        action = functools.partial(window_action, window)
        self.find_action = action(self.tr("&Find the person…"), "Ctrl+L", "search")
        self.export_action = action(self.tr("&Export bundle…"), "Ctrl+E", "export")
        self.erase_action = action(self.tr("Request e&rasure…"), "Ctrl+Shift+Del", "withdrawn")
        self.extend_action = action(self.tr("E&xtend deadline…"), "Ctrl+Shift+X")
        self.note_action = action(self.tr("Add &note…"), "Ctrl+Shift+N")
        self.sent_action = action(self.tr("Answer &sent"), "Ctrl+Shift+S", "approve")
        self.close_case_action = action(self.tr("&Close request…"), "Ctrl+Shift+C")
        buttons = QHBoxLayout()
        for each, accessible in (
            (self.find_action, self.tr("Find the person this request is about")),
            (self.export_action, self.tr("Export everything held about the person")),
            (self.erase_action, self.tr("Ask for the person's data to be erased")),
            (self.extend_action, self.tr("Extend the deadline")),
            (self.note_action, self.tr("Add a note to the request")),
            (self.sent_action, self.tr("Record that the answer was sent")),
            (self.close_case_action, self.tr("Close the request with its outcome")),
        ):
            buttons.addWidget(action_button(each, accessible))
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.detail_label)
        layout.addLayout(buttons)
        layout.addWidget(self.steps_view, 1)

    @property
    def steps(self) -> tuple[CaseStep, ...]:
        """The steps of the request shown."""
        return tuple(self.steps_model.records())

    def enable_for(self, case: SubjectCase | None) -> None:
        """What can be done next with ``case`` (None: no request is chosen)."""
        open_case = case is not None and case.state is CaseState.OPEN
        linked = open_case and case.visitor_id is not None and not case.subject_erased
        self.find_action.setEnabled(open_case and case.visitor_id is None)
        self.export_action.setEnabled(linked)
        self.erase_action.setEnabled(linked)
        self.extend_action.setEnabled(open_case and case.extended_months < 2)
        self.note_action.setEnabled(case is not None and not case.subject_erased)
        self.sent_action.setEnabled(case is not None)
        self.close_case_action.setEnabled(open_case)

    def show_steps(self, steps: tuple[CaseStep, ...]) -> None:
        self.steps_model.set_records(steps)

    def show_case(self, case: SubjectCase | None, erasures: tuple[WebhookDelivery, ...] = ()) -> None:
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
