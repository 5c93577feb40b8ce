"""The smaller models: queue, transcript, consent timeline, details, review tables."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_factories import make_visitor
from ui_fakes import local_message

from operator_desk.domain.model import Chat, ChatState, ConsentEvent, ConsentMethod, Message, Purpose
from operator_desk.protocol.messages import DetailRecord
from operator_desk.services.events import DeliveryState
from operator_desk.ui.models.privacy_models import ConsentTimelineModel, DetailColumn, DetailsModel
from operator_desk.ui.models.queue_model import QueueColumn, QueueModel, QueueRole
from operator_desk.ui.models.record_table_model import Column, RecordTableModel
from operator_desk.ui.models.transcript_model import TranscriptModel, TranscriptRole


def chat(chat_id: str, state: ChatState = ChatState.WAITING, started: str = "2026-11-29T10:00:00.000Z",
         visitor_id: str = "v1") -> Chat:
    return Chat(id=chat_id, visitor_id=visitor_id, state=state, started_at=started)


def test_queue_keeps_waiting_chats_oldest_first(qtmodeltester, qtbot):
    visitors = {"v1": make_visitor("v1", name="Ada", chat=True), "v2": make_visitor("v2")}
    model = QueueModel(visitors.get)
    model.apply_chats([chat("c2", started="2026-11-29T10:05:00.000Z", visitor_id="v2"), chat("c1")])
    assert [model.index(r, 0).data(QueueRole.CHAT_ID) for r in range(2)] == ["c1", "c2"]
    assert model.index(0, QueueColumn.VISITOR).data() == "Ada"
    assert model.oldest_chat_id() == "c1"
    qtmodeltester.check(model)
    model.apply_chats([chat("c1", ChatState.ACTIVE)])
    assert model.rowCount() == 1
    assert model.oldest_chat_id() == "c2"
    model.remove_visitor("v2")
    assert model.rowCount() == 0


def test_queue_waiting_time_ticks(qtbot):
    model = QueueModel(lambda _id: None)
    model.apply_chats([chat("c1")])
    with qtbot.waitSignal(model.dataChanged, timeout=3000) as blocker:
        pass
    top_left, bottom_right = blocker.args[:2]
    assert top_left.column() == bottom_right.column() == QueueColumn.WAITING


def test_transcript_merges_the_sending_copy_with_its_delivery(qtmodeltester, qtbot):
    model = TranscriptModel("c1")
    model.add_messages([local_message("c1", "hello", message_id="m1")])
    sending = local_message("c1", "hi, how can I help?", author="operator", name="Sam", client_msg_id="k1",
                            state=DeliveryState.SENDING)
    model.add_messages([sending])
    assert model.rowCount() == 2
    assert model.index(1).data(TranscriptRole.DELIVERY_TEXT) == "sending…"
    model.mark_delivered("k1", Message(id="m2", chat_id="c1", client_msg_id="k1", author="operator",
                                       author_name="Sam", text="hi, how can I help?",
                                       at="2026-11-29T10:00:01.000Z"))
    assert model.index(1).data(TranscriptRole.DELIVERY_TEXT) == "delivered"
    # The server's echo of the same message, and a late duplicate of the outbox copy, change nothing.
    echo = local_message("c1", "hi, how can I help?", author="operator", name="Sam", client_msg_id="k1",
                         message_id="m2")
    model.add_messages([echo, sending])
    assert model.rowCount() == 2
    assert model.index(1).data(TranscriptRole.DELIVERY) == DeliveryState.DELIVERED
    qtmodeltester.check(model)


def test_transcript_counts_new_visitor_messages_for_unread(qtbot):
    model = TranscriptModel("c1")
    new = model.add_messages([local_message("c1", "a"), local_message("c1", "b", author="operator"),
                              local_message("c1", "c")])
    assert new == 2
    assert model.add_messages([local_message("c1", "a")]) == 0


def test_consent_timeline_newest_first(qtmodeltester, qtbot):
    model = ConsentTimelineModel()
    events = [
        ConsentEvent(id="e1", visitor_id="v1", purpose=Purpose.VISITOR_INSIGHTS, granted=True,
                     notice_id="prechat-en", notice_version=2, method=ConsentMethod.PRECHAT_FORM,
                     at="2026-11-29T10:00:00.000Z"),
        ConsentEvent(id="e2", visitor_id="v1", purpose=Purpose.VISITOR_INSIGHTS, granted=False,
                     notice_id="prechat-en", notice_version=2, method=ConsentMethod.WIDGET_SETTINGS,
                     at="2026-11-29T10:05:00.000Z"),
    ]
    model.set_events(events)
    assert model.index(0, 1).data() == "Withdrawn"
    assert model.index(1, 1).data() == "Granted"
    assert model.index(0, 2).data() == "prechat-en v2"
    assert model.index(0, 4).data() == "Widget privacy settings"
    assert model.granted() == frozenset()
    qtmodeltester.check(model)


def test_consent_timeline_shows_the_version_and_marks_grants_that_no_longer_count(qtmodeltester, qtbot):
    from operator_desk.domain.consent import notice_digest
    from operator_desk.domain.model import Notice
    from operator_desk.ui.models.privacy_models import ConsentRole

    model = ConsentTimelineModel()
    old = ConsentEvent(id="e1", visitor_id="v1", purpose=Purpose.CHAT, granted=True, notice_id="prechat-en",
                       notice_version=1, method=ConsentMethod.PRECHAT_FORM, at="2026-11-29T10:00:00.000Z")
    renewed = ConsentEvent(id="e2", visitor_id="v1", purpose=Purpose.VISITOR_INSIGHTS, granted=True,
                           notice_id="prechat-en", notice_version=2, method=ConsentMethod.PRECHAT_FORM,
                           at="2026-11-29T10:05:00.000Z")
    notice = Notice(id="prechat-en", version=2, language="en", title="Before we chat", body="v2",
                    purposes=(Purpose.CHAT, Purpose.VISITOR_INSIGHTS), sha256=notice_digest("v2"),
                    fresh_consent=True, counts_from=2)
    model.set_events([old, renewed], [notice])
    assert [model.index(r, 2).data() for r in range(2)] == ["prechat-en v2", "prechat-en v1"]
    assert model.index(1, 1).data() == "Granted (no longer counts)"
    assert model.index(1, 1).data(ConsentRole.COUNTS) is False
    assert "version 2 asked for consent again" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 1).data() == "Granted" and model.index(0, 1).data(ConsentRole.COUNTS)
    assert model.granted() == {Purpose.VISITOR_INSIGHTS}
    qtmodeltester.check(model)


def test_details_show_values_only_once_received_and_declines_as_such(qtmodeltester, qtbot):
    model = DetailsModel()
    base = dict(chat_id="c1", purpose=Purpose.CONTACT_DETAILS, notice_id="details-en", notice_version=1,
                requested_at="2026-11-29T10:00:00.000Z")
    model.set_records([
        DetailRecord(request_id="r1", fields=("phone",), status="received", values={"phone": "+33 1"},
                     answered_at="2026-11-29T10:01:00.000Z", **base),
        DetailRecord(request_id="r2", fields=("email", "postal_address"), status="declined", **base),
    ])
    rows = {model.index(r, DetailColumn.FIELD).data(): r for r in range(model.rowCount())}
    assert model.index(rows["Phone number"], DetailColumn.VALUE).data() == "+33 1"
    assert model.index(rows["E-mail address"], DetailColumn.STATUS).data() == "Declined by the visitor"
    assert model.index(rows["E-mail address"], DetailColumn.VALUE).data() == "—"
    assert model.index(rows["Phone number"], DetailColumn.CONSENT).data() == "details-en v1"
    assert model.index(rows["Phone number"], DetailColumn.PURPOSE).data() == "Contact details"
    qtmodeltester.check(model)


def test_record_table_model(qtmodeltester, qtbot):
    model = RecordTableModel([Column("Name", str.upper), Column("Length", lambda s: str(len(s)), True)])
    model.set_records(["ann", "bo"])
    model.append_records(["cy"])
    model.remove_where(lambda s: s == "bo")
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["ANN", "CY"]
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole)
    qtmodeltester.check(model)
