"""Signing in: with the stored token at start, else (or after the server signed the operator out) with
the password dialog. Naming another server address in the dialog switches the app to a new desk."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import QWidget

from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.dialogs.async_dialog import run_dialog
from operator_desk.ui.dialogs.login import LoginDialog
from operator_desk.ui.settings import DeskSettings

logger = logging.getLogger(__name__)

# Close the current desk and build one for another server address; returns the new desk.
SwitchServer = Callable[[str], Awaitable[DeskPort]]


class SignIn:
    def __init__(self, desk: DeskPort, settings: DeskSettings, server_url: str, *,
                 switch_server: SwitchServer, parent: QWidget | None = None) -> None:
        self.desk = desk
        self.server_url = server_url
        self._settings = settings
        self._switch_server = switch_server
        self._parent = parent

    async def with_stored_token(self) -> bool:
        """True when the stored token signed in (the session then keeps trying while the server is
        unreachable); False when there is none or the server refused it."""
        try:
            return await self.desk.start()
        except DeskError as exc:
            logger.info("token sign-in failed: %s", exc.code.value)
        except Exception as exc:  # whatever else failed, the password dialog is the way on
            logger.info("token sign-in failed: %s", type(exc).__name__)
        return False

    async def ask(self, message: str = "") -> bool:
        """Show the sign-in dialog (with ``message`` as the problem to explain) until the operator is
        signed in (True) or chooses Quit (False)."""
        dialog = LoginDialog(self.attempt, server_url=self.server_url, username=self._settings.last_username,
                             message=message, parent=self._parent)
        accepted = await run_dialog(dialog) == LoginDialog.DialogCode.Accepted
        dialog.deleteLater()
        return accepted

    async def attempt(self, url: str, username: str, password: str) -> FailureCode | None:
        """One try from the dialog: None when signed in, else why not."""
        if url != self.server_url:
            self.desk = await self._switch_server(url)
            self.server_url = url
        try:
            await self.desk.sign_in(username, password)
        except DeskError as exc:
            logger.info("sign-in failed: %s", exc.code.value)
            return exc.code
        self._settings.server_url = url
        self._settings.last_username = username
        return None
