"""Crypto-shredding reaches what staff wrote and the server queued about a person (docs/scaling.md,
"What is sealed"): review notes, the free texts of subject-request cases and their steps, approval
reasons, audit details, webhook bodies not sent yet; and the server's own secrets (the keys of the
erasure pseudonyms, the webhook person ids and the erasure journal) are wrapped under the key file.

PostgreSQL: every such row stored before this version is sealed in place under its person's key
(``sealing.PersonKeys``, the key m0120 made or a new one): a review's under its chat's visitor, a
case's and its steps' and its approvals' under the visitor the case names, an audit entry's under its
subject when that is a stored visitor, a webhook body under the visitor it is about. A case, approval
or audit entry that names a person no longer stored (the retention purge deleted them) loses its free
text, as an erased person's does: no key is left to seal it under. What names nobody (a case not linked
yet, entries about operators, an erasure's event) stays in clear. The triggers that keep reviews and
case steps append-only let this migration through: reviews' is set aside for the step, and case steps'
is replaced by one that lets a note be sealed in place (``SEALING``: a case linked later seals the notes
it held, ``cases.link``). Once committed, the server rewrites these tables (``REWRITTEN``,
``postgresql.after_migration``) so that the plaintext's dead rows are gone from the live files; WAL
segments and backups from before still hold it (docs/scaling.md says what to do about those).

SQLCipher: nothing, as in m0120 (the file is encrypted as a whole, ``secure_delete``; ``sealing.PLAIN``).
The step is listed all the same, so that both engines number their schema alike.
"""

from __future__ import annotations

from typing import Any

from operator_desk.server import sealing

VERSION = 130

# The session setting under which a case step's note may be sealed in place: set (for the transaction)
# by the code that seals it, and by nothing else.
SEALING = "operator_desk.sealing"

REWRITTEN = ("reviews", "subject_cases", "subject_case_steps", "approvals", "audit_log", "webhook_outbox",
             "settings")
# The server's own secrets (``repository.secret``) stored so far: wrapped under the key file.
SERVER_SECRETS = ("pseudonym_key", "webhook_person_key", "erasure_journal_key", "erasure_journal_id")
_CASE_TEXTS = ("extension_reason", "identity_note", "reference", "outcome_note")  # cases.FREE_TEXTS

POSTGRESQL = [
    "DROP TRIGGER subject_case_steps_append_only ON subject_case_steps",
    f"""CREATE TRIGGER subject_case_steps_append_only BEFORE UPDATE ON subject_case_steps
        FOR EACH ROW WHEN ((NEW.note <> '' AND current_setting('{SEALING}', true) IS DISTINCT FROM 'on')
             OR NEW.seq IS DISTINCT FROM OLD.seq
             OR NEW.case_id IS DISTINCT FROM OLD.case_id OR NEW.at IS DISTINCT FROM OLD.at
             OR NEW.step IS DISTINCT FROM OLD.step OR NEW.actor IS DISTINCT FROM OLD.actor
             OR NEW.detail IS DISTINCT FROM OLD.detail)
        EXECUTE FUNCTION refuse_update('case steps are append-only')""",
]


def allow_sealing(conn: Any, allowed: bool) -> None:
    """Let this transaction seal case steps' notes in place (the append-only trigger allows it), or no
    longer (PostgreSQL only)."""
    conn.execute(f"SELECT set_config('{SEALING}', ?, true)", ("on" if allowed else "off",))


def apply(conn: Any) -> None:
    """SQLCipher: nothing to seal (see above)."""


# A row's person is stored (not erased, not purged by the retention period).
_STORED = "EXISTS (SELECT 1 FROM visitors v WHERE v.id = {})"


def _seal_each(conn: Any, sql: str, seal_one: Any, update: str) -> None:
    """For each row of ``sql`` (its key, its person, its values): ``update`` with the values sealed."""
    for key, person, *values in conn.execute(sql).fetchall():
        conn.execute(update, (*(seal_one(person, i, value) for i, value in enumerate(values)), key))


def apply_postgresql(conn: Any) -> None:
    for statement in POSTGRESQL:
        conn.execute(statement)
    seal = sealing.of(conn)
    allow_sealing(conn, True)

    conn.execute("ALTER TABLE reviews DISABLE TRIGGER reviews_append_only")
    _seal_each(conn, "SELECT seq, chat_id, note FROM reviews WHERE note <> ''",
               lambda chat_id, _, note: seal.seal_in_chat(conn, chat_id, "reviews.note", note),
               "UPDATE reviews SET note = ? WHERE seq = ?")
    conn.execute("ALTER TABLE reviews ENABLE TRIGGER reviews_append_only")

    texts, blanks = ", ".join(_CASE_TEXTS), ", ".join(field + " = ''" for field in _CASE_TEXTS)
    _seal_each(conn, f"SELECT id, visitor_id, {texts} FROM subject_cases c "
                     f"WHERE {_STORED.format('c.visitor_id')}",
               lambda person, i, text: seal.seal(conn, person, f"subject_cases.{_CASE_TEXTS[i]}", text),
               f"UPDATE subject_cases SET {', '.join(f'{f} = ?' for f in _CASE_TEXTS)} WHERE id = ?")
    gone = f"c.visitor_id IS NOT NULL AND NOT {_STORED.format('c.visitor_id')}"
    conn.execute(f"UPDATE subject_cases c SET {blanks} WHERE {gone}")
    _seal_each(conn, "SELECT s.seq, c.visitor_id, s.note FROM subject_case_steps s "
                     "JOIN subject_cases c ON c.id = s.case_id "
                     f"WHERE s.note <> '' AND {_STORED.format('c.visitor_id')}",
               lambda person, _, note: seal.seal(conn, person, "subject_case_steps.note", note),
               "UPDATE subject_case_steps SET note = ? WHERE seq = ?")
    conn.execute("UPDATE subject_case_steps SET note = '' WHERE note <> '' AND case_id IN "
                 f"(SELECT id FROM subject_cases c WHERE {gone})")

    _seal_each(conn, f"SELECT id, visitor_id, reason FROM approvals a WHERE reason <> '' "
                     f"AND {_STORED.format('a.visitor_id')}",
               lambda person, _, reason: seal.seal(conn, person, "approvals.reason", reason),
               "UPDATE approvals SET reason = ? WHERE id = ?")
    conn.execute("UPDATE approvals a SET reason = '' "
                 f"WHERE reason <> '' AND NOT {_STORED.format('a.visitor_id')}")

    _seal_each(conn, f"SELECT id, subject, detail FROM audit_log a WHERE detail IS NOT NULL "
                     f"AND {_STORED.format('a.subject')}",
               lambda person, _, detail: seal.seal(conn, person, "audit_log.detail", detail),
               "UPDATE audit_log SET detail = ? WHERE id = ?")

    # The outbox's byte counts follow by its triggers (each sealed body is 28 bytes longer).
    _seal_each(conn, "SELECT seq, visitor_id, body FROM webhook_outbox "
                     "WHERE visitor_id IS NOT NULL AND body IS NOT NULL",
               lambda person, _, body: seal.seal_bytes(conn, person, "webhook_outbox.body", bytes(body)),
               "UPDATE webhook_outbox SET body = ? WHERE seq = ?")
    allow_sealing(conn, False)

    marks = ", ".join("?" * len(SERVER_SECRETS))
    for name, value in conn.execute(f"SELECT key, value FROM settings WHERE key IN ({marks})",
                                    SERVER_SECRETS).fetchall():
        conn.execute("UPDATE settings SET value = ? WHERE key = ?",
                     (seal.wrap_secret(name, bytes(value)), name))
