"""The visitor widget in a real headless Chromium against the real server, with an operator client.

The server runs in-process on its own asyncio loop in a thread (selenium is synchronous). The browser
reaches it through a small reverse proxy that adds ``X-Forwarded-For``, as a shop's web server in front
of Operator Desk would: the demo server trusts loopback as a proxy, so the visitor gets a documentation
address that the bundled directory knows, and enrichment can be checked end to end. The proxy also lets
a test cut every browser connection, to check that nothing typed is lost.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from tests.kit.browser import (
    BROWSER_REQUIRED,
    CHROMIUM,
    NO_BROWSER,
    VISITOR_CITY,
    VISITOR_COMPANY,
    VISITOR_IP,
    ServedWidget,
    chat_in_widget,
    closed,
    open_widget,
    operator_says,
    shot,
    start_chat,
    text_of,
    visible,
    wait,
)
from tests.kit.clients import SyncClient
from tests.kit.timing import BROWSER_WAIT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists() and not BROWSER_REQUIRED, reason=NO_BROWSER),
]

# Where the widget keeps the token once the visitor asked for the chat: this visit only (sessionStorage).
SESSION_TOKEN_KEY = "operatorDesk.sessionToken"
TOKEN_KEY = "operatorDesk.visitorToken"   # a later visit: only with visitor_insights consent


def notice_for(desk: SyncClient, purpose: str, language: str) -> dict[str, Any]:
    notices = desk.ok("notices.list")["notices"]
    return next(n for n in notices if purpose in n["purposes"] and n["language"] == language)


# -- tests --------------------------------------------------------------------------------------------------


def test_visitor_consents_to_chat_only_then_grants_insights_from_the_privacy_menu(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    """The notice is shown in full with unticked boxes; a chat with chat consent only reaches the
    operator without insights; text is shown as text both ways; insights arrive only after the grant."""
    prechat = notice_for(operator, "chat", "en")
    driver = open_browser()
    open_widget(driver, served)
    shot(driver, "desktop-1-notice")

    title = visible(driver, ".odw-prechat .odw-notice-title")
    assert title.text == prechat["title"]
    body = driver.find_element(By.CSS_SELECTOR, ".odw-prechat .odw-notice-body")
    assert text_of(driver, body) == prechat["body"]
    assert (
        f"Version {prechat['version']}"
        in driver.find_element(By.CSS_SELECTOR, ".odw-prechat .odw-notice-meta").text
    )
    boxes = driver.find_elements(By.CSS_SELECTOR, ".odw-prechat input[type='checkbox']")
    purposes = {box.get_attribute("data-purpose") for box in boxes}
    assert {"chat", "visitor_insights"} <= purposes
    assert "contact_details" not in purposes, "asked only when an operator asks for details"
    assert not any(box.is_selected() for box in boxes), "every purpose starts unticked"
    start = driver.find_element(By.CSS_SELECTOR, ".odw-prechat button[type='submit']")
    assert not start.is_enabled(), "no chat without chat consent"

    # Browsing: the operator follows the page, and sees no address or location for this visitor.
    driver.find_element(By.CSS_SELECTOR, ".shop-nav a[href='#boots']").click()
    moved = operator.push("visitor.upsert", lambda p: p["visitor"]["page"]["url"].endswith("#boots"))
    assert moved["visitor"]["page"]["title"] == "Boots · Northwind Outfitters"
    assert moved["visitor"]["insights"] is None

    start_chat(driver, "Mia Visitor", "Do the Moorland boots run small?")
    incoming = operator.push("chat.incoming", lambda p: p["visitor"]["name"] == "Mia Visitor")
    assert incoming["visitor"]["insights"] is None
    assert incoming["visitor"]["consent"] == {
        "chat": True,
        "visitor_insights": False,
        "contact_details": False,
        "typing_preview": False,
    }
    chat_id = incoming["chat"]["id"]
    accepted = operator.ok("chat.accept", {"chat_id": chat_id})
    assert [m["text"] for m in accepted["messages"]] == ["Do the Moorland boots run small?"]

    operator_says(driver, operator, chat_id, "Hello <i>Mia</i>, they run true to size.")
    assert not driver.find_elements(By.CSS_SELECTOR, ".odw-log i"), "operator text is never markup"
    wait(
        driver, lambda d: "Olu Operator" in d.find_element(By.CSS_SELECTOR, ".odw-chat-status").text, "status"
    )

    # Typing without typing_preview consent: the operator learns that, not what.
    composer = driver.find_element(By.CSS_SELECTOR, ".odw-composer-input")
    composer.send_keys("<b>bold</b>")
    typing = operator.push("chat.typing", lambda p: p["chat_id"] == chat_id and p["typing"])
    assert typing["preview"] is None
    composer.send_keys(Keys.ENTER)
    sent = operator.push("chat.message", lambda p: p["message"]["text"] == "<b>bold</b>")
    assert sent["message"]["author"] == "visitor"
    assert sent["chat_id"] == chat_id
    bubble = visible(driver, ".odw-msg-visitor:not(.odw-pending) .odw-bubble", last=True)
    wait(
        driver,
        lambda d: text_of(d, visible(d, ".odw-msg-visitor .odw-bubble", last=True)) == "<b>bold</b>",
        "own text",
    )
    assert bubble.is_displayed()
    assert not driver.find_elements(By.CSS_SELECTOR, ".odw-log b"), "visitor text is never markup"
    assert composer.get_attribute("value") == ""
    shot(driver, "desktop-2-chat")

    assert not any(VISITOR_IP in frame for frame in operator.frames), "no address before consent"

    # The privacy menu: current state shown, insights granted there.
    visible(driver, ".odw-header button[aria-haspopup='dialog']").click()
    dialog = visible(driver, ".odw-settings[role='dialog']")
    insights_box = dialog.find_element(By.CSS_SELECTOR, "input[data-purpose='visitor_insights']")
    chat_box = dialog.find_element(By.CSS_SELECTOR, "input[data-purpose='chat']")
    assert chat_box.is_selected() and not insights_box.is_selected()
    insights_box.click()
    changed = operator.push(
        "consent.changed", lambda p: p["consent"]["purpose"] == "visitor_insights" and p["consent"]["granted"]
    )
    assert changed["consent"]["method"] == "widget_settings"
    enriched = operator.push("visitor.upsert", lambda p: p["visitor"]["insights"] is not None)
    insights = enriched["visitor"]["insights"]
    assert insights["ip"] == VISITOR_IP
    assert insights["location"]["city"] == VISITOR_CITY
    assert insights["company"] == VISITOR_COMPANY
    wait(
        driver,
        lambda d: (
            insights_box.is_selected()
            and "Allowed" in insights_box.find_element(By.XPATH, "following-sibling::div").text
        ),
        "the new state in the menu",
    )
    shot(driver, "desktop-3-privacy")

    # Withdrawn again: the operator loses the insights at once.
    insights_box.click()
    operator.push("visitor.upsert", lambda p: p["visitor"]["insights"] is None and p["visitor"]["name"])
    # The box is disabled (and focus away from it) until the widget has the answer: wait for that.
    wait(driver, lambda d: insights_box.is_enabled() and not insights_box.is_selected(), "withdrawal saved")

    # Escape closes the menu, and focus goes back to the button that opened it.
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(driver, lambda d: not d.find_element(By.CSS_SELECTOR, ".odw-settings").is_displayed(), "menu closed")
    assert driver.switch_to.active_element.get_attribute("aria-haspopup") == "dialog"

    # Ending the chat, with a confirm step.
    driver.find_element(By.CSS_SELECTOR, ".odw-end").click()
    visible(driver, ".odw-confirm .odw-danger").click()
    operator.push("chat.updated", closed(chat_id))
    visible(driver, ".odw-closed-bar button")


def test_details_request_is_a_form_and_accepting_records_consent_first(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    driver = open_browser()
    chat_id = chat_in_widget(driver, served, operator, "Dana Details", "Where is my order?")
    operator_says(driver, operator, chat_id, "Could you give me your phone number?")

    notice = notice_for(operator, "contact_details", "en")
    request_id = operator.ok(
        "details.request",
        {
            "chat_id": chat_id,
            "notice_id": notice["id"],
            "notice_version": notice["version"],
            "fields": ["phone", "order_reference"],
            "purpose": "contact_details",
        },
    )["request_id"]

    card = visible(driver, ".odw-card")
    assert "Olu Operator" in card.find_element(By.CSS_SELECTOR, ".odw-card-title").text
    assert card.find_element(By.CSS_SELECTOR, ".odw-notice-title").text == notice["title"]
    card.find_element(By.CSS_SELECTOR, "summary").click()
    assert text_of(driver, card.find_element(By.CSS_SELECTOR, ".odw-notice-body")) == notice["body"]
    labels = {
        label.text: label.get_attribute("for") for label in card.find_elements(By.CSS_SELECTOR, "label")
    }
    assert set(labels) == {"Phone number", "Order reference"}
    phone = driver.find_element(By.ID, labels["Phone number"])
    assert phone.get_attribute("type") == "tel"
    phone.send_keys("+49 30 1234567")
    shot(driver, "desktop-4-details")
    card.find_element(By.CSS_SELECTOR, "button[type='submit']").click()

    consent = operator.push("consent.changed", lambda p: p["consent"]["purpose"] == "contact_details")
    assert consent["consent"]["granted"] is True
    assert consent["consent"]["method"] == "details_prompt"
    assert consent["consent"]["notice_id"] == notice["id"]
    received = operator.push("details.received", lambda p: p["request_id"] == request_id)
    assert received["fields"] == {"phone": "+49 30 1234567"}, "an empty field is not sent"
    wait(driver, lambda d: "Phone number" in d.find_element(By.CSS_SELECTOR, ".odw-card-done").text, "done")

    # Withdrawing chat consent from the privacy menu ends the chat, and the name goes with it.
    visible(driver, ".odw-header button[aria-haspopup='dialog']").click()
    visible(driver, ".odw-settings input[data-purpose='chat']").click()
    operator.push("chat.updated", closed(chat_id))
    operator.push(
        "visitor.upsert", lambda p: p["visitor"]["consent"]["chat"] is False and p["visitor"]["name"] is None
    )
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    visible(driver, ".odw-closed-bar button")


def test_german_browser_gets_the_german_widget_and_notice(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    prechat = notice_for(operator, "chat", "de")
    driver = open_browser(language="de-DE")
    driver.get(served.page_url)
    launcher = visible(driver, ".odw-launcher")
    assert launcher.get_attribute("aria-label") == "Chat öffnen"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    assert driver.find_element(By.CSS_SELECTOR, ".shop-nav a[href='#tents']").text == "Zelte"
    launcher.click()
    title = visible(driver, ".odw-prechat .odw-notice-title")
    assert title.text == prechat["title"]
    assert (
        text_of(driver, driver.find_element(By.CSS_SELECTOR, ".odw-prechat .odw-notice-body"))
        == prechat["body"]
    )
    assert driver.find_element(By.CSS_SELECTOR, ".odw-prechat button[type='submit']").text == "Chat starten"
    assert (
        driver.find_element(By.CSS_SELECTOR, ".odw-header button[aria-haspopup='dialog']").text
        == "Datenschutz"
    )
    shot(driver, "desktop-de-notice")

    # The visitor's language reaches the operator, so they can show the notice as the visitor read it.
    arrived = operator.push("visitor.upsert", lambda p: p["visitor"].get("language") == "de-DE")
    assert arrived["visitor"]["insights"] is None

    # Every string has both languages.
    missing = driver.execute_script(
        "const s = window.OperatorDeskI18n.strings;"
        "const en = Object.keys(s.en), de = Object.keys(s.de);"
        "return en.filter(k => !de.includes(k)).concat(de.filter(k => !en.includes(k)));"
    )
    assert missing == []


def test_phone_sized_screen_gets_a_full_screen_widget(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    # The operator is signed in: someone can answer, so the form starts a chat (not a message left).
    driver = open_browser(phone=True)
    driver.get(served.page_url)
    assert driver.execute_script("return [innerWidth, innerHeight]") == [360, 640]
    shot(driver, "phone-0-page")
    visible(driver, ".odw-launcher").click()
    visible(driver, ".odw-prechat input[data-purpose='chat']")
    rect = driver.execute_script(
        "const r = document.querySelector('.odw-panel').getBoundingClientRect();"
        "return [r.left, r.top, r.width, r.height]"
    )
    assert rect == [0, 0, 360, 640]
    overflow = driver.execute_script(
        "const v = document.querySelector('.odw-prechat'); return v.scrollWidth - v.clientWidth"
    )
    assert overflow == 0, "nothing sticks out sideways"
    assert not driver.find_element(By.CSS_SELECTOR, ".odw-launcher").is_displayed()
    shot(driver, "phone-1-notice")
    start_chat(driver, "Pia Phone", "Do you ship to Norway?")
    shot(driver, "phone-2-chat")

    # Escape closes the panel; focus returns to the launcher.
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".odw-launcher").is_displayed(), "launcher back")
    assert driver.switch_to.active_element.get_attribute("class") == "odw-launcher"


def test_nothing_typed_is_lost_when_the_connection_drops(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    driver = open_browser()
    chat_id = chat_in_widget(driver, served, operator, "Otto Offline", "Hello?")

    served.set_proxy_down(True)
    banner = visible(driver, ".odw-banner")
    assert "Connection lost" in banner.text
    composer = driver.find_element(By.CSS_SELECTOR, ".odw-composer-input")
    composer.send_keys("Written while offline", Keys.ENTER)
    queued = visible(driver, ".odw-msg-visitor.odw-pending")
    assert "Not sent yet" in queued.text
    shot(driver, "desktop-5-offline")

    served.set_proxy_down(False)
    # "Retry now", rather than wait out the backoff; the widget's own retry may have won the race
    # (then the banner is already hidden and the button has no size).
    retry = banner.find_elements(By.CSS_SELECTOR, "button")
    if retry and retry[0].is_displayed() and retry[0].size["height"] > 0:
        with contextlib.suppress(ElementClickInterceptedException, ElementNotInteractableException,
                                 StaleElementReferenceException):
            retry[0].click()
    message = operator.push("chat.message", lambda p: p["message"]["text"] == "Written while offline")
    assert message["chat_id"] == chat_id
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, ".odw-msg-visitor.odw-pending"), "delivered")

    # The same message is stored once, even though the widget may have sent it twice.
    transcript = operator.ok("transcripts.get", {"chat_id": chat_id})
    assert [m["text"] for m in transcript["messages"]].count("Written while offline") == 1


def bubbles_of(driver: WebDriver, who: str) -> list[str]:
    return [text_of(driver, e) for e in driver.find_elements(By.CSS_SELECTOR, f".odw-msg-{who} .odw-bubble")]


def test_a_card_number_is_warned_about_first_and_reaches_the_operator_masked(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    driver = open_browser()
    chat_id = chat_in_widget(driver, served, operator, "Carla Card", "Hello")
    composer = driver.find_element(By.CSS_SELECTOR, ".odw-composer-input")
    composer.send_keys("My card is 4111 1111 1111 1111", Keys.ENTER)
    warning = visible(driver, ".odw-card-warning")
    assert "card number" in warning.text
    shot(driver, "desktop-card-warning")
    assert composer.get_attribute("value") == "My card is 4111 1111 1111 1111"   # nothing was sent
    assert bubbles_of(driver, "visitor") == ["Hello"]
    # "Edit message": back to the composer, the text kept; sent again, asked again.
    warning.find_element(By.XPATH, ".//button[1]").click()
    wait(driver, lambda d: not warning.is_displayed(), "the warning gone")
    assert driver.switch_to.active_element == composer
    composer.send_keys(Keys.ENTER)
    visible(driver, ".odw-card-warning").find_element(By.XPATH, ".//button[2]").click()   # "Send anyway"
    message = operator.push("chat.message", lambda p: p["message"]["author"] == "visitor"
                                 and p["message"]["text"] != "Hello")
    assert message["chat_id"] == chat_id
    assert message["message"]["text"] == "My card is •••• •••• •••• 1111"
    # The visitor's own copy shows what was kept.
    wait(driver, lambda d: bubbles_of(d, "visitor") == ["Hello", "My card is •••• •••• •••• 1111"],
         "the visitor's message, masked as stored")
    assert not any("4111 1111" in frame or "4111111111111111" in frame for frame in operator.frames)


def test_a_card_number_in_the_first_message_is_warned_about_too(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    driver = open_browser("de-DE")
    open_widget(driver, served)
    visible(driver, ".odw-prechat input[data-purpose='chat']").click()
    driver.find_element(By.CSS_SELECTOR, ".odw-prechat input[autocomplete='name']").send_keys("Karl Karte")
    driver.find_element(By.CSS_SELECTOR, ".odw-prechat textarea").send_keys("Karte 5555-5555-5555-4444")
    driver.find_element(By.CSS_SELECTOR, ".odw-prechat button[type='submit']").click()
    warning = visible(driver, ".odw-prechat .odw-card-warning")
    assert "Kartennummer" in warning.text
    shot(driver, "desktop-card-warning-prechat-de")
    warning.find_element(By.XPATH, ".//button[2]").click()   # "Trotzdem senden"
    visible(driver, ".odw-composer-input")
    message = operator.push("chat.message", lambda p: p["message"]["author"] == "visitor")
    assert message["message"]["text"] == "Karte ••••-••••-••••-4444"
    wait(driver, lambda d: bubbles_of(d, "visitor") == ["Karte ••••-••••-••••-4444"],
         "one first message, masked as stored")


def test_a_page_reloaded_mid_chat_shows_the_conversation(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    driver = open_browser()
    chat_id = chat_in_widget(driver, served, operator, "Rita Reload", "Is the tent waterproof?")
    operator_says(driver, operator, chat_id, "Yes, <b>fully</b>.")
    driver.find_element(By.CSS_SELECTOR, ".odw-composer-input").send_keys("Great", Keys.ENTER)
    operator.push("chat.message", lambda p: p["message"]["text"] == "Great")

    driver.refresh()
    visible(driver, ".odw-launcher").click()
    visible(driver, ".odw-composer-input")

    def bubbles(d: WebDriver) -> list[str]:
        return [text_of(d, e) for e in d.find_elements(By.CSS_SELECTOR, ".odw-log .odw-bubble")]

    expected = ["Is the tent waterproof?", "Yes, <b>fully</b>.", "Great"]
    wait(driver, lambda d: bubbles(d) == expected, "the earlier messages after the reload")
    assert not driver.find_elements(By.CSS_SELECTOR, ".odw-log b"), "text, never markup"
    assert "Olu Operator" in driver.find_element(By.CSS_SELECTOR, ".odw-chat-status").text
    operator_says(driver, operator, chat_id, "Anything else?")
    assert bubbles(driver) == [*expected, "Anything else?"]


def test_forget_me_erases_everything_after_a_confirm_step(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    driver = open_browser()
    open_widget(driver, served)
    start_chat(driver, "Fritz Forget", "Hi")
    incoming = operator.push("chat.incoming", lambda p: p["visitor"]["name"] == "Fritz Forget")
    visitor_id = incoming["visitor"]["id"]
    old_token = driver.execute_script(f"return sessionStorage.getItem('{SESSION_TOKEN_KEY}')")
    assert old_token

    visible(driver, ".odw-header button[aria-haspopup='dialog']").click()
    dialog = visible(driver, ".odw-settings")
    forget = dialog.find_element(By.CSS_SELECTOR, ".odw-forget > .odw-danger")
    forget.click()
    confirm = visible(driver, ".odw-forget-confirm")
    shot(driver, "desktop-6-forget-confirm")
    # Escape cancels the confirm step, nothing is erased.
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(driver, lambda d: not confirm.is_displayed(), "confirm cancelled")
    forget.click()
    visible(driver, ".odw-forget-confirm .odw-danger").click()

    erased = operator.push("subject.erased", lambda p: p["visitor_id"] == visitor_id)
    assert erased["chat_ids"] == [incoming["chat"]["id"]]
    heading = visible(driver, ".odw-erased h3")
    assert heading.text == "Everything was erased"
    assert driver.execute_script(f"return sessionStorage.getItem('{SESSION_TOKEN_KEY}')") is None
    assert driver.execute_script(f"return localStorage.getItem('{TOKEN_KEY}')") is None
    shot(driver, "desktop-7-erased")

    # Coming back later is a fresh start: a new visitor, nothing carried over.
    visible(driver, ".odw-erased button").click()
    visible(driver, ".odw-launcher").click()
    boxes = wait(
        driver,
        lambda d: [
            b
            for b in d.find_elements(By.CSS_SELECTOR, ".odw-prechat input[type='checkbox']")
            if b.is_displayed()
        ],
        "a fresh pre-chat form",
    )
    assert not any(box.is_selected() for box in boxes)
    # Nothing is kept for the new visitor until they ask for the chat.
    assert driver.execute_script(
        f"return [sessionStorage.getItem('{SESSION_TOKEN_KEY}'), localStorage.getItem('{TOKEN_KEY}')]"
    ) == [None, None]


def tab_to(driver: WebDriver, wanted: Callable[[WebElement], bool], what: str, limit: int = 40) -> WebElement:
    """Presses Tab, as a keyboard user would, until ``wanted`` holds for the focused element."""
    for _ in range(limit):
        active = driver.switch_to.active_element
        if wanted(active):
            return active
        active.send_keys(Keys.TAB)
    raise AssertionError(f"{what} is not reachable with Tab")


def test_keyboard_only_chat_with_typing_preview(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    """Everything by keyboard: open, tick, start, write (Shift+Enter for a new line, Enter sends). With
    typing_preview granted the operator sees the draft; focus is always visible."""
    driver = open_browser()
    driver.get(served.page_url)
    visible(driver, ".odw-launcher").send_keys(Keys.ENTER)
    visible(driver, ".odw-prechat input[data-purpose='chat']")

    def purpose(name: str) -> Callable[[WebElement], bool]:
        return lambda e: e.get_attribute("data-purpose") == name

    tab_to(driver, purpose("chat"), "the chat checkbox").send_keys(Keys.SPACE)
    focused = tab_to(driver, purpose("typing_preview"), "the typing preview checkbox")
    outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", focused)
    assert outline != "none", "keyboard focus is visible"
    focused.send_keys(Keys.SPACE)
    name = tab_to(driver, lambda e: e.get_attribute("autocomplete") == "name", "the name field")
    name.send_keys("Kai Keys")
    tab_to(driver, lambda e: e.tag_name == "textarea", "the first message").send_keys("Hi there")
    tab_to(driver, lambda e: e.get_attribute("type") == "submit", "the start button").send_keys(Keys.ENTER)
    composer = visible(driver, ".odw-composer-input")
    wait(driver, lambda d: d.switch_to.active_element == composer, "focus in the composer")

    incoming = operator.push("chat.incoming", lambda p: p["visitor"]["name"] == "Kai Keys")
    assert incoming["visitor"]["consent"]["typing_preview"] is True
    chat_id = incoming["chat"]["id"]
    operator.ok("chat.accept", {"chat_id": chat_id})
    operator.ok("chat.typing", {"chat_id": chat_id, "typing": True})
    assert "Typing" in visible(driver, ".odw-typing").text

    composer.send_keys("First line")
    preview = operator.push("chat.typing", lambda p: p["preview"] == "First line")
    assert preview["typing"] is True
    composer.send_keys(Keys.SHIFT, Keys.ENTER)
    composer.send_keys("second line")
    assert composer.get_attribute("value") == "First line\nsecond line", "Shift+Enter is a new line"
    shot(driver, "desktop-8-keyboard")
    composer.send_keys(Keys.ENTER)
    sent = operator.push(
        "chat.message", lambda p: p["message"]["author"] == "visitor" and "\n" in p["message"]["text"]
    )
    assert sent["message"]["text"] == "First line\nsecond line"
    operator.push("chat.typing", lambda p: p["typing"] is False)

    # The operator ends the chat: the visitor sees it, and can start another one.
    operator.ok("chat.close", {"chat_id": chat_id})
    visible(driver, ".odw-closed-bar button")
    assert "The chat has ended." in driver.find_element(By.CSS_SELECTOR, ".odw-log").text
    assert not driver.find_element(By.CSS_SELECTOR, ".odw-composer").is_displayed()


WIDGET_DIR = Path(__file__).resolve().parents[2] / "packages/server/src/operator_desk/server/widget"


def test_every_string_the_widget_uses_exists_in_english_and_german(
    served: ServedWidget, open_browser: Callable[..., WebDriver]
) -> None:
    used: set[str] = set()
    for name in ("widget.js", "shop.js", "index.html"):
        source = (WIDGET_DIR / name).read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*"([a-z][\w.]*\w)\"""", source))
        used |= set(re.findall(r"""data-i18n(?:-aria)?="([a-z][\w.]+)\"""", source))
    # Keys built at run time from a purpose, a field, an error code or a page name.
    purposes = ("chat", "visitor_insights", "contact_details", "typing_preview")
    used |= {f"w.purpose.{p}" for p in purposes} | {f"w.purpose.{p}.help" for p in purposes}
    used |= {f"w.field.{f}" for f in ("phone", "postal_address", "email", "company", "order_reference")}
    used |= {
        f"w.error.{c}" for c in ("consent_required", "rate_limited", "bad_request", "not_found", "conflict")
    }
    used |= {"w.error.disconnected", "w.error.generic"}
    used |= {f"shop.nav.{p}" for p in ("home", "jackets", "boots", "tents", "about")}
    assert len(used) > 100

    driver = open_browser()
    driver.get(served.page_url)
    tables = driver.execute_script("return window.OperatorDeskI18n.strings")
    for language in ("en", "de"):
        missing = sorted(used - set(tables[language]))
        assert missing == [], f"{language} lacks {missing}"
    assert set(tables["en"]) == set(tables["de"])


