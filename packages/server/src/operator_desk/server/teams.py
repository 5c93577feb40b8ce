"""Teams and their canned responses: the SQL, run on the database thread (``db.call``)."""

from __future__ import annotations

from typing import Any

from operator_desk.domain.model import TeamRef
from operator_desk.protocol.messages import TeamCanned

Connection = Any


def team(conn: Connection, team_id: str) -> TeamRef | None:
    row = conn.execute("SELECT id, name FROM teams WHERE id = ?", (team_id,)).fetchone()
    return TeamRef(id=row[0], name=row[1]) if row else None


def all_teams(conn: Connection) -> list[TeamRef]:
    return [TeamRef(id=r[0], name=r[1]) for r in conn.execute("SELECT id, name FROM teams ORDER BY name")]


def canned_responses(conn: Connection, team_id: str) -> list[TeamCanned]:
    rows = conn.execute(
        "SELECT c.keyword, c.text, c.updated_at, o.name FROM team_canned_responses c "
        "LEFT JOIN operators o ON o.id = c.updated_by WHERE c.team_id = ? ORDER BY c.keyword",
        (team_id,),
    ).fetchall()
    return [TeamCanned(keyword=r[0], text=r[1], updated_at=r[2], updated_by=r[3]) for r in rows]


def put_canned(conn: Connection, team_id: str, keyword: str, text: str, at: str, operator_id: str) -> None:
    """Add or replace (the caller checked that the team has room: ``MAX_TEAM_CANNED``)."""
    conn.execute(
        "INSERT INTO team_canned_responses (team_id, keyword, text, updated_at, updated_by) "
        "VALUES (?,?,?,?,?) ON CONFLICT (team_id, keyword) DO UPDATE SET text = excluded.text, "
        "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        (team_id, keyword, text, at, operator_id),
    )


def delete_canned(conn: Connection, team_id: str, keyword: str) -> bool:
    return bool(conn.execute("DELETE FROM team_canned_responses WHERE team_id = ? AND keyword = ?",
                             (team_id, keyword)).rowcount)
