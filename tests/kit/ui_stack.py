"""The real stack of a UI integration test (or a UI benchmark): the reference server in-process on port
0, a real encrypted cache, the real desk (the kit's ``FAST`` timing) and its main window, and the
visitors the test brought. Everything runs on the caller's qasync loop; ``run`` drives a coroutine
there (the ``run`` fixture of tests/ui)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

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

TENTS_PAGE = "https://shop.example/tents"


@dataclass
class Stack:
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


@contextlib.contextmanager
def real_stack(qtbot: Any, run: Callable[..., Any], tmp_path: Path, **server_options: Any) -> Iterator[Stack]:
    """The real stack, its server a demo (``servers.start_demo``) with ``server_options``
    (``ServerOptions`` fields) on top; the desk's settings in ``tmp_path``/settings.ini."""
    server = run(start_demo(tmp_path / "server", **server_options))
    store, _ = run(open_store(tmp_path / "cache.db"))
    bridge = EventBridge()
    settings = DeskSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
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
