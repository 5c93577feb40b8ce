"""The visitor's privacy in a real headless Chromium against the real server: consent that belongs to
the notice version it was given to (a notice changed between two visits of the same browser), the
notice's layers, the visitor's own data download, and what the widget keeps in the browser.

Each test inspects the browser's storage and drives the widget as a visitor would; the server runs in
the test's own thread (``tests.kit.browser.ServedWidget``) and can be restarted with another
configuration on the same data, as a site publishing a new notice does."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from operator_desk.server.embedded import start_server
from tests.kit.browser import (
    VISITOR_COMPANY,
    ServedWidget,
    open_widget,
    operator_says,
    shot,
    signed_in_operator,
    start_chat,
    text_of,
    visible,
    wait,
)
from tests.kit.clients import SyncClient

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OLD_SENTENCE = "Only the chat itself is needed to talk to us."
NEW_SENTENCE = "Only the chat itself is needed to talk to us. We may read transcripts to train our team."


class RestartableServer(ServedWidget):
    """The served demo, which a test can restart with another configuration on the same data (the
    browser keeps talking to the same proxy, whose upstream follows the new port)."""

    def restart(self, config: Path | None) -> None:
        self.call(self.running.close())
        self.options = dataclasses.replace(self.options, config_path=config)
        self.running = self.call(start_server(self.options))
        self.proxy.upstream_port = self.running.port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[RestartableServer]:
    running = RestartableServer(tmp_path / "server-data").start()
    try:
        yield running
    finally:
        running.stop()


def edited_notice_config(tmp_path: Path) -> Path:
    """The shipped configuration with one sentence added to the English pre-chat notice: published as
    version 2 at the next start, asking for fresh consent (the default)."""
    defaults = (resources.files("operator_desk.server") / "defaults.toml").read_text(encoding="utf-8")
    assert OLD_SENTENCE in defaults
    config = tmp_path / "site.toml"
    config.write_text(defaults.replace(OLD_SENTENCE, NEW_SENTENCE, 1), encoding="utf-8")
    return config


def test_a_notice_changed_between_visits_asks_again_and_nothing_counts_until_then(
    served: RestartableServer, open_browser: Callable[..., WebDriver], tmp_path: Path
) -> None:
    driver = open_browser()
    # First visit: chat and visitor insights granted under version 1.
    with signed_in_operator(served) as desk:
        open_widget(driver, served)
        visible(driver, ".odw-prechat input[data-purpose='visitor_insights']").click()
        start_chat(driver, "Nora Notice", "Is the Fjell tent double-walled?")
        incoming = desk.push("chat.incoming", lambda p: p["visitor"]["name"] == "Nora Notice")
        visitor_id = incoming["visitor"]["id"]
        assert incoming["visitor"]["insights"]["company"] == VISITOR_COMPANY
        desk.ok("chat.accept", {"chat_id": incoming["chat"]["id"]})
        desk.ok("chat.close", {"chat_id": incoming["chat"]["id"]})

    # The site publishes an edited notice (version 2, asking for fresh consent); the visitor comes back.
    served.restart(edited_notice_config(tmp_path))
    with signed_in_operator(served) as desk:
        open_widget(driver, served)
        meta = visible(driver, ".odw-prechat .odw-notice-meta")
        assert "Version 2" in meta.text
        visible(driver, ".odw-prechat .odw-notice-details summary").click()
        assert NEW_SENTENCE in visible(driver, ".odw-prechat .odw-notice-body").text
        changed = visible(driver, ".odw-prechat .odw-notice-changed")
        assert "changed since you last agreed" in changed.text
        boxes = [b for b in driver.find_elements(By.CSS_SELECTOR, ".odw-prechat input[type='checkbox']")
                 if b.get_attribute("data-purpose") in ("chat", "visitor_insights")]
        assert len(boxes) == 2 and not any(b.is_selected() for b in boxes), "nothing ticked from version 1"
        assert not driver.find_element(By.CSS_SELECTOR, ".odw-prechat button[type='submit']").is_enabled()
        shot(driver, "privacy-notice-changed-en")
        # Operators see no insights for this visitor: the consent to version 1 no longer counts.
        seen = desk.push("visitor.upsert", lambda p: p["visitor"]["id"] == visitor_id)
        assert seen["visitor"]["insights"] is None and not seen["visitor"]["consent"]["chat"]
        # The privacy menu says why the purposes are off.
        visible(driver, ".odw-header button[aria-haspopup='dialog']").click()
        menu = visible(driver, ".odw-settings[role='dialog']")
        assert "agree again" in menu.find_element(
            By.CSS_SELECTOR, "input[data-purpose='visitor_insights'] ~ div .odw-state").text
        menu.find_element(By.CSS_SELECTOR, "button.odw-head-button[aria-label='Back']").click()
        # An affirmative action on version 2 and the chat starts.
        start_chat(driver, "Nora Notice", "And the new one?")
        again = desk.push("chat.incoming", lambda p: p["visitor"]["id"] == visitor_id)
        assert again["visitor"]["consent"]["chat"] and again["visitor"]["insights"] is None
        desk.ok("chat.accept", {"chat_id": again["chat"]["id"]})
        consents = desk.ok("transcripts.get", {"chat_id": again["chat"]["id"]})["consents"]
        assert [(c["purpose"], c["notice_version"]) for c in consents if c["granted"]][-1] == ("chat", 2)


@pytest.mark.parametrize(("language", "rights", "show"), [
    ("en-GB", "Your rights", "Read the full notice"),
    ("de-DE", "Ihre Rechte", "Vollständigen Hinweis lesen"),
])
def test_the_notice_comes_in_layers_before_the_boxes_and_names_who_is_responsible(
    served: RestartableServer, open_browser: Callable[..., WebDriver], language: str, rights: str,
    show: str,
) -> None:
    from operator_desk.server.config import DEMO_CONTROLLER

    with signed_in_operator(served) as desk:
        notice = next(n for n in desk.ok("notices.list")["notices"]
                      if "chat" in n["purposes"] and n["language"] == language[:2])
    driver = open_browser(language=language)
    open_widget(driver, served)
    block = visible(driver, ".odw-prechat .odw-notice")
    # The short layer is shown first, above the boxes; the full text is one click away.
    summary = block.find_element(By.CSS_SELECTOR, ".odw-notice-summary")
    assert summary.is_displayed() and summary.text == notice["summary"]
    assert DEMO_CONTROLLER.name in summary.text
    body = block.find_element(By.CSS_SELECTOR, ".odw-notice-body")
    assert not body.is_displayed()
    boxes = block.find_element(By.CSS_SELECTOR, "fieldset.odw-choices")
    assert summary.location["y"] < boxes.location["y"]
    shot(driver, f"privacy-notice-layers-{language[:2]}")
    toggle = block.find_element(By.CSS_SELECTOR, ".odw-notice-details summary")
    assert toggle.text == show
    toggle.click()
    wait_displayed = visible(driver, ".odw-prechat .odw-notice-body")
    assert text_of(driver, wait_displayed) == notice["body"]
    for fact in (DEMO_CONTROLLER.address, DEMO_CONTROLLER.email, DEMO_CONTROLLER.dpo_email, rights):
        assert fact in wait_displayed.text, fact
    shot(driver, f"privacy-notice-full-{language[:2]}")


@pytest.mark.parametrize(("language", "download"), [("en-GB", "Download my data"),
                                                     ("de-DE", "Meine Daten herunterladen")])
def test_download_my_data_gives_a_json_file_and_a_readable_page_of_the_visitors_own_data(
    served: RestartableServer, open_browser: Callable[..., WebDriver], tmp_path: Path, language: str,
    download: str,
) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = open_browser(language=language)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    with signed_in_operator(served) as desk:
        open_widget(driver, served)
        start_chat(driver, "Dora Download", "Is <b>this</b> mine?")
        incoming = desk.push("chat.incoming", lambda p: p["visitor"]["name"] == "Dora Download")
        visitor_id = incoming["visitor"]["id"]
        desk.ok("chat.accept", {"chat_id": incoming["chat"]["id"]})
        operator_says(driver, desk, incoming["chat"]["id"], "Yes, all of it.")
    visible(driver, ".odw-header button[aria-haspopup='dialog']").click()
    button = visible(driver, ".odw-download > button")
    assert button.text == download
    button.click()
    links = wait(driver, lambda d: [a for a in d.find_elements(By.CSS_SELECTOR, ".odw-download-links a")
                                    if a.is_displayed()], "the two download links")
    assert len(links) == 2
    shot(driver, f"privacy-menu-download-{language[:2]}")
    for link in links:
        link.click()
    def finished() -> list[str]:
        # Chromium writes <name>.crdownload first and renames it when the download is complete.
        return sorted(p.name for p in downloads.iterdir() if not p.name.endswith(".crdownload"))

    files = wait(driver, lambda d: finished() if len(finished()) == 2 else False, "both files")
    assert [name.rsplit(".", 1)[1] for name in files] == ["html", "json"]

    data = json.loads(next(downloads.glob("*.json")).read_text(encoding="utf-8"))
    assert data["visitor"]["id"] == visitor_id and data["visitor"]["name"] == "Dora Download"
    [chat] = data["chats"]
    assert [m["text"] for m in chat["messages"]] == ["Is <b>this</b> mine?", "Yes, all of it."]
    [chat_consent] = [c for c in data["consents"] if c["purpose"] == "chat"]
    assert chat_consent["granted"] and chat_consent["notice"]["body"]

    # The readable page, opened as the visitor would open the saved file: the data as text, no markup.
    driver.get(next(downloads.glob("*.html")).as_uri())
    page = driver.find_element(By.TAG_NAME, "body").text
    for fact in ("Dora Download", "Is <b>this</b> mine?", "Yes, all of it.", chat_consent["notice"]["title"]):
        assert fact in page, fact
    assert not driver.find_elements(By.CSS_SELECTOR, "b, script")
    shot(driver, f"privacy-my-data-page-{language[:2]}")
    # Recorded in the audit log, under the visitor's pseudonymous id only.
    with signed_in_operator(served, "supervisor") as supervisor:
        entry = supervisor.ok("audit.list", {"limit": 5})["entries"][0]
    assert (entry["action"], entry["actor"], entry["subject"]) == ("subject.export_me", "visitor", visitor_id)


STORAGE_SCRIPT = """
const done = arguments[arguments.length - 1];
const dump = (s) => Object.fromEntries(
  Array.from({length: s.length}, (_, i) => [s.key(i), s.getItem(s.key(i))]));
