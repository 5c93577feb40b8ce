"""What the review windows (transcripts, people and erasure) share: a window over the desk with a
banner for failures in words, a read-only table of results with single-row selection, and a Window
menu whose Close action answers Escape and Ctrl+W.

The frame's own strings (the Window menu) are translated with ``QCoreApplication.translate`` in the
``ReviewWindow`` context, where lupdate files them; each window's own strings stay in its context.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Literal, TypeVar

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHeaderView,
    QLayout,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from operator_desk.services.errors import FailureCode
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.failures import action_text, failure_text
from operator_desk.ui.models.record_table_model import Column, RecordTableModel
from operator_desk.ui.use_case import Failed, run_use_case
from operator_desk.ui.widgets.banner import Banner

T = TypeVar("T")


def results_table(columns: list[Column], accessible_name: str, resize_mode: QHeaderView.ResizeMode,
                  parent: QWidget) -> tuple[RecordTableModel, QTableView]:
    """The results: one record per row, one row selectable at a time (the model is ``parent``'s)."""
    model = RecordTableModel(columns, parent)
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(accessible_name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(resize_mode)
    return model, view


class ReviewWindow(QMainWindow):
    def __init__(self, desk: DeskPort, title: str, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle(title)
        self.setWindowIcon(icon)
        self.banner = Banner()
        self.close_action = self._add_close_action()

    def _add_close_action(self) -> QAction:
        """The Window menu, first in the menu bar, with Close on Ctrl+W and Escape: every window closes
        from the keyboard."""
        action = QAction(QCoreApplication.translate("ReviewWindow", "&Close"), self)
        action.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence(Qt.Key.Key_Escape)])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(self.close)
        self.addAction(action)
        self.menuBar().addMenu(QCoreApplication.translate("ReviewWindow", "&Window")).addAction(action)
        return action

    def _results_table(self, columns: list[Column], accessible_name: str,
                       resize_mode: QHeaderView.ResizeMode) -> tuple[RecordTableModel, QTableView]:
        return results_table(columns, accessible_name, resize_mode, self)

    @staticmethod
    def _date_filter(date: QDate, accessible_name: str, toggle: QCheckBox) -> QDateEdit:
        """A date a filter uses while ``toggle`` is checked (off at first)."""
        edit = QDateEdit(date)
        edit.setCalendarPopup(True)
        edit.setAccessibleName(accessible_name)
        edit.setEnabled(False)
        toggle.toggled.connect(edit.setEnabled)
        return edit

    def _set_body(self, top: QLayout, main: QWidget, bottom: QLayout | None = None) -> None:
        """The window's centre: the banner, a row of search controls, the results, maybe a row below."""
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(main, 1)
        if bottom is not None:
            layout.addLayout(bottom)
        self.setCentralWidget(central)

    async def _run(self, action: str, call: Awaitable[T]) -> T | Literal[Failed.FAILED]:
        """A desk call; a failure is shown in words in the banner, its code (never its details) logged."""
        return await run_use_case(action, call, self.show_failure)

    def show_failure(self, action: str, code: FailureCode) -> None:
        self.banner.show_message(f"{action_text(action)}: {failure_text(code, action)}")
