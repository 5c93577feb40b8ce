"""Notifications worth having (issue 14, item 6): the tray's menu (show, status, quit), desktop
notifications for new visitor messages in chats that are not in front, whose words show only when the
operator chose so and never over a locked screen, and a sound that can be chosen or turned off."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtDBus import QDBusConnection
from PySide6.QtWidgets import QWidget
from ui_factories import make_visitor
from ui_fakes import FakeDesk, local_message

from operator_desk.domain.model import Chat, ChatState
from operator_desk.services.detect import detail_fields_asked_for
from operator_desk.services.events import (
    ChatArrived,
    ChatsChanged,
    MessagesAdded,
    PresenceChanged,
    SignedIn,
    VisitorsChanged,
)
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.dialogs.settings_dialog import SettingsDialog
from operator_desk.ui.notifications import TEXT_SHOWN
from operator_desk.ui.screen_lock import ScreenLock
from operator_desk.ui.sound import MIN_INTERVAL, SoundPlayer
from operator_desk.ui.windows.main_window import MainWindow

AT = "2026-11-29T10:00:00.000Z"


class Lock:
    """The screen's lock as a test sets it (the real D-Bus probe is tested below)."""

    def __init__(self) -> None:
        self.locked = False
        self.asked = 0

    def is_locked(self) -> bool:
        self.asked += 1
        return self.locked


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def player(tmp_path):
    """A sound player that is a real program: it writes the file it was asked to play. Run as
    ``/bin/sh script``, not executed itself: a script just written can be "text file busy" to exec
    while another thread forks."""
    played = tmp_path / "played.txt"
    script = tmp_path / "player.sh"
    script.write_text(f'printf "%s\\n" "$1" >> "{played}"\n')
    return ("/bin/sh", str(script)), played


def sounds_played(played) -> list[str]:
    """The sounds the player has finished writing down: the file exists as soon as the shell opens it,
    before ``printf`` has written the line."""
    if not played.exists():
        return []
    text = played.read_text()
    return text.splitlines() if text.endswith("\n") else text.splitlines()[:-1]


@pytest.fixture
def lock():
    return Lock()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def notified(qtbot, qloop, desk, settings, lock, player, clock):
    window = MainWindow(desk, EventBridge(), settings, detail_fields_asked_for, screen_lock=lock,
                        sound=SoundPlayer(player[0], clock))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.bridge(SignedIn(operator=desk.operator, server_name="test", resumed=False))
    look_elsewhere(qtbot)   # the operator is in another window until a test says otherwise
    shown: list[tuple[str, str]] = []
    window.notifier.notification_ready.connect(lambda title, body: shown.append((title, body)))
    return window, shown


def open_chat(window: MainWindow, desk: FakeDesk, chat_id: str, visitor_id: str, name: str = "Ada"):
    window.bridge(VisitorsChanged(upserts=(make_visitor(visitor_id, name=name, chat=True),)))
    desk.chats[chat_id] = Chat(id=chat_id, visitor_id=visitor_id, state=ChatState.ACTIVE,
                               operator_id="op-1", started_at=AT)
    window.bridge(ChatsChanged(chats=(desk.chats[chat_id],)))
    return window.tabs.chat_tab(chat_id)


def activate(qtbot, window) -> None:
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def look_elsewhere(qtbot) -> QWidget:
    """Another window comes to the front: the desk's is in the background."""
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    qtbot.waitExposed(other)
    activate(qtbot, other)
    return other


def test_a_message_in_a_chat_not_in_front_names_the_visitor_and_keeps_the_words_back(
        notified, desk, qtbot, player, settings):
    window, shown = notified
    open_chat(window, desk, "c1", "v1", "Ada")
    open_chat(window, desk, "c2", "v2", "Bea")
    window.tabs.setCurrentWidget(window.tabs.chat_tab("c1"))
    activate(qtbot, window)

    window.bridge(MessagesAdded("c2", (local_message("c2", "my card is 4111 and I live at ..."),)))
    assert shown == [("Bea", "New message")]   # the default: who wrote, never what
    qtbot.waitUntil(lambda: bool(sounds_played(player[1])))
    assert player[1].read_text().strip().endswith("assets/sounds/chime.wav")   # the default sound

    window.bridge(MessagesAdded("c1", (local_message("c1", "hello"),)))   # the chat in front
    window.bridge(MessagesAdded("c2", (local_message("c2", "sent by me", author="operator"),)))
    assert shown == [("Bea", "New message")]


