"""The operator's preferences, kept in QSettings (never a password, never personal data of visitors).

One small typed face over QSettings so that keys and defaults live in one place. ``app.py`` decides
where the settings file is (the profile's name is part of it); tests hand in an INI file in tmp_path.
"""

from __future__ import annotations

import json
import logging

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

from operator_desk.ui.sound import DEFAULT_SOUND, OFF, SOUND_CHOICES

logger = logging.getLogger(__name__)

DEFAULT_SERVER_URL = "ws://127.0.0.1:8765"
DEFAULT_RETENTION_DAYS = 30


def default_canned_responses() -> dict[str, str]:
    """The desk's own canned responses until the operator edits them, keywords in the interface's
    language too (a German desk types /hallo, not /hi). Written out in full: lupdate finds no alias."""
    return {
        QCoreApplication.translate("settings", "hi", "canned response keyword: one word, typed after /"):
            QCoreApplication.translate("settings", "Hello! How can I help you today?"),
        QCoreApplication.translate("settings", "moment", "canned response keyword: one word, typed after /"):
            QCoreApplication.translate("settings", "One moment please, I'm checking that for you."),
        QCoreApplication.translate("settings", "thanks", "canned response keyword: one word, typed after /"):
            QCoreApplication.translate("settings", "Thank you for your patience."),
        QCoreApplication.translate("settings", "bye", "canned response keyword: one word, typed after /"):
            QCoreApplication.translate("settings", "Thanks for chatting with us. Have a nice day!"),
    }


def _key_part(text: str) -> str:
    """``text`` as one QSettings key part (an account id has no '/', but nothing relies on that)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text) or "_"


class DeskSettings:
    def __init__(self, qsettings: QSettings) -> None:
        self._q = qsettings

    # -- connection -----------------------------------------------------------------------------------

    @property
    def server_url(self) -> str:
        return str(self._q.value("connection/server_url", DEFAULT_SERVER_URL))

    @server_url.setter
    def server_url(self, value: str) -> None:
        self._q.setValue("connection/server_url", value)

    @property
    def ca_file(self) -> str:
        """A PEM file of certificate authorities to trust for wss:// besides the system's; "" = none."""
        return str(self._q.value("connection/ca_file", ""))

    @ca_file.setter
    def ca_file(self, value: str) -> None:
        self._q.setValue("connection/ca_file", value)

    @property
    def last_username(self) -> str:
        return str(self._q.value("connection/last_username", ""))

    @last_username.setter
    def last_username(self, value: str) -> None:
        self._q.setValue("connection/last_username", value)

    # -- notifications --------------------------------------------------------------------------------

    def _bool(self, key: str, default: bool) -> bool:
        value = self._q.value(key, default)
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes")
        return bool(value)

    @property
    def notify_incoming(self) -> bool:
        return self._bool("notifications/incoming", True)

    @notify_incoming.setter
    def notify_incoming(self, value: bool) -> None:
        self._q.setValue("notifications/incoming", bool(value))

    @property
    def notify_messages(self) -> bool:
        """A desktop notification for new visitor messages in a chat that is not in front."""
        return self._bool("notifications/messages", True)

    @notify_messages.setter
    def notify_messages(self, value: bool) -> None:
        self._q.setValue("notifications/messages", bool(value))

    @property
    def notify_message_text(self) -> bool:
        """Whether such a notification shows the message's words (never over a locked screen); off, it
        says only who wrote and "New message"."""
        return self._bool("notifications/message_text", False)

    @notify_message_text.setter
    def notify_message_text(self, value: bool) -> None:
        self._q.setValue("notifications/message_text", bool(value))

    @property
    def sound_choice(self) -> str:
        """One of ``ui.sound.SOUND_CHOICES``. Before there was a choice, "sound" was on or off."""
        value = str(self._q.value("notifications/sound_choice", ""))
        if value in SOUND_CHOICES:
            return value
        return DEFAULT_SOUND if self._bool("notifications/sound", True) else OFF

    @sound_choice.setter
    def sound_choice(self, value: str) -> None:
        self._q.setValue("notifications/sound_choice", value if value in SOUND_CHOICES else DEFAULT_SOUND)

    # -- chat -----------------------------------------------------------------------------------------

    @property
    def close_ended_chats(self) -> bool:
        """Close an ended chat's tab by itself once another tab is in front."""
        return self._bool("chat/close_ended", False)

    @close_ended_chats.setter
    def close_ended_chats(self, value: bool) -> None:
        self._q.setValue("chat/close_ended", bool(value))

    @property
    def canned_responses(self) -> dict[str, str]:
        raw = self._q.value("chat/canned_responses", "")
        if not raw:
            return default_canned_responses()
        try:
            data = json.loads(str(raw))
        except ValueError:
            logger.info("canned responses in settings are not valid JSON; using the defaults")
            return default_canned_responses()
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    @canned_responses.setter
    def canned_responses(self, value: dict[str, str]) -> None:
        self._q.setValue("chat/canned_responses", json.dumps(value, ensure_ascii=False))

    # -- presence (services.presence.StatusMemory) ----------------------------------------------------

    def remembered_status(self, account: str) -> str | None:
        """The status (available, away, busy) this account last chose on this desk; None if never."""
        value = self._q.value(f"presence/{_key_part(account)}")
        return str(value) if value else None

    def remember_status(self, account: str, status: str) -> None:
        self._q.setValue(f"presence/{_key_part(account)}", status)
        self._q.sync()   # kept if the desk is killed: the operator chose it

    # -- cache and language ---------------------------------------------------------------------------

    @property
    def retention_days(self) -> int:
        try:
            return max(1, int(self._q.value("cache/retention_days", DEFAULT_RETENTION_DAYS)))
        except (TypeError, ValueError):
            return DEFAULT_RETENTION_DAYS

    @retention_days.setter
    def retention_days(self, value: int) -> None:
        self._q.setValue("cache/retention_days", int(value))

    @property
    def language(self) -> str:
        """"" = follow the system; else "en" or "de"."""
        return str(self._q.value("ui/language", ""))

    @language.setter
    def language(self, value: str) -> None:
        self._q.setValue("ui/language", value)

    # -- window layout --------------------------------------------------------------------------------

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self._q.value("window/geometry")
        state = self._q.value("window/state")
        return (geometry if isinstance(geometry, QByteArray) else None,
                state if isinstance(state, QByteArray) else None)

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self._q.setValue("window/geometry", geometry)
        self._q.setValue("window/state", state)

    def sync(self) -> None:
        self._q.sync()
