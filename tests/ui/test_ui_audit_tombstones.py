"""The audit viewer names no one: an entry about a person erased since shows the person's tombstone,
from the server's log (its subject became ``erased:<pseudonym>``) and from this desk's (the store marks
it), and a CSV cell a spreadsheet would run as a formula is written quoted."""

from __future__ import annotations

import csv

from ui_fakes import FakeDesk

from operator_desk.protocol.messages import AuditEntry, AuditListResponse
from operator_desk.store import CacheAuditEntry, CacheAuditPage
from operator_desk.ui.windows.audit_window import AuditWindow, Log

AT = "2026-11-29T10:00:00.000Z"


class AuditStub:
    def __init__(self) -> None:
        self.asked: list[object] = []

    async def server_audit(self, request) -> AuditListResponse:
        self.asked.append(request)
        return AuditListResponse(entries=(
            AuditEntry(at=AT, actor="op-1", action="subjects.erase", subject="erased:4f2a9c",
                       detail={"reason": "=HYPERLINK(\"x\")"}, actor_name="Sam"),
            AuditEntry(at=AT, actor="op-1", action="transcripts.get", subject="v_123",
                       detail={"chat_id": "c1"}),
        ))

    async def cache_audit(self, query) -> CacheAuditPage:
        self.asked.append(query)
        return CacheAuditPage(entries=(
            CacheAuditEntry(at=AT, actor="op-1", action="transcripts.get", subject="9e1d", counts={},
                            detail={"chat_id": "c1", "source": "cache"}, seq=2, subject_erased=True),
            CacheAuditEntry(at=AT, actor="op-1", action="transcripts.get", subject="77ab", counts={}, seq=1),
        ), next_cursor=None)


class AuditDesk(FakeDesk):
    review = AuditStub()


def subjects(window: AuditWindow) -> list[str]:
    return [window.entries_model.index(row, 3).data() for row in range(window.entries_model.rowCount())]


def test_entries_about_erased_people_show_their_tombstone_in_both_logs(qtbot, run, tmp_path):
    window = AuditWindow(AuditDesk())
    qtbot.addWidget(window)
    run(window.show_entries())
    assert subjects(window) == ["Erased person, tombstone 4f2a9c", "v_123"]
    path = tmp_path / "server.csv"
    window.export_csv(path)
    with path.open(encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    assert rows[1][4] == 'reason: =HYPERLINK("x")'   # not at the start of the cell: no formula
    window.log_box.setCurrentIndex(window.log_box.findData(Log.CACHE))
    run(window.show_entries())
    assert subjects(window) == ["Erased person, tombstone 9e1d", "77ab"]


def test_a_cell_that_would_run_as_a_formula_is_written_quoted(qtbot, run, tmp_path):
    window = AuditWindow(AuditDesk())
    qtbot.addWidget(window)
    run(window.show_entries())
    window.entries_model.set_records([AuditEntry(at=AT, actor="=cmd|' /C calc'!A0", action="x")])
    path = tmp_path / "audit.csv"
    window.export_csv(path)
    with path.open(encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
