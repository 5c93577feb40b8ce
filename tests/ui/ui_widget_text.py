"""Every piece of text a window shows or exposes: for the consent-gating checks."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

ROLES = [*range(0, 16), *range(Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 12)]


def _model_text(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # QAbstractListModel keeps columnCount private: one column
        columns = 1
    texts = []
    for column in range(columns):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            texts.append(str(model.headerData(column, Qt.Orientation.Horizontal, role)))
    for row in range(model.rowCount(QModelIndex())):
        for column in range(max(1, columns)):
            index = model.index(row, column, QModelIndex())
            texts.extend(str(model.data(index, role)) for role in ROLES)
    return texts


def all_text(root: QWidget) -> str:
    """Text, tooltips, accessible names and descriptions, titles, and every role of every model index
    of every view, for ``root`` and all its children."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(),
                  widget.windowTitle(), widget.statusTip(), widget.whatsThis()]
        if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QGroupBox | QDockWidget):
            texts.append(widget.title() if isinstance(widget, QGroupBox) else widget.windowTitle())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) + widget.tabToolTip(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView):
            texts += _model_text(widget)
    return "\n".join(texts)
