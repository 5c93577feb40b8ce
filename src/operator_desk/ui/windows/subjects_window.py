"""People and erasure (supervisors): find a person by name or e-mail, export everything held about
them as JSON (a data subject access request), or erase them after an explicit confirmation."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.platform.paths import write_private_file
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.dialogs.async_dialog import run_dialog
from operator_desk.ui.models.record_table_model import Column
from operator_desk.ui.naming import pseudonym
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.windows.review_window import ReviewWindow

logger = logging.getLogger(__name__)


class EraseConfirmDialog(QDialog):
    """Erasure cannot be undone: name the person, ask for a reason (kept in the audit log) and an
    explicit tick before the button works."""

    def __init__(self, who: str, chats: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erase %1?").replace("%1", who))
        self.setWindowIcon(icons.icon("withdrawn"))
        self.setMinimumWidth(460)
        heading = QLabel(self.tr("Erase everything about %1").replace("%1", who))
        heading.setObjectName("dialogHeading")
        heading.setTextFormat(Qt.TextFormat.PlainText)   # the name is the visitor's own text
        explain = QLabel(self.tr(
            "The server deletes this person's visitor record, consents, detail requests and %n chat(s) "
            "with all messages; every operator's desk removes its local copies. This cannot be undone.",
            "", chats))
        explain.setWordWrap(True)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(self.tr("Reason, e.g. \"erasure request by e-mail on 3 May\""))
        self.reason_edit.setAccessibleName(self.tr("Reason for the erasure"))
        self.reason_edit.setMaximumHeight(80)
        self.understood = QCheckBox(self.tr("I understand that this cannot be undone"))
        self.understood.setAccessibleName(self.understood.text())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.erase_button.setText(self.tr("Erase"))
        self.erase_button.setIcon(icons.icon("withdrawn"))
        self.erase_button.setAccessibleName(self.tr("Erase this person's data"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason_edit.textChanged.connect(self._update)
        self.understood.toggled.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(QLabel(self.tr("Reason (kept in the audit log):")))
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.understood)
        layout.addWidget(self.buttons)
        self._update()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _update(self, *_args) -> None:
        self.erase_button.setEnabled(bool(self.reason()) and self.understood.isChecked())


class SubjectsWindow(ReviewWindow):
    def __init__(self, desk: DeskPort, parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("People and erasure — Operator Desk"), icons.icon("subjects"), parent)
        self.resize(820, 520)
        self.close_action = self._add_close_action(self.tr("&Window"), self.tr("&Close"))
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText(self.tr("Name or e-mail address"))
        self.query_edit.setAccessibleName(self.tr("Find a person by name or e-mail"))
        self.query_edit.returnPressed.connect(self._on_find_clicked)
        self.find_button = QPushButton(icons.icon("search"), self.tr("Find"))
        self.find_button.setAccessibleName(self.tr("Find people"))
        self.find_button.clicked.connect(self._on_find_clicked)
        self.results_model, self.results_view = self._results_table([
            Column(self.tr("Name"), lambda s: s.name or pseudonym(s.visitor_id)),
            Column(self.tr("E-mail"), lambda s: s.email or "—"),
            Column(self.tr("Chats"), lambda s: str(s.chats), align_right=True),
            Column(self.tr("Last seen"), lambda s: date_time(s.last_seen) or "—"),
        ], self.tr("People found"), QHeaderView.ResizeMode.Stretch)
        self.results_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.export_button = QPushButton(self.tr("Export as JSON…"))
        self.export_button.setAccessibleName(self.tr("Export everything held about this person"))
        self.export_button.clicked.connect(self._on_export_clicked)
        self.erase_button = QPushButton(icons.icon("withdrawn"), self.tr("Erase…"))
        self.erase_button.setAccessibleName(self.tr("Erase this person"))
        self.erase_button.clicked.connect(self._on_erase_clicked)
        hint = QLabel(self.tr("Exports and erasures are recorded in the audit log with your name."))
        hint.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(self.query_edit, 1)
        top.addWidget(self.find_button)
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.erase_button)
        self._set_body(top, self.results_view, buttons)
        self._update_buttons()

    def _selected(self):
        rows = self.results_view.selectionModel().selectedRows()
        return self.results_model.record_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_args) -> None:
        chosen = self._selected() is not None
        self.export_button.setEnabled(chosen)
        self.erase_button.setEnabled(chosen)

    @asyncSlot()
    async def _on_find_clicked(self) -> None:
        await self.find()

    async def find(self) -> None:
        query = self.query_edit.text().strip()
        if not query:
            return
        subjects = await self._run("subjects.find", self.desk.find_subjects(query))
        if subjects is FAILED:
            return
        self.results_model.set_records(subjects)
        self._show_count()
        self._update_buttons()

    def _show_count(self) -> None:
        self.statusBar().showMessage(self.tr("%n person(s) found", "", self.results_model.rowCount()))

    @asyncSlot()
    async def _on_export_clicked(self) -> None:
        await self.export_selected()

    async def export_selected(self, path: Path | None = None) -> Path | None:
        subject = self._selected()
        if subject is None:
            return None
        if path is None:
            dialog = QFileDialog(self, self.tr("Save export"), f"export-{subject.visitor_id}.json",
                                 self.tr("JSON files (*.json)"))
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("json")
            accepted = await run_dialog(dialog) == QFileDialog.DialogCode.Accepted
            files = dialog.selectedFiles()
            dialog.deleteLater()
            if not accepted or not files:
                return None
            path = Path(files[0])
        export = await self._run("subjects.export", self.desk.export_subject(subject.visitor_id))
        if export is FAILED:
            return None
        text = json.dumps(export, ensure_ascii=False, indent=2)
        try:
            await asyncio.to_thread(write_private_file, path, text)
        except OSError as exc:
            self.banner.show_message(self.tr("The export could not be saved: %1").replace(
                "%1", exc.strerror or type(exc).__name__))
            return None
        self.banner.show_message(self.tr("Export saved to %1").replace("%1", str(path)), kind="info")
        return path

    @asyncSlot()
    async def _on_erase_clicked(self) -> None:
        await self.erase_selected()

    async def erase_selected(self) -> bool:
        subject = self._selected()
        if subject is None:
            return False
        who = subject.name or pseudonym(subject.visitor_id)
        confirm = EraseConfirmDialog(who, subject.chats, self)
        try:
            if await run_dialog(confirm) != QDialog.DialogCode.Accepted:
                return False
            reason = confirm.reason()
        finally:
            confirm.deleteLater()
        counts = await self._run("subjects.erase", self.desk.erase_subject(subject.visitor_id, reason))
        if counts is FAILED:
            return False
        self.results_model.remove_where(lambda s: s.visitor_id == subject.visitor_id)
        # Nothing chosen after an erasure: a selection that moved on to the next person would make a
        # second click act on someone else. The count says what is left.
        self.results_view.clearSelection()
        self.results_view.selectionModel().clearCurrentIndex()
        self._show_count()
        self.banner.show_message(self.tr("Erased: %1 chat(s), %2 message(s), %3 consent(s), %4 detail(s).")
                                 .replace("%1", str(counts.chats)).replace("%2", str(counts.messages))
                                 .replace("%3", str(counts.consents)).replace("%4", str(counts.details)),
                                 kind="info")
        self._update_buttons()
        return True
