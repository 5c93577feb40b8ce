"""``operator-desk --demo``'s Settings dialog shows the address of the demo's own server (a free port
chosen at start), not the default address of a server that is not there."""

from __future__ import annotations

import pytest

from operator_desk import app as app_module
from operator_desk.app import DeskApp, StartupError, build_parser
from operator_desk.ui.dialogs.settings_dialog import SettingsDialog
from operator_desk.ui.settings import DEFAULT_SERVER_URL


@pytest.fixture
def demo_app(qapp, run, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(app_module, "DEMO_VISITORS", 0)
    desk_app = DeskApp(build_parser().parse_args(["--demo", "--lang", "en"]), qapp)
    try:
        yield desk_app
    finally:
        run(desk_app._shutdown(), timeout=30_000)
        for translator in desk_app._translators:
            qapp.removeTranslator(translator)
        qapp.setStyleSheet("")


def test_the_demo_settings_show_the_demo_servers_real_address(demo_app, qtbot, run):
    assert run(demo_app._start(), timeout=60_000) is True
    assert demo_app.server.url != DEFAULT_SERVER_URL
    dialog = SettingsDialog(demo_app.settings)
    qtbot.addWidget(dialog)
    assert dialog.server_edit.text() == demo_app.server.url


def test_an_unreadable_ca_file_stops_the_start_with_a_clear_message(qapp, run, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(app_module, "DEMO_VISITORS", 0)
    missing = tmp_path / "company-ca.pem"
    desk_app = DeskApp(build_parser().parse_args(["--demo", "--lang", "en", "--ca-file", str(missing)]), qapp)
    try:
        with pytest.raises(StartupError, match=f"cannot read the CA file {missing}"):
            run(desk_app._start(), timeout=60_000)
    finally:
        run(desk_app._shutdown(), timeout=30_000)
        for translator in desk_app._translators:
            qapp.removeTranslator(translator)
        qapp.setStyleSheet("")
