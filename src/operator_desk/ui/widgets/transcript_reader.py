"""One opened transcript, for review: its messages with the searched words marked, the consents in force
during the chat (as they were then), the details collected, the team's reviews (leads and supervisors),
and a PDF or print-out of all of it for a complaint review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from operator_desk.domain.consent import counts_from_of, granted_purposes, recorded_up_to
from operator_desk.domain.model import Notice
from operator_desk.protocol.messages import Review, TranscriptResponse, TranscriptSummary
from operator_desk.services.events import DeliveryState, LocalMessage
from operator_desk.services.review import OpenedTranscript, Source
from operator_desk.ui.models.privacy_models import (
    ConsentTimelineModel,
    DetailsModel,
    field_text,
    purpose_text,
)
from operator_desk.ui.models.record_table_model import Column, RecordTableModel
from operator_desk.ui.models.transcript_model import TranscriptModel
from operator_desk.ui.naming import pseudonym
from operator_desk.ui.timefmt import clock_time, date_time
from operator_desk.ui.transcript_document import DocumentWriter
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.hint import hint_label
from operator_desk.ui.widgets.transcript_view import TranscriptView

STARS = "★"


def stars(rating: int | None) -> str:
    return STARS * rating + "☆" * (5 - rating) if rating else "—"


class TranscriptReader(QWidget):
    """Shows what ``show_transcript`` is given; asks the window to add a review through
    ``review_submitted(rating, note)``."""

    review_submitted = Signal(object, str)   # rating (int | None), note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.opened: OpenedTranscript | None = None
        self.summary: TranscriptSummary | None = None
        self._reviews: tuple[Review, ...] = ()
        self.reading_label = hint_label(self.tr("Select a chat to read it. Opening a transcript is recorded "
                                                "in the audit log of the server and of this desk."))
        self.reading_label.setTextFormat(Qt.TextFormat.PlainText)   # it will name the visitor

        self.transcript_model = TranscriptModel("", self)
        self.transcript_view = TranscriptView()
        self.transcript_view.setModel(self.transcript_model)
        self.consent_model = ConsentTimelineModel(self)
        self.consent_label = QLabel()
        self.consent_label.setTextFormat(Qt.TextFormat.PlainText)
        self.consent_label.setWordWrap(True)
        self.details_model = DetailsModel(self)
        self.reviews_model = RecordTableModel([
            Column(self.tr("When"), lambda r: date_time(r.at)),
            Column(self.tr("By"), lambda r: r.author_name),
            Column(self.tr("Rating"), lambda r: stars(r.rating)),
            Column(self.tr("Note"), lambda r: r.note.replace("\n", " ")),
        ], self)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.transcript_view, self.tr("Messages"))
        consent_page = QWidget()
        consent_layout = QVBoxLayout(consent_page)
        consent_layout.addWidget(self.consent_label)
        consent_layout.addWidget(self._table(self.consent_model, self.tr("Consents")), 1)
        self.tabs.addTab(consent_page, self.tr("Consents"))
        self.tabs.addTab(self._table(self.details_model, self.tr("Details")), self.tr("Details"))
        self.tabs.addTab(self._reviews_page(), self.tr("Reviews"))

        self.pdf_button = QPushButton(self.tr("Save as &PDF…"))
        self.pdf_button.setAccessibleName(self.tr("Save the transcript as PDF"))
        self.print_button = QPushButton(self.tr("P&rint…"))
        self.print_button.setAccessibleName(self.tr("Print the transcript"))
        for button in (self.pdf_button, self.print_button):
            button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.print_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reading_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

    def _table(self, model: Any, title: str) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setAccessibleName(title)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def _reviews_page(self) -> QWidget:
        page = QWidget()
        self.reviews_view = self._table(self.reviews_model, self.tr("Reviews of this transcript"))
        self.rating_box = QComboBox()
        self.rating_box.setAccessibleName(self.tr("Rating"))
        self.rating_box.addItem(self.tr("No rating"), None)
        for rating in range(1, 6):
            self.rating_box.addItem(stars(rating), rating)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("A note for the team: what went well, what to change"))
        self.note_edit.setAccessibleName(self.tr("Review note"))
        self.note_edit.setMaximumHeight(90)
        self.add_review_button = push_button(self.tr("&Add review"), self.tr("Add the review"),
                                             self._on_add_review_button_clicked)
        self.add_review_button.setEnabled(False)
        hint = hint_label(self.tr("Reviews are kept on the server, seen by team leads and supervisors only, "
                                  "and recorded in the audit log."))
        row = QHBoxLayout()
        row.addWidget(self.rating_box)
        row.addStretch(1)
        row.addWidget(self.add_review_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.reviews_view, 1)
        layout.addWidget(hint)
        layout.addWidget(self.note_edit)
        layout.addLayout(row)
        return page

    def set_reviews_allowed(self, allowed: bool) -> None:
        self.tabs.setTabVisible(3, allowed)

    def _on_add_review_button_clicked(self) -> None:
        self.review_submitted.emit(self.rating_box.currentData(), self.note_edit.toPlainText().strip())

    def review_added(self) -> None:
        self.note_edit.clear()
        self.rating_box.setCurrentIndex(0)

    # -- showing a transcript ---------------------------------------------------------------------

    def show_transcript(self, opened: OpenedTranscript, summary: TranscriptSummary, words: Sequence[str],
                        notices: Sequence[Notice]) -> None:
        self.opened, self.summary = opened, summary
        transcript = opened.transcript
        self.transcript_model.deleteLater()
        self.transcript_model = TranscriptModel(transcript.chat.id, self)
        self.transcript_model.add_messages(LocalMessage(
            chat_id=m.chat_id, client_msg_id=m.client_msg_id, author=m.author, author_name=m.author_name,
            text=m.text, at=m.at, state=DeliveryState.DELIVERED, message_id=m.id,
        ) for m in transcript.messages)
        self.transcript_view.set_highlight_words(list(words))
        self.transcript_view.setModel(self.transcript_model)
        in_force = recorded_up_to(transcript.consents, transcript.consent_seq_at_close)
        self.consent_model.set_events(in_force, notices)
        self.consent_label.setText(self._consent_summary(transcript, notices))
        self.details_model.set_records(transcript.details)
        source = (self.tr("from the server") if opened.source is Source.SERVER
                  else self.tr("from this desk's cache"))
        self.reading_label.setText(self.tr("Chat with %1, started %2 (%3). This opening is recorded in the "
                                           "audit log.").replace("%1", self.visitor_text()).replace(
            "%2", date_time(summary.started_at)).replace("%3", source))
        self.pdf_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.add_review_button.setEnabled(True)
        self.set_reviews(())

    def visitor_text(self) -> str:
        summary = self.summary
        return (summary.visitor_name or pseudonym(summary.visitor_id)) if summary else ""

    def _purposes_text(self, consents, seq: int | None, notices: Sequence[Notice]) -> str:
        granted = granted_purposes(recorded_up_to(consents, seq), counts_from_of(notices))
        return ", ".join(purpose_text(p) for p in sorted(granted)) or self.tr("none")

    def _consent_summary(self, transcript: TranscriptResponse, notices: Sequence[Notice]) -> str:
        if transcript.consent_seq_at_start is None:
            return self.tr("Consents as recorded for this visitor (this chat does not say when it began in "
                           "their order).")
        start = self._purposes_text(transcript.consents, transcript.consent_seq_at_start, notices)
        if transcript.consent_seq_at_close is None:
            return self.tr("In force when the chat began: %1. The chat is still open.").replace("%1", start)
        end = self._purposes_text(transcript.consents, transcript.consent_seq_at_close, notices)
        return self.tr("In force when the chat began: %1. When it closed: %2. Listed: the events recorded "
                       "up to its close.").replace("%1", start).replace("%2", end)

    def set_reviews(self, reviews: Sequence[Review]) -> None:
        self._reviews = tuple(reviews)
        self.reviews_model.set_records(self._reviews)

    # -- the document -----------------------------------------------------------------------------

    def document(self, operator_name: str = "") -> DocumentWriter:
        """The opened transcript as a document (for PDF and print)."""
        assert self.opened is not None and self.summary is not None
        transcript, summary = self.opened.transcript, self.summary
        writer = DocumentWriter(self.tr("Transcript of a chat with %1").replace("%1", self.visitor_text()))
        writer.rows([
            (self.tr("Chat"), transcript.chat.id),
            (self.tr("Started"), date_time(transcript.chat.started_at)),
            (self.tr("Closed"), date_time(transcript.chat.closed_at) or "—"),
            (self.tr("Operator"), summary.operator_name or operator_name or "—"),
            (self.tr("Messages"), str(len(transcript.messages))),
        ])
        writer.heading(self.tr("Messages"))
        for message in transcript.messages:
            writer.row(f"{clock_time(message.at)} {message.author_name or message.author}", message.text)
        writer.heading(self.tr("Consents in force during the chat"))
        writer.text(self.consent_label.text())
        for event in recorded_up_to(transcript.consents, transcript.consent_seq_at_close):
            decision = self.tr("granted") if event.granted else self.tr("withdrawn")
            writer.row(purpose_text(event.purpose), self.tr("%1 %2, notice %3 v%4").replace(
                "%1", decision).replace("%2", date_time(event.at)).replace("%3", event.notice_id).replace(
                "%4", str(event.notice_version)))
        writer.heading(self.tr("Details collected"))
        if not transcript.details:
            writer.text(self.tr("None were asked for."))
        for record in transcript.details:
            for name in record.fields:
                value = (record.values or {}).get(name) if record.status == "received" else None
                writer.row(field_text(name), value if value is not None else self.details_model.status_text(
                    record.status))
        if self._reviews:
            writer.heading(self.tr("Reviews"))
            for review in self._reviews:
                writer.row(f"{date_time(review.at)} {review.author_name} {stars(review.rating)}", review.note)
        return writer


def pdf_name(chat_id: str) -> str:
    return f"transcript-{chat_id}.pdf"


__all__ = ["TranscriptReader", "pdf_name", "stars"]
