"""Where the operator types: Enter sends, Shift+Enter adds a line, ``/keyword`` inserts a canned
response (Enter or Tab takes the one chosen in the popup, which shows each keyword with its text), and
typing is reported (throttled) so the visitor sees "operator is typing"."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel, QTextCursor
from PySide6.QtWidgets import QCompleter, QPlainTextEdit

# While the operator keeps typing, "typing" is re-sent at most this often; after this much quiet,
# "stopped typing" goes out.
TYPING_REFRESH_MS = 3000
TYPING_IDLE_MS = 4000
# The completer matches what is typed against this role ("/keyword"); the popup shows the display text
# ("/keyword — the response"), so the operator sees what each keyword will insert.
KEYWORD_ROLE = Qt.ItemDataRole.UserRole + 1
# How much of a response the popup shows after its keyword.
POPUP_TEXT_CHARS = 60


def popup_text(keyword: str, response: str) -> str:
    flat = " ".join(response.split())
    shown = flat if len(flat) <= POPUP_TEXT_CHARS else flat[: POPUP_TEXT_CHARS - 1].rstrip() + "…"
    return f"/{keyword} — {shown}"


class Composer(QPlainTextEdit):
    submitted = Signal(str)          # the text to send (already stripped, non-empty)
    typing_changed = Signal(bool)    # throttled: True on the first key and every few seconds; False when idle

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setPlaceholderText(self.tr("Type a message — Enter sends, Shift+Enter adds a line, "
                                        "/ inserts a canned response"))
        self.setAccessibleName(self.tr("Message"))
        self.setAccessibleDescription(self.tr("Enter sends, Shift+Enter adds a new line"))
        self._canned: dict[str, str] = {}
        self._completer_model = QStandardItemModel(self)
        self._completer = QCompleter(self._completer_model, self)
        self._completer.setWidget(self)
        self._completer.setCompletionRole(KEYWORD_ROLE)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.activated.connect(self._on_completer_activated)
        self._typing = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(TYPING_IDLE_MS)
        self._idle.timeout.connect(self._on_idle_timeout)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(TYPING_REFRESH_MS)
        self.textChanged.connect(self._on_self_text_changed)

    def set_canned_responses(self, responses: dict[str, str]) -> None:
        self._canned = dict(responses)
        self._completer_model.clear()
        for keyword in sorted(self._canned):
            item = QStandardItem(popup_text(keyword, self._canned[keyword]))
            item.setData("/" + keyword, KEYWORD_ROLE)
            item.setToolTip(self._canned[keyword])
            item.setEditable(False)
            self._completer_model.appendRow(item)

    @property
    def completer(self) -> QCompleter:
        return self._completer

    # -- keys -----------------------------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab moves the focus on (setTabChangesFocus), except while it completes a canned response:
        # then the key must reach keyPressEvent, and Qt asks here first.
        if self._completer.popup().isVisible() or self._whole_keyword():
            return False
        return super().focusNextPrevChild(next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        popup = self._completer.popup()
        if popup.isVisible() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab,
                                                 Qt.Key.Key_Escape, Qt.Key.Key_Up, Qt.Key.Key_Down):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
                current = popup.currentIndex()
                chosen = (current.data(KEYWORD_ROLE) if current.isValid()
                          else self._completer.currentCompletion())
                popup.hide()
                if chosen:
                    self._on_completer_activated(chosen)
                event.accept()
                return
            event.ignore()  # the popup handles its own navigation and Escape
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            modifiers = event.modifiers()
            if modifiers & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
                return
            if modifiers & Qt.KeyboardModifier.ControlModifier:
                event.ignore()  # Ctrl+Return belongs to the window (accept the oldest chat)
                return
            if self._expand_whole_keyword():
                return
            self._submit()
            return
        if event.key() == Qt.Key.Key_Tab and self._expand_whole_keyword():
            return
        super().keyPressEvent(event)
        self._update_completer()

    def _submit(self) -> None:
        text = self.toPlainText().strip()
        if not text:
            return
        self.submitted.emit(text)

    def clear_after_send(self) -> None:
        self.clear()
        self._stop_typing()

    # -- canned responses -----------------------------------------------------------------------------

    def _current_word(self) -> tuple[str, QTextCursor]:
        cursor = self.textCursor()
        block_text = cursor.block().text()[: cursor.positionInBlock()]
        start = max(block_text.rfind(" "), block_text.rfind("\t")) + 1
        word = block_text[start:]
        word_cursor = QTextCursor(cursor)
        word_cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(word))
        return word, word_cursor

    def _update_completer(self) -> None:
        word, _ = self._current_word()
        if not word.startswith("/") or not self._canned:
            self._completer.popup().hide()
            return
        self._completer.setCompletionPrefix(word)
        if self._completer.completionCount() == 0:
            self._completer.popup().hide()
            return
        rect = self.cursorRect()
        wanted = self._completer.popup().sizeHintForColumn(0) + 30
        rect.setWidth(min(max(220, wanted), max(220, self.width())))
        self._completer.complete(rect)

    def _on_completer_activated(self, keyword: str) -> None:
        text = self._canned.get(keyword.lstrip("/"))
        if text is None:
            return
        _, word_cursor = self._current_word()
        word_cursor.insertText(text)
        self.setTextCursor(word_cursor)

    def _whole_keyword(self) -> str | None:
        """The keyword of a ``/keyword`` right before the cursor, if it names a canned response."""
        word, _ = self._current_word()
        return word[1:] if word.startswith("/") and word[1:] in self._canned else None

    def _expand_whole_keyword(self) -> bool:
        """Enter or Tab on a bare ``/keyword`` inserts the response instead of sending the keyword."""
        keyword = self._whole_keyword()
        if keyword is None:
            return False
        _, word_cursor = self._current_word()
        word_cursor.insertText(self._canned[keyword])
        self.setTextCursor(word_cursor)
        return True

    # -- typing indicator -----------------------------------------------------------------------------

    def _on_self_text_changed(self) -> None:
        if not self.toPlainText():
            self._stop_typing()
            return
        self._idle.start()
        if not self._typing or not self._refresh.isActive():
            self._typing = True
            self._refresh.start()
            self.typing_changed.emit(True)

    def _on_idle_timeout(self) -> None:
        self._stop_typing()

    def _stop_typing(self) -> None:
        self._idle.stop()
        self._refresh.stop()
        if self._typing:
            self._typing = False
            self.typing_changed.emit(False)
