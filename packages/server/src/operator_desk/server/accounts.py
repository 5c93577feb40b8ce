"""Administering people: the account commands of ``operator-desk-server`` (list, add, change a role,
disable and enable, remove, reset a password, revoke every sign-in; teams: add one, put an account in
one).

They work on the database directly, with or without a server running on it (WAL lets both in). Each
change and its audit entry are written in one transaction, with the actor ``server-admin`` and the
operating-system user who ran the command (``admin_actor_detail``). A change of password, a disable
and a revocation delete the account's tokens, so that every desk signed in with it must sign in again:
a running server notices within ``token_check_interval`` (30 s) and ends those sessions for good. A
new role applies from the account's next sign-in.
"""

from __future__ import annotations

import getpass
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zxcvbn import zxcvbn

from operator_desk.domain.clock import now_ts
from operator_desk.domain.model import MAX_CHAT_LIMIT, OperatorInfo, Role
from operator_desk.server import auth, repository
from operator_desk.server.config import load_config
from operator_desk.server.db import Database
from operator_desk.server.dbfile import database_location, key_path
from operator_desk.server.hub import new_id

Connection = Any

ADMIN_ACTOR = "server-admin"
MIN_PASSWORD_LENGTH = 12
# zxcvbn's score: 0-2 is guessable within about 10^8 guesses (a common password, a word with digits, a
# keyboard walk, a repetition); 3 and 4 are not.
MIN_PASSWORD_SCORE = 3


class AccountError(Exception):
    """A command that cannot be done as asked; the message says why, for the admin to read."""


class NoSuchAccount(AccountError):
    def __init__(self, username: str) -> None:
        super().__init__(f"there is no account named {username!r} (operator-desk-server accounts list)")


class WeakPassword(AccountError):
    pass


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    username: str
    name: str
    role: Role
    created_at: str
    disabled: bool
    sign_ins: int  # unexpired tokens: desks that can sign in without the password
    team: str | None = None  # the team's id


def check_password(password: str, username: str, name: str | None = None) -> None:
    """Refuses a password shorter than 12 characters or one that is easy to guess: a common password,
    a variation of one, a repetition, a keyboard walk, or one made of the account's own names."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    result = zxcvbn(password[:100], user_inputs=[username, *(name.split() if name else [])])
    if result["score"] < MIN_PASSWORD_SCORE:
        reason = result["feedback"]["warning"] or "It is easy to guess."
        raise WeakPassword(f"the password is too easy to guess: {reason} Choose a longer or less common one.")


ADMIN_VARIABLE = "OPERATOR_DESK_ADMIN"


def admin_actor_detail() -> dict[str, str]:
    """Who ran the command, for the audit entry: ``OPERATOR_DESK_ADMIN`` (a wrapper that runs the
    command as the service user sets it, see docs/deploy.md), else ``SUDO_USER``, else the user."""
    named = os.environ.get(ADMIN_VARIABLE) or os.environ.get("SUDO_USER")
    if named:
        return {"by": named[:64]}
    try:
        return {"by": getpass.getuser()}
    except (OSError, KeyError):  # no user name for this uid (a container, say)
        return {}


# -- the SQL, one function per command, each run in one transaction on the database thread ------------


def _operator_id(conn: Connection, username: str) -> str:
    row = conn.execute("SELECT id FROM operators WHERE username = ?", (username,)).fetchone()
    if row is None:
        raise NoSuchAccount(username)
    return row[0]


def _audit(conn: Connection, action: str, operator_id: str, detail: dict[str, Any]) -> None:
    repository.audit(conn, now_ts(), ADMIN_ACTOR, action, operator_id, {**detail, **admin_actor_detail()})


def _revoke(conn: Connection, operator_id: str) -> int:
    return conn.execute("DELETE FROM tokens WHERE operator_id = ?", (operator_id,)).rowcount


def list_accounts(conn: Connection) -> list[Account]:
    now = now_ts()
    rows = conn.execute(
        "SELECT o.id, o.username, o.name, o.role, o.created_at, o.disabled_at IS NOT NULL, "
        "(SELECT count(*) FROM tokens t WHERE t.operator_id = o.id AND t.expires_at > ?), o.team_id "
        "FROM operators o ORDER BY o.username",
        (now,),
    ).fetchall()
    return [Account(r[0], r[1], r[2], Role(r[3]), r[4], bool(r[5]), r[6], r[7]) for r in rows]


def add_account(conn: Connection, username: str, name: str, role: Role, password_hash: str) -> OperatorInfo:
    info = OperatorInfo(id=new_id("op"), name=name, role=role)
    try:
        repository.add_operator(conn, info, username, password_hash, now_ts())
    except repository.AlreadyExists:
        raise AccountError(f"an account named {username!r} exists already") from None
    _audit(conn, "account.add", info.id, {"username": username, "role": role.value})
    return info


def set_role(conn: Connection, username: str, role: Role) -> Role:
    """Returns the role the account had."""
    operator_id = _operator_id(conn, username)
    before = Role(conn.execute("SELECT role FROM operators WHERE id = ?", (operator_id,)).fetchone()[0])
    conn.execute("UPDATE operators SET role = ? WHERE id = ?", (role.value, operator_id))
    _audit(conn, "account.role", operator_id, {"username": username, "from": before.value, "to": role.value})
    return before


TEAM_ID = r"[a-z0-9][a-z0-9_-]{0,31}"


def add_team(conn: Connection, team_id: str, name: str) -> None:
    """A team (a department) with its own queue and canned responses; ``team_id`` is short, lowercase."""
    if not re.fullmatch(TEAM_ID, team_id):
        raise AccountError(f"a team id is 1-32 lowercase letters, digits, '-' or '_': not {team_id!r}")
    if not name.strip() or len(name) > 200:
        raise AccountError("a team needs a name of 1-200 characters")
    if conn.execute("SELECT 1 FROM teams WHERE id = ? OR name = ?", (team_id, name)).fetchone():
        raise AccountError(f"a team {team_id!r} or named {name!r} exists already")
    conn.execute("INSERT INTO teams (id, name, created_at) VALUES (?,?,?)", (team_id, name, now_ts()))
    repository.audit(conn, now_ts(), ADMIN_ACTOR, "team.add", team_id, {"name": name, **admin_actor_detail()})


def list_teams(conn: Connection) -> list[tuple[str, str, int]]:
    """(id, name, how many accounts are in it) of every team."""
    return conn.execute(
        "SELECT m.id, m.name, (SELECT count(*) FROM operators o WHERE o.team_id = m.id) FROM teams m "
        "ORDER BY m.id"
    ).fetchall()


def set_team(conn: Connection, username: str, team_id: str | None) -> str | None:
    """Puts the account in a team (None: in none); returns the team it was in. It applies from the
    account's next sign-in."""
    operator_id = _operator_id(conn, username)
    if team_id is not None and not conn.execute("SELECT 1 FROM teams WHERE id = ?", (team_id,)).fetchone():
        raise AccountError(f"there is no team {team_id!r} (operator-desk-server accounts teams)")
    before = conn.execute("SELECT team_id FROM operators WHERE id = ?", (operator_id,)).fetchone()[0]
    conn.execute("UPDATE operators SET team_id = ? WHERE id = ?", (team_id, operator_id))
    _audit(conn, "account.team", operator_id, {"username": username, "from": before, "to": team_id})
    return before


