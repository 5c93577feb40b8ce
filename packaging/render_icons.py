"""Renders the app icon (``src/operator_desk/ui/assets/icons/app.svg``) into the freedesktop icon theme
layout under ``src/operator_desk/platform/desktop/icons/hicolor`` (where ``operator-desk
--install-launcher`` and the packages take them from): the SVG as ``scalable`` and PNGs in the standard sizes.

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

Run it after changing app.svg; ``tests/test_packaging.py`` fails while the PNGs differ from a fresh
render.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

APP_ID = "org.operatordesk.OperatorDesk"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ROOT = Path(__file__).resolve().parent
SOURCE = ROOT.parent / "src/operator_desk/ui/assets/icons/app.svg"
THEME = ROOT.parent / "src/operator_desk/platform/desktop/icons/hicolor"


def render(svg: bytes, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(svg)).render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(["render_icons"])
    svg = SOURCE.read_bytes()
    scalable = THEME / "scalable/apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    for size in SIZES:
        target = THEME / f"{size}x{size}/apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(svg, size).save(str(target), "PNG"):
            print(f"could not write {target}", file=sys.stderr)
            return 1
    print(f"rendered {len(SIZES)} sizes into {THEME}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
