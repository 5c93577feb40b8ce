"""The audit viewer (supervisors): the server's audit log or this desk's own, filtered by action, actor
and date range, newest first in the order written, a page at a time (each log pages along its own index,
so a million entries stay quick), and exported as CSV exactly as listed.

Entries carry no personal data: a subject is a pseudonymous id, and an entry about a person erased since
shows the person's tombstone. The two logs are not interleaved into one list: each is ordered by its own
sequence, and their clocks are not one clock."""

from __future__ import annotations

import csv
import enum
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.protocol.messages import AuditEntry, AuditListRequest
from operator_desk.store import CacheAuditEntry, CacheAuditQuery
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.models.record_table_model import Column
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.hint import hint_label
from operator_desk.ui.windows.review_window import ReviewWindow
from operator_desk.ui.windows.transcripts_window import day_start

PAGE = 200
# Actions the logs write, offered in the filter (any other can be typed).
KNOWN_ACTIONS = ("transcripts.get", "transcripts.read_cached", "chat.observe", "reviews.add",
                 "subjects.export", "subjects.erase", "subject.export_me", "approvals.request",
                 "approvals.approve", "approvals.reject", "retention.purge", "erase", "export",
                 "bundle.write")
# A spreadsheet runs a cell that starts with one of these as a formula: such a cell is written quoted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SERVER_TOMBSTONE = "erased:"


class Log(enum.StrEnum):
    SERVER = "server"
    CACHE = "cache"


def csv_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def detail_text(detail: dict[str, Any] | None) -> str:
    if not detail:
        return ""
    def shown(value: Any) -> str:
        return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else str(value)

    return ", ".join(f"{key}: {shown(value)}" for key, value in sorted(detail.items()))


