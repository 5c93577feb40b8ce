"""The sound the desk makes for a new chat or message: off, the system bell, or one of its own tones.

QtMultimedia is not in PySide6-Essentials (it comes with the ~300 MB add-ons), and the system bell
(``QApplication.beep``) is silent on most Linux desktops today (Wayland has none; X11 desktops often
mute it). So the desk ships two short WAV tones (``assets/sounds``, made by packaging/make_sounds.py)
and hands one to the desktop's own player, started detached: PipeWire's ``pw-play``, PulseAudio's
``paplay``, ALSA's ``aplay`` or macOS's ``afplay``, whichever is found first. Without one it rings
the bell instead. Sounds are at most one per ``MIN_INTERVAL``: a burst of messages starts one player.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QProcess
from PySide6.QtWidgets import QApplication

from operator_desk.ui.resources import resource_path

logger = logging.getLogger(__name__)

OFF, BELL = "off", "bell"
TONES = ("chime", "ping")
SOUND_CHOICES = (OFF, BELL, *TONES)
DEFAULT_SOUND = "chime"
PLAYERS = ("pw-play", "paplay", "aplay", "afplay")
MIN_INTERVAL = 2.0   # seconds between two sounds


def find_player() -> tuple[str, ...] | None:
    """The first sound player on PATH (as the command to run, the file to play goes after it), or None."""
    for name in PLAYERS:
        path = shutil.which(name)
        if path:
            return (path,)
    return None


class SoundPlayer:
    def __init__(self, player: Sequence[str] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``player``: the command that plays a WAV file named after it (``find_player()``); None: no
        player, tones ring the bell."""
        self._player = tuple(player) if player else None
        self._clock = clock
        self._last = -MIN_INTERVAL

    def play(self, choice: str) -> bool:
        """Make the sound ``choice`` (one of ``SOUND_CHOICES``); False when nothing sounded (off, or one
        sounded less than ``MIN_INTERVAL`` ago)."""
        if choice not in SOUND_CHOICES or choice == OFF:
            return False
        now = self._clock()
        if now - self._last < MIN_INTERVAL:
            return False
        self._last = now
        if choice in TONES and self._play_tone(choice):
            return True
        QApplication.beep()
        return True

    def _play_tone(self, tone: str) -> bool:
        path = resource_path(f"assets/sounds/{tone}.wav")
        if self._player is None or path is None:
            return False
        program, *arguments = self._player
        started, _pid = QProcess.startDetached(program, [*arguments, str(path)])
        if not started:
            logger.info("the sound player did not start; ringing the bell instead")
        return started
