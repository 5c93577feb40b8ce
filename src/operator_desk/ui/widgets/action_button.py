"""Buttons. A window's command as a keyboard shortcut and a button at once: the action holds the
shortcut and whether the command is possible now; the button mirrors it and names its keys in its
tooltip. A plain button with its accessible name and what it runs: ``push_button``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget

from operator_desk.ui import icons


def window_action(window: QWidget, text: str, shortcut: str | QKeySequence.StandardKey, icon: str = "",
                  *, slot: Callable[[], object] | None = None) -> QAction:
    """An action on ``window`` (its shortcut works wherever the focus is in it); ``slot``: what it runs,
    when the caller does not connect it itself."""
    action = QAction(icons.icon(icon) if icon else QIcon(), text, window)
    action.setShortcut(QKeySequence(shortcut))
    if slot is not None:
        action.triggered.connect(slot)
    window.addAction(action)
    return action


def action_button(action: QAction, accessible: str) -> QPushButton:
    """A button that triggers ``action`` and is enabled when it is."""
    button = QPushButton(action.icon(), action.text())
    button.setAccessibleName(accessible)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    button.setToolTip(f"{accessible} ({keys})")
    button.clicked.connect(action.trigger)
    action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
    button.setEnabled(action.isEnabled())
    return button


def push_button(text: str, accessible: str, clicked: Callable[[], object], icon: str = "",
                parent: QWidget | None = None, *, tooltip: str = "") -> QPushButton:
    """A button named ``accessible`` for screen readers that runs ``clicked``; ``icon``: a name in
    ``ui.icons``; ``tooltip``: what it does, with its keys. The texts come translated by the caller, in
    its own translation context."""
    button = QPushButton(icons.icon(icon), text, parent) if icon else QPushButton(text, parent)
    button.setAccessibleName(accessible)
    if tooltip:
        button.setToolTip(tooltip)
    button.clicked.connect(clicked)
    return button
