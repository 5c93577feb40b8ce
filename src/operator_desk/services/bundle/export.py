"""The export bundle of one person: read what the server and this desk hold, write ``records.json``,
its schema, ``report.html``, ``report.pdf`` and ``manifest.json`` into a folder written atomically
(``writer.PartialFolder``), optionally zipped, then record it: a ``bundle_written`` step of the case with
the manifest's SHA-256 (the server's audit log has the export and the step), and a ``bundle`` entry in
this desk's audit log.

Cancel it by cancelling the task: whatever was written is removed (a PDF being rendered is waited for
first, so that nothing is written into a folder being removed). The PDF is rendered by a function the UI
gives (Qt), in a thread.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from operator_desk.domain.cases import StepKind, SubjectCase
from operator_desk.domain.clock import now_ts
from operator_desk.services.bundle.records import SCHEMA_VERSION, BundleContext, build_records
from operator_desk.services.bundle.report import ReportWords, report_html
from operator_desk.services.bundle.schema import SCHEMA_NAME, schema_bytes
from operator_desk.services.bundle.writer import FileEntry, PartialFolder
from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.store import Store
from operator_desk.store.errors import StoreError

logger = logging.getLogger(__name__)
T = TypeVar("T")

RECORDS = "records.json"
REPORT_HTML = "report.html"
REPORT_PDF = "report.pdf"
ACTION = "bundle.write"


class BundleStage(enum.StrEnum):
    READING = "reading"          # the server's export (every page) and this desk's cache
    RECORDS = "records"
    REPORT = "report"
    PDF = "pdf"
    MANIFEST = "manifest"
    ZIP = "zip"
    RECORDING = "recording"      # the case step and the audit entry
    DONE = "done"


# How far along each stage starts (for a progress bar): reading and the PDF take most of the time.
_STARTS = {BundleStage.READING: 0.0, BundleStage.RECORDS: 0.35, BundleStage.REPORT: 0.45,
           BundleStage.PDF: 0.55, BundleStage.MANIFEST: 0.9, BundleStage.ZIP: 0.92,
           BundleStage.RECORDING: 0.97, BundleStage.DONE: 1.0}

Progress = Callable[[BundleStage, float], None]
# Renders the report's HTML to a PDF file (the path), with a title; blocking: it is run in a thread.
RenderPdf = Callable[[str, Path, str], None]
# The desk's export: what the server (all pages) and the cache hold, {"server": ..., "local_cache": ...}.
ReadExport = Callable[..., Awaitable[dict[str, Any]]]
RecordStep = Callable[..., Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class BundleRequest:
    visitor_id: str
    folder: Path                  # the bundle's folder: it must not exist; its parent must
    case: SubjectCase | None = None
    approval_id: str | None = None
    make_zip: bool = False


@dataclass(frozen=True, slots=True)
class BundleWritten:
    folder: Path
    zip: Path | None
    manifest_sha256: str
    files: tuple[FileEntry, ...]
    counts: Mapping[str, int]
    # False when the bundle is complete but the case step could not be recorded (the server went away):
    # the supervisor records it by hand.
    recorded_in_case: bool


@dataclass(frozen=True, slots=True)
class Exporter:
    """Who exports, from where (for the records and the audit entries)."""

    operator_id: str
    operator_name: str
    server_name: str
    application_version: str


def _ignore(stage: BundleStage, fraction: float) -> None:
    pass


class SubjectBundles:
    def __init__(self, read_export: ReadExport, store: Store | None, record_step: RecordStep,
                 exporter: Callable[[], Exporter]) -> None:
        self._read_export = read_export
        self._store = store
        self._record_step = record_step
        self._exporter = exporter

    async def write(self, request: BundleRequest, words: ReportWords, render_pdf: RenderPdf,
                    progress: Progress = _ignore) -> BundleWritten:
        """Write the bundle; raises ``DeskError`` (nothing written) when it cannot be read or written."""
        exporter = self._exporter()
        progress(BundleStage.READING, _STARTS[BundleStage.READING])
        case_id = request.case.id if request.case is not None else None
        sources = await self._read_export(request.visitor_id, case_id=case_id,
                                          approval_id=request.approval_id)
        desk_retention = None
        if self._store is not None:
            try:
                desk_retention = msgspec.to_builtins(await self._store.retention())
            except StoreError as exc:
                raise DeskError(FailureCode.CACHE_UNAVAILABLE, ACTION) from exc
        progress(BundleStage.RECORDS, _STARTS[BundleStage.RECORDS])
        generated_at = now_ts()
        context = BundleContext(generated_at=generated_at, language=words.language,
                                application_version=exporter.application_version,
                                server_name=exporter.server_name, exported_by=exporter.operator_name,
                                case=request.case, desk_retention=desk_retention)
        records = build_records(sources["server"], sources.get("local_cache"), context)
        records_json = (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        progress(BundleStage.REPORT, _STARTS[BundleStage.REPORT])
        html = report_html(records, words)
        folder, zip_path, manifest, files = await self._write_files(
            request, records_json, html, words, render_pdf, generated_at, progress)
        progress(BundleStage.RECORDING, _STARTS[BundleStage.RECORDING])
        recorded = await self._record(request, exporter, manifest.sha256, records["counts"])
        progress(BundleStage.DONE, _STARTS[BundleStage.DONE])
        return BundleWritten(folder=folder, zip=zip_path, manifest_sha256=manifest.sha256,
                             files=files, counts=dict(records["counts"]),
                             recorded_in_case=recorded)

    async def _write_files(self, request: BundleRequest, records_json: bytes, html: str, words: ReportWords,
                           render_pdf: RenderPdf, generated_at: str,
                           progress: Progress) -> tuple[Path, Path | None, FileEntry, tuple[FileEntry, ...]]:
        try:
            partial = await asyncio.to_thread(PartialFolder, request.folder)
        except FileExistsError as exc:
            raise DeskError(FailureCode.ALREADY_EXISTS, ACTION) from exc
        except OSError as exc:
            logger.warning("the bundle folder could not be made (%s)", type(exc).__name__)
            raise DeskError(FailureCode.FILE_NOT_WRITTEN, ACTION) from exc
        try:
            await _in_thread(partial.write, RECORDS, records_json)
            await _in_thread(partial.write, SCHEMA_NAME, schema_bytes())
            await _in_thread(partial.write, REPORT_HTML, html.encode("utf-8"))
            progress(BundleStage.PDF, _STARTS[BundleStage.PDF])
            await _in_thread(render_pdf, html, partial.path / REPORT_PDF, words.document_title())
            await _in_thread(partial.adopt, REPORT_PDF)
            progress(BundleStage.MANIFEST, _STARTS[BundleStage.MANIFEST])
            manifest = await _in_thread(partial.write_manifest, generated_at,
                                        {"records_schema_version": SCHEMA_VERSION})
            if request.make_zip:
                progress(BundleStage.ZIP, _STARTS[BundleStage.ZIP])
                await _in_thread(partial.write_zip)
            folder = await _in_thread(partial.commit)
        except BaseException as exc:
            await asyncio.shield(asyncio.to_thread(partial.discard))
            if isinstance(exc, FileExistsError):
                raise DeskError(FailureCode.ALREADY_EXISTS, ACTION) from exc
            if isinstance(exc, OSError):
                logger.warning("the bundle could not be written (%s)", type(exc).__name__)
                raise DeskError(FailureCode.FILE_NOT_WRITTEN, ACTION) from exc
            raise
        return folder, partial.zip_target if request.make_zip else None, manifest, (*partial.files, manifest)

    async def _record(self, request: BundleRequest, exporter: Exporter, manifest_sha256: str,
                      counts: Mapping[str, int]) -> bool:
        if self._store is not None:
            detail: dict[str, str | int | bool] = {"manifest_sha256": manifest_sha256}
            if request.case is not None:
                detail["case_id"] = request.case.id
            try:
                await self._store.record_audit("bundle", actor=exporter.operator_id,
                                               visitor_id=request.visitor_id,
                                               counts={k: counts[k] for k in ("chats", "messages")},
                                               detail=detail)
            except StoreError as exc:
                logger.warning("the bundle was written but not entered in the local audit log (%s)",
                               type(exc).__name__)
        if request.case is None:
            return False
        try:
            await self._record_step(request.case.id, StepKind.BUNDLE_WRITTEN.value, sha256=manifest_sha256)
        except DeskError as exc:
            logger.warning("the bundle was written but its case step not recorded (%s)", exc.code.value)
            return False
        return True


async def _in_thread(fn: Callable[..., T], *args: Any) -> T:
    """Blocking file work off the event loop; if the caller is cancelled meanwhile, the work is waited
    for before the cancellation goes on (so that cleaning up never races a thread still writing)."""
    work = asyncio.ensure_future(asyncio.to_thread(fn, *args))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        await asyncio.gather(work, return_exceptions=True)
        raise

