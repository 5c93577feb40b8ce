"""Sign in: server address, user name, password. The password is handed to the desk once and never
stored; failures are shown inline, in words, and the dialog stays open for another try."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from operator_desk.services.errors import FailureCode
from operator_desk.ui import icons
from operator_desk.ui.failures import failure_text
from operator_desk.ui.widgets.hint import hint_label

# (server_url, username, password) -> None on success, else why not.
SignInAttempt = Callable[[str, str, str], Awaitable[FailureCode | None]]


class LoginDialog(QDialog):
    def __init__(self, attempt: SignInAttempt, *, server_url: str, username: str = "",
                 message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._attempt = attempt
        self.setWindowTitle(self.tr("Sign in — Operator Desk"))
        self.setWindowIcon(icons.icon("app"))
        self.setMinimumWidth(420)
        heading = QLabel(self.tr("Sign in to your chat server"))
        heading.setObjectName("dialogHeading")
        self.server_edit = QLineEdit(server_url)
        self.server_edit.setAccessibleName(self.tr("Server address"))
        self.server_edit.setPlaceholderText("wss://chat.example.com")
        self.username_edit = QLineEdit(username)
        self.username_edit.setAccessibleName(self.tr("User name"))
        self.password_edit = QLineEdit()
        self.password_edit.setAccessibleName(self.tr("Password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(message)
        self.error_label.setObjectName("errorBanner")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(bool(message))
        # A screen reader reads a label's accessible name instead of its text: describe it, name it not.
        self.error_label.setAccessibleDescription(self.tr("Sign-in problem"))
        note = hint_label(self.tr("Your password is sent to the server once and never saved on this "
                                  "computer."))
        form = QFormLayout()
        form.addRow(self.tr("&Server:"), self.server_edit)
        form.addRow(self.tr("&User name:"), self.username_edit)
        form.addRow(self.tr("&Password:"), self.password_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(self.tr("Sign in"))
        self.sign_in_button.setAccessibleName(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        (self.password_edit if username else self.username_edit).setFocus()

    @asyncSlot()
    async def _on_buttons_accepted(self) -> None:
        await self.try_sign_in()

    async def try_sign_in(self) -> bool:
        url = self.server_edit.text().strip()
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not url or not username or not password:
            self.show_problem(self.tr("Enter the server address, your user name and your password."))
            return False
        self._set_busy(True)
        try:
            failure = await self._attempt(url, username, password)
        finally:
            self._set_busy(False)
        if failure is not None:
            if failure == FailureCode.INVALID_CREDENTIALS:
                self.password_edit.clear()
            self.show_problem(failure_text(failure))
            self.password_edit.setFocus()
            return False
        self.password_edit.clear()
        self.accept()
        return True

    def show_problem(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.server_edit, self.username_edit, self.password_edit, self.sign_in_button):
            widget.setEnabled(not busy)
        self.sign_in_button.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))
