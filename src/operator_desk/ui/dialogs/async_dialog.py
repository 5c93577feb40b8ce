"""Await a dialog's result without a nested event loop.

``QDialog.exec()`` inside a coroutine would start a second Qt loop inside an asyncio callback; other
tasks would then run re-entrantly. ``open()`` plus a future resolved by ``finished`` keeps one loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QDialog


async def run_dialog(dialog: QDialog) -> int:
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def _on_dialog_finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(_on_dialog_finished)
    dialog.open()
    try:
        return await future
    finally:
        dialog.finished.disconnect(_on_dialog_finished)
        if dialog.isVisible():
            dialog.reject()   # the awaiting task was cancelled: do not leave the dialog behind


D = TypeVar("D", bound=QDialog)
R = TypeVar("R")


async def ask(dialog: D, answer: Callable[[D], R]) -> R | None:
    """Show ``dialog`` and, once accepted, read ``answer`` from it; None when it was cancelled. The
    dialog is deleted afterwards either way (it may hold what the user typed)."""
    try:
        if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return None
        return answer(dialog)
    finally:
        dialog.deleteLater()
