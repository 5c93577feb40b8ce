"""Privacy notices, consent events and details requests: what the visitor agreed to, and what they sent.

Details received are kept (in memory and in the cache) only while the visitor's ``contact_details``
consent is recorded; a withdrawal removes them from both at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

import msgspec

from operator_desk.domain.clock import now_ts
from operator_desk.domain.consent import counts_from_of, granted_purposes
from operator_desk.domain.model import Chat, ConsentEvent, Notice, Purpose
from operator_desk.net.errors import NetError
from operator_desk.protocol.messages import (
    DetailRecord,
    DetailsDeclined,
    DetailsReceived,
    DetailsRequestRequest,
    DetailsRequestResponse,
)
from operator_desk.services.cache import CacheWriter
from operator_desk.services.chats import Request
from operator_desk.services.errors import DeskError, FailureCode, desk_error
from operator_desk.services.events import (
    ConsentRecorded,
    DetailsChanged,
    EventSink,
    NoticesLoaded,
)
from operator_desk.services.roster import Roster
from operator_desk.store import Store
from operator_desk.store.records import DetailRequest

logger = logging.getLogger(__name__)
FALLBACK_LANGUAGE = "en"


def _primary(tag: str | None) -> str:
    return (tag or "").split("-")[0].split("_")[0].lower()


def pick_notice(notices: Iterable[Notice], purpose: Purpose, language: str | None) -> Notice | None:
    """The latest notice covering ``purpose`` in the visitor's language (exact tag, then the same
    primary language), else in English; ``None`` if there is none."""
    covering = [n for n in notices if purpose in n.purposes]
    wanted = (language or "").lower()
    for match in (
        lambda n: wanted and n.language.lower() == wanted,
        lambda n: wanted and _primary(n.language) == _primary(wanted),
        lambda n: _primary(n.language) == FALLBACK_LANGUAGE,
    ):
        found = [n for n in covering if match(n)]
        if found:
            return max(found, key=lambda n: (n.version, n.id))
    return None


class Privacy:
    def __init__(self, emit: EventSink, cache: CacheWriter, request: Request, roster: Roster,
                 chat_of: Callable[[str], Chat | None]) -> None:
        self.notices: dict[tuple[str, str], Notice] = {}
        self.consents: dict[str, list[ConsentEvent]] = {}
        self.details: dict[str, dict[str, DetailRecord]] = {}
        self._emit = emit
        self._cache = cache
        self._request = request
        self._roster = roster
        self._chat_of = chat_of

    # -- notices ------------------------------------------------------------------------------------

    def notices_loaded(self, notices: Iterable[Notice]) -> None:
        for notice in notices:
            key = (notice.id, notice.language)
            known = self.notices.get(key)
            if known is None or notice.version >= known.version:
                self.notices[key] = notice
            self._cache.write(Store.add_notice, notice)
        self._emit(NoticesLoaded(notices=self.latest_notices()))

    def latest_notices(self) -> tuple[Notice, ...]:
        return tuple(sorted(self.notices.values(), key=lambda n: (n.id, n.language)))

    def notice_for(self, purpose: Purpose, language: str | None) -> Notice | None:
        return pick_notice(self.notices.values(), purpose, language)

    # -- consent ------------------------------------------------------------------------------------

    def consent_changed(self, event: ConsentEvent) -> None:
        events = self.consents.setdefault(event.visitor_id, [])
        if any(known.id == event.id for known in events):
            return
        events.append(event)
        self._roster.apply_consent(event)
        self._cache.write(Store.add_consent_event, event)
        if event.purpose is Purpose.CONTACT_DETAILS and not self._may_keep_details(event.visitor_id):
            self._drop_received_values(event.visitor_id)
        self._emit(ConsentRecorded(visitor_id=event.visitor_id, event=event))

    def consents_of(self, visitor_id: str) -> tuple[ConsentEvent, ...]:
        return tuple(self.consents.get(visitor_id, ()))

    def _may_keep_details(self, visitor_id: str) -> bool:
        events = self.consents.get(visitor_id)
        if events and any(e.purpose is Purpose.CONTACT_DETAILS for e in events):
            # A grant to a notice version that a later one replaced (asking again) does not count.
            return Purpose.CONTACT_DETAILS in granted_purposes(events, counts_from_of(self.notices.values()))
        visitor = self._roster.visitors.get(visitor_id)
        return visitor is not None and visitor.consent.contact_details

    def _drop_received_values(self, visitor_id: str) -> None:
        for chat_id, records in self.details.items():
            chat = self._chat_of(chat_id)
            if chat is None or chat.visitor_id != visitor_id:
                continue
            for request_id, record in list(records.items()):
                if record.values is not None:
                    records[request_id] = msgspec.structs.replace(record, values=None)
                    self._emit(DetailsChanged(chat_id=chat_id, record=records[request_id]))

    # -- details ------------------------------------------------------------------------------------

    def details_of(self, chat_id: str) -> tuple[DetailRecord, ...]:
        return tuple(self.details.get(chat_id, {}).values())

    async def request_details(self, chat_id: str, notice: Notice, fields: Sequence[str]) -> str:
        fields = tuple(dict.fromkeys(fields))
        if not fields:
            raise DeskError(FailureCode.BAD_REQUEST, "details.request")
        if Purpose.CONTACT_DETAILS not in notice.purposes:
            raise DeskError(FailureCode.BAD_REQUEST, "details.request")
        payload = DetailsRequestRequest(chat_id=chat_id, notice_id=notice.id,
                                        notice_version=notice.version, fields=fields)
        try:
            answer: DetailsRequestResponse = await self._request("details.request", payload)
        except NetError as exc:
            raise desk_error(exc, "details.request") from exc
        at = now_ts()
        record = DetailRecord(request_id=answer.request_id, chat_id=chat_id, fields=fields,
                              purpose=Purpose.CONTACT_DETAILS, notice_id=notice.id,
                              notice_version=notice.version, requested_at=at, status="pending")
        self.details.setdefault(chat_id, {})[record.request_id] = record
        self._cache.write(Store.add_detail_request, DetailRequest(
            id=record.request_id, chat_id=chat_id, notice_id=notice.id, notice_version=notice.version,
            fields=fields, requested_at=at))
        self._emit(DetailsChanged(chat_id=chat_id, record=record))
        return record.request_id

    def details_received(self, push: DetailsReceived) -> None:
        chat = self._chat_of(push.chat_id)
        allowed = chat is not None and self._may_keep_details(chat.visitor_id)
        record = self._record(push.chat_id, push.request_id, tuple(push.fields))
        # Without recorded consent the values are neither kept nor shown (the server should never have
        # sent them); the request still shows as answered.
        record = msgspec.structs.replace(record, status="received", answered_at=now_ts(),
                                         values=dict(push.fields) if allowed else None)
        self.details.setdefault(push.chat_id, {})[push.request_id] = record
        if allowed:
            self._cache.write(Store.add_received_details, push.chat_id, push.request_id, dict(push.fields))
        else:
            logger.info("details arrived without recorded contact_details consent: not kept")
        self._emit(DetailsChanged(chat_id=push.chat_id, record=record))

    def details_declined(self, push: DetailsDeclined) -> None:
        record = self._record(push.chat_id, push.request_id, ())
        record = msgspec.structs.replace(record, status="declined", answered_at=now_ts())
        self.details.setdefault(push.chat_id, {})[push.request_id] = record
        self._cache.write(Store.mark_details_declined, push.request_id)
        self._emit(DetailsChanged(chat_id=push.chat_id, record=record))

    def _record(self, chat_id: str, request_id: str, fields: tuple[str, ...]) -> DetailRecord:
        known = self.details.get(chat_id, {}).get(request_id)
        if known is not None:
            return known
        # A request made on another device (or before a restart): what we know of it.
        return DetailRecord(request_id=request_id, chat_id=chat_id, fields=fields,
                            purpose=Purpose.CONTACT_DETAILS, notice_id="unknown", notice_version=1,
                            requested_at=now_ts(), status="pending")

    def forget(self, visitor_id: str, chat_ids: Iterable[str]) -> None:
        self.consents.pop(visitor_id, None)
        self.forget_chats(chat_ids)

    def forget_chats(self, chat_ids: Iterable[str]) -> None:
        for chat_id in chat_ids:
            self.details.pop(chat_id, None)