def test_with_nobody_available_the_visitor_leaves_a_message_that_operators_see(
    served: ServedWidget, open_browser: Callable[..., WebDriver]
) -> None:
    # No operator is signed in: the widget says so and offers to leave a message, under chat consent.
    for language, title in (("de-DE", "Nachricht hinterlassen"), ("en-US", "Message left")):
        driver = open_browser(language)
        open_widget(driver, served)
        note = visible(driver, ".odw-prechat .odw-away")
        shot(driver, f"leave-message-note-{language}")
        button = driver.find_element(By.CSS_SELECTOR, ".odw-prechat button[type='submit']")
        assert button.text == ("Nachricht hinterlassen" if language == "de-DE" else "Leave message")
        assert ("Gerade ist niemand" if language == "de-DE" else "Nobody is available") in note.text
        visible(driver, ".odw-prechat input[data-purpose='chat']").click()
        assert not button.is_enabled()   # a message left needs its message
        name = f"Mia Winter {language}"
        driver.find_element(By.CSS_SELECTOR, ".odw-prechat input[autocomplete='name']").send_keys(name)
        driver.find_element(By.CSS_SELECTOR, ".odw-prechat input[autocomplete='email']").send_keys(
            "mia@example.com")
        message = driver.find_element(By.CSS_SELECTOR, ".odw-prechat textarea")
        message.send_keys("Please call me about the tent.")
        wait(driver, lambda d, b=button: b.is_enabled(), "the button once there is a message")
        shot(driver, f"leave-message-form-{language}")
        button.click()
        assert visible(driver, ".odw-left h3").text == title
        shot(driver, f"leave-message-left-{language}")
        composers = driver.find_elements(By.CSS_SELECTOR, ".odw-composer-input")
        assert not [e for e in composers if e.is_displayed()]   # no chat: nobody would answer it

    # An operator signs in later: both are listed, newest first, with the name and e-mail given under
    # chat consent, and marked as messages left (closed chats that never waited).
    with SyncClient.connect(served.operator_url, wait=BROWSER_WAIT) as desk:
        desk.ok("auth.login", {"username": "operator", "password": "demo"})
        listed = desk.ok("messages.left")["messages"]
        mine = [m for m in listed if m["visitor_name"].startswith("Mia Winter")]
        assert [m["visitor_name"] for m in mine] == ["Mia Winter en-US", "Mia Winter de-DE"]
        assert all(m["email"] == "mia@example.com" and m["text"] == "Please call me about the tent."
                   and m["chat"]["left_message"] and m["chat"]["state"] == "closed" for m in mine)
        left_ids = {m["chat"]["id"] for m in mine}
        assert not [c for c in desk.ok("chats.list")["chats"] if c["id"] in left_ids]


