"""Translations: complete, placeholders kept, up to date with the code, and actually loaded."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from operator_desk.ui.i18n import choose_language, compiled_catalog, install_translations

PLACEHOLDER = re.compile(r"%(?:\d+|n|L\d+)|\{[a-z_]+\}")
TRANSLATIONS = Path(__file__).parents[2] / "src/operator_desk/ui/translations"
CATALOGS = sorted(TRANSLATIONS.glob("operator_desk_*.ts"))
SOURCES = [*sorted((Path(__file__).parents[2] / "src/operator_desk/ui").rglob("*.py")),
           Path(__file__).parents[2] / "src/operator_desk/app.py"]


def messages(path: Path):
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            yield name, message


def test_there_is_a_german_catalog():
    assert TRANSLATIONS / "operator_desk_de.ts" in CATALOGS


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: p.name)
def test_every_translation_is_finished_and_keeps_the_placeholders(catalog):
    problems = []
    for context, message in messages(catalog):
        source = message.findtext("source")
        translation = message.find("translation")
        if translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{context}: {source!r} is {translation.get('type')}")
            continue
        forms = ([f.text or "" for f in translation.iter("numerusform")] if message.get("numerus") == "yes"
                 else [translation.text or ""])
        for form in forms:
            if not form.strip():
                problems.append(f"{context}: {source!r} has an empty translation")
            elif Counter(PLACEHOLDER.findall(form)) != Counter(PLACEHOLDER.findall(source)):
                problems.append(f"{context}: {source!r} -> {form!r} changes the placeholders")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def in_code(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """Every (context, string) lupdate finds in the code today."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.is_file():
        pytest.skip("pyside6-lupdate is not installed next to this Python")
    fresh = tmp_path_factory.mktemp("lupdate") / "fresh.ts"
    subprocess.run([str(lupdate), *map(str, SOURCES), "-ts", str(fresh)], check=True, capture_output=True,
                   timeout=120)
    return {(c, m.findtext("source")) for c, m in messages(fresh)}


def german() -> set[tuple[str, str]]:
    return {(c, m.findtext("source")) for c, m in messages(TRANSLATIONS / "operator_desk_de.ts")}


def test_the_german_catalog_covers_every_string_in_the_code(in_code):
    translated = german()
    assert in_code - translated == set(), "run pyside6-lupdate and translate the new strings"


def test_the_german_catalog_keeps_no_string_the_code_no_longer_has(in_code):
    """A stale entry is a translation nobody sees, and the next translator reads it as current."""
    assert german() - in_code == set(), "run pyside6-lupdate with -no-obsolete (docs/ui.md)"


def test_language_choice_order():
    assert choose_language("de", "en") == "de"
    assert choose_language(None, "de") == "de"
    assert choose_language("fr", "") in ("en", "de")   # unsupported: the system's, else English
    assert choose_language(None, "de_AT") == "de"


def test_german_is_built_and_installed_and_english_gets_plurals(qapp, tmp_path):
    assert compiled_catalog("de", tmp_path) is not None
    translators = install_translations(qapp, "de", tmp_path)
    try:
        assert QCoreApplication.translate("MainWindow", "Queue") == "Warteschlange"
        assert QCoreApplication.translate("VisitorListPanel", "%n visitor(s)", "", 3) == "3 Besucher"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
    translators = install_translations(qapp, "en", tmp_path)
    try:
        assert QCoreApplication.translate("VisitorPanel", "%n visit(s)", "", 1) == "1 visit"
        assert QCoreApplication.translate("VisitorPanel", "%n visit(s)", "", 2) == "2 visits"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)



def test_every_review_window_has_the_window_menu_in_german(qapp, qtbot, tmp_path):
    """The Window menu and its Close are built once, by the frame all review windows share: their
    strings must be looked up in the context lupdate files them under, whichever window it is."""
    from PySide6.QtGui import QIcon

    from operator_desk.ui.windows.review_window import ReviewWindow

    class SomeReviewWindow(ReviewWindow):
        pass

    translators = install_translations(qapp, "de", tmp_path)
    try:
        for window in (ReviewWindow(None, "", QIcon()), SomeReviewWindow(None, "", QIcon())):
            qtbot.addWidget(window)
            assert [a.text() for a in window.menuBar().actions()] == ["&Fenster"]
            assert window.close_action.text() == "&Schließen"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
