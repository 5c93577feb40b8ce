"""What an approved erasure did, for the supervisor, and the confirmation they can send the person:
what was erased and when, and that nothing is kept about them beyond a record that it happened.

The text names nobody (the supervisor addresses it): it can be sent as it is.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.platform.paths import write_private_file
from operator_desk.protocol.messages import ErasedCounts
from operator_desk.ui import icons
from operator_desk.ui.dialogs.async_dialog import run_dialog
from operator_desk.ui.report_words import QtReportWords
from operator_desk.ui.widgets.action_button import push_button


class ErasureLetter(QObject):
    """The confirmation an erased person may be sent, in the desk's language."""

    def text(self, words: QtReportWords, erased_at: str, received_on: str | None, reference: str,
             server: ErasedCounts, here: dict[str, int] | None) -> str:
        paragraphs = [
            self.tr("Confirmation of erasure"),
            self.tr("On %1 we erased all personal data we held about you in our website chat, as you "
                    "asked.").replace("%1", words.date_time(erased_at)),
        ]
        if received_on:
            paragraphs.append(self.tr("Your request of %1 (our reference: %2) is thereby fulfilled.")
                              .replace("%1", words.day(received_on)).replace("%2", reference))
        held = [self.tr("%n chat(s)", "", server.chats), self.tr("%n message(s)", "", server.messages),
                self.tr("%n consent record(s)", "", server.consents),
                self.tr("%n request(s) for contact details", "", server.details)]
        paragraphs.append(self.tr("Erased from our chat server: %1.").replace("%1", ", ".join(held)))
        if here is not None and (here.get("chats") or here.get("messages")):
            paragraphs.append(
                self.tr("Copies on our staff's computers are erased as well (on this one: %1 and %2), at "
                        "once where they were connected, and when they next connect otherwise.")
                .replace("%1", self.tr("%n chat(s)", "", here.get("chats", 0)))
                .replace("%2", self.tr("%n message(s)", "", here.get("messages", 0))))
        else:
            paragraphs.append(self.tr("Copies on our staff's computers are erased as well: at once where "
                                      "they were connected, and when they next connect otherwise."))
        paragraphs.append(self.tr("We keep nothing about you beyond a record that this erasure took place, "
                                  "which does not name you: when it happened, which of our staff asked for "
                                  "it and approved it, and the numbers above."))
        return "\n\n".join(paragraphs)


class ErasureConfirmationDialog(QDialog):
    """The counts erased (server and this desk) and the confirmation to send; ``sent`` when the supervisor
    says they sent it."""

    sent = Signal()

    def __init__(self, server: ErasedCounts, here: dict[str, int] | None, letter: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Erased"))
        self.setWindowIcon(icons.icon("approve"))
        self.setMinimumSize(560, 460)
        heading = QLabel(self.tr("The person's data was erased"))
        heading.setObjectName("dialogHeading")
        server_line = QLabel(self.tr("On the server: %1 chat(s), %2 message(s), %3 consent record(s), "
                                     "%4 detail request(s).")
                             .replace("%1", str(server.chats)).replace("%2", str(server.messages))
                             .replace("%3", str(server.consents)).replace("%4", str(server.details)))
        desk_line = QLabel(self._desk_text(here))
        # The site's own systems the server handed the person's data to (webhook receivers, a CRM): sent
        # the erasure now; their confirmations arrive later (docs/webhooks.md).
        sent_to = self.tr("Sent to the site's connected systems that had the person's data (not confirmed "
                          "yet): %1.")
        self.receivers_line = QLabel(sent_to.replace("%1", ", ".join(server.unconfirmed_receivers)))
        self.receivers_line.setTextFormat(Qt.TextFormat.PlainText)
        if not server.unconfirmed_receivers:
            self.receivers_line.hide()  # before it has a parent: hiding a widget never opens a window
        for label in (server_line, desk_line, self.receivers_line):
            label.setWordWrap(True)
        self.letter = QPlainTextEdit()
        self.letter.setPlainText(letter)
        self.letter.setReadOnly(True)
        self.letter.setAccessibleName(self.tr("Erasure confirmation for the person"))
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(letter))
        self.save_button = QPushButton(self.tr("Save as…"))
        self.save_button.clicked.connect(self._on_save_clicked)
        self.sent_button = push_button(self.tr("Mark as sent"),
                                       self.tr("Record that the confirmation was sent to the person"),
                                       self._on_sent_clicked, icon="approve")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.sent_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(server_line)
        layout.addWidget(desk_line)
        layout.addWidget(self.receivers_line)
        layout.addWidget(QLabel(self.tr("A confirmation you can send the person:")))
        layout.addWidget(self.letter, 1)
        layout.addWidget(buttons)
        self.saved_to: Path | None = None

    def _desk_text(self, here: dict[str, int] | None) -> str:
        if here is None:
            return self.tr("On this desk: nothing (it keeps no cache).")
        named = ("chats", "messages", "consent_events")
        other = sum(n for table, n in here.items() if table not in named)
        return (self.tr("On this desk: %1 chat(s), %2 message(s), %3 consent record(s), %4 other row(s).")
                .replace("%1", str(here.get("chats", 0))).replace("%2", str(here.get("messages", 0)))
                .replace("%3", str(here.get("consent_events", 0))).replace("%4", str(other)))

    @asyncSlot()
    async def _on_save_clicked(self) -> None:
        await self.save()

    async def save(self, path: Path | None = None) -> Path | None:
        """Save the letter as a text file (0600); ``path`` skips the file dialog."""
        if path is None:
            dialog = QFileDialog(self, self.tr("Save the confirmation"), "erasure-confirmation.txt",
                                 self.tr("Text files (*.txt)"))
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            accepted = await run_dialog(dialog) == QFileDialog.DialogCode.Accepted
            files = dialog.selectedFiles()
            dialog.deleteLater()
            if not accepted or not files:
                return None
            path = Path(files[0])
        await asyncio.to_thread(write_private_file, path, self.letter.toPlainText() + "\n")
        self.saved_to = path
        return path

    def _on_sent_clicked(self) -> None:
        self.sent_button.setEnabled(False)
        self.sent_button.setText(self.tr("Recorded as sent"))
        self.sent.emit()


__all__ = ["ErasureConfirmationDialog", "ErasureLetter"]
