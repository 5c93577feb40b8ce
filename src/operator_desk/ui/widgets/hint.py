"""The quiet explanatory line under a form or beside a button: the style sheet greys ``QLabel#hint``."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def hint_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """A label styled as a hint. ``text`` comes translated by the caller, so that its ``self.tr`` keeps
    the string in the caller's translation context; ``wrap=False`` keeps a short hint on one line."""
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(wrap)
    return label