def test_a_batch_says_how_many_and_a_window_in_the_background_tells_of_the_chat_in_front(
        notified, desk, qtbot):
    window, shown = notified
    open_chat(window, desk, "c1", "v1", "Ada")
    window.tabs.setCurrentWidget(window.tabs.chat_tab("c1"))
    assert not window.isActiveWindow()
    window.bridge(MessagesAdded("c1", (local_message("c1", "one"), local_message("c1", "two"),
                                       local_message("c1", "three"))))
    assert shown == [("Ada", "3 new messages")]


def test_the_words_show_when_chosen_and_never_over_a_locked_screen(notified, desk, settings, lock):
    window, shown = notified
    open_chat(window, desk, "c1", "v1", "Ada")
    settings.notify_message_text = True
    long = "x" * (TEXT_SHOWN + 40)
    window.bridge(MessagesAdded("c1", (local_message("c1", "<b>Is it</b> waterproof?"),)))
    window.bridge(MessagesAdded("c1", (local_message("c1", long),)))
    assert shown[0] == ("Ada", "<\u2060b>Is it<\u2060/b> waterproof?")   # no server takes it for markup
    assert shown[1][1] == "x" * (TEXT_SHOWN - 1) + "…"

    lock.locked = True
    window.bridge(MessagesAdded("c1", (local_message("c1", "my phone is 0170 1234567"),)))
    assert shown[2] == ("Ada", "New message")

    asked = lock.asked
    settings.notify_message_text = False
    window.bridge(MessagesAdded("c1", (local_message("c1", "again"),)))
    assert shown[3] == ("Ada", "New message") and lock.asked == asked   # D-Bus asked only when it matters


def test_without_chat_consent_the_notification_uses_the_pseudonym(notified, desk):
    window, shown = notified
    window.bridge(VisitorsChanged(upserts=(make_visitor("v9", name="Jule Horn", chat=False),)))
    desk.chats["c9"] = Chat(id="c9", visitor_id="v9", state=ChatState.ACTIVE, operator_id="op-1",
                            started_at=AT)
    window.bridge(ChatsChanged(chats=(desk.chats["c9"],)))
    window.bridge(MessagesAdded("c9", (local_message("c9", "hi"),)))
    assert shown[0][0].startswith("Visitor ") and "Jule" not in shown[0][0]


def test_message_notifications_and_the_sound_can_be_turned_off(notified, desk, settings, player, clock,
                                                               qtbot):
    window, shown = notified
    open_chat(window, desk, "c1", "v1", "Ada")
    settings.notify_messages = False
    window.bridge(MessagesAdded("c1", (local_message("c1", "one"),)))
    assert shown == []

    settings.notify_messages = True
    settings.sound_choice = "off"
    window.bridge(MessagesAdded("c1", (local_message("c1", "two"),)))
    assert shown == [("Ada", "New message")]
    settings.sound_choice = "ping"
    clock.now += MIN_INTERVAL
    window.bridge(ChatArrived(chat=Chat(id="c5", visitor_id="v5", state=ChatState.WAITING, started_at=AT),
                              visitor=make_visitor("v5", name="Cy", chat=True)))
    assert shown[-1] == ("New chat", "Cy is waiting for an operator.")
    qtbot.waitUntil(lambda: bool(sounds_played(player[1])))
    # "off" made no sound before it, and the new chat rang the newly chosen tone (past the interval).
    assert [line.rsplit("/", 1)[-1] for line in player[1].read_text().splitlines()] == ["ping.wav"]


def test_one_sound_per_interval_however_many_messages(player, clock, qtbot):
    script, played = player
    sound = SoundPlayer(script, clock)
    assert sound.play("chime")
    assert not sound.play("chime")          # a burst: one player started
    clock.now += MIN_INTERVAL
    assert sound.play("ping")
    assert not sound.play("off")
    qtbot.waitUntil(lambda: len(sounds_played(played)) == 2)
    assert [line.rsplit("/", 1)[-1] for line in played.read_text().splitlines()] == ["chime.wav", "ping.wav"]


