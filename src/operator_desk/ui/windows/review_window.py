"""What the review windows (transcripts, people and erasure) share: a window over the desk with a
banner for failures in words, and a read-only table of results with single-row selection.

No ``tr()`` here: each window's strings stay in its own translation context.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMainWindow, QTableView, QWidget

from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.failures import action_text, failure_code, failure_text
from operator_desk.ui.models.record_table_model import Column, RecordTableModel
from operator_desk.ui.widgets.banner import Banner

logger = logging.getLogger(__name__)


class ReviewWindow(QMainWindow):
    def __init__(self, desk: DeskPort, title: str, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle(title)
        self.setWindowIcon(icon)
        self.banner = Banner()

    def _results_table(self, columns: list[Column], accessible_name: str,
                       resize_mode: QHeaderView.ResizeMode) -> tuple[RecordTableModel, QTableView]:
        """The results: one record per row, one row selectable at a time."""
        model = RecordTableModel(columns, self)
        view = QTableView()
        view.setModel(model)
        view.setAccessibleName(accessible_name)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(resize_mode)
        return model, view

    def _report(self, exc: Exception, action: str) -> None:
        """A failed desk call, in words in the banner; its code (never its details) in the log."""
        code = failure_code(exc)
        logger.info("%s failed: %s", action, code.value)
        self.banner.show_message(f"{action_text(action)}: {failure_text(code)}")
