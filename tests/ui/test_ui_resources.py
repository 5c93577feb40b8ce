"""The desk's files come from inside the package, and a missing one is an error in the log."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from operator_desk.ui import i18n, icons, resources

SOURCE = Path(__file__).parents[2] / "src/operator_desk"
ICON_NAMES = sorted({
    name
    for path in (SOURCE / "ui").rglob("*.py")
    for name in re.findall(r'icons\.icon\("([a-z-]+)"', path.read_text("utf-8"))
})


def test_resources_are_read_from_inside_the_package():
    path = resources.resource_path("assets/style.qss")
    assert path is not None
    assert path.is_relative_to(Path(resources.__file__).parent)


@pytest.mark.parametrize("name", ICON_NAMES)
def test_every_icon_the_code_names_is_shipped_and_renders(qapp, name):
    icon = icons.icon(name)
    assert not icon.isNull()
    image = icon.pixmap(32, 32).toImage()
    assert not image.isNull()
    assert any(image.pixelColor(x, y).alpha() for x in range(32) for y in range(32)), "a blank icon"


def test_the_style_sheet_is_loaded(caplog):
    caplog.set_level(logging.INFO, "operator_desk.ui.resources")
    text = resources.style_sheet()
    assert text
    assert text == (SOURCE / "ui/assets/style.qss").read_text("utf-8")
    assert "style sheet loaded" in caplog.text


@pytest.mark.allow_log_warnings
def test_a_missing_resource_is_an_error_in_the_log(caplog):
    assert resources.resource_path("assets/icons/no-such-icon.svg") is None
    assert icons.icon("no-such-icon").isNull()
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors, "a missing icon was skipped silently"
    assert "no-such-icon.svg" in errors[0].getMessage()


@pytest.mark.allow_log_warnings
def test_a_catalog_that_cannot_be_built_is_an_error_in_the_log(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(i18n, "_lrelease", lambda: None)
    assert i18n.compiled_catalog("de", tmp_path) is None
    assert any(r.levelno == logging.ERROR and "de catalog" in r.getMessage() for r in caplog.records)


@pytest.mark.allow_log_warnings
def test_a_language_without_any_catalog_is_an_error_in_the_log(tmp_path, caplog):
    assert i18n.compiled_catalog("fr", tmp_path) is None
    assert any(r.levelno == logging.ERROR and "fr catalog" in r.getMessage() for r in caplog.records)
