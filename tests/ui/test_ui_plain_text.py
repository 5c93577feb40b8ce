"""Visitor text outside the chat tab (page URLs, names in tooltips, review windows) is shown as written,
never read as markup: Qt reads a tooltip, and a label left at AutoText, as rich text when it looks like
markup."""

from __future__ import annotations

import msgspec
from PySide6.QtCore import QSettings
from PySide6.QtGui import Qt, QTextDocumentFragment
from PySide6.QtWidgets import QLabel
from ui_factories import make_visitor
from ui_fakes import FakeDesk

from operator_desk.domain.model import Chat, ChatState, Page
from operator_desk.protocol.messages import TranscriptResponse, TranscriptSummary
from operator_desk.services.detect import detail_fields_asked_for
from operator_desk.services.events import ChatsChanged, SignedIn, VisitorsChanged
from operator_desk.services.review import OpenedTranscript, ReviewRow, Source
from operator_desk.ui.bridge import EventBridge
from operator_desk.ui.dialogs.case_dialogs import ErasureRequestDialog
from operator_desk.ui.models.visitor_model import VisitorColumn, VisitorTableModel
from operator_desk.ui.settings import DeskSettings
from operator_desk.ui.widgets.visitor_panel import VisitorPanel
from operator_desk.ui.windows.main_window import MainWindow
from operator_desk.ui.windows.transcripts_window import TranscriptsWindow

HOSTILE = "<b>bold</b><img src=x> & co"
HOSTILE_URL = "https://shop.example/<img src=x>?a=1&b=<b>2</b>"


def tooltip_shows(tip: str) -> str:
    """The text a tooltip puts on screen (Qt renders it as rich text when it might be markup; the word
    joiners ``plain_tooltip`` adds are invisible)."""
    shown = QTextDocumentFragment.fromHtml(tip).toPlainText() if Qt.mightBeRichText(tip) else tip
    return shown.replace("\u2060", "")


def label_shows_literally(label: QLabel) -> bool:
    return label.textFormat() == Qt.TextFormat.PlainText or (
        label.textFormat() == Qt.TextFormat.AutoText and not Qt.mightBeRichText(label.text()))


def hostile_page_visitor(**kwargs):
    visitor = make_visitor("v1", **kwargs)
    return msgspec.structs.replace(visitor, page=Page(url=HOSTILE_URL, title="Tents"))


def test_the_page_url_tooltip_in_the_visitor_list_shows_the_url_as_written(qtbot):
    model = VisitorTableModel()
    model.apply(VisitorsChanged(upserts=(hostile_page_visitor(),)))
    tip = model.data(model.index(0, VisitorColumn.PAGE), Qt.ItemDataRole.ToolTipRole)
    assert tooltip_shows(tip) == HOSTILE_URL


def test_the_page_url_tooltip_in_the_visitor_panel_shows_the_url_as_written(qtbot):
    panel = VisitorPanel()
    qtbot.addWidget(panel)
    panel.show_visitor(hostile_page_visitor(), "v1", (), ())
    assert tooltip_shows(panel._page.toolTip()) == HOSTILE_URL


def test_a_chat_tab_tooltip_shows_the_visitor_name_as_written(qtbot, qloop, tmp_path):
    desk = FakeDesk()
    desk.visitors["v1"] = make_visitor("v1", name=HOSTILE, chat=True)
    bridge = EventBridge()
    window = MainWindow(desk, bridge, DeskSettings(QSettings(str(tmp_path / "s.ini"),
                                                             QSettings.Format.IniFormat)),
                        detail_fields_asked_for)
    qtbot.addWidget(window)
    bridge(SignedIn(operator=desk.operator, server_name="test", resumed=False))
    desk.chats["c1"] = Chat(id="c1", visitor_id="v1", state=ChatState.ACTIVE, operator_id="op-1",
                            started_at="2026-11-29T10:00:00.000Z")
    bridge(ChatsChanged(chats=(desk.chats["c1"],)))
    index = window.tabs.indexOf(window.tabs.chat_tab("c1"))
    assert window.tabs.tabText(index) == HOSTILE
    assert tooltip_shows(window.tabs.tabToolTip(index)) == HOSTILE
    window.tabs.refresh_title(window.tabs.chat_tab("c1"))
    assert tooltip_shows(window.tabs.tabToolTip(index)) == HOSTILE


def test_the_erasure_confirmation_names_the_person_as_written(qtbot):
    dialog = ErasureRequestDialog(HOSTILE, 2, needs_approval=True)
    qtbot.addWidget(dialog)
    labels = [label for label in dialog.findChildren(QLabel) if HOSTILE in label.text()]
    assert labels
    assert all(label_shows_literally(label) for label in labels)


class TranscriptReviewStub:
    async def open(self, chat_id: str, source: Source = Source.SERVER) -> OpenedTranscript:
        chat = Chat(id=chat_id, visitor_id="v1", state=ChatState.CLOSED,
                    started_at="2026-11-29T10:00:00.000Z")
        return OpenedTranscript(TranscriptResponse(chat=chat, messages=(), consents=(), details=()),
                                Source.SERVER)

    async def reviews(self, chat_id: str) -> tuple:
        return ()


class TranscriptDesk(FakeDesk):
    review = TranscriptReviewStub()


def test_the_transcript_reader_names_the_visitor_as_written(qtbot, run):
    window = TranscriptsWindow(TranscriptDesk())
    qtbot.addWidget(window)
    window.results_model.set_records([ReviewRow(TranscriptSummary(
        id="c1", visitor_id="v1", state="closed", started_at="2026-11-29T10:00:00.000Z",
        visitor_name=HOSTILE, snippet=HOSTILE, highlights=((0, 3),)), Source.SERVER)])
    window.results_view.selectRow(0)
    run(window.open_selected())
    assert HOSTILE in window.reader.reading_label.text()
    assert label_shows_literally(window.reader.reading_label)
    assert HOSTILE in window.reader.document().document.toPlainText()