def store_chat_limit(conn: Connection, operator_id: str, limit: int | None) -> None:
    """An account's own chat limit (None: the site's ``[routing] chat_limit``)."""
    conn.execute("UPDATE operators SET chat_limit = ? WHERE id = ?", (limit, operator_id))


def set_chat_limit(conn: Connection, username: str, limit: int | None) -> int | None:
    """The account's own chat limit (None: the site's); returns the one before. A running server
    applies it from the account's next sign-in (the desk's team window applies it at once)."""
    if limit is not None and not 1 <= limit <= MAX_CHAT_LIMIT:
        raise AccountError(f"a chat limit is 1 to {MAX_CHAT_LIMIT} (or 'site' for the site's)")
    operator_id = _operator_id(conn, username)
    before = conn.execute("SELECT chat_limit FROM operators WHERE id = ?", (operator_id,)).fetchone()[0]
    store_chat_limit(conn, operator_id, limit)
    _audit(conn, "account.chat_limit", operator_id, {"username": username, "from": before, "to": limit})
    return before


def set_disabled(conn: Connection, username: str, disabled: bool) -> bool:
    """Returns whether anything changed (disabling a disabled account changes nothing)."""
    operator_id = _operator_id(conn, username)
    changed = conn.execute(
        "UPDATE operators SET disabled_at = ? WHERE id = ? AND (disabled_at IS NULL) = ?",
        (now_ts() if disabled else None, operator_id, disabled),
    ).rowcount
    if disabled:
        _revoke(conn, operator_id)
    if changed:
        _audit(conn, "account.disable" if disabled else "account.enable", operator_id, {"username": username})
    return bool(changed)


def remove_account(conn: Connection, username: str) -> None:
    """The account and its tokens go; its chats keep their messages without an operator, and the audit
    log keeps what it did under its id."""
    operator_id = _operator_id(conn, username)
    conn.execute("DELETE FROM operators WHERE id = ?", (operator_id,))
    _audit(conn, "account.remove", operator_id, {"username": username})


def set_password(conn: Connection, username: str, password_hash: str) -> int:
    """Returns how many sign-ins were revoked with the old password."""
    operator_id = _operator_id(conn, username)
    conn.execute("UPDATE operators SET password_hash = ? WHERE id = ?", (password_hash, operator_id))
    revoked = _revoke(conn, operator_id)
    _audit(conn, "account.password", operator_id, {"username": username, "revoked": revoked})
    return revoked


def revoke_sign_ins(conn: Connection, username: str) -> int:
    operator_id = _operator_id(conn, username)
    revoked = _revoke(conn, operator_id)
    _audit(conn, "account.revoke", operator_id, {"username": username, "revoked": revoked})
    return revoked


# -- opening the database as serve does ----------------------------------------------------------------


def open_database(
    data_dir: Path, *, key_file: Path | None, config_path: Path | None, environ: Mapping[str, str],
    database: str | None = None,
) -> Database:
    """The server's database, found with its key as ``serve`` finds them (blocking)."""
    config = load_config(config_path)
    return Database.open(
        data_dir,
        key_path(data_dir, explicit=key_file, configured=config.key_file, environ=environ),
        database_location(explicit=database, configured=config.database, environ=environ),
    )


def hash_new_password(password: str, username: str, name: str | None) -> str:
    check_password(password, username, name)
    return auth.hash_password(password)
