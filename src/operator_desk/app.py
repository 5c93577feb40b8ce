"""Composition root of the desktop app: arguments, logging, settings, key store, store, desk, windows.

This is the one place where objects are built and wired. Qt and asyncio run together on one thread
through qasync; everything below is started from :meth:`DeskApp.run`, and everything it starts is
closed again there, in reverse order, however the run ends (Quit, window closed, SIGTERM).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from operator_desk.net.tasks import TaskOwner
from operator_desk.version import __version__

if TYPE_CHECKING:  # the modules themselves are imported where first needed (start-up time)
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QApplication

    from operator_desk.domain.model import DetailField
    from operator_desk.server.embedded import RunningServer
    from operator_desk.services.desk import Desk
    from operator_desk.services.tokens import TokenStorage
    from operator_desk.store import Store
    from operator_desk.ui.flows.no_cache import NoCache
    from operator_desk.ui.flows.sign_in import SignIn
    from operator_desk.ui.gc_guard import MainThreadGarbageCollector
    from operator_desk.ui.settings import DeskSettings
    from operator_desk.ui.windows.main_window import MainWindow

logger = logging.getLogger("operator_desk.app")

T = TypeVar("T")

DEFAULT_PROFILE = "default"
DEMO_USER = "supervisor"
DEMO_PASSWORD = "demo"
DEMO_VISITORS = 40
# ``--demo --simulate N``: past the simulated browsers above, a crowd held in the demo server (at most
# this many), changing a page every CROWD_SECONDS_PER_PAGE seconds each: 50,000 make 2,000 changes a second.
MAX_SIMULATED = 100_000
CROWD_SECONDS_PER_PAGE = 25.0
# Deferred start-up work runs this long after the window is shown (seconds).
AFTER_FIRST_PAINT = 0.5


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="operator-desk",
        description="Operator Desk: answer your website's live chats, with privacy built in.",
        epilog="Data-subject requests in batch, without a window: operator-desk export-subject, "
               "erase-subject, approve-erasure (each with --help).",
    )
    parser.add_argument("--server", metavar="URL",
                        help="chat server address, e.g. wss://chat.example.com (default: the saved one)")
    parser.add_argument("--profile", metavar="NAME", default=DEFAULT_PROFILE,
                        help="profile (one server account on this computer) to use (default: %(default)s)")
    parser.add_argument("--allow-insecure", action="store_true",
                        help="allow unencrypted ws:// to a server that is not on this computer")
    launcher = parser.add_mutually_exclusive_group()
    launcher.add_argument("--install-launcher", action="store_true",
                          help="add the desk to your desktop's application menu (this user) and exit")
    launcher.add_argument("--uninstall-launcher", action="store_true",
                          help="remove what --install-launcher added, and exit")
    parser.add_argument("--ca-file", metavar="PEM",
                        help="trust the certificate authorities in this file for wss:// (a company CA), "
                             "besides the system's; overrides the setting")
    parser.add_argument("--lang", choices=("de", "en"), help="language of the interface")
    parser.add_argument("--demo", action="store_true",
                        help="start a built-in demo server with simulated visitors and sign in to it")
    parser.add_argument("--simulate", type=_simulated_count, metavar="N",
                        help=f"with --demo: about N visitors on the demo site (default {DEMO_VISITORS}): "
                             f"{DEMO_VISITORS} simulated browsers that chat, the rest a crowd that browses")
    parser.add_argument("--log-level", default=os.environ.get("OPERATOR_DESK_LOG", "INFO"),
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"), help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"operator-desk {__version__}")
    return parser


def _simulated_count(text: str) -> int:
    count = int(text)
    if not 0 <= count <= MAX_SIMULATED:
        raise argparse.ArgumentTypeError(f"from 0 to {MAX_SIMULATED:,}")
    return count


# The desktop-integration id: the .desktop file, the AppStream metainfo and the icon are named after it.
APP_ID = "org.operatordesk.OperatorDesk"
PAYLOAD_LOGGERS = ("websockets", "qasync", "asyncio")


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Libraries that log payloads at DEBUG are never below INFO, whatever the level asked for:
    # websockets logs frames (message text, names, addresses); qasync the arguments and results of
    # every call it runs in a thread (the sign-in token read from and handed to the keyring); asyncio,
    # in debug mode, the callbacks it runs with their arguments.
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    # The demo server's own websockets logger says "connection open/closed" for every simulated visitor.
    logging.getLogger("websockets.server").setLevel(logging.WARNING)


class StartupError(Exception):
    """Something needed at start failed; the message is for the user (no traceback)."""


class DeskApp:
    """One run of the desk: builds the objects, runs the sign-in flow, waits for the end, closes all.

    Imports of the heavier layers happen where they are first needed, so that the window appears sooner
    (see benchmarks/ui_cold_start.py)."""

    def __init__(self, args: argparse.Namespace, qt_app: QApplication,
                 collector: MainThreadGarbageCollector | None = None) -> None:
        from operator_desk.ui.bridge import EventBridge

        self.args = args
        self.qt_app = qt_app
        self.collector = collector   # frozen once the window is up
        self.bridge = EventBridge()
        self.settings: DeskSettings | None = None
        self.store: Store | None = None
        self.server: RunningServer | None = None
        self.desk: Desk | None = None
        self.window: MainWindow | None = None
        self.tokens: TokenStorage | None = None
        self.detector = LazyDetector()
        self.sign_in: SignIn | None = None
        self.temp_profile: Path | None = None
        self._translators: list[QTranslator] = []
        self._done: asyncio.Future[int] | None = None
        self._tasks = TaskOwner(logger)

    def _spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        # Every task has an owner that keeps it alive and cancels it at shutdown (STYLE §2); a failure
        # (e.g. a StoreError while applying retention after the settings were saved) is logged at once.
        return self._tasks.spawn(coro, "background task")

    # -- the run --------------------------------------------------------------------------------------

    async def run(self) -> int:
        from operator_desk.ui.signal_wakeup import SignalWakeup

        self._done = asyncio.get_running_loop().create_future()
        wakeup = SignalWakeup(self._on_signal)
        try:
            try:
                started = await self._start()
            except StartupError as exc:
                print(f"operator-desk: {exc}", file=sys.stderr, flush=True)
                return 1
            if not started:
                return 0
            if self.collector is not None:
                # What exists now lives as long as the window: keep it out of every later collection.
                self.collector.freeze()
            return await self._done
        finally:
            await self._shutdown()
            wakeup.close()

    async def _start(self) -> bool:
        from operator_desk.services.cache import keep_transcripts_for
        from operator_desk.ui.flows.no_cache import NoCache
        from operator_desk.ui.flows.sign_in import SignIn
        from operator_desk.ui.i18n import catalog_cache_dir, choose_language, install_translations
        from operator_desk.ui.resources import style_sheet

        if self.args.demo:
            await self._start_demo_server()
        settings = self.settings = self._build_settings()
        language = choose_language(self.args.lang, settings.language)
        self._translators = install_translations(self.qt_app, language, catalog_cache_dir())
        self.qt_app.setStyleSheet(style_sheet())
        server_url = self.server.url if self.server else (self.args.server or settings.server_url)
        if self.server is not None:
            # The demo's settings live in its temporary profile: show its real address there.
            settings.server_url = server_url
        ca_file = self._ca_file()
        if ca_file is not None and not os.access(ca_file, os.R_OK):
            raise StartupError(f"cannot read the CA file {ca_file}")

        opened = await self._open_cache()
        if opened is NoCache.QUIT:
            return False
        self.store = None if isinstance(opened, NoCache) else opened
        if self.store is not None:
            await keep_transcripts_for(self.store, settings.retention_days)
        tokens = self.tokens = self._token_storage()
        desk = self.desk = self._build_desk(server_url, tokens)
        window = self.window = self._build_window(desk, settings)
        sign_in = self.sign_in = SignIn(desk, settings, server_url, switch_server=self._switch_server,
                                        on_quit=lambda: self._finish(0), tasks=self._tasks, parent=window)
        self.bridge.signed_out.connect(sign_in.on_bridge_signed_out)
        if self.args.demo:
            await desk.sign_in(DEMO_USER, DEMO_PASSWORD)
            self._show_window(window)
            return True
        signed_in = await sign_in.with_stored_token()
        self._show_window(window)
        return signed_in or await sign_in.until_signed_in()

    async def _open_cache(self) -> Store | NoCache:
        """The profile's cache, or what the user chose instead; the demo's is new, in its profile."""
        if not self.args.demo:
            from operator_desk.ui.flows.cache_opening import open_cache

            return await open_cache(self.args.profile)
        from operator_desk.store import RawKey, Store

        assert self.temp_profile is not None
        # The demo's cache key is random and held only in memory: nothing outlives the process.
        return await Store.open(self.temp_profile / "cache.sqlite3", RawKey(secrets.token_bytes(32)))

    def _token_storage(self) -> TokenStorage:
        """Where the sign-in token is kept: the OS keyring, or for the demo only in memory."""
        if self.args.demo:
            from operator_desk.services.tokens import MemoryTokens

            return MemoryTokens()
        from operator_desk.platform.keystore import TokenStore

        return TokenStore(self.args.profile)

    def _build_settings(self) -> DeskSettings:
        from PySide6.QtCore import QSettings

        from operator_desk.ui.settings import DeskSettings

        if self.temp_profile is not None:
            qsettings = QSettings(str(self.temp_profile / "settings.ini"), QSettings.Format.IniFormat)
        else:
            qsettings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "operator-desk",
                                  f"desk-{self.args.profile}")
        return DeskSettings(qsettings)

    async def _start_demo_server(self) -> None:
        from operator_desk.server.embedded import ServerOptions, start_server

        visitors = DEMO_VISITORS if self.args.simulate is None else self.args.simulate
        self.temp_profile = Path(tempfile.mkdtemp(prefix="operator-desk-demo-"))
        os.chmod(self.temp_profile, 0o700)
        try:
            self.server = await start_server(ServerOptions(
                data_dir=self.temp_profile / "server", host="127.0.0.1", port=0, demo=True,
                simulate=min(visitors, DEMO_VISITORS), colleagues=True,
                crowd=max(0, visitors - DEMO_VISITORS),
                crowd_page_changes=max(0, visitors - DEMO_VISITORS) / CROWD_SECONDS_PER_PAGE,
            ))
        except Exception as exc:
            logger.debug("demo server failed to start", exc_info=True)
            raise StartupError(f"the demo server could not start ({type(exc).__name__}: {exc})") from exc
        print(f"widget: {self.server.widget_url}", flush=True)
        logger.info("demo server on port %d", self.server.port)

    def _build_desk(self, server_url: str, tokens: TokenStorage) -> Desk:
        from operator_desk.services.desk import Desk

        return Desk(server_url=server_url, profile=self.args.profile if not self.args.demo else "demo",
                    sink=self.bridge, store=self.store, tokens=tokens,
                    allow_insecure=self.args.allow_insecure, ca_file=self._ca_file(),
                    client_version=__version__, status_memory=self.settings,
                    # The demo shows routing: its accounts take chats from the start.
                    default_status="available" if self.args.demo else "away")

    def _ca_file(self) -> str | None:
        """A company CA for wss://: ``--ca-file``, else the setting (read when a desk is built)."""
        saved = self.settings.ca_file if self.settings is not None else ""
        return self.args.ca_file or saved or None

    def _build_window(self, desk: Desk, settings: DeskSettings) -> MainWindow:
        from operator_desk.ui.windows.main_window import MainWindow

        window = MainWindow(desk, self.bridge, settings, self.detector, demo=self.args.demo)
        window.closed.connect(self._on_window_closed)
        window.settings_saved.connect(self._on_window_settings_saved)
        window.restore_layout()
        return window

    def _show_window(self, window: MainWindow) -> None:
        window.show()
        window.raise_()
        # After the first paint: what the window does not need to appear (STYLE §2: the loop stays free).
        asyncio.get_running_loop().call_later(AFTER_FIRST_PAINT, self.detector.load)

    async def _switch_server(self, server_url: str) -> Desk:
        """Another server address from the sign-in dialog: a new desk, same bridge, same window."""
        assert self.desk is not None and self.window is not None and self.tokens is not None
        await self.desk.close()
        self.desk = self._build_desk(server_url, self.tokens)
        self.window.attach_desk(self.desk)
        return self.desk

    # -- events the app itself watches ----------------------------------------------------------------

    def _on_window_settings_saved(self) -> None:
        from operator_desk.services.cache import keep_transcripts_for

        if self.store is not None and self.settings is not None:
            self._spawn(keep_transcripts_for(self.store, self.settings.retention_days))

    def _on_window_closed(self) -> None:
        self._finish(0)

    def _on_signal(self, number: int) -> None:
        logger.info("signal %d: quitting", number)
        if self.window is not None and self.window.isVisible():
            # Saves the layout, then _on_window_closed. No question about open chats: a signal is
            # not someone at the desk who could answer it.
            self.window.close_without_asking()
        self._finish(0)

    def _finish(self, code: int) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(code)

    # -- shutdown -------------------------------------------------------------------------------------

    async def _shutdown(self) -> None:
        if self.sign_in is not None:
            self.sign_in.stop()
        await self._tasks.close()
        if self.desk is not None:
            with contextlib.suppress(Exception):
                await self.desk.close()
        if self.store is not None:
            with contextlib.suppress(Exception):
                await self.store.close()
        if self.server is not None:
            with contextlib.suppress(Exception):
                await self.server.close()
        if self.window is not None:
            self.window.hide()
            self.window.deleteLater()
        if self.temp_profile is not None:
            shutil.rmtree(self.temp_profile, ignore_errors=True)
            logger.info("demo profile removed")
        logger.info("stopped")


