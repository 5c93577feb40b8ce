"""An inline message strip: a failure said in words, with a close button; replaces a modal box for
things that need reading but not an answer."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        close = QToolButton(self)
        close.setText("✕")
        close.setAutoRaise(True)
        close.setAccessibleName(self.tr("Dismiss message"))
        close.setToolTip(self.tr("Dismiss"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def kind_text(self, kind: str) -> str:
        return {"error": self.tr("Error"), "warning": self.tr("Warning"), "info": self.tr("Information")}.get(
            kind, kind)

    def show_message(self, text: str, *, kind: str = "error", timeout_ms: int = 0) -> None:
        """``kind``: "error" (red), "warning" (amber) or "info" (blue, for a confirmation)."""
        self.setProperty("kind", kind)
        # The label's colour comes from a rule on the frame's kind: re-polish both, or the text of a
        # confirmation stays in the red of the error before it.
        for widget in (self, self.label):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.label.setText(text)
        # A screen reader reads the text itself (the label has no accessible name) and then this.
        self.label.setAccessibleDescription(self.kind_text(kind))
        self.show()
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()
