"""The queue of waiting chats: double-click, Enter or the Accept button takes one.

A double-click takes the chat that was under the pointer when the click began, whatever moved in the
moment between its two presses; and while the pointer is over the queue its rows hold still (the
model's ``hold_rows``), so what the operator aims at stays where it is.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from operator_desk.domain.model import TeamRef
from operator_desk.ui.models.queue_model import QueueColumn, QueueModel, QueueRole
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.left_messages import LeftMessagesBox


class QueuePanel(QWidget):
    accept_requested = Signal(str)  # chat id

    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        # (chat id under the press, the press's time in ms) of the latest press and of the one before:
        # a double-click's second press is the latest, and the chat it means is under the first.
        self._press: tuple[str, int] = ("", 0)
        self._press_before: tuple[str, int] = ("", 0)
        self.view = QTableView(self)
        self.view.setObjectName("queueTable")
        self.view.setAccessibleName(self.tr("Chats waiting for an operator"))
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QueueColumn.VISITOR, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setSectionResizeMode(
            QueueColumn.WAITING, QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setSectionResizeMode(QueueColumn.PAGE, QHeaderView.ResizeMode.Stretch)
        self.view.viewport().installEventFilter(self)
        self.view.installEventFilter(self)

        # An operator in a team chooses between their team's queue and everyone's.
        self.scope_box = QComboBox(self)
        self.scope_box.setObjectName("queueScope")
        self.scope_box.setAccessibleName(self.tr("Which waiting chats the queue shows"))
        self.scope_box.currentIndexChanged.connect(self._on_scope_box_changed)
        self.scope_box.hide()
        self.empty_label = QLabel(self.tr("No one is waiting."), self)
        self.empty_label.setObjectName("emptyQueue")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.accept_button = push_button(self.tr("Accept oldest"),
                                         self.tr("Accept the selected chat, or the oldest waiting one"),
                                         self._on_accept_button_clicked, icon="accept", parent=self)
        self.accept_button.setToolTip(self.tr("Accept the selected chat, or the oldest (Ctrl+Return)"))
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._on_model_rows_changed)
        model.dataChanged.connect(self._update_button)   # a selected row may have stopped waiting
        self.view.selectionModel().selectionChanged.connect(self._update_button)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.scope_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(buttons)
        # Messages left while nobody was available: listed and marked under the queue.
        self.left_messages = LeftMessagesBox(self)
        layout.addWidget(self.left_messages)
        self._on_model_rows_changed()

    def set_team(self, team: TeamRef | None) -> None:
        """The signed-in operator's team (None: in none): its queue is shown first, "All" on request."""
        self.scope_box.blockSignals(True)
        self.scope_box.clear()
        if team is not None:
            team_queue = self.tr("Team %1 (and chats for anyone)").replace("%1", team.name)
            self.scope_box.addItem(team_queue, team.id)
            self.scope_box.addItem(self.tr("All waiting chats"), None)
        self.scope_box.blockSignals(False)
        self.scope_box.setVisible(team is not None)
        self.model.show_team(team.id if team is not None else None)

    def _on_scope_box_changed(self, _index: int) -> None:
        self.model.show_team(self.scope_box.currentData())

    def chosen_chat_id(self) -> str | None:
        """The selected chat if it still waits; the oldest waiting one when nothing is selected; None
        when the selected row no longer waits (never someone the operator did not choose)."""
        rows = self.view.selectionModel().selectedRows()
        if rows:
            chat_id = rows[0].data(QueueRole.CHAT_ID)
            return chat_id if chat_id and self.model.is_waiting(chat_id) else None
        return self.model.oldest_chat_id()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.view.viewport():
            if kind == QEvent.Type.Enter:
                self.model.hold_rows(True)
            elif kind in (QEvent.Type.Leave, QEvent.Type.Hide):
                self.model.hold_rows(False)
            elif kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
                self._press_before = self._press
                index = self.view.indexAt(event.position().toPoint())
                self._press = (index.data(QueueRole.CHAT_ID) or "" if index.isValid() else "",
                               event.timestamp())
            elif kind == QEvent.Type.MouseButtonDblClick and isinstance(event, QMouseEvent):
                if event.button() == Qt.MouseButton.LeftButton:
                    self._accept_if_waiting(self._chat_under_first_press(event))
                self._press = self._press_before = ("", 0)   # those two presses are used up
                return True   # not Qt's own double-click: that takes the row under the second press
        elif (watched is self.view and kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
              and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
              and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)):
            current = self.view.currentIndex()
            self._accept_if_waiting(current.data(QueueRole.CHAT_ID) if current.isValid() else "")
            return True
        return super().eventFilter(watched, event)

    def _chat_under_first_press(self, double_click: QMouseEvent) -> str:
        """The chat under the first press of this double-click: the press before the latest one, when
        the two were a double-click apart; else the latest; else (a double-click that came with no
        press of its own, as synthetic events may) the row under it."""
        (latest, latest_at), (before, before_at) = self._press, self._press_before
        if before and latest_at - before_at <= QApplication.doubleClickInterval():
            return before
        if latest:
            return latest
        index = self.view.indexAt(double_click.position().toPoint())
        return index.data(QueueRole.CHAT_ID) or "" if index.isValid() else ""

    def _accept_if_waiting(self, chat_id: str) -> None:
        if chat_id and self.model.is_waiting(chat_id):
            self.accept_requested.emit(chat_id)

    def _update_button(self, *_args) -> None:
        selected = bool(self.view.selectionModel().selectedRows())
        self.accept_button.setText(self.tr("Accept") if selected else self.tr("Accept oldest"))
        self.accept_button.setEnabled(self.chosen_chat_id() is not None)

    def _on_model_rows_changed(self, *_args) -> None:
        rows = self.model.rowCount() > 0
        self.view.setVisible(rows)
        self.empty_label.setVisible(not rows)
        self._update_button()

    def _on_accept_button_clicked(self) -> None:
        chat_id = self.chosen_chat_id()
        if chat_id:
            self.accept_requested.emit(chat_id)
