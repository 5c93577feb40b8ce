"""Data-subject request cases, their steps, and four-eyes approvals (``server/cases.py``,
``server/approvals.py``).

A case names its person by visitor id alone, with no foreign key: it outlives the visitor record, and
on erasure the id becomes the erasure's pseudonym. Steps are only ever added; the one update allowed
is the erasure's clearing of a step's note. An approval's decider differs from its requester (four
eyes), and one person has at most one pending request per action."""

from __future__ import annotations

from typing import Any

VERSION = 60

STATEMENTS = [
    """CREATE TABLE subject_cases (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL
            CHECK (kind IN ('access', 'portability', 'erasure', 'rectification', 'objection')),
        received_on TEXT NOT NULL,
        due_on TEXT NOT NULL,
        extended_months INTEGER NOT NULL DEFAULT 0 CHECK (extended_months BETWEEN 0 AND 2),
        extension_reason TEXT NOT NULL DEFAULT '',
        identity_check TEXT NOT NULL,
        identity_note TEXT NOT NULL DEFAULT '',
        reference TEXT NOT NULL DEFAULT '',
        visitor_id TEXT,
        subject_erased INTEGER NOT NULL DEFAULT 0,
        opened_by TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        outcome TEXT,
        outcome_note TEXT NOT NULL DEFAULT '',
        CHECK ((closed_at IS NULL) = (outcome IS NULL))
    )""",
    "CREATE INDEX subject_cases_open_by_due ON subject_cases (due_on, id) WHERE closed_at IS NULL",
    "CREATE INDEX subject_cases_closed ON subject_cases (closed_at DESC, id DESC) "
    "WHERE closed_at IS NOT NULL",
    "CREATE INDEX subject_cases_by_visitor ON subject_cases (visitor_id)",
    """CREATE TABLE subject_case_steps (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id TEXT NOT NULL REFERENCES subject_cases(id),
        at TEXT NOT NULL,
        step TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        detail TEXT
    )""",
    "CREATE INDEX subject_case_steps_by_case ON subject_case_steps (case_id, seq)",
    """CREATE TRIGGER subject_case_steps_append_only BEFORE UPDATE ON subject_case_steps
        WHEN NEW.note <> '' OR NEW.seq IS NOT OLD.seq OR NEW.case_id IS NOT OLD.case_id
             OR NEW.at IS NOT OLD.at OR NEW.step IS NOT OLD.step OR NEW.actor IS NOT OLD.actor
             OR NEW.detail IS NOT OLD.detail
        BEGIN SELECT RAISE(ABORT, 'case steps are append-only'); END""",
    """CREATE TABLE approvals (
        id TEXT PRIMARY KEY,
        action TEXT NOT NULL CHECK (action IN ('subjects.erase', 'subjects.export')),
        case_id TEXT NOT NULL REFERENCES subject_cases(id),
        visitor_id TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'expired')),
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT,
        used INTEGER NOT NULL DEFAULT 0,
        CHECK (decided_by IS NULL OR decided_by <> requested_by)
    )""",
    "CREATE UNIQUE INDEX approvals_one_pending ON approvals (action, visitor_id) WHERE state = 'pending'",
    "CREATE INDEX approvals_by_state ON approvals (state, expires_at)",
    "CREATE INDEX approvals_by_decision ON approvals (decided_at)",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
