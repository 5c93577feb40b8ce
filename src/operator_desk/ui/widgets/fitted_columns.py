"""Columns that fit a narrow table: every header readable, the rest of the width to one column.

Qt's ``ResizeToContents`` sizes a column to its widest cell, so a long cell pushes the table past its
width and the last headers are cut off (German headers first). Here each column gets the width of its
header, or of its contents up to a cap; one column takes what is left; long cells wrap.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

# A column other than the stretching one is never wider than this for its contents (its header may
# make it wider): long values wrap instead.
CONTENT_CAP = 170


class FittedColumns(QObject):
    """Keeps ``view``'s columns fitted to its width; ``stretch`` is the column that takes the rest."""

    def __init__(self, view: QTableView, stretch: int) -> None:
        super().__init__(view)
        self._view = view
        self._stretch = stretch
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        view.setWordWrap(True)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged,
                       model.layoutChanged):
            signal.connect(self.fit)

    def header_width(self, column: int) -> int:
        """Room for the header's text in the style sheet's weight (600, heavier than the widget's own
        font says), its padding (6 px a side) and border, and a sort arrow."""
        header = self._view.horizontalHeader()
        text = str(self._view.model().headerData(column, header.orientation()) or "")
        font = QFont(header.font())
        font.setWeight(QFont.Weight.DemiBold)
        margin = header.style().pixelMetric(header.style().PixelMetric.PM_HeaderMargin, None, header)
        return QFontMetrics(font).horizontalAdvance(text) + 2 * max(margin, 6) + 14

    def fit(self, *_args) -> None:
        model = self._view.model()
        columns = model.columnCount()
        if columns == 0:
            return
        widths = {}
        for column in range(columns):
            if column == self._stretch or self._view.isColumnHidden(column):
                continue
            contents = self._view.sizeHintForColumn(column) if model.rowCount() else 0
            widths[column] = max(self.header_width(column), min(contents, CONTENT_CAP))
        rest = self._view.viewport().width() - sum(widths.values())
        widths[self._stretch] = max(self.header_width(self._stretch), rest)
        header = self._view.horizontalHeader()
        for column, width in widths.items():
            header.resizeSection(column, width)
        self._view.resizeRowsToContents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return super().eventFilter(watched, event)
