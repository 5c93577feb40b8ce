"""Quitting while chats are open: end them first (each visitor is told the chat ended), or stay.

Asked a second time, with ``not_ended``, when ending some of them failed: quit anyway, or stay.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from operator_desk.ui import icons


class QuitDialog(QDialog):
    def __init__(self, open_chats: int, parent: QWidget | None = None, *, not_ended: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Quit Operator Desk?"))
        self.setWindowIcon(icons.icon("end-chat"))
        self.setMinimumWidth(420)
        if not_ended:
            heading = self.tr("%n chat(s) could not be ended.", "", open_chats)
            explain = self.tr("Their visitors are not told until the server notices that you left. "
                              "Quit anyway?")
            quit_text = self.tr("Quit anyway")
        else:
            heading = self.tr("You have %n open chat(s).", "", open_chats)
            explain = self.tr("Quitting ends them: each visitor is told that the chat has ended.")
            quit_text = self.tr("End chats and quit")
        self.heading = QLabel(heading)
        self.heading.setObjectName("dialogHeading")
        self.explain = QLabel(explain)
        self.explain.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.quit_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.quit_button.setText(quit_text)
        self.quit_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Stay"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addWidget(self.buttons)
