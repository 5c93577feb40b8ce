"""The team's figures: the daily report, counted from the chats table alone (ids, states and times; no
personal data), and the operator accounts the team view lists.

Runs on the database thread. Durations are computed by SQLite (``julianday``) so that 100,000 chats are
not 300,000 timestamps parsed in Python; the percentiles are nearest-rank over the sorted values.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from operator_desk.domain.model import OperatorInfo, Role
from operator_desk.protocol.messages import DailyReportResponse, DayFigures, Figures, OperatorFigures

Connection = Any

_ROWS = """
SELECT c.started_at, c.operator_id, c.state,
       CASE WHEN c.accepted_at IS NOT NULL
            THEN (julianday(c.accepted_at) - julianday(c.started_at)) * 86400.0 END,
       CASE WHEN c.accepted_at IS NOT NULL AND c.closed_at IS NOT NULL
            THEN (julianday(c.closed_at) - julianday(c.accepted_at)) * 86400.0 END,
       (SELECT count(*) FROM messages m WHERE m.chat_id = c.id)
FROM chats c
WHERE c.started_at >= ? AND c.started_at < ?
"""


def percentile(ordered: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile of sorted values (None for none)."""
    if not ordered:
        return None
    rank = max(1, math.ceil(share * len(ordered)))
    return round(ordered[rank - 1], 3)


class _Tally:
    __slots__ = ("accepted", "accepts", "chats", "lengths", "messages", "missed")

    def __init__(self) -> None:
        self.chats = self.accepted = self.missed = self.messages = 0
        self.accepts: list[float] = []
        self.lengths: list[float] = []

    def add(self, operator_id: str | None, state: str, accept: float | None, length: float | None,
            messages: int) -> None:
        self.chats += 1
        self.messages += messages
        if operator_id is not None:
            self.accepted += 1
        elif state == "closed":
            self.missed += 1
        if accept is not None:
            self.accepts.append(max(0.0, accept))   # a clock stepped back is no negative wait
        if length is not None:
            self.lengths.append(max(0.0, length))

    def figures(self) -> dict[str, Any]:
        self.accepts.sort()
        self.lengths.sort()
        return {
            "chats": self.chats, "accepted": self.accepted, "missed": self.missed,
            "messages": self.messages,
            "accept_p50": percentile(self.accepts, 0.5), "accept_p95": percentile(self.accepts, 0.95),
            "length_p50": percentile(self.lengths, 0.5), "length_p95": percentile(self.lengths, 0.95),
        }


def daily_report(conn: Connection, bounds: Sequence[str], names: dict[str, str]) -> DailyReportResponse:
    """Figures of the chats started in each day ``[bounds[i], bounds[i+1])``, per operator who accepted
    them, and in total. ``names``: operator id -> name."""
    days = [_Tally() for _ in bounds[:-1]]
    operators: dict[str, _Tally] = defaultdict(_Tally)
    total = _Tally()
    for started_at, operator_id, state, accept, length, messages in conn.execute(
        _ROWS, (bounds[0], bounds[-1])
    ):
        day = bisect.bisect_right(bounds, started_at) - 1
        row = (operator_id, state, accept, length, messages)
        days[day].add(*row)
        total.add(*row)
        if operator_id is not None:
            operators[operator_id].add(*row)
    return DailyReportResponse(
        days=tuple(DayFigures(start=start, **tally.figures()) for start, tally in zip(bounds, days,
                                                                                       strict=False)),
        operators=tuple(
            OperatorFigures(operator_id=oid, name=names.get(oid, ""), **tally.figures())
            for oid, tally in sorted(operators.items(), key=lambda item: (-item[1].chats, item[0]))
        ),
        total=Figures(**total.figures()),
    )


def accounts(conn: Connection) -> list[OperatorInfo]:
    """Every enabled operator account, by name."""
    rows = conn.execute(
        "SELECT id, name, role, chat_limit FROM operators WHERE disabled_at IS NULL ORDER BY name, id"
    ).fetchall()
    return [OperatorInfo(id=row[0], name=row[1], role=Role(row[2]), chat_limit=row[3]) for row in rows]