def test_a_chat_handed_to_a_colleague_shows_one_neutral_line_and_never_the_note(
    served: ServedWidget, operator: SyncClient, open_browser: Callable[..., WebDriver]
) -> None:
    driver = open_browser()
    chat_id = chat_in_widget(driver, served, operator, "Hana Handover", "Can someone from billing help?")
    operator_says(driver, operator, chat_id, "Let me find the right colleague.")
    with SyncClient.connect(served.operator_url, wait=BROWSER_WAIT) as lead:
        lead_id = lead.ok("auth.login", {"username": "lead", "password": "demo"})["operator"]["id"]
        note = "Billing question, invoice 77 — be gentle, second time she asks"
        operator.ok("chat.transfer", {"chat_id": chat_id, "to_operator_id": lead_id, "note": note})
        assert lead.push("chat.transferred")["note"] == note
        line = "A colleague is taking over your chat."
        wait(driver, lambda d: line in [text_of(d, e) for e in d.find_elements(
            By.CSS_SELECTOR, ".odw-msg-system .odw-system-text")], "the neutral line")
        shot(driver, "desktop-chat-handed-over")
        assert "Olu" not in text_of(driver, visible(driver, ".odw-chat-status"))
        operator_says(driver, lead, chat_id, "Hello, Lee from billing here.")
        wait(driver, lambda d: "Lee Lead" in text_of(d, visible(d, ".odw-chat-status")),
             "the colleague named")
        assert "invoice 77" not in driver.page_source   # the note is the operators' alone
        lines = [text_of(driver, e) for e in driver.find_elements(By.CSS_SELECTOR, ".odw-msg-system")]
        assert lines.count(line) == 1
