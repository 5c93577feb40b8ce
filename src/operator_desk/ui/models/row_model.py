"""The Qt plumbing every flat model here shares: rows in a list, no children, a header per column.

A model keeps its rows in ``self._rows`` and says what a cell shows in ``data``; row and column counts,
header texts and the bounds check on an index live here once. Flags are Qt's own (enabled, selectable,
never has children): a Python ``flags`` would be one more Python call per painted cell. The base calls
no ``tr()``: the texts belong to each model's own translation context, so subclasses pass them in ready
translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

ModelIndex = QModelIndex | QPersistentModelIndex


class _Rows:
    """rowCount and the row lookups, for a list of rows in ``self._rows``."""

    _rows: list[Any]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def row_at(self, row: int) -> Any:
        """The row's item, or None outside the rows."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _item(self, index: ModelIndex) -> Any:
        """The item an index points at, or None for an invalid or stale index (start of ``data``)."""
        return self.row_at(index.row()) if index.isValid() else None


class RowTableModel(_Rows, QAbstractTableModel):
    """A table: ``self._headers`` holds one translated title per column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = []
        self._headers: Sequence[str] = ()

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._headers)):
            return self._headers[section]
        return None


class RowListModel(_Rows, QAbstractListModel):
    """A list: one column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = []


__all__ = ["ModelIndex", "RowListModel", "RowTableModel"]
