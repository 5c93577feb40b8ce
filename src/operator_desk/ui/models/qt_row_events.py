"""A Qt-free row store's events (``RowEvents``: rows inserted, removed, changed, reordered, reset) as a
table model's begin/end calls and signals. The visitor list's model reads its rows from ``SortedRows``
and leaves telling the view about them to this."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex

from operator_desk.ui.models.row_events import RowEvents

# Past this many rows changed in one batch, one ranged dataChanged instead of one per row.
MAX_ROW_SIGNALS = 256
# Rows change order, columns do not: the horizontal header can skip its own bookkeeping.
_SORT_HINT = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
_LAYOUT_SIGNATURE = ("QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint")


class RowsById(Protocol):
    """What a re-sort needs of the row store: which id a row shows, and where an id's row went."""

    def __len__(self) -> int: ...

    def id_at(self, row: int) -> str: ...

    def row_of(self, item_id: str) -> int | None: ...


class QtRowEvents(RowEvents):
    """The row store's events as ``model``'s begin/end calls (its ``columns`` columns; ``rows()`` is the
    store, made after this). A re-sort keeps each persistent index (a selection, the current row) on its
    item."""

    def __init__(self, model: QAbstractItemModel, columns: int, rows: Callable[[], RowsById]) -> None:
        self._model = model
        self._columns = columns
        self._rows = rows
        self._held: list[tuple[QPersistentModelIndex, str]] = []

    def inserting(self, first: int, last: int) -> None:
        self._model.beginInsertRows(QModelIndex(), first, last)

    def inserted(self) -> None:
        self._model.endInsertRows()

    def removing(self, first: int, last: int) -> None:
        self._model.beginRemoveRows(QModelIndex(), first, last)

    def removed(self) -> None:
        self._model.endRemoveRows()

    def changed(self, rows: Sequence[int]) -> None:
        # One dataChanged per run of adjacent rows: the view repaints a run only where it is on screen;
        # one range over rows far apart would repaint all the view shows (at 50,000 rows and 40 batches a
        # second, most of the list's cost). The indexes are made with createIndex: the rows exist, and
        # model.index() would ask Python for the row and column counts twice for each.
        model = self._model
        last_column = self._columns - 1
        make = model.createIndex
        if len(rows) > MAX_ROW_SIGNALS:
            model.dataChanged.emit(make(min(rows), 0), make(max(rows), last_column))
            return
        emit = model.dataChanged.emit
        for first, last in _runs(rows):
            emit(make(first, 0), make(last, last_column))

    def reordering(self) -> None:
        model, rows = self._model, self._rows()
        model.layoutAboutToBeChanged[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)
        count = len(rows)
        self._held = [(index, rows.id_at(index.row())) for index in model.persistentIndexList()
                      if index.isValid() and index.row() < count]

    def reordered(self) -> None:
        model, rows = self._model, self._rows()
        columns = self._columns
        for index, visitor_id in self._held:
            row = rows.row_of(visitor_id)
            column = index.column()
            moved_to = model.index(row, column) if row is not None and column < columns else QModelIndex()
            model.changePersistentIndex(index, moved_to)
        self._held = []
        model.layoutChanged[_LAYOUT_SIGNATURE].emit([], _SORT_HINT)

    def resetting(self) -> None:
        self._model.beginResetModel()

    def reset(self) -> None:
        self._model.endResetModel()


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """The rows (each once, any order) as runs of adjacent rows, ``(first, last)`` each, in order."""
    runs: list[tuple[int, int]] = []
    for row in sorted(rows):
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
