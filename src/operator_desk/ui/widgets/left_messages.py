"""Messages visitors left while nobody was available, under the queue: each marked as a message left,
with who (their name only under chat consent, else the pseudonym), when and the first line; Reply by
e-mail opens the operator's own mail program when the visitor gave an e-mail address (under the same
consent). Nothing of it is sent or stored by the desk."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, QUrlQuery
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout

from operator_desk.protocol.messages import LeftMessage
from operator_desk.ui import icons
from operator_desk.ui.naming import pseudonym
from operator_desk.ui.timefmt import date_time

FIRST_LINE = 80   # characters of the message shown in the list (all of it in the tooltip)


class LeftMessagesBox(QGroupBox):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._messages: dict[str, LeftMessage] = {}
        self.list = QListWidget(self)
        self.list.setObjectName("leftMessages")
        self.list.setAccessibleName(self.tr("Messages left while nobody was available"))
        # The dock is narrow: each entry wraps onto as many lines as it needs, never sideways.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._update_button)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.reply_button = QPushButton(icons.icon("send"), self.tr("Reply by &e-mail"), self)
        self.reply_button.setToolTip(self.tr("Opens your mail program with the visitor's address"))
        self.reply_button.clicked.connect(self._on_reply_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.show_messages(())

    def show_messages(self, messages: tuple[LeftMessage, ...]) -> None:
        self._messages = {m.chat.id: m for m in messages}
        self.list.clear()
        for message in messages:
            name = message.visitor_name or pseudonym(message.chat.visitor_id)
            first = (message.text or "").splitlines()[0] if message.text else ""
            if len(first) > FIRST_LINE:
                first = first[: FIRST_LINE - 1] + "…"
            item = QListWidgetItem(icons.icon("chat"), self.tr("Message left by %1, %2: %3").replace(
                "%1", name).replace("%2", date_time(message.chat.started_at)).replace("%3", first))
            item.setData(Qt.ItemDataRole.UserRole, message.chat.id)
            item.setToolTip(message.text or "")
            self.list.addItem(item)
        self.setTitle(self.tr("Messages left (%n)", "", len(messages)))
        self.setVisible(bool(messages))
        self._update_button()

    def chosen(self) -> LeftMessage | None:
        item = self.list.currentItem()
        return self._messages.get(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def reply_url(self, message: LeftMessage) -> QUrl | None:
        """``mailto:`` the visitor, when they gave an address (only ever sent under chat consent)."""
        if not message.email:
            return None
        url = QUrl(f"mailto:{message.email}")
        query = QUrlQuery()
        query.addQueryItem("subject", self.tr("Your message to us"))
        url.setQuery(query)
        return url

    def _update_button(self, *_args) -> None:
        chosen = self.chosen()
        self.reply_button.setEnabled(chosen is not None and bool(chosen.email))

    def _on_list_item_activated(self, _item: QListWidgetItem) -> None:
        self._on_reply_button_clicked()

    def _on_reply_button_clicked(self) -> None:
        chosen = self.chosen()
        url = self.reply_url(chosen) if chosen is not None else None
        if url is not None:
            QDesktopServices.openUrl(url)
