"""The widget on someone else's website: a shop on one loopback origin (127.0.0.2) adds one script tag
loaded from the chat server on another (127.0.0.1). The widget talks to the server it came from, the
shop's own Content-Security-Policy (the one docs/widget.md tells a site to add) is enough, and a page on
an origin the server does not allow gets no visitor connection."""

from __future__ import annotations

import http.server
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from operator_desk.domain.model import Role
from operator_desk.server.embedded import ServerOptions, add_operator_sync
from tests.kit.browser import signed_in_operator, start_chat, text_of, visible, wait
from tests.kit.clients import SyncClient
from tests.kit.servers import ThreadedServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOP_HOST = "127.0.0.2"
REFUSED_HOST = "127.0.0.3"
PASSWORD = "a long enough test password"
SHOP_PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Harbour Books</title>
<script src="{server}/widget/embed.js" async></script>
<script src="{server}/widget/embed.js" async></script></head>
<body><h1>Harbour Books</h1><p>Second-hand books by the sea.</p></body>
</html>
"""


def shop_policy(server: str) -> str:
    """The Content-Security-Policy a site adds for the widget (docs/widget.md, "On your own site")."""
    socket = server.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
    return (f"default-src 'self'; script-src 'self' {server}; style-src 'self' {server}; "
            f"connect-src 'self' {socket}")


class Shop:
    """A site's own web server: one page, served with the site's own CSP."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.page = b""
        self.policy = ""
        shop = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != "/":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Security-Policy", shop.policy)
                self.send_header("Content-Length", str(len(shop.page)))
                self.end_headers()
                self.wfile.write(shop.page)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer((host, 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}/"

    def __enter__(self) -> Shop:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)


class ChatServer(ThreadedServer):
    """The chat server (not in demo mode), allowing exactly the shop's origin, with one operator."""

    def __init__(self, data_dir: Path, allowed_origin: str) -> None:
        config = data_dir.parent / "site.toml"
        # A site of its own: its notices name who is responsible (the server refuses them otherwise).
        config.write_text(f'[origins]\nallowed = ["{allowed_origin}"]\n'
                          '[controller]\nname = "Harbour Books Ltd"\naddress = "2 Quay Road, Portsea"\n'
                          'email = "privacy@harbour-books.example"\n', "utf-8")
        super().__init__(ServerOptions(data_dir=data_dir, config_path=config))

    def __enter__(self) -> ChatServer:
        self.options.data_dir.mkdir()
        add_operator_sync(self.options.data_dir, "ada", PASSWORD, Role.OPERATOR, "Ada")
        super().__enter__()
        return self

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.running.port}"


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[tuple[Shop, Shop, ChatServer]]:
    with (Shop(SHOP_HOST) as shop, Shop(REFUSED_HOST) as elsewhere,
          ChatServer(tmp_path / "data", shop.url.rstrip("/")) as chat):
        for site in (shop, elsewhere):
            site.page = SHOP_PAGE.format(server=chat.base).encode("utf-8")
            site.policy = shop_policy(chat.base)
        yield shop, elsewhere, chat


@pytest.fixture
def desk(sites: tuple[Shop, Shop, ChatServer]) -> Iterator[SyncClient]:
    with signed_in_operator(sites[2], "ada", PASSWORD) as operator:
        yield operator


def test_a_shop_on_another_origin_chats_through_one_script_tag(
    sites: tuple[Shop, Shop, ChatServer], desk: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    shop, _, _ = sites
    driver = open_browser()
    driver.get(shop.url)
    # The visitor is on the shop's page, seen by the operator over the chat server.
    arrived = desk.push("visitor.upsert", lambda p: p["visitor"]["page"]["url"] == shop.url)
    assert arrived["visitor"]["page"]["title"] == "Harbour Books"
    visible(driver, ".odw-launcher").click()
    start_chat(driver, "Grace", "Do you have Moby-Dick?")
    incoming = desk.push("chat.incoming", lambda p: p["visitor"]["name"] == "Grace")
    chat_id = incoming["chat"]["id"]
    desk.ok("chat.accept", {"chat_id": chat_id})
    desk.ok("chat.send", {"chat_id": chat_id, "client_msg_id": "m-1", "text": "Two copies, yes."})
    wait(driver, lambda d: any(text_of(d, e) == "Two copies, yes."
                               for e in d.find_elements(By.CSS_SELECTOR, ".odw-msg-operator .odw-bubble")),
         "the operator's answer on the shop's page")
    # The widget added itself once (the page has the tag twice) and left the page its own language.
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en-GB"
    assert len(driver.find_elements(By.CSS_SELECTOR, ".odw")) == 1


def test_a_site_the_server_does_not_allow_gets_no_visitor_connection(
    sites: tuple[Shop, Shop, ChatServer], desk: SyncClient, open_browser: Callable[..., WebDriver],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, elsewhere, _ = sites
    caplog.set_level(logging.INFO, "operator_desk.server.http")
    driver = open_browser()
    driver.get(elsewhere.url)
    # The scripts load (they are public files), but the server refuses the socket: the widget says so.
    visible(driver, ".odw-launcher").click()
    wait(driver, lambda _: "not allowed" in caplog.text, "the server's refusal")
    banner = visible(driver, ".odw-banner")
    wait(driver, lambda _: banner.text.startswith("Connection lost."), "the widget's offline banner")
    visitors = desk.ok("visitors.subscribe")["visitors"]
    assert [v for v in visitors if v["page"]["url"].startswith(elsewhere.url)] == []
    assert "Two copies" not in caplog.text
