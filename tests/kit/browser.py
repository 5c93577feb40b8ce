"""The visitor widget in a real headless Chromium (Debian's chromium and chromedriver), for the widget
tests and the deployment tests: the browser, the demo server behind a reverse proxy that says where the
browser is, and the steps a visitor takes in the widget.

CI sets ``OPERATOR_DESK_REQUIRE_BROWSER=1``: there a missing browser is a failure, not a skip.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from operator_desk.server.embedded import ServerOptions
from tests.kit.clients import SyncClient
from tests.kit.servers import ThreadedServer
from tests.kit.timing import BROWSER_WAIT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

# CI sets this: there the browser tests must run, and a missing browser is a failure, not a skip.
BROWSER_REQUIRED = os.environ.get("OPERATOR_DESK_REQUIRE_BROWSER") == "1"
NO_BROWSER = "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium chromium-driver)"

# 192.0.2.0/25 is "Berlin, Spreewald Logistik GmbH" in the server's bundled demo directory.
VISITOR_IP = "192.0.2.10"
VISITOR_CITY = "Berlin"
VISITOR_COMPANY = "Spreewald Logistik GmbH"
SHOTS = Path(os.environ.get("WIDGET_SHOTS", "/tmp/widget-shots"))
BROWSER_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


# -- the server, on its own loop, behind a proxy ----------------------------------------------------------


class ForwardingProxy:
    """A reverse proxy in front of the server that adds ``X-Forwarded-For`` to each request. The server
    answers every plain HTTP request with ``Connection: close``, so each connection carries one request
    head (or one WebSocket handshake) and only that head needs the header."""

    def __init__(self, upstream_port: int, client_ip: str) -> None:
        self.upstream_port = upstream_port
        self.client_ip = client_ip
        self.port = 0
        self.down = False
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.add(writer)
        upstream: asyncio.StreamWriter | None = None
        try:
            if self.down:
                return
            head = await reader.readuntil(b"\r\n\r\n")
            first_line_end = head.index(b"\r\n") + 2
            head = (
                head[:first_line_end]
                + f"X-Forwarded-For: {self.client_ip}\r\n".encode("ascii")
                + head[first_line_end:]
            )
            up_reader, upstream = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            self._writers.add(upstream)
            upstream.write(head)
            await asyncio.gather(self._pipe(reader, upstream), self._pipe(up_reader, writer))
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            for w in (writer, upstream):
                if w is not None:
                    self._writers.discard(w)
                    w.transport.abort()
            self._tasks.discard(task)

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.transport.abort()

    def cut(self) -> None:
        """Drops every open connection at once, as a network outage would."""
        for writer in list(self._writers):
            writer.transport.abort()

    async def close(self) -> None:
        assert self._server is not None
        self._server.close()
        self.cut()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()


class ServedWidget(ThreadedServer):
    """The demo server on a loop of its own (selenium is synchronous), behind a ``ForwardingProxy`` that
    says the browser is at ``VISITOR_IP``; ``page_url`` is the widget's page through the proxy."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(ServerOptions(data_dir=data_dir, demo=True))
        self.data_dir = data_dir
        self.proxy: ForwardingProxy

    def start(self) -> ServedWidget:
        super().start()
        self.proxy = ForwardingProxy(self.running.port, VISITOR_IP)
        self.call(self.proxy.start())
        return self

    def set_proxy_down(self, down: bool) -> None:
        def apply() -> None:
            self.proxy.down = down
            if down:
                self.proxy.cut()

        self.loop.call_soon_threadsafe(apply)

    def stop(self) -> None:
        try:
            self.call(self.proxy.close())
        finally:
            super().stop()

    @property
    def page_url(self) -> str:
        return f"http://127.0.0.1:{self.proxy.port}/widget/"


@contextmanager
def signed_in_operator(served: ThreadedServer, username: str = "operator",
                       password: str = "demo") -> Iterator[SyncClient]:
    """An operator's desk over the real protocol, signed in and subscribed to the visitor list."""
    with SyncClient.connect(served.operator_url) as desk:
        desk.ok("auth.login", {"username": username, "password": password})
        desk.ok("visitors.subscribe")
        yield desk


# -- the browser ------------------------------------------------------------------------------------------


