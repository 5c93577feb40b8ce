"""Dialogs: the details request shows the exact notice; sign-in failures in words; the cache choice;
settings (canned responses) saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from ui_fakes import NOTICE_BODY, contact_notice

from operator_desk.domain.model import DetailField
from operator_desk.services.errors import FailureCode
from operator_desk.ui.dialogs.cache_choice import CacheChoiceDialog
from operator_desk.ui.dialogs.details_request import DetailsRequestDialog
from operator_desk.ui.dialogs.login import LoginDialog
from operator_desk.ui.dialogs.settings_dialog import SettingsDialog
from operator_desk.ui.settings import DeskSettings


def test_details_dialog_shows_the_exact_notice_and_purpose(qtbot):
    notice = contact_notice("de", NOTICE_BODY)
    dialog = DetailsRequestDialog(visitor_name="Ada", notice=notice, preselected={DetailField.PHONE})
    qtbot.addWidget(dialog)
    assert dialog.body_view.toPlainText() == NOTICE_BODY   # word for word, markup-looking text included
    assert dialog.body_view.isReadOnly()
    assert dialog.title_label.text() == notice.title
    assert dialog.title_label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.version_label.text() == "3"
    assert dialog.language_label.text() == "de"
    assert dialog.purpose_label.text() == "Contact details"
    assert dialog.selected_fields() == {DetailField.PHONE}
    assert dialog.ok_button.isEnabled()
    dialog.field_boxes[DetailField.PHONE].setChecked(False)
    assert not dialog.ok_button.isEnabled()   # nothing to ask for
    dialog.field_boxes[DetailField.ORDER_REFERENCE].setChecked(True)
    assert dialog.selected_fields() == {DetailField.ORDER_REFERENCE}


def test_details_dialog_without_a_notice_cannot_send(qtbot):
    dialog = DetailsRequestDialog(visitor_name="Ada", notice=None, preselected={DetailField.EMAIL})
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert not dialog.missing_label.isHidden()


def test_login_shows_each_failure_in_words_and_stays_open(qtbot, run):
    attempts = []

    async def attempt(url, username, password):
        attempts.append((url, username, password))
        return FailureCode.INVALID_CREDENTIALS if len(attempts) == 1 else None

    dialog = LoginDialog(attempt, server_url="ws://127.0.0.1:1", username="ann")
    qtbot.addWidget(dialog)
    dialog.password_edit.setText("wrong")
    assert run(dialog.try_sign_in()) is False
    assert "user name or password is wrong" in dialog.error_label.text()
    assert dialog.password_edit.text() == ""
    dialog.password_edit.setText("right")
    with qtbot.waitSignal(dialog.accepted):
        assert run(dialog.try_sign_in()) is True
    assert dialog.password_edit.text() == ""   # the password does not outlive the attempt
    assert attempts[-1] == ("ws://127.0.0.1:1", "ann", "right")


def test_login_asks_for_missing_fields_before_trying(qtbot, run):
    async def attempt(*_args):
        raise AssertionError("must not be called")

    dialog = LoginDialog(attempt, server_url="ws://127.0.0.1:1")
    qtbot.addWidget(dialog)
    assert run(dialog.try_sign_in()) is False
    assert dialog.error_label.text()


@pytest.mark.parametrize(("passphrase", "repeat", "accepted"), [
    ("short", "short", False), ("long enough", "different!", False), ("long enough", "long enough", True),
])
def test_cache_choice_checks_a_new_passphrase(qtbot, passphrase, repeat, accepted):
    dialog = CacheChoiceDialog(existing_cache=False)
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText(passphrase)
    dialog.confirm_edit.setText(repeat)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert (dialog.result() == QDialog.DialogCode.Accepted) is accepted
    assert dialog.error_label.isHidden() is accepted
    if accepted:
        assert dialog.choice().passphrase == "long enough"


def test_cache_choice_can_run_without_a_cache(qtbot):
    dialog = CacheChoiceDialog(existing_cache=True)
    qtbot.addWidget(dialog)
    dialog.no_cache_option.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice().passphrase is None


def test_every_settings_label_with_a_shortcut_moves_the_focus_to_its_field(qtbot, tmp_path):
    """A label's "&C" is Alt+C to its field, shown underlined; a label without a buddy shows the "&"
    itself (a form row whose field is a layout gets none from QFormLayout)."""
    from PySide6.QtWidgets import QLabel

    dialog = SettingsDialog(DeskSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(dialog)
    with_shortcut = [label for label in dialog.findChildren(QLabel) if "&" in label.text().replace("&&", "")]
    assert "Company &CA file:" in [label.text() for label in with_shortcut]
    assert [label.text() for label in with_shortcut if label.buddy() is None] == []


def test_settings_edit_canned_responses_and_keep_them(qtbot, tmp_path):
    settings = DeskSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog._on_add_clicked()
    row = dialog.canned_table.rowCount() - 1
    dialog.canned_table.item(row, 0).setText("/ship")
    dialog.canned_table.item(row, 1).setText("We ship within two days.")
    dialog.retention_spin.setValue(14)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("de"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    again = DeskSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert again.canned_responses["ship"] == "We ship within two days."
    assert "hi" in again.canned_responses
    assert again.retention_days == 14
    assert again.language == "de"
