"""An opened transcript as a document to save as PDF or print for a complaint review: the chat, its
messages, the consents in force during it, the details collected, and the team's reviews.

Every piece of text goes in through ``QTextCursor.insertText``, never as HTML: what a visitor typed is
printed as they typed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)


class DocumentWriter:
    """Headings, lines and label/value rows appended to a document, as plain text."""

    def __init__(self, title: str) -> None:
        self.document = QTextDocument()
        self.document.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
        base = QFont()
        base.setPointSizeF(10)
        self.document.setDefaultFont(base)
        self._cursor = QTextCursor(self.document)
        self._plain = QTextCharFormat()
        self._bold = QTextCharFormat()
        self._bold.setFontWeight(QFont.Weight.Bold)
        self._title = QTextCharFormat()
        self._title.setFontWeight(QFont.Weight.Bold)
        self._title.setFontPointSize(15)
        self._heading = QTextCharFormat()
        self._heading.setFontWeight(QFont.Weight.Bold)
        self._heading.setFontPointSize(12)
        self._first = True
        self._line(title, self._title)

    def _line(self, text: str, fmt: QTextCharFormat) -> None:
        if not self._first:
            self._cursor.insertBlock()
        self._first = False
        self._cursor.insertText(text, fmt)

    def heading(self, text: str) -> None:
        self._line("", self._plain)
        self._line(text, self._heading)

    def text(self, text: str) -> None:
        self._line(text, self._plain)

    def row(self, label: str, value: str) -> None:
        self._line(label + ": ", self._bold)
        self._cursor.insertText(value, self._plain)

    def rows(self, rows: Sequence[tuple[str, str]]) -> None:
        for label, value in rows:
            self.row(label, value)


def save_pdf(document: QTextDocument, path: Path) -> None:
    """``document`` as an A4 PDF at ``path``."""
    writer = QPdfWriter(str(path))
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    writer.setTitle(document.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
    writer.setCreator("Operator Desk")
    document.print_(writer)


__all__ = ["DocumentWriter", "save_pdf"]