class LazyDetector:
    """The services' free-text detector of requests for personal details, imported on first use or by
    ``load()``: compiling its patterns takes ~30 ms, which the first paint does not need."""

    def __init__(self) -> None:
        self._detect: Callable[[str], frozenset[DetailField]] | None = None

    def load(self) -> Callable[[str], frozenset[DetailField]]:
        if self._detect is None:
            from operator_desk.services.detect import detail_fields_asked_for

            self._detect = detail_fields_asked_for
        return self._detect

    def __call__(self, text: str) -> frozenset[DetailField]:
        return self.load()(text)


def launcher_command(install: bool) -> int:
    from operator_desk.platform import launcher

    home = launcher.data_home()
    if not install:
        removed = launcher.uninstall_launcher(home)
        print("removed:\n" + launcher.describe(removed) if removed else "no launcher was installed")
        return 0
    if getattr(sys, "frozen", False):          # the PyInstaller build: its own executable
        command = [sys.executable]
    elif Path(sys.argv[0]).name.startswith("operator-desk"):   # the console script pip installed
        command = [str(Path(sys.argv[0]).resolve())]
    else:                                       # python -m operator_desk
        command = [sys.executable, "-m", "operator_desk"]
    try:
        written = launcher.install_launcher(command, home)
    except (OSError, ValueError) as exc:
        print(f"operator-desk: {exc}", file=sys.stderr)
        return 1
    print("Operator Desk is in your application menu now (it may take a moment to appear):\n"
          + launcher.describe(written))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from operator_desk.commands import NAMES

    if argv and argv[0] in NAMES:   # the command line for batch work (commands/), no window
        from operator_desk.commands.cli import main as command_main

        return command_main(argv, __version__)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.simulate is not None and not args.demo:
        parser.error("--simulate goes with --demo")
    configure_logging(args.log_level)
    if args.install_launcher or args.uninstall_launcher:
        return launcher_command(args.install_launcher)
    # Which copy runs (a checkout, a wheel, the frozen build): packaging/smoke_test.py checks it.
    logger.info("operator-desk %s, operator_desk from %s", __version__, Path(__file__).resolve().parent)

    import qasync
    from PySide6.QtWidgets import QApplication

    from operator_desk.ui import icons

    existing = QApplication.instance()
    qt_app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    qt_app.setApplicationName("Operator Desk")
    qt_app.setOrganizationName("operator-desk")
    qt_app.setApplicationVersion(__version__)
    qt_app.setDesktopFileName(APP_ID)   # the window belongs to packaging/<APP_ID>.desktop
    qt_app.setQuitOnLastWindowClosed(False)   # the desk decides when to end (dialogs come and go)
    qt_app.setWindowIcon(icons.icon("app"))
    from operator_desk.ui.gc_guard import MainThreadGarbageCollector

    collector = MainThreadGarbageCollector(qt_app)
    collector.start()
    desk_app = DeskApp(args, qt_app, collector)
    try:
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(qt_app)) as runner:
            return runner.run(desk_app.run())
    except KeyboardInterrupt:
        return 130
    finally:
        collector.stop()
