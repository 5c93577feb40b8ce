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


def _as_bool(value: object) -> bool:
    """A flag as QSettings hands it back: a bool, or from an INI file the text "true"/"false"."""
    if isinstance(value, str):
        return value.lower() in ("1", "true", "yes")
    return bool(value)


class _Text:
    """A text preference stored under ``key``: read as text, ``default`` when it was never set."""

    def __init__(self, key: str, default: str = "") -> None:
        self.key = key
        self.default = default

    def __get__(self, settings: DeskSettings, owner: type | None = None) -> str:
        return str(settings._q.value(self.key, self.default))

    def __set__(self, settings: DeskSettings, value: str) -> None:
        settings._q.setValue(self.key, value)


class _Flag:
    """An on/off preference stored under ``key``, ``default`` when it was never set."""

    def __init__(self, key: str, default: bool) -> None:
        self.key = key
        self.default = default

    def __get__(self, settings: DeskSettings, owner: type | None = None) -> bool:
        return _as_bool(settings._q.value(self.key, self.default))

    def __set__(self, settings: DeskSettings, value: bool) -> None:
        settings._q.setValue(self.key, bool(value))


def _key_part(text: str) -> str:
    """``text`` as one QSettings key part (an account id has no '/', but nothing relies on that)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text) or "_"


class DeskSettings:
    def __init__(self, qsettings: QSettings) -> None:
        self._q = qsettings

    # -- connection -----------------------------------------------------------------------------------

    server_url = _Text("connection/server_url", DEFAULT_SERVER_URL)
    # A PEM file of certificate authorities to trust for wss:// besides the system's; "" = none.
    ca_file = _Text("connection/ca_file")
    last_username = _Text("connection/last_username")

    # -- notifications --------------------------------------------------------------------------------

    notify_incoming = _Flag("notifications/incoming", True)
    # A desktop notification for new visitor messages in a chat that is not in front.
    notify_messages = _Flag("notifications/messages", True)
    # Whether such a notification shows the message's words (never over a locked screen); off, it says
    # only who wrote and "New message".
    notify_message_text = _Flag("notifications/message_text", False)

    @property
    def sound_choice(self) -> str:
        """One of ``ui.sound.SOUND_CHOICES``. Before there was a choice, "sound" was on or off."""
        value = str(self._q.value("notifications/sound_choice", ""))
        if value in SOUND_CHOICES:
            return value
        return DEFAULT_SOUND if _as_bool(self._q.value("notifications/sound", True)) else OFF

    @sound_choice.setter
    def sound_choice(self, value: str) -> None:
        self._q.setValue("notifications/sound_choice", value if value in SOUND_CHOICES else DEFAULT_SOUND)

    # -- chat -----------------------------------------------------------------------------------------

    # Close an ended chat's tab by itself once another tab is in front.
    close_ended_chats = _Flag("chat/close_ended", False)

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

    # "" = follow the system; else "en" or "de".
    language = _Text("ui/language")

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