def chrome(profile: Path, *, language: str | None = "en-US", phone: bool = False,
           extra_args: tuple[str, ...] = ()) -> WebDriver:
    """A headless Chromium with its profile in ``profile``, its browser log kept (``get_log``)."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.fail(f"no browser to drive: {CHROMIUM} or {CHROMEDRIVER} is missing")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (*BROWSER_ARGS, *extra_args):
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={profile}")
    if language is not None:
        options.add_argument(f"--lang={language}")
        options.add_experimental_option("prefs", {"intl.accept_languages": language})
    if phone:
        # Headless windows have a minimum width above 360 px: emulate the phone's viewport.
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": 360, "height": 640, "pixelRatio": 1.0}}
        )
    else:
        options.add_argument("--window-size=1280,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=ChromeService(str(CHROMEDRIVER)), options=options)


def complaints_of(driver: WebDriver) -> list[str]:
    """What the browser logged: a CSP violation ("security"), an uncaught error ("javascript") or any
    console output ("console-api": the widget logs nothing, as messages are personal data). Network
    noise (a refused reconnect) is expected in some tests and left out."""
    return [e["message"] for e in driver.get_log("browser") if e.get("source") != "network"]


@contextmanager
def browsers(folder: Path) -> Iterator[Callable[..., WebDriver]]:
    """``open_one(language="en-US", phone=False)``: a new browser each call, with a profile in
    ``folder``; all quit at the end, which fails if any of them complained (``complaints_of``)."""
    drivers: list[WebDriver] = []

    def open_one(language: str = "en-US", phone: bool = False) -> WebDriver:
        driver = chrome(folder / f"profile-{len(drivers)}", language=language, phone=phone)
        drivers.append(driver)
        return driver

    complaints: list[str] = []
    try:
        yield open_one
    finally:
        for driver in drivers:
            complaints += complaints_of(driver)
            driver.quit()
    assert complaints == [], "the browser complained"


# -- a visitor's steps, and the operator's answers ---------------------------------------------------------


def wait(driver: WebDriver, condition: Callable[[WebDriver], Any], what: str) -> Any:
    # A stale element means the widget re-rendered under the condition: ask again.
    waiter = WebDriverWait(driver, BROWSER_WAIT, ignored_exceptions=(StaleElementReferenceException,))
    return waiter.until(condition, f"waited for {what}")


def visible(driver: WebDriver, css: str, last: bool = False) -> WebElement:
    """The first (or last) displayed element matching ``css``, once there is one."""

    def found(d: WebDriver) -> WebElement | bool:
        elements = [e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()]
        return (elements[-1] if last else elements[0]) if elements else False

    return wait(driver, found, css)


def text_of(driver: WebDriver, element: WebElement) -> str:
    """The exact text content (WebElement.text collapses white space the way a reader sees it)."""
    return driver.execute_script("return arguments[0].textContent", element)


def shot(driver: WebDriver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def open_widget(driver: WebDriver, served: ServedWidget) -> None:
    driver.get(served.page_url)
    visible(driver, ".odw-launcher").click()
    visible(driver, ".odw-prechat input[data-purpose='chat']")


def start_chat(driver: WebDriver, name: str, first_message: str) -> None:
    visible(driver, ".odw-prechat input[data-purpose='chat']").click()
    driver.find_element(By.CSS_SELECTOR, ".odw-prechat input[autocomplete='name']").send_keys(name)
    driver.find_element(By.CSS_SELECTOR, ".odw-prechat textarea").send_keys(first_message)
    driver.find_element(By.CSS_SELECTOR, ".odw-prechat button[type='submit']").click()
    visible(driver, ".odw-composer-input")


def accept_chat(desk: SyncClient, name: str) -> str:
    incoming = desk.push("chat.incoming", lambda p: p["visitor"]["name"] == name)
    chat_id = incoming["chat"]["id"]
    desk.ok("chat.accept", {"chat_id": chat_id})
    return chat_id


def chat_in_widget(driver: WebDriver, served: ServedWidget, desk: SyncClient, name: str,
                   first_message: str) -> str:
    """The visitor opens the widget, starts a chat as ``name`` with ``first_message``, and ``desk``
    accepts it: the chat's id."""
    open_widget(driver, served)
    start_chat(driver, name, first_message)
    return accept_chat(desk, name)


def closed(chat_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda p: p["chat"]["id"] == chat_id and p["chat"]["state"] == "closed"


def operator_says(driver: WebDriver, desk: SyncClient, chat_id: str, text: str) -> None:
    desk.ok("chat.send", {"chat_id": chat_id, "client_msg_id": f"m-{time.monotonic_ns()}", "text": text})
    wait(
        driver,
        lambda d: any(
            text_of(d, e) == text for e in d.find_elements(By.CSS_SELECTOR, ".odw-msg-operator .odw-bubble")
        ),
        "the operator's message in the widget",
    )
