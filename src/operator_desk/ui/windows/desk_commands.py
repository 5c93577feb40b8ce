"""What the operator asks the desk to do from the main window: accept a chat, send, end, request details,
sign out, quit (ending the open chats first), settings, about. Each use case is a named coroutine
(tests await them); the slots that the window's actions and tabs trigger are one line each. Every desk
call goes through ``run_use_case``, so a failure is shown in the window's banner in words and logged
once, the same way for all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Literal, TypeVar

from PySide6.QtCore import QObject
from qasync import asyncSlot

from operator_desk.domain.model import DetailField, Purpose, VisitorState
from operator_desk.ui.dialogs.about import AboutDialog
from operator_desk.ui.dialogs.async_dialog import ask, run_dialog
from operator_desk.ui.dialogs.details_request import DetailsRequestDialog
from operator_desk.ui.dialogs.quit_confirm import QuitDialog
from operator_desk.ui.dialogs.settings_dialog import SettingsDialog
from operator_desk.ui.dialogs.transfer_dialog import TransferDialog
from operator_desk.ui.naming import display_name
from operator_desk.ui.use_case import FAILED, Failed, run_use_case

if TYPE_CHECKING:
    from operator_desk.ui.windows.main_window import MainWindow

logger = logging.getLogger(__name__)

T = TypeVar("T")


class DeskCommands(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._quitting = False   # a second Ctrl+Q while the question is open does not ask twice

    @asyncSlot()
    async def on_accept_action_triggered(self) -> None:
        await self.accept_chat(self._window.queue_panel.chosen_chat_id() or "")

    @asyncSlot(str)
    async def on_queue_panel_accept_requested(self, chat_id: str) -> None:
        await self.accept_chat(chat_id)

    async def accept_chat(self, chat_id: str) -> bool:
        if not chat_id or await self._run("chat.accept", self._window.desk.accept_chat(chat_id)) is FAILED:
            return False
        chat = self._window.desk.chats.get(chat_id)
        if self._window.tabs.chat_tab(chat_id) is None and chat is not None:
            self._window.open_tab(chat)
        tab = self._window.tabs.chat_tab(chat_id)
        if tab is not None:
            self._window.tabs.show_tab(tab)
        return True

    @asyncSlot()
    async def on_accept_offer_action_triggered(self) -> None:
        await self.accept_chat(self._window.offer_bar.chat_id)

    def on_pass_offer_action_triggered(self) -> None:
        self.let_offer_pass(self._window.offer_bar.chat_id)

    def on_offer_bar_pass_requested(self, chat_id: str) -> None:
        self.let_offer_pass(chat_id)

    def let_offer_pass(self, chat_id: str) -> None:
        if chat_id:
            self._window.desk.let_offer_pass(chat_id)

    @asyncSlot(str)
    async def on_status_chosen(self, status: str) -> None:
        await self.set_status(status)

    async def set_status(self, status: str) -> bool:
        """Available, away or busy, as the operator chose in the Status menu (or the tray's)."""
        return await self._run("presence.set", self._window.desk.set_status(status)) is not FAILED

    @asyncSlot(str, str)
    async def on_tabs_message_submitted(self, chat_id: str, text: str) -> None:
        await self.send_message(chat_id, text)

    async def send_message(self, chat_id: str, text: str) -> bool:
        tab = self._window.tabs.chat_tab(chat_id)
        if tab is not None:
            tab.message_sent()   # the message shows at once as "sending…"; the composer is free again
        if await self._run("chat.send", self._window.desk.send_message(chat_id, text)) is FAILED:
            if tab is not None and not tab.composer.toPlainText():
                tab.composer.setPlainText(text)   # give the words back rather than lose them
            return False
        return True

    @asyncSlot(str, bool)
    async def on_tabs_typing_changed(self, chat_id: str, typing: bool) -> None:
        await self.set_typing(chat_id, typing)

    async def set_typing(self, chat_id: str, typing: bool) -> None:
        try:
            await self._window.desk.set_typing(chat_id, typing)
        except Exception as exc:  # typing is best effort: never bother the operator with it
            logger.debug("typing indicator not sent: %s", type(exc).__name__)

    @asyncSlot(object)
    async def on_visitor_list_states_chosen(self, states: tuple[VisitorState, ...]) -> None:
        await self.show_visitor_states(states)

    async def show_visitor_states(self, states: tuple[VisitorState, ...]) -> None:
        """The list's state filter is the server's too: the desk receives what it shows."""
        try:
            await self._window.desk.show_visitor_states(states)
        except Exception:   # the list filters by itself meanwhile: never bother the operator with it
            logger.exception("the visitor subscription was not changed")

    @asyncSlot()
    async def on_details_action_triggered(self) -> None:
        tab = self._window.tabs.current_chat_tab()
        if tab is not None:
            await self.request_details(tab.chat_id, frozenset())

    @asyncSlot(str, object)
    async def on_tabs_details_requested(self, chat_id: str, fields: frozenset[DetailField]) -> None:
        await self.request_details(chat_id, fields)

    async def request_details(self, chat_id: str, preselected: frozenset[DetailField]) -> str | None:
        visitor_id = self._window.visitor_id_of(chat_id)
        visitor = self._window.visitor(visitor_id)
        notice = self._window.desk.notice_for(Purpose.CONTACT_DETAILS, visitor.language if visitor else None)
        dialog = DetailsRequestDialog(visitor_name=display_name(visitor, visitor_id), notice=notice,
                                      preselected=preselected, parent=self._window)
        fields = await ask(dialog, lambda d: d.selected_fields())
        if fields is None or notice is None:
            return None
        request_id = await self._run("details.request",
                                     self._window.desk.request_details(chat_id, notice, sorted(fields)))
        if request_id is FAILED:
            return None
        # The chat's tab says that the visitor's answer is awaited until it comes (DetailsChanged).
        if self._window.tabs.chat_tab(chat_id) is not None:
            self._window.visitor_details.show_for(visitor_id, chat_id)
        return request_id

    @asyncSlot()
    async def on_end_action_triggered(self) -> None:
        tab = self._window.tabs.current_chat_tab()
        if tab is not None:
            await self.end_chat(tab.chat_id)

    @asyncSlot(str)
    async def on_tabs_end_requested(self, chat_id: str) -> None:
        await self.end_chat(chat_id)

    async def end_chat(self, chat_id: str) -> bool:
        return await self._run("chat.close", self._window.desk.close_chat(chat_id)) is not FAILED

    @asyncSlot()
    async def on_sign_out_action_triggered(self) -> None:
        await self.sign_out()

    async def sign_out(self) -> None:
        await self._run("auth.logout", self._window.desk.sign_out())

    @asyncSlot()
    async def on_quit_action_triggered(self) -> None:
        await self.quit()

    @asyncSlot()
    async def on_window_close_requested(self) -> None:
        await self.quit()

    async def quit(self) -> bool:
        """Close the window (which ends the app), first asking, and ending the operator's open chats,
        when there are any. False when the operator chose to stay."""
        if self._quitting:
            return False
        self._quitting = True
        try:
            open_chats = self._window.open_chat_ids()
            if open_chats:
                if not await self._confirm(QuitDialog(len(open_chats), self._window)):
                    return False
                still_open = [chat_id for chat_id in open_chats if not await self.end_chat(chat_id)]
                # Ending failed (the server cannot be reached, say; the banner says why): quit only if
                # the operator says so, knowing those visitors are not told until the server notices.
                if still_open and not await self._confirm(QuitDialog(len(still_open), self._window,
                                                                     not_ended=True)):
                    return False
            self._window.close_without_asking()
            return True
        finally:
            self._quitting = False

    @staticmethod
    async def _confirm(dialog: QuitDialog) -> bool:
        try:
            return await run_dialog(dialog) == QuitDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    @asyncSlot()
    async def on_transfer_action_triggered(self) -> None:
        tab = self._window.tabs.current_chat_tab()
        if tab is not None:
            await self.transfer_chat(tab.chat_id)

    @asyncSlot(str)
    async def on_tabs_transfer_requested(self, chat_id: str) -> None:
        await self.transfer_chat(chat_id)

    async def transfer_chat(self, chat_id: str) -> bool:
        """Hand a chat to a colleague or a team: the chooser, then the hand-over; the tab ends here."""
        desk = self._window.desk
        colleagues = await self._run("presence.list", desk.list_presence())
        tab = self._window.tabs.chat_tab(chat_id)
        if colleagues is FAILED or tab is None or tab.is_closed or desk.operator is None:
            return False
        dialog = TransferDialog(visitor_name=tab.title, colleagues=colleagues, me=desk.operator.id,
                                parent=self._window)
        chosen = await ask(dialog, lambda d: (d.chosen(), d.note()))
        if chosen is None or chosen[0] is None:
            return False
        recipient, note = chosen
        chat = await self._run("chat.transfer", desk.transfer_chat(
            chat_id, to_operator_id=recipient.operator_id, to_team_id=recipient.team_id, note=note))
        if chat is FAILED:
            return False
        receiver = next((c.operator.name for c in colleagues if c.operator.id == chat.operator_id),
                        recipient.name)
        tab = self._window.tabs.chat_tab(chat_id)
        if tab is not None:
            tab.hand_over(receiver)
            self._window.tabs.refresh_title(tab)
        self._window.desk_actions.apply_tab(self._window.tabs.current_chat_tab())
        return True

    @asyncSlot(str, str)
    async def on_earlier_chats_load_wanted(self, visitor_id: str, cursor: str) -> None:
        await self.load_earlier_chats(visitor_id, cursor or None)

    async def load_earlier_chats(self, visitor_id: str, cursor: str | None = None) -> bool:
        """A page of a returning visitor's earlier chats into the visitor panel."""
        box = self._window.visitor_panel.earlier_chats
        page = await self._run("visitor.earlier_chats", self._window.desk.earlier_chats(visitor_id, cursor))
        if page is FAILED:
            box.show_failed(visitor_id)
            return False
        if not self._window.visitor_details.may_see_earlier_chats(visitor_id):
            return False   # withdrawn while the page was on its way: it is not shown
        box.show_page(visitor_id, page, first=cursor is None)
        return True

    @asyncSlot(str, str)
    async def on_earlier_chats_chat_wanted(self, visitor_id: str, chat_id: str) -> None:
        await self.open_earlier_chat(visitor_id, chat_id)

    async def open_earlier_chat(self, visitor_id: str, chat_id: str) -> bool:
        found = await self._run("visitor.earlier_chat", self._window.desk.earlier_chat(visitor_id, chat_id))
        if found is FAILED or not self._window.visitor_details.may_see_earlier_chats(visitor_id):
            return False
        self._window.visitor_details.show_earlier_chat(visitor_id, *found)
        return True

    @asyncSlot()
    async def on_settings_action_triggered(self) -> None:
        await self.edit_settings()

    async def edit_settings(self) -> bool:
        dialog = SettingsDialog(self._window.settings, self._window, sound=self._window.sound)
        try:
            accepted = await run_dialog(dialog) == SettingsDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if accepted:
            self._window.tabs.set_canned_responses(self._window.canned_responses())
            self._window.tabs.set_close_ended(self._window.settings.close_ended_chats)
            self._window.settings_saved.emit()
        return accepted

    @asyncSlot()
    async def on_about_action_triggered(self) -> None:
        await self.show_about()

    async def show_about(self) -> None:
        dialog = AboutDialog(self._window)
        try:
            await run_dialog(dialog)
        finally:
            dialog.deleteLater()

    async def _run(self, action: str, call: Awaitable[T]) -> T | Literal[Failed.FAILED]:
        return await run_use_case(action, call, self._window.show_failure)
