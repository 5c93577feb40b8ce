"""Takes a screenshot of ``operator-desk --demo`` as it looks on this installation.

    xvfb-run -a -s "-screen 0 1400x900x24" python packaging/screenshot.py desk.png [--lang de]
             [--desk COMMAND] [--settle SECONDS]

Starts the demo on the current display (a fresh profile), waits until the visitors are listed and the
window has had time to paint, saves the screen to the PNG file, and ends the desk. Run it with the
Python of the installation to be shown (it uses that installation's PySide6 to capture the screen):
the same script makes the AppStream screenshots in packaging/screenshots/ and the side-by-side pictures
of a wheel and an editable install.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from desk_process import DeskProcess


def grab_screen(path: Path) -> None:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["screenshot"])
    picture = app.primaryScreen().grabWindow(0)
    if picture.isNull():
        raise RuntimeError("could not capture the screen")
    # Without a window manager the window sits at the top left: cut the empty (black) screen around it.
    image = picture.toImage()
    width = next((x + 1 for x in range(image.width() - 1, -1, -1) if image.pixel(x, 4) & 0xFFFFFF), 0)
    height = next((y + 1 for y in range(image.height() - 1, -1, -1) if image.pixel(4, y) & 0xFFFFFF), 0)
    if width and height:
        picture = picture.copy(0, 0, width, height)
    if not picture.save(str(path), "PNG"):
        raise RuntimeError(f"could not capture the screen into {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--lang", default="en", choices=("en", "de"))
    parser.add_argument("--desk", default="operator-desk", help="the desk's command")
    parser.add_argument("--settle", type=float, default=4.0,
                        help="seconds to let visitors arrive and the window paint after sign-in")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        print("no display: run it under xvfb-run (or in a desktop session)", file=sys.stderr)
        return 2
    desk = DeskProcess(args.desk.split(), language=args.lang, display=True, log_level="INFO")
    try:
        desk.wait_for(r"visitors: [1-9]")
        # Not a test: a picture. Simulated visitors keep arriving and chats start for a few seconds.
        time.sleep(args.settle)
        grab_screen(args.output)
    finally:
        code = desk.stop()
    print(f"saved {args.output} (the desk exited with {code})")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
