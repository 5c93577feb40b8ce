"""Fixtures for the UI tests: a qasync loop on pytest-qt's QApplication, visitor factories, the main
window over a fake desk, and the real stack (server, cache, desk, window) for integration tests."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
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
from operator_desk.server.embedded import RunningServer
from operator_desk.services.desk import Desk
from operator_desk.services.detect import detail_fields_asked_for
from operator_desk.store import Store
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.windows.main_window import MainWindow
from tests.kit.clients import AsyncClient
from tests.kit.desks import make_desk, open_store
from tests.kit.servers import start_demo
from tests.kit.visitors import arrive

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


TENTS_PAGE = "https://shop.example/tents"


@dataclass
class Stack:
    """The real stack of a UI integration test: the reference server in-process on port 0, a real
    encrypted cache in tmp_path, the real desk (the kit's ``FAST`` timing) and its main window, and the
    visitors the test brought (real /v1/visitor clients). All on the test's qasync loop."""

    server: RunningServer
    store: Store
    desk: Desk
    window: MainWindow
    visitors: list[AsyncClient] = field(default_factory=list)

    def visitor(self, run: Callable[..., Any], language: str = "en") -> AsyncClient:
        """A visitor arrived (``tests.kit.visitors.arrive``) on the shop's tents page, closed with the
        stack."""
        client = run(arrive(self.server, language=language, url=TENTS_PAGE, title="Tents"))
        self.visitors.append(client)
        return client


@pytest.fixture
def stack(qtbot, run, tmp_path, settings, memory_keyring):
    server = run(start_demo(tmp_path / "server"))
    store, _ = run(open_store(tmp_path / "cache.db"))
    bridge = EventBridge()
    desk = make_desk(server.url, bridge, store, profile="ui-test", status_memory=settings)
    window = MainWindow(desk, bridge, settings, detail_fields_asked_for)
    qtbot.addWidget(window)
    window.show()
    built = Stack(server, store, desk, window)
    try:
        yield built
    finally:
        for client in built.visitors:
            run(client.close())
        run(desk.close())
        run(store.close())
        run(server.close())
