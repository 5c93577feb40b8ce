"""The widget's files come from inside the package (importlib.resources); a missing one is an error."""

from __future__ import annotations

import logging

import pytest

from operator_desk.server import http


def test_the_package_serves_the_whole_widget_with_embed_js():
    files = http.load_widget_files()
    assert set(http.WIDGET_NEEDS) <= set(files)
    assert files["embed.js"][1] == "text/javascript; charset=utf-8"


@pytest.mark.allow_log_warnings
def test_a_missing_widget_is_an_error_in_the_log(monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(http.resources, "files", lambda package: tmp_path)
    assert http.load_widget_files() == {}
    assert any(r.levelno == logging.ERROR and "lacks the visitor widget" in r.getMessage()
               for r in caplog.records)


@pytest.mark.allow_log_warnings
def test_a_missing_widget_file_is_named_in_the_log(monkeypatch, tmp_path, caplog):
    (tmp_path / "widget").mkdir()
    (tmp_path / "widget/index.html").write_text("<!doctype html>")
    monkeypatch.setattr(http.resources, "files", lambda package: tmp_path)
    assert set(http.load_widget_files()) == {"index.html"}
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == ["the installation lacks widget files: embed.js, i18n.js, widget.js, widget.css"]
