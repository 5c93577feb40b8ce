"""The visitor panel's "Earlier chats": a returning visitor's closed chats (date, operator, first line),
only while the visitor grants ``visitor_insights``. A row opens the chat read-only (double-click or
Enter); "Load more" pages on. The box asks for them (``load_wanted``) when it is shown a consenting
visitor it has not listed yet, and drops every row the moment that consent is gone."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from operator_desk.domain.model import Visitor
from operator_desk.protocol.messages import EarlierChat, EarlierChatsResponse
from operator_desk.ui.models.record_table_model import Column, RecordTableModel
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.fitted_columns import FittedColumns
from operator_desk.ui.widgets.hint import hint_label

FIRST_LINE_COLUMN = 2


class EarlierChatsBox(QGroupBox):
    load_wanted = Signal(str, str)   # visitor_id, cursor ("" for the first page)
    chat_wanted = Signal(str, str)   # visitor_id, chat_id: open it read-only

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Earlier chats"), parent)
        self.visitor_id = ""       # whose earlier chats are listed (or asked for)
        self._cursor: str | None = None
        self.model = RecordTableModel([
            Column(self.tr("Date"), lambda c: date_time(c.started_at)),
            Column(self.tr("Operator"), lambda c: c.operator_name or self.tr("unknown")),
            Column(self.tr("First line"), lambda c: c.first_line or self.tr("(no message)"),
                   tooltip=lambda c: c.first_line),
        ], self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Earlier chats"))
        self.view.setAccessibleDescription(self.tr("Double-click or press Enter to read a chat"))
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMinimumHeight(3 * self.view.verticalHeader().defaultSectionSize())
        self.view.fitted_columns = FittedColumns(self.view, FIRST_LINE_COLUMN)
        self.view.activated.connect(self._on_view_activated)
        self.note = hint_label()
        self.more = push_button(self.tr("Load &more"), self.tr("Load more earlier chats"),
                                self._on_more_clicked)
        self.more.hide()
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.more)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(row)

    def show_for(self, visitor: Visitor | None, visitor_id: str) -> None:
        """The panel's visitor now. Asks for the earlier chats of a consenting visitor not listed yet."""
        granted = visitor is not None and visitor.consent.visitor_insights
        if not granted:
            self.clear()
            self.note.setText(self.tr("Shown only with the visitor's consent to visitor insights."))
            self.view.hide()
            return
        self.view.show()
        if visitor_id != self.visitor_id:
            self.clear()
            self.visitor_id = visitor_id
            self.note.setText(self.tr("Loading…"))
            self.load_wanted.emit(visitor_id, "")

    def show_page(self, visitor_id: str, page: EarlierChatsResponse, first: bool) -> None:
        if visitor_id != self.visitor_id:
            return   # the panel moved on (or the consent went) while the page was on its way
        if first:
            self.model.set_records(page.chats)
        else:
            self.model.append_records(page.chats)
        self._cursor = page.next_cursor
        self.more.setVisible(page.next_cursor is not None)
        count = self.model.rowCount()
        self.note.setText(self.tr("%n earlier chat(s)", "", count) if count else self.tr("No earlier chats."))

    def show_failed(self, visitor_id: str) -> None:
        if visitor_id == self.visitor_id:
            self.note.setText(self.tr("The earlier chats could not be loaded."))
            self.visitor_id = ""   # asked again when the panel shows the visitor next

    def clear(self) -> None:
        """No rows, nothing kept: a withdrawal (or another visitor) leaves nothing of them behind."""
        self.visitor_id = ""
        self._cursor = None
        self.model.set_records(())
        self.more.hide()
        self.note.clear()

    def earlier_chat(self, row: int) -> EarlierChat | None:
        return self.model.record_at(row)

    def _on_view_activated(self, index: QModelIndex) -> None:
        chat = self.model.record_at(index.row())
        if chat is not None and self.visitor_id:
            self.chat_wanted.emit(self.visitor_id, chat.chat_id)

    def _on_more_clicked(self) -> None:
        if self.visitor_id and self._cursor:
            self.load_wanted.emit(self.visitor_id, self._cursor)
