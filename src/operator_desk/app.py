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
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from operator_desk import __version__

logger = logging.getLogger("operator_desk.app")

DEFAULT_PROFILE = "default"
DEMO_USER = "supervisor"
DEMO_PASSWORD = "demo"
DEMO_VISITORS = 40
# "visitors: N" is logged when the count changes, at most this often (first count at once).
VISITOR_LOG_INTERVAL = 30.0
# Deferred start-up work runs this long after the window is shown (seconds).
AFTER_FIRST_PAINT = 0.5


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="operator-desk",
        description="Operator Desk: answer your website's live chats, with privacy built in.",
    )
    parser.add_argument("--server", metavar="URL",
                        help="chat server address, e.g. wss://chat.example.com (default: the saved one)")
    parser.add_argument("--profile", metavar="NAME", default=DEFAULT_PROFILE,
                        help="profile (one server account on this computer) to use (default: %(default)s)")
    parser.add_argument("--allow-insecure", action="store_true",
                        help="allow unencrypted ws:// to a server that is not on this computer")
    parser.add_argument("--lang", choices=("de", "en"), help="language of the interface")
    parser.add_argument("--demo", action="store_true",
                        help="start a built-in demo server with simulated visitors and sign in to it")
    parser.add_argument("--log-level", default=os.environ.get("OPERATOR_DESK_LOG", "INFO"),
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"), help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"operator-desk {__version__}")
    return parser


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


class MemoryTokens:
    """The demo's token store: the token lives only as long as the process."""

    def __init__(self) -> None:
        self._token: str | None = None

    def get(self) -> str | None:
        return self._token

    def set(self, token: str) -> None:
        self._token = token

    def delete(self) -> bool:
        had, self._token = self._token is not None, None
        return had


class SignalWakeup:
    """SIGTERM/SIGINT -> a callback on the Qt thread. Python runs signal handlers only between
    bytecodes, and Qt's loop may sit in C++ for long; the wakeup fd turns the signal into a readable
    socket that Qt watches, so the app reacts at once."""

    def __init__(self, on_signal: Callable[[int], None]) -> None:
        from PySide6.QtCore import QSocketNotifier

        self._on_signal = on_signal
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._write.fileno())
        self._previous = {s: signal.signal(s, lambda *_: None) for s in (signal.SIGTERM, signal.SIGINT)}
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._on_notifier_activated)

    def _on_notifier_activated(self, *_args: Any) -> None:
        try:
            data = self._read.recv(64)
        except BlockingIOError:
            return
        for number in data:
            self._on_signal(number)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._read.close()
        self._write.close()


