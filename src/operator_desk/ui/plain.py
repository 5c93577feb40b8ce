"""Visitor text where Qt guesses the format: tooltips are rich text whenever the text looks like markup."""

from __future__ import annotations

from PySide6.QtGui import Qt


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly as written: escaped and wrapped in a paragraph, so a page
    URL or a name such as ``<img src=...>`` is never read as markup."""
    return Qt.convertFromPlainText(text) if text else ""
