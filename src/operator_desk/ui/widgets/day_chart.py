"""A bar chart of chats per day: accepted and missed stacked, the count over each bar, the day under it.

Painted by hand with ``QPainter``: the desk needs one plain chart, and QtCharts (PySide6-Addons, about
300 MB more) or pyqtgraph (with numpy) would each weigh more than the rest of the UI for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

ACCEPTED = QColor("#2563eb")
MISSED = QColor("#dc2626")
GRID = QColor("#e5e7eb")
WAITING = QColor("#9ca3af")
TEXT = QColor("#374151")


@dataclass(frozen=True, slots=True)
class DayBar:
    label: str       # the day as the reader knows it ("Mo 30.11.")
    accepted: int
    missed: int      # chats nobody accepted
    other: int = 0   # started, neither accepted nor missed yet (still waiting)


class DayChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: tuple[DayBar, ...] = ()
        self._legend = ((self.tr("Accepted"), ACCEPTED), (self.tr("Missed"), MISSED),
                        (self.tr("Not answered yet"), WAITING))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(180)

    def set_bars(self, bars: Sequence[DayBar]) -> None:
        self._bars = tuple(bars)
        self.setAccessibleDescription(", ".join(
            f"{bar.label}: {bar.accepted + bar.missed + bar.other}" for bar in self._bars))
        self.update()

    def bars(self) -> tuple[DayBar, ...]:
        return self._bars

    def sizeHint(self) -> QSize:
        return QSize(520, 220)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        area = QRectF(self.rect()).adjusted(8, line + 12, -8, -(line + 8))
        self._paint_legend(painter, metrics)
        if not self._bars:
            painter.setPen(TEXT)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.tr("No chats in this period"))
            return
        top = max(1, max(bar.accepted + bar.missed + bar.other for bar in self._bars))
        painter.setPen(GRID)
        for share in (0.25, 0.5, 0.75, 1.0):
            y = area.bottom() - area.height() * share
            painter.drawLine(int(area.left()), int(y), int(area.right()), int(y))
        slot = area.width() / len(self._bars)
        width = max(4.0, min(48.0, slot * 0.6))
        show_every = max(1, int(metrics.horizontalAdvance("Mo 30.11.") * 1.2 // max(1.0, slot)) + 1)
        for i, bar in enumerate(self._bars):
            x = area.left() + slot * i + (slot - width) / 2
            y = area.bottom()
            for count, colour in ((bar.accepted, ACCEPTED), (bar.missed, MISSED), (bar.other, WAITING)):
                height = area.height() * count / top
                if height > 0:
                    painter.fillRect(QRectF(x, y - height, width, height), colour)
                    y -= height
            painter.setPen(TEXT)
            total = bar.accepted + bar.missed + bar.other
            painter.drawText(QRectF(x - slot / 2, y - line - 2, width + slot, line),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, str(total))
            if i % show_every == 0:
                painter.drawText(QRectF(x - slot, area.bottom() + 4, width + 2 * slot, line),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, bar.label)

    def _paint_legend(self, painter: QPainter, metrics: QFontMetrics) -> None:
        x = 8.0
        size = metrics.height() - 4
        for text, colour in self._legend:
            painter.fillRect(QRectF(x, 4 + 2, size, size), colour)
            painter.setPen(TEXT)
            x += size + 4
            painter.drawText(QRectF(x, 4, metrics.horizontalAdvance(text) + 2, metrics.height()),
                             Qt.AlignmentFlag.AlignVCenter, text)
            x += metrics.horizontalAdvance(text) + 16
