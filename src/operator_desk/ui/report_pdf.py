"""The report as a PDF: Qt's rich-text engine lays out the report's HTML (``QTextDocument``) and prints
it to A4 pages with page numbers (``QPdfWriter``). No extra dependency: QtGui is already here, and it
shapes every script the fonts on this computer cover.

``render_pdf`` blocks; callers run it in a thread (``asyncio.to_thread``). The layout itself runs in a
``QThread`` of its own: a plain Python thread has no Qt event dispatcher, and the text layout's timers
then warn. A ``QGuiApplication`` must exist (the desk's, or the command line's offscreen one).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QThread
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument, QTextOption

RESOLUTION = 300
# No margins of the writer's own: QTextDocument.print_ lays out the text 2 cm inside the page, with room
# for the page number below.
MARGINS_MM = QMarginsF(0, 0, 0, 0)


class _PdfThread(QThread):
    def __init__(self, html: str, path: Path, title: str) -> None:
        super().__init__()
        self._html, self._path, self._title = html, path, title
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            writer = QPdfWriter(str(self._path))
            writer.setTitle(self._title)
            writer.setCreator("Operator Desk")
            writer.setResolution(RESOLUTION)
            writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                             QPageLayout.Orientation.Portrait, MARGINS_MM,
                                             QPageLayout.Unit.Millimeter))
            document = QTextDocument()
            # Lines break between words only: with Qt's default (anywhere, when a word does not fit)
            # a table squeezes its columns until long words break in the middle ("Besucherinfor-mationen").
            text_option = document.defaultTextOption()
            text_option.setWrapMode(QTextOption.WrapMode.WordWrap)
            document.setDefaultTextOption(text_option)
            document.setHtml(self._html)
            # No page size of its own: print_ then paginates to the writer's pages and numbers them.
            document.print_(writer)
        except BaseException as exc:
            self.error = exc


def render_pdf(html: str, path: Path, title: str) -> None:
    """Write ``html`` as a PDF at ``path`` (blocking). Raises ``OSError`` if the file cannot be written."""
    thread = _PdfThread(html, path, title)
    thread.start()
    thread.wait()
    if thread.error is not None:
        raise thread.error
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"{path.name} was not written")
