"""Writes the desk's notification sounds (src/operator_desk/ui/assets/sounds/*.wav): short sine tones
with a soft attack and decay, 16 kHz mono, so that the files are small and made from nothing but this
script. Run it again after changing a tone: python packaging/make_sounds.py"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 16000
SOUNDS = Path(__file__).resolve().parents[1] / "src" / "operator_desk" / "ui" / "assets" / "sounds"
# name -> (frequency in Hz, seconds) for each note, played one after the other
TONES = {
    "chime": [(660.0, 0.14), (880.0, 0.22)],
    "ping": [(1320.0, 0.18)],
}


def samples(notes: list[tuple[float, float]]) -> bytes:
    out = bytearray()
    for frequency, seconds in notes:
        count = int(RATE * seconds)
        for i in range(count):
            envelope = min(1.0, i / (RATE * 0.01)) * math.exp(-4.0 * i / count)
            value = 0.4 * envelope * math.sin(2 * math.pi * frequency * i / RATE)
            out += struct.pack("<h", int(value * 32767))
    return bytes(out)


def main() -> None:
    SOUNDS.mkdir(parents=True, exist_ok=True)
    for name, notes in TONES.items():
        with wave.open(str(SOUNDS / f"{name}.wav"), "wb") as file:
            file.setnchannels(1)
            file.setsampwidth(2)
            file.setframerate(RATE)
            file.writeframes(samples(notes))


if __name__ == "__main__":
    main()
