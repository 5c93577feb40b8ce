"""Settings: server and company CA, notifications (new chats, new messages, their words) and the sound,
ended chats, canned responses, cache retention, language."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from operator_desk.ui import icons
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.sound import BELL, OFF, SoundPlayer, find_player
from operator_desk.ui.widgets.action_button import push_button
from operator_desk.ui.widgets.hint import hint_label

LANGUAGES = (("", "System"), ("en", "English"), ("de", "Deutsch"))


class SettingsDialog(QDialog):
    def __init__(self, settings: DeskSettings, parent: QWidget | None = None, *,
                 sound: SoundPlayer | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._sound = sound if sound is not None else SoundPlayer(find_player())
        self.setWindowTitle(self.tr("Settings — Operator Desk"))
        self.setWindowIcon(icons.icon("settings"))
        self.resize(580, 380)
        tabs = QTabWidget(self)

        # Connection
        connection = QWidget()
        self.server_edit = QLineEdit(settings.server_url)
        self.server_edit.setAccessibleName(self.tr("Server address"))
        form = QFormLayout(connection)
        form.addRow(self.tr("&Server address:"), self.server_edit)
        hint = hint_label(self.tr("Used at the next sign-in. Use wss:// for servers on other computers."))
        form.addRow(hint)
        self.ca_edit = QLineEdit(settings.ca_file)
        self.ca_edit.setAccessibleName(self.tr("Company certificate authority file"))
        self.ca_edit.setPlaceholderText(self.tr("None: only the system's certificate authorities"))
        browse = push_button(self.tr("Browse…"), self.tr("Choose the certificate authority file"),
                             self._on_browse_clicked)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(browse)
        # A row of a layout gets no buddy from the form: without one its "&" would show, not underline.
        ca_label = QLabel(self.tr("Company &CA file:"))
        ca_label.setBuddy(self.ca_edit)
        form.addRow(ca_label, ca_row)
        ca_hint = hint_label(self.tr("A PEM file from your administrator, when the server's certificate is "
                                     "signed by your company's own certificate authority. Used from the next "
                                     "start."))
        form.addRow(ca_hint)
        tabs.addTab(connection, self.tr("Connection"))

        # Notifications
        notifications = QWidget()
        self.notify_box = QCheckBox(self.tr("Show a desktop notification for new chats when the window "
                                            "is not active"))
        self.notify_box.setChecked(settings.notify_incoming)
        self.notify_box.setAccessibleName(self.tr("Desktop notifications for new chats"))
        self.notify_messages_box = QCheckBox(self.tr("Show a desktop notification for new messages in "
                                                     "chats that are not in front"))
        self.notify_messages_box.setChecked(settings.notify_messages)
        self.notify_messages_box.setAccessibleName(self.tr("Desktop notifications for new messages"))
        self.message_text_box = QCheckBox(self.tr("Show the message's words in the notification"))
        self.message_text_box.setChecked(settings.notify_message_text)
        self.message_text_box.setAccessibleName(self.message_text_box.text())
        self.message_text_box.setEnabled(settings.notify_messages)
        self.notify_messages_box.toggled.connect(self.message_text_box.setEnabled)
        text_hint = hint_label(self.tr("Off: the notification says who wrote and \"New message\". Anyone who "
                                       "sees your screen can read a notification; its words are never shown "
                                       "while the screen is locked."))
        self.sound_combo = QComboBox()
        self.sound_combo.setAccessibleName(self.tr("Sound for new chats and messages"))
        for choice, name in self._sound_names().items():
            self.sound_combo.addItem(name, choice)
        self.sound_combo.setCurrentIndex(max(0, self.sound_combo.findData(settings.sound_choice)))
        self.try_sound = push_button(self.tr("&Play"), self.tr("Play the chosen sound"),
                                     self._on_try_sound_clicked)
        sound_row = QHBoxLayout()
        sound_row.addWidget(self.sound_combo, 1)
        sound_row.addWidget(self.try_sound)
        sound_label = QLabel(self.tr("S&ound:"))
        sound_label.setBuddy(self.sound_combo)   # the mnemonic needs a buddy: the row is a layout
        sound_form = QFormLayout()
        sound_form.addRow(sound_label, sound_row)
        layout = QVBoxLayout(notifications)
        layout.addWidget(self.notify_box)
        layout.addWidget(self.notify_messages_box)
        layout.addWidget(self.message_text_box)
        layout.addWidget(text_hint)
        layout.addLayout(sound_form)
        layout.addStretch(1)
        tabs.addTab(notifications, self.tr("Notifications"))

        # Chats
        chats = QWidget()
        self.close_ended_box = QCheckBox(self.tr("Close the tab of an ended chat by itself once another "
                                                 "tab is in front"))
        self.close_ended_box.setChecked(settings.close_ended_chats)
        self.close_ended_box.setAccessibleName(self.close_ended_box.text())
        chats_layout = QVBoxLayout(chats)
        chats_layout.addWidget(self.close_ended_box)
        chats_layout.addStretch(1)
        tabs.addTab(chats, self.tr("Chats"))

        # Canned responses
        canned = QWidget()
        self.canned_table = QTableWidget(0, 2)
        self.canned_table.setAccessibleName(self.tr("Canned responses"))
        self.canned_table.setHorizontalHeaderLabels([self.tr("Keyword"), self.tr("Text")])
        self.canned_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.canned_table.horizontalHeader().setStretchLastSection(True)
        self.canned_table.verticalHeader().hide()
        self.canned_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for keyword, text in sorted(settings.canned_responses.items()):
            self._add_canned_row(keyword, text)
        add = push_button(self.tr("Add"), self.tr("Add a canned response"), self._on_add_clicked)
        remove = push_button(self.tr("Remove"), self.tr("Remove the selected canned response"),
                             self._on_remove_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        canned_hint = hint_label(self.tr("Type / and the keyword in a chat to insert the text."), wrap=False)
        canned_layout = QVBoxLayout(canned)
        canned_layout.addWidget(canned_hint)
        canned_layout.addWidget(self.canned_table, 1)
        canned_layout.addLayout(buttons)
        tabs.addTab(canned, self.tr("Canned responses"))

        # Cache and language
        general = QWidget()
        self.retention_spin = QSpinBox()
        self.retention_spin.setRange(1, 3650)
        self.retention_spin.setSuffix(self.tr(" days"))
        self.retention_spin.setValue(settings.retention_days)
        self.retention_spin.setAccessibleName(self.tr("Keep cached transcripts for days"))
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(self.tr("Language"))
        for code, name in LANGUAGES:
            self.language_combo.addItem(self.tr("System default") if not code else name, code)
        index = self.language_combo.findData(settings.language)
        self.language_combo.setCurrentIndex(max(0, index))
        general_form = QFormLayout(general)
        general_form.addRow(self.tr("Keep cached transcripts for:"), self.retention_spin)
        general_form.addRow(self.tr("Language:"), self.language_combo)
        lang_hint = hint_label(self.tr("A new language applies at the next start."), wrap=False)
        general_form.addRow(lang_hint)
        tabs.addTab(general, self.tr("Cache and language"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        main = QVBoxLayout(self)
        main.addWidget(tabs, 1)
        main.addWidget(self.buttons)

    def _sound_names(self) -> dict[str, str]:
        return {OFF: self.tr("Off"), BELL: self.tr("System bell"), "chime": self.tr("Chime"),
                "ping": self.tr("Ping")}

    def _on_try_sound_clicked(self) -> None:
        self._sound.play(self.sound_combo.currentData())

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Certificate authority file"), self.ca_edit.text(),
            self.tr("Certificates (*.pem *.crt);;All files (*)"))
        if path:
            self.ca_edit.setText(path)

    def _add_canned_row(self, keyword: str, text: str) -> None:
        row = self.canned_table.rowCount()
        self.canned_table.insertRow(row)
        self.canned_table.setItem(row, 0, QTableWidgetItem(keyword))
        self.canned_table.setItem(row, 1, QTableWidgetItem(text))

    def _on_add_clicked(self) -> None:
        self._add_canned_row("", "")
        row = self.canned_table.rowCount() - 1
        self.canned_table.setCurrentCell(row, 0)
        self.canned_table.editItem(self.canned_table.item(row, 0))

    def _on_remove_clicked(self) -> None:
        for row in sorted({i.row() for i in self.canned_table.selectedIndexes()}, reverse=True):
            self.canned_table.removeRow(row)

    def canned_responses(self) -> dict[str, str]:
        result = {}
        for row in range(self.canned_table.rowCount()):
            keyword_item, text_item = self.canned_table.item(row, 0), self.canned_table.item(row, 1)
            keyword = (keyword_item.text() if keyword_item else "").strip().lstrip("/").replace(" ", "-")
            text = (text_item.text() if text_item else "").strip()
            if keyword and text:
                result[keyword] = text
        return result

    def _on_buttons_accepted(self) -> None:
        self._settings.server_url = self.server_edit.text().strip() or self._settings.server_url
        self._settings.ca_file = self.ca_edit.text().strip()
        self._settings.notify_incoming = self.notify_box.isChecked()
        self._settings.notify_messages = self.notify_messages_box.isChecked()
        self._settings.notify_message_text = self.message_text_box.isChecked()
        self._settings.sound_choice = self.sound_combo.currentData()
        self._settings.close_ended_chats = self.close_ended_box.isChecked()
        self._settings.canned_responses = self.canned_responses()
        self._settings.retention_days = self.retention_spin.value()
        self._settings.language = self.language_combo.currentData() or ""
        self._settings.sync()
        self.accept()
