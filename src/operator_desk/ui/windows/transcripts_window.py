"""Transcript review for team leads and supervisors: search the server's transcripts, read one with its
consents and detail requests. Every opening is written to the server's audit log (the server does it)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.services.events import DeliveryState, LocalMessage
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.models.privacy_models import ConsentTimelineModel, DetailsModel
from operator_desk.ui.models.record_table_model import Column
from operator_desk.ui.models.transcript_model import TranscriptModel
from operator_desk.ui.naming import pseudonym
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.transcript_view import TranscriptView
from operator_desk.ui.windows.review_window import ReviewWindow

logger = logging.getLogger(__name__)


class TranscriptsWindow(ReviewWindow):
    def __init__(self, desk: DeskPort, parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("Transcripts — Operator Desk"), icons.icon("search"), parent)
        self._cursor: str | None = None
        self.resize(1100, 700)
        self.close_action = self._add_close_action(self.tr("&Window"), self.tr("&Close"))

        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(self.tr("Words in the messages (leave empty for all)"))
        self.text_edit.setAccessibleName(self.tr("Search text"))
        self.text_edit.returnPressed.connect(self._on_search_clicked)
        self.since_box = QCheckBox(self.tr("From"))
        self.since_box.setAccessibleName(self.tr("Limit to chats from a date"))
        self.since_edit = QDateEdit(QDate.currentDate().addDays(-30))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setAccessibleName(self.tr("From date"))
        self.since_edit.setEnabled(False)
        self.since_box.toggled.connect(self.since_edit.setEnabled)
        self.search_button = QPushButton(icons.icon("search"), self.tr("Search"))
        self.search_button.setAccessibleName(self.tr("Search transcripts"))
        self.search_button.clicked.connect(self._on_search_clicked)
        self.more_button = QPushButton(self.tr("Load more"))
        self.more_button.setAccessibleName(self.tr("Load more results"))
        self.more_button.clicked.connect(self._on_more_clicked)
        self.more_button.hide()

        self.results_model, self.results_view = self._results_table([
            Column(self.tr("Started"), lambda c: date_time(c.started_at)),
            Column(self.tr("Visitor"), lambda c: c.visitor_name or pseudonym(c.visitor_id)),
            Column(self.tr("Operator"), lambda c: c.operator_name or "—"),
            Column(self.tr("Messages"), lambda c: str(c.message_count), align_right=True),
            Column(self.tr("State"), lambda c: self._state_text(c.state)),
        ], self.tr("Transcripts found"), QHeaderView.ResizeMode.ResizeToContents)
        self.results_view.horizontalHeader().setStretchLastSection(True)
        self.results_view.selectionModel().selectionChanged.connect(self._on_results_selection_changed)

        self.transcript_model = TranscriptModel("", self)
        self.transcript_view = TranscriptView()
        self.transcript_view.setModel(self.transcript_model)
        self.consent_model = ConsentTimelineModel(self)
        self.details_model = DetailsModel(self)
        side_tabs = QTabWidget()
        side_tabs.addTab(self.transcript_view, self.tr("Messages"))
        for model, title in ((self.consent_model, self.tr("Consents")),
                             (self.details_model, self.tr("Details"))):
            view = QTableView()
            view.setModel(model)
            view.setAccessibleName(title)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            view.horizontalHeader().setStretchLastSection(True)
            side_tabs.addTab(view, title)
        self.reading_label = QLabel(self.tr("Select a chat to read it. Opening a transcript is recorded in "
                                            "the audit log."))
        self.reading_label.setObjectName("hint")
        self.reading_label.setTextFormat(Qt.TextFormat.PlainText)   # it will name the visitor
        self.reading_label.setWordWrap(True)
        reader = QWidget()
        reader_layout = QVBoxLayout(reader)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.addWidget(self.reading_label)
        reader_layout.addWidget(side_tabs, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.results_view, 1)
        left_layout.addWidget(self.more_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(reader)
        splitter.setSizes([520, 580])

        search_row = QHBoxLayout()
        search_row.addWidget(self.text_edit, 1)
        search_row.addWidget(self.since_box)
        search_row.addWidget(self.since_edit)
        search_row.addWidget(self.search_button)
        self._set_body(search_row, splitter)
        self.text_edit.setFocus()

    def _state_text(self, state: str) -> str:
        return {"waiting": self.tr("Waiting"), "active": self.tr("Active"), "closed": self.tr("Closed")}.get(
            state, state)

    @asyncSlot()
    async def _on_search_clicked(self) -> None:
        await self.search()

    @asyncSlot()
    async def _on_more_clicked(self) -> None:
        await self.search(more=True)

    async def search(self, *, more: bool = False) -> None:
        text = self.text_edit.text().strip() or None
        since = None
        if self.since_box.isChecked():
            since = self.since_edit.date().toString("yyyy-MM-dd") + "T00:00:00.000Z"
        self.search_button.setEnabled(False)
        try:
            page = await self._run("transcripts.search", self.desk.search_transcripts(
                text=text, since=since, cursor=self._cursor if more else None))
        finally:
            self.search_button.setEnabled(True)
        if page is FAILED:
            return
        if more:
            self.results_model.append_records(page.chats)
        else:
            self.results_model.set_records(page.chats)
        self._cursor = page.next_cursor
        self.more_button.setVisible(page.next_cursor is not None)
        self.statusBar().showMessage(self.tr("%n chat(s) listed", "", self.results_model.rowCount()))

    @asyncSlot()
    async def _on_results_selection_changed(self, *_args) -> None:
        await self.open_selected()

    async def open_selected(self) -> None:
        rows = self.results_view.selectionModel().selectedRows()
        if not rows:
            return
        summary = self.results_model.record_at(rows[0].row())
        transcript = await self._run("transcripts.get", self.desk.get_transcript(summary.id))
        if transcript is FAILED:
            return
        self.transcript_model.deleteLater()
        self.transcript_model = TranscriptModel(summary.id, self)
        self.transcript_model.add_messages(LocalMessage(
            chat_id=m.chat_id, client_msg_id=m.client_msg_id, author=m.author, author_name=m.author_name,
            text=m.text, at=m.at, state=DeliveryState.DELIVERED, message_id=m.id,
        ) for m in transcript.messages)
        self.transcript_view.setModel(self.transcript_model)
        self.consent_model.set_events(transcript.consents, self.desk.notices)
        self.details_model.set_records(transcript.details)
        self.reading_label.setText(self.tr("Chat with %1, started %2").replace(
            "%1", summary.visitor_name or pseudonym(summary.visitor_id)).replace(
            "%2", date_time(summary.started_at)))
