"""The export bundle of a data-subject access request, end to end: the real server in-process, a real
encrypted cache, the desk, Qt's PDF renderer. ``records.json`` is checked against the JSON Schema the
bundle ships, the manifest against the files, and every file for other people's data."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import threading
import zipfile
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from subject_history import (
    EMAIL,
    FILES,
    FIRST,
    HOSTILE,
    NAME,
    OTHER_NAME,
    OTHER_TEXT,
    PHONE,
    SECOND,
    another_person,
    person_with_history,
)

from operator_desk.domain.cases import IdentityCheck, RequestKind
from operator_desk.services.bundle.export import BundleRequest, BundleStage
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.ui.i18n import install_translations
from operator_desk.ui.report_pdf import render_pdf
from operator_desk.ui.report_words import QtReportWords
from tests.kit.desks import Events, signed_in
from tests.kit.tools import pdf_pages


def words() -> QtReportWords:
    return QtReportWords("en")


@pytest.fixture
def german(qapp, tmp_path):
    """The desk's German catalog installed, as the app installs it."""
    translators = install_translations(qapp, "de", tmp_path / "catalogs")
    yield QtReportWords("de")
    for translator in translators:
        qapp.removeTranslator(translator)


class ExternalReferences(HTMLParser):
    """Every attribute or style in a page that could make a browser load something."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data", "background") \
                    or (name == "http-equiv" and value.lower() == "refresh"):
                self.found.append(f"{tag} {name}={value}")
        if tag in ("script", "link", "img", "iframe", "object", "embed", "base", "form"):
            self.found.append(tag)

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def file_text(folder: Path) -> str:
    return "\n".join((folder / name).read_bytes().decode("utf-8", "replace") for name in
                     ("records.json", "report.html", "manifest.json"))


@pytest.mark.asyncio
async def test_the_bundle_holds_everything_about_the_person_and_nothing_about_anyone_else(
        server, store, memory_keyring, desks, visitors, qapp, tmp_path):
    events = Events()
    desk = await signed_in(desks(server.url, events, store), events)
    _, chat_ids = await person_with_history(server, desk, events, visitors)
    await another_person(server, visitors)
    [found] = await desk.find_subjects(EMAIL)
    case = await desk.subject_requests.open_case(RequestKind.ACCESS, date.today().isoformat(),
                                                 IdentityCheck.EMAIL_ON_RECORD, reference="letter 17")
    stages: list[BundleStage] = []
    out = tmp_path / "out"
    out.mkdir()
    written = await desk.bundles.write(
        BundleRequest(visitor_id=found.visitor_id, folder=out / "anna", case=case, make_zip=True),
        words(), render_pdf, lambda stage, fraction: stages.append(stage))

    folder = written.folder
    assert folder == out / "anna" and {p.name for p in folder.iterdir()} == FILES
    assert stages[0] is BundleStage.READING and stages[-1] is BundleStage.DONE and BundleStage.PDF in stages
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert sorted(p.name for p in out.iterdir()) == ["anna", "anna.zip"]   # no partial left behind

    records = json.loads((folder / "records.json").read_text("utf-8"))
    schema = json.loads((folder / "records.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(records)
    assert records["subject"]["name"] == NAME and records["subject"]["email"] == EMAIL
    assert [c["id"] for c in records["chats"]] == chat_ids
    for held in records["chats"]:   # held by the server and this desk: listed once, from both
        assert held["sources"] == ["server", "desk_cache"] and held["operator"] == "Sam Supervisor"
        assert len({m["id"] for m in held["messages"]}) == len(held["messages"]) == 3
        assert all(m["sources"] == ["server", "desk_cache"] for m in held["messages"])
    texts = [m["text"] for held in records["chats"] for m in held["messages"]]
    assert FIRST in texts and SECOND in texts
    [detail] = records["chats"][0]["details"]
    assert detail["values"] == {"phone": PHONE} and detail["status"] == "received"
    decisions = [(c["purpose"], c["granted"]) for c in records["consents"]]
    assert ("visitor_insights", False) in decisions and ("chat", True) in decisions
    assert all(c["notice"]["body"] and c["notice"]["sha256_matches"] for c in records["consents"])
    assert records["case"]["reference"] == "letter 17" and records["desk_cache"]["included"]
    assert records["exported_by"] == "Sam Supervisor"
    assert records["controller"]["name"] and records["purposes"]
    # Staff by name, never by internal id.
    raw = (folder / "records.json").read_text("utf-8")
    assert desk.operator.id not in raw and "op_" not in raw

    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert {f["name"] for f in manifest["files"]} == FILES - {"manifest.json"}
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and len(data) == entry["bytes"]
    assert written.manifest_sha256 == hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest()
    with zipfile.ZipFile(out / "anna.zip") as archive:
        assert sorted(archive.namelist()) == sorted(f"anna/{name}" for name in FILES)
        assert archive.read("anna/records.json") == (folder / "records.json").read_bytes()
    assert stat.S_IMODE((out / "anna.zip").stat().st_mode) == 0o600

    html = (folder / "report.html").read_text("utf-8")
    assert html.index("Summary") < html.index("Your chats") and FIRST in html and PHONE in html
    assert "Content-Security-Policy" in html
    references = ExternalReferences()
    references.feed(html)
    assert references.found == []
    assert "url(" not in references.style and "@import" not in references.style

    everything = file_text(folder) + (folder / "report.pdf").read_bytes().decode("latin-1")
    for trace in (OTHER_NAME, OTHER_TEXT, "invoice 9090"):
        assert trace not in everything, trace

    # Recorded: a step of the case with the manifest's digest, the server's audit, this desk's audit.
    steps = (await desk.subject_requests.case(case.id)).steps
    assert [s.step for s in steps][-2:] == ["exported", "bundle_written"]
    assert steps[-1].detail == {"sha256": written.manifest_sha256} and written.recorded_in_case
    local = [e for e in await store.audit_entries() if e.action in ("bundle", "export")]
    assert [e.action for e in local] == ["bundle", "export"]
    assert local[0].detail["manifest_sha256"] == written.manifest_sha256


@pytest.mark.asyncio
async def test_the_report_pdf_renders_in_the_desks_language(server, store, memory_keyring, desks, visitors,
                                                             german, tmp_path):
    events = Events()
    desk = await signed_in(desks(server.url, events, store), events)
    anna, _ = await person_with_history(server, desk, events, visitors)
    written = await desk.bundles.write(BundleRequest(visitor_id=anna.visitor_id, folder=tmp_path / "b"),
                                       german, render_pdf)
    pdf = written.folder / "report.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    pages = pdf_pages(pdf, tmp_path)
    assert pages and all(page.stat().st_size > 1000 for page in pages)
    text_tool = shutil.which("pdftotext")
    assert text_tool, "pdftotext comes with pdftoppm (poppler-utils)"
    text = (await asyncio.to_thread(subprocess.run, [text_tool, str(pdf), "-"], capture_output=True,
                                    text=True, check=True)).stdout
    flat = text.replace("\n", " ")
    assert "Ihre personenbezogenen Daten" in text and FIRST in flat
    # Table cells are padded (a consent's decision does not run into how it was given), and long words
    # stay whole (Qt's layout would break "Besucherinformationen" to fit a narrow column).
    assert re.search(r"Besucherinformationen\s+widerrufen\s+Chat-Formular", flat), flat
    assert re.search(r"erteilt\s+Datenschutzmenü", flat), flat


@pytest.mark.asyncio
async def test_operators_and_team_leads_get_no_bundle(server, store, memory_keyring, desks, visitors, qapp,
                                                      tmp_path):
    events = Events()
    supervisor = await signed_in(desks(server.url, events, store), events)
    anna, _ = await person_with_history(server, supervisor, events, visitors)
    out = tmp_path / "out"
    out.mkdir()
    for user in ("lead", "operator"):
        other_events = Events()
        desk = await signed_in(desks(server.url, other_events, None, profile=user), other_events, user=user)
        with pytest.raises(DeskError) as refused:
            await desk.bundles.write(BundleRequest(visitor_id=anna.visitor_id, folder=out / user),
                                     words(), render_pdf)
        assert refused.value.code is FailureCode.FORBIDDEN
    assert list(out.iterdir()) == []


@pytest.mark.asyncio
@pytest.mark.allow_log_warnings   # the failed write is logged (its kind only)
async def test_a_cancelled_or_failed_bundle_leaves_nothing_behind(server, store, memory_keyring, desks,
                                                                  visitors, qapp, tmp_path):
    events = Events()
    desk = await signed_in(desks(server.url, events, store), events)
    anna, _ = await person_with_history(server, desk, events, visitors)
    out = tmp_path / "out"
    out.mkdir()
    rendering, release = threading.Event(), threading.Event()

    def slow_pdf(html: str, path: Path, title: str) -> None:
        rendering.set()
        release.wait(10)
        render_pdf(html, path, title)   # still writing while the cancel arrives

    task = asyncio.create_task(desk.bundles.write(BundleRequest(visitor_id=anna.visitor_id, folder=out / "a",
                                                                make_zip=True), words(), slow_pdf))
    await asyncio.to_thread(rendering.wait, 10)
    assert [p.name.startswith(".a.partial-") for p in out.iterdir()] == [True]
    task.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert list(out.iterdir()) == []

    def broken_pdf(html: str, path: Path, title: str) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(DeskError) as failed:
        await desk.bundles.write(BundleRequest(visitor_id=anna.visitor_id, folder=out / "b"), words(),
                                 broken_pdf)
    assert failed.value.code is FailureCode.FILE_NOT_WRITTEN
    assert list(out.iterdir()) == []
    (out / "taken").mkdir()
    with pytest.raises(DeskError) as taken:
        await desk.bundles.write(BundleRequest(visitor_id=anna.visitor_id, folder=out / "taken"), words(),
                                 render_pdf)
    assert taken.value.code is FailureCode.ALREADY_EXISTS
    assert [p.name for p in out.iterdir()] == ["taken"] and list((out / "taken").iterdir()) == []


CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.mark.asyncio
@pytest.mark.browser
async def test_the_report_loads_nothing_in_a_real_browser(server, store, memory_keyring, desks, visitors,
                                                          qapp, tmp_path):
    """Chromium opens report.html from disk: the one request is the file itself, the hostile text shows
    as text, and the page complains of nothing."""
    if not all(map(os.path.exists, (CHROMIUM, CHROMEDRIVER))):
        if os.environ.get("OPERATOR_DESK_REQUIRE_BROWSER") == "1":
            pytest.fail("OPERATOR_DESK_REQUIRE_BROWSER=1 but Debian's chromium or chromedriver is missing")
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    events = Events()
    desk = await signed_in(desks(server.url, events, store), events)
    anna, _ = await person_with_history(server, desk, events, visitors)
    written = await desk.bundles.write(BundleRequest(visitor_id=anna.visitor_id, folder=tmp_path / "b"),
                                       words(), render_pdf)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--no-first-run",
                     f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})

    def look() -> tuple[list[str], str, list[str]]:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            driver.get((written.folder / "report.html").as_uri())
            shown = driver.find_element(By.TAG_NAME, "body").text
            requested = [json.loads(e["message"])["message"] for e in driver.get_log("performance")]
            urls = [m["params"]["request"]["url"] for m in requested
                    if m["method"] == "Network.requestWillBeSent"]
            complaints = [e["message"] for e in driver.get_log("browser")]
            return urls, shown, complaints
        finally:
            driver.quit()

    urls, shown, complaints = await asyncio.to_thread(look)
    # What the browser loaded from the report on: its own start page came before.
    report = (written.folder / "report.html").as_uri()
    assert urls[urls.index(report):] == [report]
    assert HOSTILE in shown and complaints == []
