"""Transcript review: search the server's transcripts and this desk's cache together (the cache alone
while the server is unreachable), read one with the consents in force then and the details collected,
review it, save it as PDF or print it. Team leads and supervisors see every chat, operators their own.

Every opening is recorded in the server's audit log and in this desk's (``services.review``)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimeZone
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.domain.highlight import search_words
from operator_desk.domain.model import ChatState, Role
from operator_desk.services.review import ReviewPage, ReviewQuery, ReviewRow, Source, TranscriptSearch
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.models.record_table_model import Column
from operator_desk.ui.naming import pseudonym
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.transcript_document import save_pdf
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.highlighted_text import SnippetDelegate
from operator_desk.ui.widgets.hint import hint_label
from operator_desk.ui.widgets.transcript_reader import TranscriptReader, pdf_name
from operator_desk.ui.windows.review_window import ReviewWindow

logger = logging.getLogger(__name__)

SNIPPET_COLUMN = 7


def day_start(date: QDate) -> str:
    """The start of ``date`` on this desk's clock, as a protocol timestamp (UTC)."""
    moment = QDateTime(date, QTime(0, 0), QTimeZone.systemTimeZone()).toUTC()
    return moment.toString("yyyy-MM-ddTHH:mm:ss.zzz") + "Z"


class TranscriptsWindow(ReviewWindow):
    def __init__(self, desk: DeskPort, parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("Transcripts — Operator Desk"), icons.icon("search"), parent)
        self._search: TranscriptSearch | None = None
        self._words: list[str] = []
        self.resize(1280, 760)
        role = desk.operator.role if desk.operator is not None else Role.OPERATOR
        self._lead = role in (Role.TEAM_LEAD, Role.SUPERVISOR)

        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(self.tr("Words in the messages (leave empty for all)"))
        self.text_edit.setAccessibleName(self.tr("Search text"))
        self.text_edit.returnPressed.connect(self._on_search_clicked)
        self.visitor_edit = QLineEdit()
        self.visitor_edit.setPlaceholderText(self.tr("Visitor: name, e-mail or id"))
        self.visitor_edit.setAccessibleName(self.tr("Visitor"))
        self.visitor_edit.returnPressed.connect(self._on_search_clicked)
        self.operator_box = QComboBox()
        self.operator_box.setAccessibleName(self.tr("Operator"))
        self.operator_box.addItem(self.tr("Any operator"), None)
        self.operator_box.setVisible(self._lead)
        self.since_box = QCheckBox(self.tr("From"))
        self.since_box.setAccessibleName(self.tr("Limit to chats from a date"))
        self.since_edit = self._date_filter(QDate.currentDate().addDays(-30), self.tr("From date"),
                                            self.since_box)
        self.until_box = QCheckBox(self.tr("To"))
        self.until_box.setAccessibleName(self.tr("Limit to chats up to a date"))
        self.until_edit = self._date_filter(QDate.currentDate(), self.tr("To date"), self.until_box)
        self.state_box = self._choice(self.tr("State"), [
            (self.tr("Any state"), None), (self.tr("Closed"), ChatState.CLOSED),
            (self.tr("Active"), ChatState.ACTIVE), (self.tr("Waiting"), ChatState.WAITING)])
        self.details_box = self._choice(self.tr("Details collected"), [
            (self.tr("With or without details"), None), (self.tr("Details collected"), True),
            (self.tr("No details collected"), False)])
        self.order_box = self._choice(self.tr("Order"), [
            (self.tr("Newest first"), "newest"), (self.tr("Oldest first"), "oldest"),
            (self.tr("Most messages first"), "most_messages"),
            (self.tr("Fewest messages first"), "fewest_messages")])
        self.search_button = push_button(self.tr("Search"), self.tr("Search transcripts"),
                                         self._on_search_clicked, icon="search")
        self.more_button = push_button(self.tr("Load more"), self.tr("Load more results"),
                                       self._on_more_clicked)
        self.more_button.hide()
        self.source_label = hint_label(wrap=False)

        self.results_model, self.results_view = self._results_table([
            Column(self.tr("Started"), lambda r: date_time(r.summary.started_at)),
            Column(self.tr("Visitor"), lambda r: r.summary.visitor_name or pseudonym(r.summary.visitor_id)),
            Column(self.tr("Operator"), lambda r: r.summary.operator_name or "—"),
            Column(self.tr("Messages"), lambda r: str(r.summary.message_count), align_right=True),
            Column(self.tr("State"), lambda r: self._state_text(r.summary.state)),
            Column(self.tr("Details"), lambda r: self.tr("collected") if r.summary.details_collected else ""),
            Column(self.tr("Source"), lambda r: self._source_text(r.source),
                   tooltip=lambda r: self._source_tooltip(r.source)),
            Column(self.tr("Match"), lambda r: r.summary.snippet or ""),
        ], self.tr("Transcripts found"), QHeaderView.ResizeMode.Interactive)
        self.results_view.setItemDelegateForColumn(SNIPPET_COLUMN, SnippetDelegate(lambda r: r.summary,
                                                                                  self.results_view))
        header = self.results_view.horizontalHeader()
        metrics = header.fontMetrics()
        for column, width in enumerate((122, 100, 85, 40, 60, 50, 50)):
            # At least as wide as the header in the window's language (bold, padded by the style sheet).
            title = self.results_model.headerData(column, Qt.Orientation.Horizontal)
            header.resizeSection(column, max(width, int(metrics.horizontalAdvance(title) * 1.15) + 16))
        header.setStretchLastSection(True)
        self.results_view.selectionModel().selectionChanged.connect(self._on_results_selection_changed)

        self.reader = TranscriptReader()
        self.reader.set_reviews_allowed(self._lead)
        self.reader.review_submitted.connect(self._on_reader_review_submitted)
        self.reader.pdf_button.clicked.connect(self._on_pdf_clicked)
        self.reader.print_button.clicked.connect(self._on_print_clicked)
        print_action = QAction(self.tr("&Print…"), self)
        print_action.setShortcut(QKeySequence.StandardKey.Print)
        print_action.triggered.connect(self._on_print_clicked)
        self.addAction(print_action)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.results_view, 1)
        left_layout.addWidget(self.source_label)
        left_layout.addWidget(self.more_button)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.reader)
        splitter.setSizes([780, 500])

        filters = QGridLayout()
        filters.addWidget(self.text_edit, 0, 0, 1, 3)
        filters.addWidget(self.visitor_edit, 0, 3, 1, 2)
        filters.addWidget(self.operator_box, 0, 5)
        filters.addWidget(self.search_button, 0, 6)
        filters.addWidget(self.since_box, 1, 0)
        filters.addWidget(self.since_edit, 1, 1)
        filters.addWidget(self.until_box, 1, 2)
        filters.addWidget(self.until_edit, 1, 3)
        filters.addWidget(self.state_box, 1, 4)
        filters.addWidget(self.details_box, 1, 5)
        filters.addWidget(self.order_box, 1, 6)
        self._set_body(filters, splitter)
        self.text_edit.setFocus()

    @staticmethod
    def _choice(name: str, items: list[tuple[str, object]]) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        for text, value in items:
            box.addItem(text, value)
        return box

    def _state_text(self, state: str) -> str:
        return {"waiting": self.tr("Waiting"), "active": self.tr("Active"), "closed": self.tr("Closed")}.get(
            state, state)

    def _source_text(self, source: Source) -> str:
        return {Source.SERVER: self.tr("Server"), Source.CACHE: self.tr("This desk"),
                Source.BOTH: self.tr("Both")}[source]

    def _source_tooltip(self, source: Source) -> str:
        return {Source.SERVER: self.tr("Found on the server"),
                Source.CACHE: self.tr("Found in this desk's cache only"),
                Source.BOTH: self.tr("Found on the server and in this desk's cache")}[source]

    # -- searching --------------------------------------------------------------------------------

    async def open_listing(self) -> None:
        """What the window does when it opens: the operators for the filter, then the latest chats."""
        if self._lead:
            status = await self._run("team.status", self.desk.review.team_status())
            if status is not FAILED:
                for member in status.operators:
                    self.operator_box.addItem(member.name, member.id)
        await self.search()

    def query(self) -> ReviewQuery:
        return ReviewQuery(
            text=self.text_edit.text().strip(),
            visitor=self.visitor_edit.text().strip() or None,
            operator_id=self.operator_box.currentData() if self._lead else None,
            since=day_start(self.since_edit.date()) if self.since_box.isChecked() else None,
            until=day_start(self.until_edit.date().addDays(1)) if self.until_box.isChecked() else None,
            # A combo box hands back an enum's value as a plain str.
            state=ChatState(self.state_box.currentData()) if self.state_box.currentData() else None,
            details=self.details_box.currentData(),
            order=self.order_box.currentData(),
        )

    @asyncSlot()
    async def _on_search_clicked(self) -> None:
        await self.search()

    @asyncSlot()
    async def _on_more_clicked(self) -> None:
        await self.search(more=True)

    async def search(self, *, more: bool = False) -> None:
        if not more or self._search is None:
            query = self.query()
            self._search = self.desk.review.search(query)
            self._words = search_words(query.text)
            self.results_model.set_records(())
        self.search_button.setEnabled(False)
        self.more_button.setEnabled(False)
        try:
            page = await self._run("transcripts.search", self._search.next_page())
        finally:
            self.search_button.setEnabled(True)
            self.more_button.setEnabled(True)
        if page is FAILED:
            return
        self._show_page(page)

    def _show_page(self, page: ReviewPage) -> None:
        if page.now_both:
            both = set(page.now_both)
            for row in range(self.results_model.rowCount()):
                record: ReviewRow = self.results_model.record_at(row)
                if record.summary.id in both:
                    self.results_model.replace_record(row, ReviewRow(record.summary, Source.BOTH))
        self.results_model.append_records(page.rows)
        assert self._search is not None
        self.more_button.setVisible(self._search.more)
        if page.offline:
            self.source_label.setText(self.tr("The server cannot be reached: these are the transcripts this "
                                              "desk's cache holds."))
        else:
            self.source_label.setText(self.tr("From the server and this desk's cache, each chat once."))
        self.statusBar().showMessage(self.tr("%n chat(s) listed", "", self.results_model.rowCount()))

    # -- reading ----------------------------------------------------------------------------------

    @asyncSlot()
    async def _on_results_selection_changed(self, *_args) -> None:
        await self.open_selected()

    async def open_selected(self) -> None:
        rows = self.results_view.selectionModel().selectedRows()
        if not rows:
            return
        record: ReviewRow = self.results_model.record_at(rows[0].row())
        source = Source.CACHE if record.source is Source.CACHE else Source.SERVER
        opened = await self._run("transcripts.get", self.desk.review.open(record.summary.id, source))
        if opened is FAILED:
            return
        self.reader.show_transcript(opened, record.summary, self._words, self.desk.notices)
        if self._lead and opened.source is Source.SERVER:
            reviews = await self._run("reviews.list", self.desk.review.reviews(record.summary.id))
            if reviews is not FAILED:
                self.reader.set_reviews(reviews)

    @asyncSlot()
    async def _on_reader_review_submitted(self, rating, note: str) -> None:
        await self.add_review(rating, note)

    async def add_review(self, rating: int | None, note: str) -> None:
        if self.reader.opened is None:
            return
        chat_id = self.reader.opened.transcript.chat.id
        added = await self._run("reviews.add", self.desk.review.add_review(chat_id, rating, note))
        if added is FAILED:
            return
        self.reader.review_added()
        reviews = await self._run("reviews.list", self.desk.review.reviews(chat_id))
        if reviews is not FAILED:
            self.reader.set_reviews(reviews)

    # -- PDF and print ----------------------------------------------------------------------------

    def _own_name(self) -> str:
        return self.desk.operator.name if self.desk.operator is not None else ""

    def save_pdf(self, path: Path) -> None:
        save_pdf(self.reader.document(self._own_name()).document, path)
        self.statusBar().showMessage(self.tr("Saved %1").replace("%1", str(path)))

    def _on_pdf_clicked(self) -> None:
        if self.reader.opened is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save transcript as PDF"),
                                              pdf_name(self.reader.opened.transcript.chat.id),
                                              self.tr("PDF documents (*.pdf)"))
        if name:
            self.save_pdf(Path(name))

    def _on_print_clicked(self) -> None:
        if self.reader.opened is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # when first needed

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.reader.document(self._own_name()).document.print_(printer)
