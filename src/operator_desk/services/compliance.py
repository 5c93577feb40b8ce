"""Transcripts and data-subject requests: search, read, find, export and erase a person.

These are lookups a lead or supervisor makes on purpose; their results are returned to the caller and
not written to the cache (a supervisor's search must not widen what this machine keeps). An erasure
removes the person from the server, from this cache and from memory; every other desk hears of it
through the ``subject.erased`` push and does the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import msgspec

from operator_desk.protocol import to_builtins
from operator_desk.protocol.export import merge_export_pages
from operator_desk.protocol.messages import (
    ErasedCounts,
    SubjectsEraseRequest,
    SubjectsExportRequest,
    SubjectsFindRequest,
    SubjectSummary,
    TranscriptRequest,
    TranscriptResponse,
    TranscriptsSearchRequest,
    TranscriptsSearchResponse,
)
from operator_desk.services.cache import CacheWriter
from operator_desk.services.chats import Request
from operator_desk.services.errors import DeskError, FailureCode, asking
from operator_desk.store.database import LOCAL_ACTOR
from operator_desk.store.errors import StoreError

logger = logging.getLogger(__name__)


class Compliance:
    def __init__(self, request: Request, cache: CacheWriter,
                 erased_here: Callable[[str, tuple[str, ...]], Any]) -> None:
        self._ask = asking(request)
        self._cache = cache
        self._erased_here = erased_here

    async def search_transcripts(self, text: str | None = None, operator_id: str | None = None,
                                 since: str | None = None, until: str | None = None,
                                 cursor: str | None = None, limit: int = 50) -> TranscriptsSearchResponse:
        payload = TranscriptsSearchRequest(text=text or None, operator_id=operator_id, since=since,
                                           until=until, cursor=cursor, limit=limit)
        return await self._ask("transcripts.search", payload)

    async def get_transcript(self, chat_id: str) -> TranscriptResponse:
        """The whole transcript: a long one comes in pages, each continuing the lists of the last."""
        answer: TranscriptResponse = await self._ask("transcripts.get", TranscriptRequest(chat_id=chat_id))
        pages = [answer]
        while pages[-1].next_cursor is not None:
            following = TranscriptRequest(chat_id=chat_id, cursor=pages[-1].next_cursor)
            pages.append(await self._ask("transcripts.get", following))
        return msgspec.structs.replace(
            answer,
            messages=tuple(m for page in pages for m in page.messages),
            consents=tuple(c for page in pages for c in page.consents),
            details=tuple(d for page in pages for d in page.details),
            next_cursor=None,
        )

    async def find_subjects(self, query: str) -> tuple[SubjectSummary, ...]:
        answer = await self._ask("subjects.find", SubjectsFindRequest(query=query))
        return answer.subjects

    async def export_subject(self, visitor_id: str, *, case_id: str | None = None,
                             approval_id: str | None = None, actor: str = LOCAL_ACTOR) -> dict[str, Any]:
        """What the server and this desk's cache hold about the person (the export is a step of the
        case, when one is named; ``approval_id`` where the site has exports approved). ``actor`` is who
        exports, for this desk's audit log."""
        answer = await self._ask("subjects.export", SubjectsExportRequest(
            visitor_id=visitor_id, case_id=case_id, approval_id=approval_id))
        pages = [to_builtins(answer.export)]
        while answer.next_cursor is not None:
            answer = await self._ask(
                "subjects.export", SubjectsExportRequest(visitor_id=visitor_id, cursor=answer.next_cursor)
            )
            pages.append(to_builtins(answer.export))
        local: dict[str, Any] | None = None
        store = self._cache.store
        if store is not None:
            await self._cache.drained()  # what arrived just now belongs in the export too
            try:
                local = await store.export_subject(
                    visitor_id, actor=actor, detail={"case_id": case_id} if case_id else None)
            except StoreError as exc:
                logger.warning("local export failed (%s)", type(exc).__name__)
                raise DeskError(FailureCode.CACHE_UNAVAILABLE, "subjects.export") from exc
        return {"server": merge_export_pages(pages), "local_cache": local}

    async def erase_subject(self, visitor_id: str, reason: str) -> ErasedCounts:
        answer = await self._ask("subjects.erase", SubjectsEraseRequest(visitor_id=visitor_id,
                                                                        reason=reason))
        await self._erased_here(visitor_id, ())
        return answer.erased
