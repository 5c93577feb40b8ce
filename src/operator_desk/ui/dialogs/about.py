"""About Operator Desk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from operator_desk.ui import icons
from operator_desk.version import __version__


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Operator Desk"))
        self.setWindowIcon(icons.icon("app"))
        logo = QLabel()
        logo.setPixmap(icons.icon("app").pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(self.tr("Operator Desk %1").replace("%1", __version__))
        title.setObjectName("dialogHeading")
        text = QLabel(self.tr(
            "Answer your website's live chats, with privacy built in.\n\n"
            "Visitors decide what operators may see: location, company and IP address only with their "
            "consent; contact details only through a privacy notice they accept. Transcripts kept on this "
            "computer are encrypted.\n\n"
            "Licensed under the Apache License 2.0."))
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setMinimumWidth(360)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(text)
        row = QHBoxLayout()
        row.addWidget(logo)
        row.addLayout(column, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
