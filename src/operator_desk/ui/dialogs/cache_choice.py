"""No keyring on this machine, or only one that keeps secrets in plain text: protect the cache with a
passphrase, or run without a local cache this time. Also asks for the passphrase of an existing
passphrase-protected cache."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from operator_desk.ui import icons
from operator_desk.ui.widgets.hint import hint_label

MIN_PASSPHRASE = 8


@dataclass(frozen=True, slots=True)
class CacheChoice:
    passphrase: str | None   # None: no local cache this time


class CacheChoiceDialog(QDialog):
    def __init__(self, *, existing_cache: bool, problem: str = "", unencrypted_keyring: str = "",
                 parent: QWidget | None = None) -> None:
        """``unencrypted_keyring``: the name of the keyring backend that was refused because it keeps
        secrets unencrypted on disk, if that was the reason."""
        super().__init__(parent)
        self._existing = existing_cache
        self.setWindowTitle(self.tr("Local cache — Operator Desk"))
        self.setWindowIcon(icons.icon("lock"))
        self.setMinimumWidth(480)
        if unencrypted_keyring:
            heading = QLabel(self.tr("The system keyring does not encrypt what it keeps"))
            explain = QLabel(self.tr(
                "Operator Desk keeps transcripts on this computer only in an encrypted cache, and normally "
                "keeps its key and your sign-in in the system keyring. The keyring here (%1) would store "
                "them unencrypted in a file, so Operator Desk does not use it. Choose how to go on:"
            ).replace("%1", unencrypted_keyring))
        else:
            heading = QLabel(self.tr("The system keyring is not available"))
            explain = QLabel(self.tr(
                "Operator Desk keeps transcripts on this computer only in an encrypted cache, and normally "
                "keeps its key in the system keyring. No keyring can be used right now. Choose how to go "
                "on:"))
        heading.setObjectName("dialogHeading")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        explain.setTextFormat(Qt.TextFormat.PlainText)
        explain.setWordWrap(True)
        self.passphrase_option = QRadioButton(
            self.tr("Unlock the cache with its passphrase") if existing_cache
            else self.tr("Protect the cache with a passphrase"))
        self.passphrase_option.setAccessibleName(self.passphrase_option.text())
        self.no_cache_option = QRadioButton(self.tr("Run without a local cache this time"))
        self.no_cache_option.setAccessibleName(self.no_cache_option.text())
        group = QButtonGroup(self)
        group.addButton(self.passphrase_option)
        group.addButton(self.no_cache_option)
        self.passphrase_option.setChecked(True)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(self.tr("Passphrase"))
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit.setAccessibleName(self.tr("Repeat the passphrase"))
        form = QFormLayout()
        form.addRow(self.tr("Passphrase:"), self.passphrase_edit)
        if not existing_cache:
            form.addRow(self.tr("Repeat:"), self.confirm_edit)
        no_cache_note = hint_label(self.tr(
            "Without a cache, chats work normally but nothing is kept on this computer: transcripts are "
            "not available offline and unsent messages are lost if the desk is closed."))
        self.error_label = QLabel(problem)
        self.error_label.setObjectName("errorBanner")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(bool(problem))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Continue"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.passphrase_option.toggled.connect(self._on_passphrase_option_toggled)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(self.passphrase_option)
        layout.addLayout(form)
        layout.addWidget(self.no_cache_option)
        layout.addWidget(no_cache_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.passphrase_edit.setFocus()

    def choice(self) -> CacheChoice:
        if self.no_cache_option.isChecked():
            return CacheChoice(None)
        return CacheChoice(self.passphrase_edit.text())

    def _on_passphrase_option_toggled(self, checked: bool) -> None:
        self.passphrase_edit.setEnabled(checked)
        self.confirm_edit.setEnabled(checked)

    def _on_buttons_accepted(self) -> None:
        if self.passphrase_option.isChecked():
            text = self.passphrase_edit.text()
            if not self._existing and len(text) < MIN_PASSPHRASE:
                self._problem(self.tr("Choose a passphrase of at least %n characters.", "", MIN_PASSPHRASE))
                return
            if not text:
                self._problem(self.tr("Enter the passphrase."))
                return
            if not self._existing and text != self.confirm_edit.text():
                self._problem(self.tr("The two passphrases differ."))
                return
        self.accept()

    def _problem(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
