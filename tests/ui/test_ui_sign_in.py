"""Signing in around the windows (``ui/flows/sign_in.py``): the stored token first, else the password
dialog; after the server signs the operator out, the dialog again, saying why, one at a time; Quit
there ends the app; and nothing is asked once the app is ending."""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtWidgets import QApplication

from operator_desk.net.tasks import TaskOwner
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import SignedOut
from operator_desk.ui.dialogs.login import LoginDialog
from operator_desk.ui.failures import failure_text
from operator_desk.ui.flows.sign_in import SignIn


class TokenDesk:
    """A desk whose stored token the server refuses, and which knows one password."""

    def __init__(self) -> None:
        self.signed_in_as: list[str] = []

    async def start(self) -> bool:
        raise DeskError(FailureCode.TOKEN_REVOKED, "auth.resume")

    async def sign_in(self, username: str, password: str) -> None:
        if password != "right":
            raise DeskError(FailureCode.INVALID_CREDENTIALS, "auth.login")
        self.signed_in_as.append(username)


def open_dialogs() -> list[LoginDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()]


def flow(settings, tasks, quits: list[bool]) -> tuple[SignIn, TokenDesk]:
    desk = TokenDesk()

    async def no_other_server(url: str) -> TokenDesk:
        raise AssertionError(f"no switch expected to {url}")

    return SignIn(desk, settings, "ws://127.0.0.1:1", switch_server=no_other_server,
                  on_quit=lambda: quits.append(True), tasks=tasks), desk


def test_a_refused_token_leads_to_the_dialog_and_a_password_signs_in(qtbot, run, settings):
    tasks, quits = TaskOwner(logging.getLogger("test")), []
    sign_in, desk = flow(settings, tasks, quits)
    assert run(sign_in.with_stored_token()) is False
    settings.last_username = "ann"
    asked = sign_in.until_signed_in()
    task = asyncio.ensure_future(asked)
    qtbot.waitUntil(lambda: len(open_dialogs()) == 1)
    dialog = open_dialogs()[0]
    assert dialog.username_edit.text() == "ann"
    dialog.password_edit.setText("right")
    assert run(dialog.try_sign_in()) is True
    qtbot.waitUntil(task.done)
    assert task.result() is True and desk.signed_in_as == ["ann"] and quits == []
    run(tasks.close())


def test_after_a_sign_out_the_dialog_asks_once_says_why_and_quit_ends_the_app(qtbot, run, settings):
    tasks, quits = TaskOwner(logging.getLogger("test")), []
    sign_in, _desk = flow(settings, tasks, quits)
    sign_in.on_bridge_signed_out(SignedOut(failure=FailureCode.TOKEN_REVOKED))
    sign_in.on_bridge_signed_out(SignedOut(failure=FailureCode.TOKEN_REVOKED))   # a second push
    qtbot.waitUntil(lambda: len(open_dialogs()) == 1)
    assert len(tasks) == 1
    dialog = open_dialogs()[0]
    assert dialog.error_label.text() == failure_text(FailureCode.TOKEN_REVOKED)
    dialog.reject()   # Quit
    qtbot.waitUntil(lambda: not len(tasks))
    assert quits == [True]
    sign_in.stop()
    sign_in.on_bridge_signed_out(SignedOut())   # the desk closing at the end: nothing is asked
    assert len(tasks) == 0 and open_dialogs() == []
    run(tasks.close())
