"""The dialogs of a data-subject request: record a new one, extend its deadline, add a note, close it.
Each collects what the request needs and nothing more (the person is chosen from the records, never
typed in; free texts are for the handling of the request, and say so)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from operator_desk.domain.cases import (
    MAX_EXTENSION_MONTHS,
    IdentityCheck,
    Outcome,
    RequestKind,
    SubjectCase,
    due_on,
    parse_day,
)
from operator_desk.protocol.messages import SubjectSummary
from operator_desk.ui import icons
from operator_desk.ui.case_words import identity_text, kind_text, outcome_text
from operator_desk.ui.widgets.hint import hint_label
from operator_desk.ui.widgets.person_finder import PersonFinder


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("dialogHeading")
    return label


class NewCaseDialog(QDialog):
    """A request as it arrived: its kind, the day it was received, how the requester's identity was
    checked, their own reference, and (found in the records) the person it is about."""

    def __init__(self, finder: PersonFinder, person: SubjectSummary | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New data-subject request"))
        self.setWindowIcon(icons.icon("requests"))
        self.setMinimumWidth(640)
        self.kind_combo = QComboBox()
        for kind in RequestKind:
            self.kind_combo.addItem(kind_text(kind), kind)
        self.kind_combo.setAccessibleName(self.tr("What the person asks for"))
        self.received_edit = QDateEdit(QDate.currentDate())
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setMaximumDate(QDate.currentDate())
        self.received_edit.setAccessibleName(self.tr("Day the request was received"))
        self.identity_combo = QComboBox()
        for check in IdentityCheck:
            self.identity_combo.addItem(identity_text(check), check)
        self.identity_combo.setAccessibleName(self.tr("How the identity was checked"))
        self.identity_note = QLineEdit()
        self.identity_note.setMaxLength(1000)
        self.identity_note.setPlaceholderText(self.tr("How, if not obvious (no copies of documents)"))
        self.identity_note.setAccessibleName(self.tr("Note on the identity check"))
        self.reference_edit = QLineEdit()
        self.reference_edit.setMaxLength(200)
        self.reference_edit.setPlaceholderText(self.tr("e.g. ticket 812, letter of 3 May"))
        self.reference_edit.setAccessibleName(self.tr("The requester's reference"))
        self.due_label = QLabel()
        self.finder = finder
        form = QFormLayout()
        form.addRow(self.tr("Request for:"), self.kind_combo)
        form.addRow(self.tr("Received on:"), self.received_edit)
        form.addRow(self.tr("Answer due by:"), self.due_label)
        form.addRow(self.tr("Identity checked:"), self.identity_combo)
        form.addRow(self.tr("Identity note:"), self.identity_note)
        form.addRow(self.tr("Their reference:"), self.reference_edit)
        hint = hint_label(self.tr("Find the person the request is about; you can also do it later. The "
                                  "request keeps only a reference to their records, never a copy."))
        self.buttons = _buttons(self, self.tr("Record request"))
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(self.tr("Record a data-subject request")))
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(finder, 1)
        layout.addWidget(self.buttons)
        self.received_edit.dateChanged.connect(self._update_due)
        self._update_due()
        if person is not None:
            finder.model.set_records([person])
            finder.view.selectRow(0)

    def _update_due(self, *_args: object) -> None:
        self.due_label.setText(due_on(self.received_on()).isoformat())

    def received_on(self) -> date:
        return self.received_edit.date().toPython()

    # A combo box hands its data back as plain strings: the enums again here.
    def kind(self) -> RequestKind:
        return RequestKind(self.kind_combo.currentData())

    def identity_check(self) -> IdentityCheck:
        return IdentityCheck(self.identity_combo.currentData())

    def person(self) -> SubjectSummary | None:
        return self.finder.selected()


class ExtendCaseDialog(QDialog):
    """Extend a case's deadline by one or two further months, with the reason the person is told."""

    def __init__(self, case: SubjectCase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Extend the deadline"))
        self._case = case
        self.months_combo = QComboBox()
        for months in range(case.extended_months + 1, MAX_EXTENSION_MONTHS + 1):
            self.months_combo.addItem(self.tr("by %n month(s) in all", "", months), months)
        self.months_combo.setAccessibleName(self.tr("Extension"))
        self.new_due = QLabel()
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(self.tr("Why more time is needed (the person is told this)"))
        self.reason_edit.setAccessibleName(self.tr("Reason for the extension"))
        self.reason_edit.setMaximumHeight(90)
        explain = QLabel(self.tr("The law allows two further months where necessary, given the number and "
                                 "complexity of requests. Tell the person within the first month, with "
                                 "the reason."))
        explain.setWordWrap(True)
        self.buttons = _buttons(self, self.tr("Extend"))
        form = QFormLayout()
        form.addRow(self.tr("Due now:"), QLabel(case.due_on))
        form.addRow(self.tr("Extend:"), self.months_combo)
        form.addRow(self.tr("New due day:"), self.new_due)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Reason:")))
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.buttons)
        self.months_combo.currentIndexChanged.connect(self._update)
        self.reason_edit.textChanged.connect(self._update)
        self._update()

    def months(self) -> int:
        return int(self.months_combo.currentData() or 0)

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _update(self, *_args: object) -> None:
        months = self.months()
        self.new_due.setText(due_on(parse_day(self._case.received_on), months).isoformat() if months else "—")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(months and self.reason()))