class DeskApp:
    """One run of the desk: builds the objects, runs the sign-in flow, waits for the end, closes all."""

    def __init__(self, args: argparse.Namespace, qt_app: Any, collector: Any = None) -> None:
        from operator_desk.ui.bridge import EventBridge

        self.args = args
        self.qt_app = qt_app
        self.collector = collector   # ui.gc_guard.MainThreadGarbageCollector, frozen once started
        self.bridge = EventBridge()
        self.settings: Any = None
        self.store: Any = None
        self.server: Any = None
        self.desk: Any = None
        self.window: Any = None
        self.tokens: Any = None
        self.detector: Any = None
        self.server_url = ""
        self.temp_profile: Path | None = None
        self._done: asyncio.Future[int] | None = None
        self._login_task: asyncio.Task[None] | None = None
        self._last_visitor_log = 0.0
        self._last_visitor_count = -1
        self._shutting_down = False
        self._tasks: set[asyncio.Task[Any]] = set()

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        # Every task has an owner that keeps it alive and cancels it at shutdown (STYLE §2).
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        # Retrieve a failure at once (e.g. a StoreError while applying retention after the settings
        # were saved): otherwise it surfaces only as "Task exception was never retrieved", if ever.
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("background task failed", exc_info=task.exception())

    # -- the run --------------------------------------------------------------------------------------

    async def run(self) -> int:
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
        from operator_desk.ui.i18n import choose_language, install_translations
        from operator_desk.ui.resources import style_sheet

        if self.args.demo:
            await self._start_demo_server()
        self.settings = self._build_settings()
        language = choose_language(self.args.lang, self.settings.language)
        self._translators = install_translations(self.qt_app, language, self._cache_dir() / "translations")
        self.qt_app.setStyleSheet(style_sheet())
        self.server_url = self.server.url if self.server else (self.args.server or self.settings.server_url)

        if self.args.demo:
            from operator_desk.store import RawKey, Store

            # The demo's cache key is random and held only in memory: nothing outlives the process.
            self.store = await Store.open(self.temp_profile / "cache.sqlite3",
                                          RawKey(secrets.token_bytes(32)))
            self.tokens = MemoryTokens()
        else:
            from operator_desk.platform.keystore import TokenStore

            self.store = await self._open_cache()
            if self.store is False:
                return False
            self.tokens = TokenStore(self.args.profile)
        await self._apply_retention()
        self.desk = self._build_desk(self.server_url)
        self._build_window()
        if self.args.demo:
            await self.desk.sign_in(DEMO_USER, DEMO_PASSWORD)
            self._show_window()
            return True
        signed_in = False
        try:
            signed_in = await self.desk.start()
        except Exception as exc:
            logger.info("token sign-in failed: %s", getattr(exc, "code", type(exc).__name__))
        self._show_window()
        if not signed_in:
            return await self._login()
        return True

    def _build_settings(self) -> Any:
        from PySide6.QtCore import QSettings

        from operator_desk.ui.settings import DeskSettings

        if self.temp_profile is not None:
            qsettings = QSettings(str(self.temp_profile / "settings.ini"), QSettings.Format.IniFormat)
        else:
            qsettings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "operator-desk",
                                  f"desk-{self.args.profile}")
        return DeskSettings(qsettings)

    def _cache_dir(self) -> Path:
        import platformdirs

        return platformdirs.user_cache_path("operator-desk", appauthor=False)

    async def _start_demo_server(self) -> None:
        from operator_desk.server.embedded import ServerOptions, start_server

        self.temp_profile = Path(tempfile.mkdtemp(prefix="operator-desk-demo-"))
        os.chmod(self.temp_profile, 0o700)
        try:
            self.server = await start_server(ServerOptions(
                data_dir=self.temp_profile / "server", host="127.0.0.1", port=0, demo=True,
                simulate=DEMO_VISITORS,
            ))
        except Exception as exc:
            logger.debug("demo server failed to start", exc_info=True)
            raise StartupError(f"the demo server could not start ({type(exc).__name__}: {exc})") from exc
        print(f"widget: {self.server.widget_url}", flush=True)
        logger.info("demo server on port %d", self.server.port)

    def _build_desk(self, server_url: str) -> Any:
        from operator_desk.services.desk import Desk

        return Desk(server_url=server_url, profile=self.args.profile if not self.args.demo else "demo",
                    sink=self.bridge, store=self.store or None, tokens=self.tokens,
                    allow_insecure=self.args.allow_insecure, client_version=__version__)

    def _build_window(self) -> None:
        from operator_desk.ui.windows.main_window import MainWindow

        self.detector = detect_fields()
        self.window = MainWindow(self.desk, self.bridge, self.settings, self.detector, demo=self.args.demo)
        self.window.closed.connect(self._on_window_closed)
        self.window.settings_saved.connect(self._on_window_settings_saved)
        self.window.review_transcripts_requested.connect(self._on_window_review_transcripts_requested)
        self.window.review_subjects_requested.connect(self._on_window_review_subjects_requested)
        self.bridge.signed_out.connect(self._on_bridge_signed_out)
        self.bridge.visitors_changed.connect(self._on_bridge_visitors_changed)
        self.window.restore_layout()

    def _show_window(self) -> None:
        self.window.show()
        self.window.raise_()
        # After the first paint: what the window does not need to appear (STYLE §2: the loop stays free).
        asyncio.get_running_loop().call_later(AFTER_FIRST_PAINT, self.detector.load)

    # -- the local cache ------------------------------------------------------------------------------

    async def _open_cache(self) -> Any:
        """The open store, None for "no local cache this time", or False when the user chose Quit."""
        from operator_desk.platform.keystore import (
            KeyringNotEncrypted,
            KeyStore,
            KeyStoreError,
            KeyStoreUnavailable,
        )
        from operator_desk.platform.paths import cache_path
        from operator_desk.store import RawKey

        path = await asyncio.to_thread(cache_path, self.args.profile)
        keys = KeyStore(self.args.profile)
        try:
            key = await asyncio.to_thread(keys.get_or_create_key)
        except KeyringNotEncrypted as exc:
            logger.info("the keyring backend %s does not encrypt at rest; asking how to protect the cache",
                        exc.backend_name)
            return await self._open_cache_with_passphrase(path, unencrypted_keyring=exc.backend_name)
        except KeyStoreUnavailable:
            logger.info("no usable keyring; asking how to protect the cache")
            return await self._open_cache_with_passphrase(path)
        except KeyStoreError as exc:
            logger.info("the keyring entry is unusable (%s)", type(exc).__name__)
            return await self._open_cache_with_passphrase(path)
        return await self._open_store(path, RawKey(key.material))

    async def _open_cache_with_passphrase(self, path: Path, *, unencrypted_keyring: str = "") -> Any:
        from PySide6.QtCore import QCoreApplication

        from operator_desk.store import Passphrase, WrongKey
        from operator_desk.ui.dialogs.async_dialog import run_dialog
        from operator_desk.ui.dialogs.cache_choice import CacheChoiceDialog

        problem = ""
        existing = await asyncio.to_thread(path.exists)
        while True:
            dialog = CacheChoiceDialog(existing_cache=existing, problem=problem,
                                       unencrypted_keyring=unencrypted_keyring)
            if await run_dialog(dialog) != CacheChoiceDialog.DialogCode.Accepted:
                return False
            choice = dialog.choice()
            dialog.deleteLater()
            if choice.passphrase is None:
                return None
            try:
                return await self._open_store(path, Passphrase(choice.passphrase), raise_wrong_key=True)
            except WrongKey:
                problem = QCoreApplication.translate(
                    "app", "That passphrase does not open the cache. Try again.")

    async def _open_store(self, path: Path, key: Any, *, raise_wrong_key: bool = False) -> Any:
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QMessageBox

        from operator_desk.store import (
            CorruptDatabase,
            DatabaseLocked,
            NewerSchema,
            Store,
            StoreEnvironmentError,
            WrongKey,
            move_aside,
        )
        from operator_desk.ui.dialogs.async_dialog import run_dialog

        while True:
            try:
                return await Store.open(path, key)
            except WrongKey:
                if raise_wrong_key:
                    raise
                reason = QCoreApplication.translate(
                    "app", "The local cache cannot be opened with the key in your keyring.")
                can_reset = True
            except CorruptDatabase:
                reason = QCoreApplication.translate("app", "The local cache is damaged.")
                can_reset = True
            except DatabaseLocked:
                reason = QCoreApplication.translate(
                    "app", "The local cache is in use, probably by another copy of Operator Desk with this "
                    "profile.")
                can_reset = False
            except NewerSchema:
                reason = QCoreApplication.translate(
                    "app", "The local cache was written by a newer version of Operator Desk.")
                can_reset = False
            except StoreEnvironmentError as exc:
                reason = QCoreApplication.translate(
                    "app", "The local cache cannot be opened (%1).").replace("%1", type(exc).__name__)
                can_reset = False
            logger.info("cache did not open: %s", reason)
            box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("app", "Local cache"),
                              reason)
            box.setInformativeText(QCoreApplication.translate(
                "app", "You can go on without a local cache this time: chats work, but nothing is kept on "
                "this computer."))
            fresh = box.addButton(QCoreApplication.translate(
                "app", "Start a fresh cache (keep the old file aside)"),
                QMessageBox.ButtonRole.AcceptRole) if can_reset else None
            without = box.addButton(QCoreApplication.translate("app", "Continue without a local cache"),
                                    QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QCoreApplication.translate("app", "Quit"), QMessageBox.ButtonRole.RejectRole)
            await run_dialog(box)
            clicked = box.clickedButton()
            box.deleteLater()
            if clicked is without:
                return None
            if fresh is None or clicked is not fresh:
                return False
            await asyncio.to_thread(move_aside, path)

    async def _apply_retention(self) -> None:
        if not self.store:
            return
        import msgspec

        limits = await self.store.retention()
        days = self.settings.retention_days
        if limits.transcripts_days != days:
            await self.store.set_retention(msgspec.structs.replace(limits, transcripts_days=days))

    # -- signing in -----------------------------------------------------------------------------------

    async def _login(self, message: str = "") -> bool:
        from operator_desk.ui.dialogs.async_dialog import run_dialog
        from operator_desk.ui.dialogs.login import LoginDialog

        dialog = LoginDialog(self._attempt_sign_in, server_url=self.server_url,
                             username=self.settings.last_username, message=message, parent=self.window)
        accepted = await run_dialog(dialog) == LoginDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            self._finish(0)
        return accepted

    async def _attempt_sign_in(self, url: str, username: str, password: str) -> Any:
        from operator_desk.services.errors import DeskError

        if url != self.server_url:
            await self.desk.close()
            self.server_url = url
            self.desk = self._build_desk(url)
            self.window.attach_desk(self.desk)
        try:
            await self.desk.sign_in(username, password)
        except DeskError as exc:
            logger.info("sign-in failed: %s", exc.code.value)
            return exc.code
        self.settings.server_url = url
        self.settings.last_username = username
        return None

    def _on_bridge_signed_out(self, event: Any) -> None:
        if self._shutting_down:
            return
        from operator_desk.ui.failures import failure_text

        if self._login_task is None or self._login_task.done():
            self._login_task = self._spawn(self._login(failure_text(event.failure)))

    # -- events the app itself watches ----------------------------------------------------------------

    def _on_bridge_visitors_changed(self, _batch: Any) -> None:
        count = self.window.visitor_model.total_count
        now = time.monotonic()
        if count != self._last_visitor_count and (
            self._last_visitor_count <= 0 or now - self._last_visitor_log >= VISITOR_LOG_INTERVAL
        ):
            self._last_visitor_count = count
            self._last_visitor_log = now
            logger.info("visitors: %d", count)

    def _on_window_settings_saved(self) -> None:
        self._spawn(self._apply_retention())

    def _on_window_review_transcripts_requested(self) -> None:
        from operator_desk.ui.windows.transcripts_window import TranscriptsWindow

        self._review = TranscriptsWindow(self.desk, self.window)
        self._review.show()

    def _on_window_review_subjects_requested(self) -> None:
        from operator_desk.ui.windows.subjects_window import SubjectsWindow

        self._subjects = SubjectsWindow(self.desk, self.window)
        self._subjects.show()

    def _on_window_closed(self) -> None:
        self._finish(0)

    def _on_signal(self, number: int) -> None:
        logger.info("signal %d: quitting", number)
        if self.window is not None and self.window.isVisible():
            self.window.close()   # saves the layout, then _on_window_closed
        self._finish(0)

    def _finish(self, code: int) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(code)

    # -- shutdown -------------------------------------------------------------------------------------

    async def _shutdown(self) -> None:
        self._shutting_down = True
        for task in list(self._tasks):
            task.cancel()
        if self.desk is not None:
            with contextlib.suppress(Exception):
                await self.desk.close()
        if self.store:
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
        self._detect: Callable[[str], frozenset] | None = None

    def load(self) -> Callable[[str], frozenset]:
        if self._detect is None:
            from operator_desk.services.detect import detail_fields_asked_for

            self._detect = detail_fields_asked_for
        return self._detect

    def __call__(self, text: str) -> frozenset:
        return self.load()(text)


def detect_fields() -> LazyDetector:
    return LazyDetector()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    configure_logging(args.log_level)

    import qasync
    from PySide6.QtWidgets import QApplication

    from operator_desk.ui import icons

    qt_app = QApplication.instance() or QApplication([sys.argv[0]])
    qt_app.setApplicationName("Operator Desk")
    qt_app.setOrganizationName("operator-desk")
    qt_app.setApplicationVersion(__version__)
    qt_app.setDesktopFileName("operator-desk")
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
