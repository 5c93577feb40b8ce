"""The chat the server offers this operator (``chat.offered``), as a strip above the chat tabs: who, from
which page, and the seconds left, with Accept (Ctrl+Shift+A) and Let pass (Ctrl+Shift+X). Never modal:
the operator goes on typing in a chat while it shows, and it goes by itself when the offer expires or the
chat is taken (the desk says so with ``OffersChanged``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from operator_desk.services.events import ChatOffer
from operator_desk.ui import icons

# What the bar says of an offered chat: the visitor's name (or pseudonym) and the page they are on.
Describe = Callable[[str], tuple[str, str]]


class OfferBar(QFrame):
    accept_requested = Signal(str)   # chat id
    pass_requested = Signal(str)     # chat id

    def __init__(self, describe: Describe, parent: QWidget | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("offerBar")
        self._describe = describe
        self._clock = clock
        self._offers: tuple[ChatOffer, ...] = ()
        self.icon = QLabel(self)
        self.icon.setPixmap(icons.icon("chat").pixmap(18, 18))
        self.label = QLabel(self)
        self.label.setObjectName("offerText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)   # a visitor's name and page title are theirs
        self.label.setWordWrap(True)
        self.time_left = QLabel(self)
        self.time_left.setObjectName("offerTimeLeft")
        self.time_left.setTextFormat(Qt.TextFormat.PlainText)
        self.accept_button = QPushButton(icons.icon("accept"), self.tr("Accept"), self)
        self.accept_button.setToolTip(self.tr("Accept the offered chat (Ctrl+Shift+A)"))
        self.pass_button = QPushButton(self.tr("Let pass"), self)
        self.pass_button.setToolTip(self.tr("Leave it to the next operator (Ctrl+Shift+X)"))
        self.accept_button.clicked.connect(self._on_accept_button_clicked)
        self.pass_button.clicked.connect(self._on_pass_button_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.icon)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.time_left)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.pass_button)
        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._render_time_left)
        self.hide()

    @property
    def chat_id(self) -> str:
        """The chat offered now (the one to expire soonest), "" when none."""
        return self._offers[0].chat_id if self._offers else ""

    @property
    def offers(self) -> tuple[ChatOffer, ...]:
        return self._offers

    def show_offers(self, offers: tuple[ChatOffer, ...]) -> None:
        self._offers = offers
        if not offers:
            self._countdown.stop()
            self.hide()
            return
        name, page = self._describe(offers[0].chat_id)
        text = (self.tr("Chat offered to you: %1, on “%2”").replace("%1", name).replace("%2", page) if page
                else self.tr("Chat offered to you: %1").replace("%1", name))
        if len(offers) > 1:
            text = f"{text} {self.tr('(and %n more)', '', len(offers) - 1)}"
        self.label.setText(text)
        self.accept_button.setAccessibleName(self.tr("Accept the chat with %1").replace("%1", name))
        self.pass_button.setAccessibleName(self.tr("Let the chat with %1 pass").replace("%1", name))
        self._render_time_left()
        self._countdown.start()
        self.show()

    def _render_time_left(self) -> None:
        if not self._offers:
            return
        left = max(0, math.ceil(self._offers[0].deadline - self._clock()))
        self.time_left.setText(self.tr("%n s left", "", left))

    def _on_accept_button_clicked(self) -> None:
        if self.chat_id:
            self.accept_requested.emit(self.chat_id)

    def _on_pass_button_clicked(self) -> None:
        if self.chat_id:
            self.pass_requested.emit(self.chat_id)
