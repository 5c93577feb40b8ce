"""Finding one data subject: a query (an e-mail address, a name, a phone number, a visitor id) and the
people it matches, with enough beside each to pick the right one: e-mail, chats, first and last seen,
what the query matched, and the site's systems their data was passed to."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.protocol.messages import SubjectSummary
from operator_desk.ui.models.record_table_model import Column, RecordTableModel
from operator_desk.ui.naming import pseudonym
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.action_button import push_button

# Runs one desk call for the finder and shows its failure where the finder sits (``ReviewWindow._run``).
RunCall = Callable[[str, Awaitable[Any]], Awaitable[Any]]


class PersonFinder(QWidget):
    """``selection_changed`` fires when the chosen person changes (``selected()``: the person or None);
    ``found`` with the number of people a search found."""

    selection_changed = Signal()
    found = Signal(int)

    def __init__(self, find: Callable[[str], Awaitable[tuple[SubjectSummary, ...]]], run: RunCall,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._find, self._run = find, run
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText(self.tr("E-mail address, name, phone number or visitor id"))
        self.query_edit.setAccessibleName(self.tr("Find a person"))
        self.query_edit.setClearButtonEnabled(True)
        self.query_edit.returnPressed.connect(self._on_find_clicked)
        self.find_button = push_button(self.tr("Find"), self.tr("Find people"), self._on_find_clicked,
                                       icon="search")
        self.model = RecordTableModel([
            Column(self.tr("Name"), lambda s: s.name or pseudonym(s.visitor_id)),
            Column(self.tr("E-mail"), lambda s: s.email or "—"),
            Column(self.tr("Chats"), lambda s: str(s.chats), align_right=True),
            Column(self.tr("First seen"), lambda s: date_time(s.first_seen) or "—"),
            Column(self.tr("Last seen"), lambda s: date_time(s.last_seen) or "—"),
            Column(self.tr("Matched on"), self._matched_text),
            Column(self.tr("Passed to"), self._receivers_text),
        ], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("People found"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self.selection_changed)
        top = QHBoxLayout()
        top.addWidget(self.query_edit, 1)
        top.addWidget(self.find_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def _matched_text(self, subject: SubjectSummary) -> str:
        words = {"id": self.tr("visitor id"), "email": self.tr("e-mail"), "name": self.tr("name"),
                 "phone": self.tr("phone"), "postal_address": self.tr("postal address"),
                 "company": self.tr("company"), "order_reference": self.tr("order reference")}
        return ", ".join(words.get(what, what) for what in subject.matched_on) or "—"

    def _receivers_text(self, subject: SubjectSummary) -> str:
        """The site's systems (webhook receivers) the server passed the person's data to, and how many
        events about them each has not confirmed yet."""
        return ", ".join(
            self.tr("%1 (%2 not confirmed)").replace("%1", r.receiver).replace("%2", str(r.unconfirmed))
            if r.unconfirmed else r.receiver
            for r in subject.receivers
        ) or "—"

    def selected(self) -> SubjectSummary | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def forget(self, visitor_id: str) -> None:
        self.model.remove_where(lambda s: s.visitor_id == visitor_id)

    @asyncSlot()
    async def _on_find_clicked(self) -> None:
        await self.find()

    async def find(self, query: str | None = None) -> tuple[SubjectSummary, ...] | None:
        """Search (the edit's text unless ``query`` is given); selects the first match."""
        if query is not None:
            self.query_edit.setText(query)
        text = self.query_edit.text().strip()
        if not text:
            return None
        people = await self._run("subjects.find", self._find(text))
        if people is FAILED:
            return None
        self.model.set_records(people)
        if people:
            self.view.selectRow(0)
        self.selection_changed.emit()
        self.found.emit(len(people))
        return people