def test_without_a_player_the_tone_falls_back_to_the_bell(clock, monkeypatch):
    rung = []
    monkeypatch.setattr("operator_desk.ui.sound.QApplication.beep", lambda: rung.append(True))
    sound = SoundPlayer(None, clock)
    assert sound.play("chime") and rung == [True]
    clock.now += MIN_INTERVAL
    assert sound.play("bell") and rung == [True, True]


def test_the_tray_menu_shows_the_window_sets_the_status_and_quits(notified, desk, qtbot):
    window, _ = notified
    menu = window.tray.menu
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["&Show Operator Desk", "&Status", "&Quit"]
    status = window.desk_actions.status   # the one group the Desk menu and the status bar use too
    assert menu.actions()[2].menu() is status.menu
    window.bridge(PresenceChanged(status="away"))
    assert status.actions["away"].isChecked()
    status.actions["busy"].trigger()
    qtbot.waitUntil(lambda: ("set_status", ("busy",)) in desk.calls)
    window.hide()
    window.tray.show_action.trigger()
    qtbot.waitUntil(window.isVisible)
    assert window.tray.menu.actions()[-1] is window.desk_actions.quit


def test_the_settings_dialog_keeps_the_notification_choices(qtbot, settings, player, clock):
    settings._q.setValue("notifications/sound", False)   # as an older desk saved it
    assert settings.sound_choice == "off"
    dialog = SettingsDialog(settings, sound=SoundPlayer(player[0], clock))
    qtbot.addWidget(dialog)
    assert not dialog.message_text_box.isChecked() and dialog.notify_messages_box.isChecked()
    dialog.notify_messages_box.setChecked(False)
    assert not dialog.message_text_box.isEnabled()
    dialog.notify_messages_box.setChecked(True)
    dialog.message_text_box.setChecked(True)
    dialog.sound_combo.setCurrentIndex(dialog.sound_combo.findData("ping"))
    dialog.try_sound.click()
    qtbot.waitUntil(lambda: bool(sounds_played(player[1])))
    assert player[1].read_text().strip().endswith("ping.wav")
    dialog.buttons.accepted.emit()
    assert settings.notify_messages and settings.notify_message_text and settings.sound_choice == "ping"


SCREEN_SAVER = r'''
import sys
from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, Slot
from PySide6.QtDBus import QDBusConnection

@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class ScreenSaver(QObject):
    @Slot(result=bool)
    def GetActive(self):
        return sys.argv[1] == "locked"

app = QCoreApplication([])
bus = QDBusConnection.sessionBus()
saver = ScreenSaver()
export = QDBusConnection.RegisterOption.ExportAllSlots
assert bus.registerObject("/org/freedesktop/ScreenSaver", saver, export)
assert bus.registerService("org.freedesktop.ScreenSaver")
print("ready", flush=True)
app.exec()
'''


@pytest.mark.parametrize("state", ["locked", "unlocked"])
def test_the_screen_lock_is_read_from_the_desktops_screen_saver_over_d_bus(state):
    """A private session bus (dbus-daemon) with a screen saver service in another process."""
    if shutil.which("dbus-daemon") is None:
        if os.environ.get("OPERATOR_DESK_REQUIRE_TOOLS") == "1":
            pytest.fail("OPERATOR_DESK_REQUIRE_TOOLS=1 but dbus-daemon is missing")
        pytest.skip("needs dbus-daemon (Debian: dbus-daemon)")
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    service = None
    try:
        address = daemon.stdout.readline().strip()
        bus = QDBusConnection.connectToBus(address, f"screen-lock-{state}")
        assert bus.isConnected()
        assert ScreenLock(bus).is_locked() is False   # nobody answers yet: cannot be known
        service = subprocess.Popen([sys.executable, "-c", SCREEN_SAVER, state], stdout=subprocess.PIPE,
                                   text=True, env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": address,
                                                   "QT_QPA_PLATFORM": "offscreen"})
        assert service.stdout.readline().strip() == "ready"
        assert ScreenLock(bus).is_locked() is (state == "locked")
    finally:
        QDBusConnection.disconnectFromBus(f"screen-lock-{state}")
        for process in (service, daemon):
            if process is not None:
                process.terminate()
                process.wait(10)
                process.stdout.close()
