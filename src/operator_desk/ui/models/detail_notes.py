"""What a details request adds to a chat's transcript: a note when the operator asked, and one when the
visitor answered (shared or declined). Field names only: the values stay in the visitor panel, shown
with the consent that covers them.

The notes are the desk's own lines, made from the request's record (which the desk keeps and the
server sends with a transcript); they are not messages and reach nobody.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from operator_desk.protocol.messages import DetailRecord
from operator_desk.services.events import DeliveryState, LocalMessage
from operator_desk.ui.models.privacy_models import field_text


def _note(record: DetailRecord, step: str, text: str, at: str) -> LocalMessage:
    # The id makes each note one row, however often the record arrives again.
    return LocalMessage(chat_id=record.chat_id, client_msg_id=None, author="system", author_name="",
                        text=text, at=at, state=DeliveryState.DELIVERED,
                        message_id=f"note:{record.request_id}:{step}")


def detail_notes(record: DetailRecord) -> list[LocalMessage]:
    fields = ", ".join(field_text(f) for f in record.fields)
    notes = [_note(record, "asked", QCoreApplication.translate(
        "detail_notes", "Details requested: %1 (privacy notice %2, version %3)").replace("%1", fields)
        .replace("%2", record.notice_id).replace("%3", str(record.notice_version)), record.requested_at)]
    answered_at = record.answered_at or record.requested_at
    if record.status == "received":
        shared = ", ".join(field_text(f) for f in record.fields if (record.values or {}).get(f))
        notes.append(_note(record, "received", QCoreApplication.translate(
            "detail_notes", "The visitor agreed and shared: %1 (see the visitor panel)").replace(
            "%1", shared or fields), answered_at))
    elif record.status == "declined":
        notes.append(_note(record, "declined", QCoreApplication.translate(
            "detail_notes", "The visitor declined to share the details."), answered_at))
    return notes
