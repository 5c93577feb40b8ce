"""Signing in: with the stored token at start, else (or after the server signed the operator out) with
the password dialog, until the operator is signed in or chooses Quit. Naming another server address in
the dialog switches the app to a new desk."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from PySide6.QtWidgets import QWidget

from operator_desk.net.tasks import TaskOwner
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import SignedOut
from operator_desk.ui.desk_port import DeskPort
from operator_desk.ui.dialogs.async_dialog import run_dialog
from operator_desk.ui.dialogs.login import LoginDialog
from operator_desk.ui.failures import failure_text
from operator_desk.ui.settings import DeskSettings

logger = logging.getLogger(__name__)

# Close the current desk and build one for another server address; returns the new desk.
SwitchServer = Callable[[str], Awaitable[DeskPort]]


class SignIn:
    """``on_quit``: the operator chose Quit in the dialog (the app ends); ``tasks`` owns the asking
    after a sign-out (cancelled at shutdown)."""

    def __init__(self, desk: DeskPort, settings: DeskSettings, server_url: str, *,
                 switch_server: SwitchServer, on_quit: Callable[[], None], tasks: TaskOwner,
                 parent: QWidget | None = None) -> None:
        self.desk = desk
        self.server_url = server_url
        self._settings = settings
        self._switch_server = switch_server
        self._on_quit = on_quit
        self._tasks = tasks
        self._parent = parent
        self._asking: asyncio.Task[bool] | None = None   # the dialog after a sign-out, while it is open
        self._stopped = False

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

    async def until_signed_in(self, message: str = "") -> bool:
        """Ask (see :meth:`ask`); when the operator chooses Quit instead, the app is told to end."""
        signed_in = await self.ask(message)
        if not signed_in:
            self._on_quit()
        return signed_in

    def on_bridge_signed_out(self, event: SignedOut) -> None:
        """The desk was signed out (the operator's Sign out, or the server's: an expired or revoked
        session): ask again, saying why; one dialog at a time."""
        if self._stopped:
            return
        if self._asking is None or self._asking.done():
            self._asking = self._tasks.spawn(self.until_signed_in(failure_text(event.failure)), "sign-in")

    def stop(self) -> None:
        """The app is ending: a sign-out from now on (the desk closing) asks nothing."""
        self._stopped = True

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
