"""Plain text with some of its characters highlighted (the words a search matched), painted with a
``QTextLayout``: the text is laid out as characters, never read as markup, so a visitor's ``<b>`` stays
``<b>`` and only the spans given are marked."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect
from PySide6.QtGui import QColor, QFont, QPainter, QTextCharFormat, QTextLayout, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from operator_desk.ui.models.record_table_model import RecordRole

MARK = QColor("#fde68a")   # a highlighter's yellow, dark text stays readable on it

Span = tuple[int, int]


def _formats(spans: Sequence[Span], length: int) -> list[QTextLayout.FormatRange]:
    ranges = []
    for start, end in spans:
        start, end = max(0, start), min(length, end)
        if end <= start:
            continue
        mark = QTextCharFormat()
        mark.setBackground(MARK)
        mark.setForeground(QColor("#111827"))
        # No bolder weight: the marked text must wrap exactly as the bubble measured it unmarked.
        found = QTextLayout.FormatRange()
        found.start, found.length, found.format = start, end - start, mark
        ranges.append(found)
    return ranges


def draw_highlighted(painter: QPainter, rect: QRect, text: str, spans: Sequence[Span], font: QFont,
                     *, wrap: bool = True) -> None:
    """``text`` in ``rect`` (wrapped like ``TextWordWrap | TextWrapAnywhere``, or one clipped line)
    with ``spans`` marked; the painter's pen is the text colour."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if wrap
                       else QTextOption.WrapMode.NoWrap)
    layout.setTextOption(option)
    layout.setFormats(_formats(spans, len(text)))
    layout.beginLayout()
    y = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(rect.width())
        line.setPosition(QPointF(0, y))
        y += line.height()
        if not wrap:
            break
    layout.endLayout()
    painter.save()
    painter.setClipRect(rect)
    top = rect.top() if wrap else rect.top() + max(0.0, (rect.height() - y) / 2)
    layout.draw(painter, QPointF(rect.left(), top))
    painter.restore()


class SnippetDelegate(QStyledItemDelegate):
    """A results column whose record has ``snippet`` and ``highlights`` (a transcript search's match):
    the snippet on one line with the matched words marked. ``summary_of`` finds them in the record."""

    def __init__(self, summary_of, parent=None) -> None:
        super().__init__(parent)
        self._summary_of = summary_of

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        record = index.data(RecordRole.RECORD)
        summary = self._summary_of(record) if record is not None else None
        text = (summary.snippet or "") if summary is not None else ""
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        if not text:
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        painter.setPen(palette.highlightedText().color() if selected else palette.text().color())
        draw_highlighted(painter, option.rect.adjusted(4, 0, -4, 0), text.replace("\n", " "),
                         summary.highlights, option.font, wrap=False)
        painter.restore()

