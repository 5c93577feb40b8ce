"""The queue of waiting chats: double-click, Enter or the Accept button takes one."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from operator_desk.ui import icons
from operator_desk.ui.models.queue_model import QueueColumn, QueueModel, QueueRole


class QueuePanel(QWidget):
    accept_requested = Signal(str)  # chat id

    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
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
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self.view.activated.connect(self._on_view_double_clicked)

        self.empty_label = QLabel(self.tr("No one is waiting."), self)
        self.empty_label.setObjectName("emptyQueue")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.accept_button = QPushButton(icons.icon("accept"), self.tr("Accept oldest"), self)
        self.accept_button.setAccessibleName(self.tr("Accept the selected chat, or the oldest waiting one"))
        self.accept_button.setToolTip(self.tr("Accept the selected chat, or the oldest (Ctrl+Return)"))
        self.accept_button.clicked.connect(self._on_accept_button_clicked)
        model.queue_length_changed.connect(self._on_model_queue_length_changed)
        self.view.selectionModel().selectionChanged.connect(self._update_button)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(buttons)
        self._on_model_queue_length_changed(model.rowCount())

    def chosen_chat_id(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            return rows[0].data(QueueRole.CHAT_ID)
        return self.model.oldest_chat_id()

    def _update_button(self, *_args) -> None:
        selected = bool(self.view.selectionModel().selectedRows())
        self.accept_button.setText(self.tr("Accept") if selected else self.tr("Accept oldest"))
        self.accept_button.setEnabled(self.model.rowCount() > 0)

    def _on_model_queue_length_changed(self, length: int) -> None:
        self.view.setVisible(length > 0)
        self.empty_label.setVisible(length == 0)
        self._update_button()

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        chat_id = index.data(QueueRole.CHAT_ID)
        if chat_id:
            self.accept_requested.emit(chat_id)

    def _on_accept_button_clicked(self) -> None:
        chat_id = self.chosen_chat_id()
        if chat_id:
            self.accept_requested.emit(chat_id)
