"""A read-only table of records (search results, people found) described by a list of columns.

The review windows list a page of results at a time; a small generic model with one getter per column
keeps each window's code about what it shows, not about Qt's model plumbing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QIcon

from operator_desk.ui.models.row_model import ModelIndex, RowTableModel


class RecordRole(enum.IntEnum):
    RECORD = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    text: Callable[[Any], str]
    align_right: bool = False
    # Optional per record: a colour for the text, an icon before it, a tooltip (a deadline passed, say).
    foreground: Callable[[Any], QColor | None] | None = None
    icon: Callable[[Any], QIcon | None] | None = None
    tooltip: Callable[[Any], str] | None = None


class RecordTableModel(RowTableModel):
    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._headers = [column.title for column in self._columns]

    def set_records(self, records: Iterable[Any]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def append_records(self, records: Iterable[Any]) -> None:
        new = list(records)
        if not new:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows.extend(new)
        self.endInsertRows()

    def remove_where(self, predicate: Callable[[Any], bool]) -> None:
        for row in range(len(self._rows) - 1, -1, -1):
            if predicate(self._rows[row]):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()

    def record_at(self, row: int) -> Any:
        return self.row_at(row)

    def records(self) -> list[Any]:
        return list(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self._item(index)
        if record is None or not 0 <= index.column() < len(self._columns):
            return None
        column = self._columns[index.column()]
        if role == RecordRole.RECORD:
            return record
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.foreground is not None:
            return column.foreground(record)
        if role == Qt.ItemDataRole.DecorationRole and column.icon is not None:
            return column.icon(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record) or None
        return None

    def replace_record(self, predicate: Callable[[Any], bool], record: Any) -> bool:
        """Put ``record`` in place of the first row ``predicate`` matches; False if none does."""
        for row, old in enumerate(self._rows):
            if predicate(old):
                self._rows[row] = record
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))
                return True
        return False