class AuditWindow(ReviewWindow):
    def __init__(self, desk: DeskPort, parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("Audit log — Operator Desk"), icons.icon("subjects"), parent)
        self.resize(1180, 700)
        self._cursor: str | None = None
        self._listed_log = Log.SERVER
        self._names: dict[str, str] = {}

        self.log_box = QComboBox()
        self.log_box.setAccessibleName(self.tr("Which audit log"))
        self.log_box.addItem(self.tr("Server's audit log"), Log.SERVER)
        self.log_box.addItem(self.tr("This desk's audit log"), Log.CACHE)
        self.action_box = QComboBox()
        self.action_box.setEditable(True)
        self.action_box.setAccessibleName(self.tr("Action"))
        self.action_box.addItem(self.tr("Any action"), None)
        for action in KNOWN_ACTIONS:
            self.action_box.addItem(action, action)
        self.actor_box = QComboBox()
        self.actor_box.setAccessibleName(self.tr("Actor"))
        self.actor_box.addItem(self.tr("Anyone"), None)
        self.since_box = QCheckBox(self.tr("From"))
        self.since_edit = self._date_filter(QDate.currentDate().addDays(-7), self.tr("From date"),
                                            self.since_box)
        self.until_box = QCheckBox(self.tr("To"))
        self.until_edit = self._date_filter(QDate.currentDate(), self.tr("To date"), self.until_box)
        self.search_button = push_button(self.tr("Show"), self.tr("Show the entries"),
                                         self._on_search_clicked, icon="search")
        self.more_button = push_button(self.tr("Load more"), self.tr("Load more entries"),
                                       self._on_more_clicked)
        self.more_button.hide()
        self.export_button = push_button(self.tr("Export as &CSV…"),
                                         self.tr("Export the listed entries as CSV"), self._on_export_clicked,
                                         icon="export")
        self.export_button.setEnabled(False)
        hint = hint_label(self.tr("Entries name no one: a subject is a pseudonymous id, and a person erased "
                                  "since is shown by their tombstone."))

        self.entries_model, self.entries_view = self._results_table([
            Column(self.tr("When"), lambda e: date_time(e.at)),
            Column(self.tr("Actor"), self._actor_text),
            Column(self.tr("Action"), lambda e: e.action),
            Column(self.tr("Subject"), self._subject_text),
            Column(self.tr("Detail"), self._detail_text),
        ], self.tr("Audit entries"), QHeaderView.ResizeMode.Interactive)
        header = self.entries_view.horizontalHeader()
        for column, width in enumerate((150, 170, 160, 330)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)

        top = QHBoxLayout()
        for widget in (self.log_box, self.action_box, self.actor_box, self.since_box, self.since_edit,
                       self.until_box, self.until_edit, self.search_button):
            top.addWidget(widget)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.more_button)
        bottom.addWidget(self.export_button)
        self._set_body(top, self.entries_view, bottom)

    # -- what a row shows -------------------------------------------------------------------------

    def _actor_text(self, entry: AuditEntry | CacheAuditEntry) -> str:
        # The server names its accounts; this desk's log holds ids, named from the team's accounts.
        name = getattr(entry, "actor_name", None) or self._names.get(entry.actor)
        return f"{name} ({entry.actor})" if name else entry.actor

    def _subject_text(self, entry: AuditEntry | CacheAuditEntry) -> str:
        subject = entry.subject or ""
        if isinstance(entry, CacheAuditEntry):
            erased = entry.subject_erased
        else:
            erased = subject.startswith(SERVER_TOMBSTONE)
            subject = subject.removeprefix(SERVER_TOMBSTONE) if erased else subject
        if erased:
            return self.tr("Erased person, tombstone %1").replace("%1", subject)
        return subject or "—"

    def _detail_text(self, entry: AuditEntry | CacheAuditEntry) -> str:
        text = detail_text(entry.detail)
        counts = getattr(entry, "counts", None)
        if counts:
            text = ", ".join(p for p in (text, detail_text(counts)) if p)
        return text

    # -- listing ----------------------------------------------------------------------------------

    async def open_listing(self) -> None:
        status = await self._run("team.status", self.desk.review.team_status())
        if status is not FAILED:
            for member in status.operators:
                self.actor_box.addItem(member.name, member.id)
                self._names[member.id] = member.name
        await self.show_entries()

    def _action(self) -> str | None:
        text = self.action_box.currentText().strip()
        if self.action_box.currentIndex() == 0 and text == self.action_box.itemText(0):
            return None
        return text or None

    @asyncSlot()
    async def _on_search_clicked(self) -> None:
        await self.show_entries()

    @asyncSlot()
    async def _on_more_clicked(self) -> None:
        await self.show_entries(more=True)

    async def show_entries(self, *, more: bool = False) -> None:
        log = Log(self.log_box.currentData()) if not more else self._listed_log
        cursor = self._cursor if more else None
        since = day_start(self.since_edit.date()) if self.since_box.isChecked() else None
        until = day_start(self.until_edit.date().addDays(1)) if self.until_box.isChecked() else None
        review = self.desk.review
        if log is Log.SERVER:
            call = review.server_audit(AuditListRequest(
                since=since, until=until, action=self._action(), actor=self.actor_box.currentData(),
                limit=PAGE, cursor=cursor))
        else:
            call = review.cache_audit(CacheAuditQuery(
                action=self._action(), actor=self.actor_box.currentData(), since=since, until=until,
                limit=PAGE, cursor=cursor))
        self.search_button.setEnabled(False)
        try:
            page = await self._run("audit.list", call)
        finally:
            self.search_button.setEnabled(True)
        if page is FAILED:
            return
        if more:
            self.entries_model.append_records(page.entries)
        else:
            self.entries_model.set_records(page.entries)
        self._listed_log = log
        self._cursor = page.next_cursor
        self.more_button.setVisible(page.next_cursor is not None)
        self.export_button.setEnabled(self.entries_model.rowCount() > 0)
        self.statusBar().showMessage(self.tr("%n entry(s) listed", "", self.entries_model.rowCount()))

    # -- CSV --------------------------------------------------------------------------------------

    def export_csv(self, path: Path) -> int:
        """The listed entries, as the table shows them, to ``path``; returns the rows written."""
        model = self.entries_model
        columns = model.columnCount()
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow([model.headerData(c, Qt.Orientation.Horizontal) for c in range(columns)])
            for row in range(model.rowCount()):
                writer.writerow([csv_cell(model.index(row, c).data() or "") for c in range(columns)])
        self.statusBar().showMessage(self.tr("Exported %n entry(s)", "", model.rowCount()))
        return model.rowCount()

    def _on_export_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export audit entries"), "audit-log.csv",
                                              self.tr("CSV files (*.csv)"))
        if name:
            self.export_csv(Path(name))