class NoteDialog(QDialog):
    """A short text for a case (a note, or what was sent to the person)."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None, *,
                 required: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setAccessibleName(prompt)
        self.text_edit.setMaximumHeight(110)
        hint = hint_label(self.tr("About the handling of the request only: the person's data stays in their "
                                  "records."))
        self.buttons = _buttons(self, self.tr("Save"))
        self._required = required
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        layout.addWidget(self.text_edit)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self.text_edit.textChanged.connect(self._update)
        self._update()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def _update(self) -> None:
        enabled = bool(self.text()) or not self._required
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(enabled)


class CloseCaseDialog(QDialog):
    def __init__(self, case: SubjectCase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Close the request"))
        self.outcome_combo = QComboBox()
        for outcome in Outcome:
            self.outcome_combo.addItem(outcome_text(outcome), outcome)
        self.outcome_combo.setAccessibleName(self.tr("Outcome"))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setMaximumHeight(80)
        self.note_edit.setAccessibleName(self.tr("Note on the outcome"))
        self.note_edit.setEnabled(not case.subject_erased)   # an erased person's case keeps no text
        on_time = date.today() <= parse_day(case.due_on)
        timing = QLabel(self.tr("Closed on time (due %1).").replace("%1", case.due_on) if on_time
                        else self.tr("Closed late: it was due on %1.").replace("%1", case.due_on))
        timing.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = _buttons(self, self.tr("Close request"))
        form = QFormLayout()
        form.addRow(self.tr("Outcome:"), self.outcome_combo)
        form.addRow(self.tr("Note:"), self.note_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(timing)
        layout.addWidget(self.buttons)

    def outcome(self) -> Outcome:
        return Outcome(self.outcome_combo.currentData())

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()


class ErasureRequestDialog(QDialog):
    """Erasure cannot be undone: name the person, ask for a reason (kept in the audit log) and an explicit
    tick. With four eyes, this files the request that a second supervisor approves."""

    def __init__(self, who: str, chats: int, needs_approval: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erase %1?").replace("%1", who))
        self.setWindowIcon(icons.icon("withdrawn"))
        self.setMinimumWidth(480)
        heading = QLabel(self.tr("Erase everything about %1").replace("%1", who))
        heading.setObjectName("dialogHeading")
        heading.setTextFormat(Qt.TextFormat.PlainText)   # the name is the visitor's own text
        explain = QLabel(self.tr(
            "The server deletes this person's visitor record, consents, detail requests and %n chat(s) "
            "with all messages; every operator's desk removes its local copies. This cannot be undone.",
            "", chats))
        explain.setWordWrap(True)
        four_eyes = hint_label(self.tr("A second supervisor must approve this request before anything is "
                                       "erased; an unapproved request expires.") if needs_approval else
                               self.tr("This site lets one supervisor erase: it happens at once."))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(self.tr("Reason, e.g. \"erasure request by e-mail on 3 May\""))
        self.reason_edit.setAccessibleName(self.tr("Reason for the erasure"))
        self.reason_edit.setMaximumHeight(80)
        self.understood = QCheckBox(self.tr("I understand that this cannot be undone"))
        self.understood.setAccessibleName(self.understood.text())
        self.buttons = _buttons(self, self.tr("Request erasure") if needs_approval else self.tr("Erase"))
        self.erase_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.erase_button.setIcon(icons.icon("withdrawn"))
        self.erase_button.setAccessibleName(self.tr("Erase this person's data"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.reason_edit.textChanged.connect(self._update)
        self.understood.toggled.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(four_eyes)
        layout.addWidget(QLabel(self.tr("Reason (kept in the audit log; no personal data):")))
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.understood)
        layout.addWidget(self.buttons)
        self._update()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _update(self, *_args: object) -> None:
        self.erase_button.setEnabled(bool(self.reason()) and self.understood.isChecked())
