"""Connected systems (supervisors): the events the site's own systems (webhook receivers: a CRM) have
not confirmed. A dead letter (refused by the receiver, out of attempts, or refused for space because the
receiver's outbox was full) holds back the same person's later events until it is retried or dropped;
both ask for confirmation first and are audited on the server. A row names the receiver, the event, the
receiver's own pseudonym of the person (never a name: the window shows no one's data), the attempts and
the last error; never the event's content."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.protocol.messages import WebhookDeliveriesRequest, WebhookDelivery, WebhookQueue
from operator_desk.ui import icons
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.dialogs.async_dialog import run_dialog
from operator_desk.ui.models.record_table_model import Column
from operator_desk.ui.timefmt import date_time
from operator_desk.ui.use_case import FAILED
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.hint import hint_label
from operator_desk.ui.windows.review_window import ReviewWindow

PAGE = 100
# What the server writes as a last error besides a status ("HTTP 503") or an error class.
OUTBOX_FULL, NOTHING_LEFT, PAST_RETENTION = "outbox full", "nothing left to send", "past its retention period"


def size_text(size: int) -> str:
    """Bytes as a person reads them, in the desk's language: "820 B", "14 KB", "3.2 MB" ("3,2 MB" in
    German), "512 MB" (powers of 1,024)."""
    locale = QLocale()
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{locale.toString(value, 'f', 1 if value < 10 else 0)} {unit}"
    return f"{size} B"


class DeliveriesWindow(ReviewWindow):
    def __init__(self, desk: DeskPort, parent: QWidget | None = None) -> None:
        super().__init__(desk, self.tr("Connected systems — Operator Desk"), icons.icon("export"), parent)
        self.resize(1180, 560)
        self._after: int | None = None
        # The confirmation being asked (a retry or a drop), while it is open.
        self.confirmation: QMessageBox | None = None

        self.states_box = QComboBox()
        self.states_box.setAccessibleName(self.tr("Which events"))
        self.states_box.addItem(self.tr("Dead letters"), ("dead",))
        self.states_box.addItem(self.tr("Not confirmed yet (dead letters and waiting)"), ("dead", "pending"))
        self.states_box.currentIndexChanged.connect(self._on_states_box_changed)
        self.refresh_button = push_button(self.tr("Refresh (F5)"), self.tr("List the events again"),
                                          self._on_refresh_clicked, icon="search")
        self.refresh_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.retry_button = push_button(self.tr("Re&try…"), self.tr("Send the chosen dead letter again"),
                                        self._on_retry_clicked)
        self.drop_button = push_button(self.tr("&Drop…"), self.tr("Give up the chosen dead letter"),
                                       self._on_drop_clicked)
        self.more_button = push_button(self.tr("Load more"), self.tr("Load more events"),
                                       self._on_more_clicked)
        self.more_button.hide()
        hint = hint_label(self.tr("A dead letter holds back that person's later events for its system until "
                                  "it is retried or dropped. Both are recorded in the audit log with your "
                                  "name."))

        self.deliveries_model, self.deliveries_view = self._results_table([
            Column(self.tr("System"), lambda d: d.receiver),
            Column(self.tr("Event"), self._event_text),
            Column(self.tr("Person (pseudonym)"), lambda d: d.person or "—"),
            Column(self.tr("State"), self._state_text),
            Column(self.tr("Attempts"), lambda d: str(d.attempts), align_right=True),
            Column(self.tr("Last error"), self._error_text),
            Column(self.tr("Queued"), lambda d: date_time(d.created_at)),
        ], self.tr("Events not confirmed by the connected systems"), QHeaderView.ResizeMode.Interactive)
        header = self.deliveries_view.horizontalHeader()
        for column, width in enumerate((100, 165, 265, 105, 75, 260)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.deliveries_view.selectionModel().selectionChanged.connect(self._update_buttons)

        # Each system's outbox against its bound; a full one in words (its new events are dead letters).
        self.queues_label = QLabel()
        self.queues_label.setTextFormat(Qt.TextFormat.PlainText)
        self.queues_label.setWordWrap(True)
        self.queues_label.setAccessibleName(self.tr("The connected systems' outboxes"))
        controls = QHBoxLayout()
        controls.addWidget(self.states_box)
        controls.addStretch(1)
        controls.addWidget(self.refresh_button)
        top = QVBoxLayout()
        top.addLayout(controls)
        top.addWidget(self.queues_label)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        for button in (self.more_button, self.retry_button, self.drop_button):
            bottom.addWidget(button)
        self._set_body(top, self.deliveries_view, bottom)
        self._update_buttons()

    # -- what a row shows -------------------------------------------------------------------------

    def _event_text(self, delivery: WebhookDelivery) -> str:
        return {
            "chat.ended": self.tr("Chat ended"),
            "details.received": self.tr("Details received"),
            "consent.granted": self.tr("Consent given"),
            "consent.withdrawn": self.tr("Consent withdrawn"),
            "subject.erased": self.tr("Person erased"),
        }.get(delivery.type, delivery.type)

    def _state_text(self, delivery: WebhookDelivery) -> str:
        return {
            "dead": self.tr("Dead letter"),
            "pending": self.tr("Waiting"),
            "delivered": self.tr("Confirmed"),
            "dropped": self.tr("Dropped"),
        }[delivery.state]

    def _error_text(self, delivery: WebhookDelivery) -> str:
        error = delivery.last_error or ""
        return {
            OUTBOX_FULL: self.tr("Outbox full; built again on a retry"),
            NOTHING_LEFT: self.tr("Nothing left to send"),
            PAST_RETENTION: self.tr("Past its retention period"),
        }.get(error, error or "—")

    def _queue_text(self, queue: WebhookQueue) -> str:
        # %Ln: the count with the desk's digit grouping ("200,000", "200.000").
        held = self.tr("%Ln event(s) not confirmed", "", queue.events)
        size = self.tr("%1 of at most %2").replace("%1", size_text(queue.bytes)).replace(
            "%2", size_text(queue.max_bytes))
        if queue.full_since is None:
            return f"{queue.receiver}: {held} ({size})"
        return self.tr("%1: outbox full since %2 (%3, %4): its new events are dead letters until there is "
                       "room.").replace("%1", queue.receiver).replace("%2", date_time(queue.full_since)) \
            .replace("%3", held).replace("%4", size)

    # -- listing ----------------------------------------------------------------------------------

    async def open_listing(self) -> None:
        await self.show_deliveries()

    async def show_deliveries(self) -> int | None:
        """The first page of the chosen events; returns how many are listed (None: it failed)."""
        return await self._load(more=False)

    async def _load(self, *, more: bool) -> int | None:
        request = WebhookDeliveriesRequest(states=self.states_box.currentData(),
                                           after=(self._after or 0) if more else 0, limit=PAGE)
        answer = await self._run("webhooks.deliveries", self.desk.review.webhook_deliveries(request))
        if answer is FAILED:
            return None
        self.banner.hide()
        if more:
            self.deliveries_model.append_records(answer.deliveries)
        else:
            self.deliveries_model.set_records(answer.deliveries)
        self._after = answer.next_after
        room = [self._queue_text(q) for q in answer.queues if q.full_since is None]
        full = [self._queue_text(q) for q in answer.queues if q.full_since is not None]
        self.queues_label.setText("\n".join(room))
        self.queues_label.setVisible(bool(room))
        if full:
            self.banner.show_message("\n".join(full), kind="warning")
        self.more_button.setVisible(answer.next_after is not None)
        count = self.deliveries_model.rowCount()
        self.statusBar().showMessage(self.tr("%n event(s) listed", "", count))
        self._update_buttons()
        return count

    def _selected(self) -> WebhookDelivery | None:
        rows = self.deliveries_view.selectionModel().selectedRows()
        return self.deliveries_model.record_at(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        self.deliveries_view.selectRow(row)
        self.deliveries_view.setFocus()

    def _update_buttons(self, *_args: object) -> None:
        chosen = self._selected()
        dead = chosen is not None and chosen.state == "dead"
        self.retry_button.setEnabled(dead)
        self.drop_button.setEnabled(dead)

    # -- retry and drop ---------------------------------------------------------------------------

    async def retry_selected(self) -> bool:
        """The chosen dead letter sent again, once confirmed; True if the server queued it."""
        chosen = self._selected()
        if chosen is None or not await self._confirm(
                self.tr("Send this event to %1 again?").replace("%1", chosen.receiver),
                self.tr("It is tried again from the start; the same person's later events follow it."),
                self.tr("&Retry")):
            return False
        if await self._run("webhooks.retry", self.desk.review.retry_delivery(chosen.id)) is FAILED:
            return False
        await self._load(more=False)
        self.banner.show_message(self.tr("Queued again for %1.").replace("%1", chosen.receiver), kind="info")
        return True

    async def drop_selected(self) -> bool:
        """The chosen dead letter given up, once confirmed; True if the server dropped it."""
        chosen = self._selected()
        if chosen is None or not await self._confirm(
                self.tr("Give up this event for %1?").replace("%1", chosen.receiver),
                self.tr("%1 will never get it: its content is deleted, and the record that it was not "
                        "delivered stays.").replace("%1", chosen.receiver),
                self.tr("&Drop")):
            return False
        if await self._run("webhooks.drop", self.desk.review.drop_delivery(chosen.id)) is FAILED:
            return False
        await self._load(more=False)
        self.banner.show_message(self.tr("Dropped: %1 will not get it.").replace("%1", chosen.receiver),
                                 kind="info")
        return True

    async def _confirm(self, question: str, consequence: str, verb: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(), question, parent=self)
        box.setInformativeText(consequence)
        confirm = box.addButton(verb, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(confirm)
        box.setTextFormat(Qt.TextFormat.PlainText)
        self.confirmation = box
        try:
            await run_dialog(box)
            return box.clickedButton() is confirm
        finally:
            self.confirmation = None
            box.deleteLater()
            # Back to the list, so that the keyboard goes on from where it was.
            self.activateWindow()
            self.deliveries_view.setFocus()

    # -- slots ------------------------------------------------------------------------------------

    @asyncSlot()
    async def _on_refresh_clicked(self) -> None:
        await self.show_deliveries()

    @asyncSlot()
    async def _on_states_box_changed(self, _index: int) -> None:
        await self.show_deliveries()

    @asyncSlot()
    async def _on_more_clicked(self) -> None:
        await self._load(more=True)

    @asyncSlot()
    async def _on_retry_clicked(self) -> None:
        await self.retry_selected()

    @asyncSlot()
    async def _on_drop_clicked(self) -> None:
        await self.drop_selected()
