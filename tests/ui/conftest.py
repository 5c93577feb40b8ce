"""Fixtures for the UI tests: a qasync loop on pytest-qt's QApplication, visitor factories, the main
window over a fake desk, and the real stack (server, cache, desk, window) for integration tests."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from ui_factories import make_visitor
from ui_fakes import FakeDesk
from ui_main_window_kit import quiet_composers, shown_main_window

from operator_desk.domain.model import Visitor
from operator_desk.ui.settings import DeskSettings
from tests.kit.ui_stack import Stack, real_stack

T = TypeVar("T")


# The offscreen platform says so when a top-level widget is shown or raised; it is not a problem of ours.
OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints", "This plugin does not support raise",
                   "This plugin does not support grabbing")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def collect_garbage_on_the_qt_thread():
    """Collect each test's cyclic garbage here, on the Qt thread: left to chance, the collector may run
    in the store's or a keyring worker thread and destroy a Qt object (with timers) in the wrong thread.
    The app does the same with ui.gc_guard."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@pytest.fixture
def qloop(qapp):
    """A qasync event loop riding on the QApplication that pytest-qt runs: coroutines advance while a
    test waits with ``qtbot.waitUntil`` / ``waitSignal``."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        # qasync's stop() calls QApplication.exit(); after that every later qtbot wait returns at once
        # (the application thinks it is quitting), so the next test would silently not wait. Patch it.
        with mock.patch.object(QApplication, "exit"):
            loop.stop()
        loop.close()
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)


@pytest.fixture
def run(qtbot, qloop) -> Callable[..., Any]:
    """``run(coro)``: schedule a coroutine on the qasync loop, let Qt spin until it is done, return
    its result (or raise its exception). Waiting happens here, outside the coroutine."""

    def _run(awaitable: Awaitable[T], timeout: int = 10_000) -> T:
        task = asyncio.ensure_future(awaitable, loop=qloop)
        qtbot.waitUntil(task.done, timeout=timeout)
        return task.result()

    return _run


@pytest.fixture
def visitor_factory() -> Callable[..., Visitor]:
    return make_visitor


@pytest.fixture
def settings(tmp_path) -> DeskSettings:
    return DeskSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def desk() -> FakeDesk:
    return FakeDesk()


@pytest.fixture
def window(qtbot, qloop, desk, settings):
    """The main window over the fake desk, shown and signed in."""
    win = shown_main_window(qtbot, desk, settings)
    yield win
    quiet_composers(win)


@pytest.fixture
def stack(qtbot, run, tmp_path, memory_keyring) -> Iterator[Stack]:
    """The real stack (tests.kit.ui_stack): server, cache, desk and main window."""
    with real_stack(qtbot, run, tmp_path) as built:
        yield built