const result = {local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie};
(indexedDB.databases ? indexedDB.databases() : Promise.resolve([]))
  .then((dbs) => { result.indexeddb = dbs.map((d) => d.name); done(result); });
"""


def browser_storage(driver: WebDriver) -> dict:
    """Everything the page's origin keeps in this browser: localStorage, sessionStorage, cookies and
    IndexedDB databases."""
    return driver.execute_async_script(STORAGE_SCRIPT)


EMPTY = {"local": {}, "session": {}, "cookie": "", "indexeddb": []}


def arrived(desk: SyncClient, seen: set[str]) -> str:
    """The id of the next visitor the operator sees arrive (one not in ``seen``)."""
    return desk.push("visitor.upsert", lambda p: p["visitor"]["id"] not in seen)["visitor"]["id"]


def later_visit(driver: WebDriver, served: ServedWidget) -> None:
    """The visitor closes the tab and comes back another time in a new one (same browser profile)."""
    old = driver.current_window_handle
    driver.switch_to.new_window("tab")
    new = driver.current_window_handle
    driver.switch_to.window(old)
    driver.close()
    driver.switch_to.window(new)
    driver.get(served.page_url)


def test_nothing_is_kept_in_the_browser_before_the_chat_and_a_later_visit_is_recognised_only_with_insights(
    served: RestartableServer, open_browser: Callable[..., WebDriver]
) -> None:
    driver = open_browser()
    with signed_in_operator(served) as desk:
        seen: set[str] = set()
        # Page load, and a reload: nothing is written, and each load is someone new to the server.
        driver.get(served.page_url)
        first = arrived(desk, seen)
        seen.add(first)
        assert browser_storage(driver) == EMPTY
        driver.refresh()
        second = arrived(desk, seen)
        seen.add(second)
        assert second != first and browser_storage(driver) == EMPTY
        # Opening the panel and reading the notice keeps nothing either.
        visible(driver, ".odw-launcher").click()
        note = visible(driver, ".odw-prechat .odw-smallprint")
        assert "Nothing is kept in this browser" in note.text
        assert browser_storage(driver) == EMPTY

        # Asking for the chat: a token for this visit only.
        start_chat(driver, "Sina Session", "Do you ship to Norway?")
        incoming = desk.push("chat.incoming", lambda p: p["visitor"]["name"] == "Sina Session")
        assert incoming["visitor"]["id"] == second
        stored = browser_storage(driver)
        assert list(stored["session"]) == ["operatorDesk.sessionToken"] and stored["local"] == {}
        assert stored["cookie"] == "" and stored["indexeddb"] == []
        assert "for this visit only" in driver.find_element(By.CSS_SELECTOR, ".odw-smallprint").get_attribute(
            "textContent")
        shot(driver, "privacy-storage-visit-en")
        # A reload within the visit carries on the chat under the same visitor.
        driver.refresh()
        visible(driver, ".odw-launcher").click()
        visible(driver, ".odw-composer-input")
        assert browser_storage(driver) == stored

        # A later visit (the tab was closed): not recognised, nothing kept.
        later_visit(driver, served)
        third = arrived(desk, seen | {second})
        seen.add(third)
        assert third not in (first, second)
        assert browser_storage(driver) == EMPTY

        # With visitor insights granted, a token that recognises this browser, for the days it says.
        visible(driver, ".odw-launcher").click()
        visible(driver, ".odw-prechat input[data-purpose='visitor_insights']")
        visible(driver, ".odw-header button[aria-haspopup='dialog']").click()
        visible(driver, ".odw-settings input[data-purpose='visitor_insights']").click()
        desk.push("visitor.upsert", lambda p: p["visitor"]["id"] == third and p["visitor"]["insights"])
        kept = wait(driver, lambda d: (s := browser_storage(d))["local"] and s,
                                "the recognising token")
        assert list(kept["local"]) == ["operatorDesk.visitorToken"]
        token = json.loads(kept["local"]["operatorDesk.visitorToken"])
        days = (token["expires"] / 1000 - time.time()) / 86400
        assert 29.9 < days <= 30.0
        note = driver.find_element(By.CSS_SELECTOR, ".odw-settings .odw-smallprint")
        assert "for 30 days" in note.text
        shot(driver, "privacy-storage-recognise-en")
        later_visit(driver, served)
        # Recognised: the new tab is the same visitor (without the token it was someone new, above),
        # with the insights the consent allows.
        desk.push("visitor.upsert", lambda p: p["visitor"]["id"] == third
                       and p["visitor"]["page"]["url"] == served.page_url and p["visitor"]["insights"])
        renewed = json.loads(browser_storage(driver)["local"]["operatorDesk.visitorToken"])
        # The same token, its period counted from this visit.
        assert renewed["token"] == token["token"] and renewed["expires"] >= token["expires"]
        # Withdrawn: the recognising token is deleted at once.
        visible(driver, ".odw-launcher").click()
        visible(driver, ".odw-prechat input[data-purpose='visitor_insights']")
        visible(driver, ".odw-header button[aria-haspopup='dialog']").click()
        visible(driver, ".odw-settings input[data-purpose='visitor_insights']").click()
        desk.push("visitor.upsert",
                       lambda p: p["visitor"]["id"] == third and p["visitor"]["insights"] is None)
        wait(driver, lambda d: "operatorDesk.visitorToken" not in browser_storage(d)["local"],
                         "the recognising token deleted")
        assert browser_storage(driver)["local"] == {}
