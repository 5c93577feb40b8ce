"""Finding the person a request is about, for a request recorded before it was known."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from operator_desk.protocol.messages import SubjectSummary
from operator_desk.ui.widgets.person_finder import PersonFinder


class PersonDialog(QDialog):
    def __init__(self, finder: PersonFinder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Find the person"))
        self.setMinimumSize(640, 360)
        self.finder = finder
        ok = QDialogButtonBox.StandardButton.Ok
        buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(ok).setText(self.tr("This is the person"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(finder, 1)
        layout.addWidget(buttons)

    def person(self) -> SubjectSummary | None:
        return self.finder.selected()
