"""Visitor text where Qt guesses the format: tooltips are rich text whenever the text looks like markup."""

from __future__ import annotations

from PySide6.QtGui import Qt

# U+2060 WORD JOINER: invisible, not a space, and read by no screen reader. Right after a "<" (or an
# "&" of "&lt;") it stops Qt from taking what follows for a tag (Qt.mightBeRichText looks for a known
# tag name right after the "<"), so the text is shown and read as written.
_JOINER = "\u2060"


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly as written and reaches a screen reader as that text.

    Text that Qt would not take for markup is returned unchanged: wrapping it in HTML
    (``Qt.convertFromPlainText``) made assistive technology read ``<p>Jule Horn</p>``, since a
    tooltip is the accessible description as it stands. Text that looks like markup (a page URL or a
    name such as ``<img src=...>``) gets an invisible word joiner after each ``<`` and ``&``, so Qt
    shows it literally instead of rendering it."""
    if not text or not Qt.mightBeRichText(text):
        return text
    return text.replace("&", "&" + _JOINER).replace("<", "<" + _JOINER)



def plain_notification(text: str) -> str:
    """``text`` for a desktop notification's body, which notification servers may read as markup
    (``<b>``, ``<a href>``, ``&amp;`` in the freedesktop spec) whatever Qt thinks of it: every ``<`` and
    ``&`` gets the invisible joiner, so that no server takes a visitor's words for a tag."""
    return text.replace("&", "&" + _JOINER).replace("<", "<" + _JOINER)
