"""Fixtures of the widget tests (tests.kit.browser): the demo server behind its proxy, an operator
signed in over the protocol, and browsers that fail the test if they complained."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from tests.kit.browser import ServedWidget, browsers, signed_in_operator
from tests.kit.clients import SyncClient


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedWidget]:
    running = ServedWidget(tmp_path_factory.mktemp("server-data")).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def operator(served: ServedWidget) -> Iterator[SyncClient]:
    with signed_in_operator(served) as desk:
        yield desk


@pytest.fixture
def open_browser(tmp_path: Path) -> Iterator[Callable[..., WebDriver]]:
    """``open_browser(language="en-US", phone=False)``: a headless Chromium (tests.kit.browser.browsers);
    any CSP violation, uncaught error or console output fails the test."""
    with browsers(tmp_path) as open_one:
        yield open_one
