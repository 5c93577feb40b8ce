"""A chat transcript: message bubbles drawn as plain text.

The delegate paints each message with ``QPainter.drawText``, which never interprets markup, so a visitor
who types ``<b>bold</b><img src=x>`` is shown exactly that. Visitor messages sit left on grey, the
operator's right on blue with their delivery state, system notes centred in italics.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QGuiApplication, QKeySequence, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from operator_desk.domain.highlight import find_spans
from operator_desk.services.events import DeliveryState
from operator_desk.ui.models.transcript_model import TranscriptModel, TranscriptRole
from operator_desk.ui.widgets.highlighted_text import MARK, draw_highlighted

_PAD = 8          # inside a bubble
_GAP = 6          # between bubbles
_SIDE = 12        # between a bubble and the view's edge
_WIDTH_SHARE = 0.78

_VISITOR_BG = QColor("#f1f3f5")
_OPERATOR_BG = QColor("#dbeafe")
_OPERATOR_SENDING_BG = QColor("#eef4fd")
_TEXT = QColor("#111827")
_META = QColor("#4b5563")


class MessageDelegate(QStyledItemDelegate):
    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        # The words of a transcript search: marked wherever they occur (review windows only).
        self.words: list[str] = []

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        body = QFont(option.font)
        meta = QFont(option.font)
        meta.setPointSizeF(max(7.0, body.pointSizeF() * 0.85))
        return body, meta

    def _bubble_width(self) -> int:
        return max(120, int((self._view.viewport().width() - 2 * _SIDE) * _WIDTH_SHARE))

    def _meta_text(self, index: QModelIndex | QPersistentModelIndex) -> str:
        parts = [index.data(TranscriptRole.AUTHOR_NAME) or "", index.data(TranscriptRole.TIME_TEXT) or ""]
        delivery = index.data(TranscriptRole.DELIVERY_TEXT)
        if delivery:
            parts.append(delivery)
        return "  ·  ".join(p for p in parts if p)

    def _layout(self, option: QStyleOptionViewItem, index) -> tuple[QRect, QRect, QSize]:
        body_font, meta_font = self._fonts(option)
        width = self._bubble_width()
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        flags = int(Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere)
        body = QFontMetrics(body_font).boundingRect(QRect(0, 0, width - 2 * _PAD, 100_000), flags, text)
        meta = QFontMetrics(meta_font).boundingRect(
            QRect(0, 0, width - 2 * _PAD, 1000), int(Qt.TextFlag.TextSingleLine), self._meta_text(index))
        inner_w = max(body.width(), meta.width())
        inner_h = meta.height() + 2 + body.height()
        return body, meta, QSize(inner_w + 2 * _PAD, inner_h + 2 * _PAD)

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        _, _, bubble = self._layout(option, index)
        return QSize(self._view.viewport().width() - 2, bubble.height() + _GAP)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        body_rect, meta_rect, bubble = self._layout(option, index)
        author = index.data(TranscriptRole.AUTHOR)
        body_font, meta_font = self._fonts(option)
        area = option.rect
        if author == "operator":
            left = area.right() - _SIDE - bubble.width()
        elif author == "system":
            left = area.left() + (area.width() - bubble.width()) // 2
        else:
            left = area.left() + _SIDE
        frame = QRect(left, area.top() + _GAP // 2, bubble.width(), bubble.height())

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if author == "operator":
            sending = index.data(TranscriptRole.DELIVERY) == DeliveryState.SENDING
            background = _OPERATOR_SENDING_BG if sending else _OPERATOR_BG
        elif author == "system":
            background = QColor(Qt.GlobalColor.transparent)
        else:
            background = _VISITOR_BG
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        spans = find_spans(text, self.words) if self.words else []
        if selected:
            painter.setPen(QPen(option.palette.highlight().color(), 2))
        else:
            painter.setPen(QPen(MARK.darker(125), 2) if spans else Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(frame, 8, 8)

        inner = frame.adjusted(_PAD, _PAD, -_PAD, -_PAD)
        painter.setFont(meta_font)
        painter.setPen(_META)
        meta_box = QRect(inner.left(), inner.top(), inner.width(), meta_rect.height())
        painter.drawText(meta_box, int(Qt.TextFlag.TextSingleLine), self._meta_text(index))
        if author == "system":
            body_font.setItalic(True)
        painter.setFont(body_font)
        painter.setPen(_META if author == "system" else _TEXT)
        text_box = QRect(inner.left(), meta_box.bottom() + 3, inner.width(), body_rect.height())
        if spans:
            draw_highlighted(painter, text_box, text, spans, body_font)
        else:
            painter.drawText(text_box, int(Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere), text)
        painter.restore()


class TranscriptView(QListView):
    """The list of bubbles. Keeps to the bottom while the operator is at the bottom; Ctrl+C copies."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._delegate = MessageDelegate(self)
        self.setItemDelegate(self._delegate)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Chat transcript"))
        copy = QAction(self.tr("Copy"), self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self._on_copy_triggered)
        self.addAction(copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def set_highlight_words(self, words: list[str]) -> None:
        """Mark these words (case-insensitive) in every message, as a transcript search found them."""
        self._delegate.words = list(words)
        self.viewport().update()

    def highlight_words(self) -> list[str]:
        return list(self._delegate.words)

    def setModel(self, model) -> None:
        super().setModel(model)
        model.rowsAboutToBeInserted.connect(self._on_model_rows_about_to_be_inserted)
        model.rowsInserted.connect(self._on_model_rows_inserted)
        self._stick = True

    def _on_model_rows_about_to_be_inserted(self, *_args) -> None:
        bar = self.verticalScrollBar()
        self._stick = bar.value() >= bar.maximum() - 4

    def _on_model_rows_inserted(self, *_args) -> None:
        if self._stick:
            self.scrollToBottom()

    def _on_copy_triggered(self) -> None:
        model = self.model()
        if not isinstance(model, TranscriptModel):
            return
        rows = [i.row() for i in self.selectionModel().selectedRows()]
        QGuiApplication.clipboard().setText(model.plain_text(rows or None))
