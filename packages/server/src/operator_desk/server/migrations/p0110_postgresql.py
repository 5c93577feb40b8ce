"""PostgreSQL's first schema: what m0010 to m0110 built step by step on SQLite, in one step. The server
runs on PostgreSQL from schema 110 on, so there is no older PostgreSQL database to bring forward; each
later migration gives PostgreSQL its own step beside SQLite's (``migrations.POSTGRESQL``).

Tables, columns, keys and checks are SQLite's, so that the repository's SQL is one text for both:
INTEGER is BIGINT (SQLite's integers are 64-bit), BLOB is BYTEA, an INTEGER PRIMARY KEY is an identity
column (never given twice, as AUTOINCREMENT), and ``chats`` has an identity column named ``rowid``: the
order chats were stored in, which SQLite's hidden ``rowid`` gives (earlier chats are listed by it,
never by their clocks). Triggers are PL/pgSQL functions. A few SQLite functions the SQL uses
(``instr``, ``julianday``, ``json_each``, ``group_concat``) are defined here in the schema, so that
the statements that call them stay the same.
"""

from __future__ import annotations

from typing import Any

VERSION = 110

_APPEND_ONLY = """
CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation'; END $$"""

# webhooks (m0080): a fact for the outbox in the transaction of the change, while receivers are set up.
_WEBHOOK_FACT = """
CREATE FUNCTION webhook_fact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM settings WHERE key = 'webhooks_enabled') THEN RETURN NULL; END IF;
    IF TG_TABLE_NAME = 'chats' THEN
        INSERT INTO webhook_facts (kind, visitor_id, ref, consent_seq, at)
        VALUES ('chat.ended', NEW.visitor_id, NEW.id,
                (SELECT coalesce(max(seq), 0) FROM consent_events), coalesce(NEW.closed_at, ''));
    ELSIF TG_TABLE_NAME = 'received_details' THEN
        INSERT INTO webhook_facts (kind, visitor_id, ref, consent_seq, at)
        VALUES ('details.received', NEW.visitor_id, NEW.request_id,
                (SELECT coalesce(max(seq), 0) FROM consent_events), NEW.received_at);
    ELSE
        INSERT INTO webhook_facts (kind, visitor_id, ref, consent_seq, at)
        VALUES ('consent.changed', NEW.visitor_id, NEW.id, NEW.seq, NEW.at);
    END IF;
    RETURN NULL;
END $$"""

# webhook bounds (m0110): each receiver's events and bytes not confirmed yet, counted as rows change.
_WEBHOOK_QUEUE = """
CREATE FUNCTION webhook_queue_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    receiver_name TEXT;
    sign BIGINT;
    size BIGINT;
BEGIN
    IF TG_ARGV[0] = 'new' THEN
        receiver_name := NEW.receiver; sign := 1; size := length(NEW.body);
    ELSE
        receiver_name := OLD.receiver; sign := -1; size := length(OLD.body);
    END IF;
    INSERT INTO webhook_queues (receiver) VALUES (receiver_name) ON CONFLICT DO NOTHING;
    UPDATE webhook_queues SET events = events + sign, bytes = bytes + sign * size
        WHERE receiver = receiver_name;
    RETURN NULL;
END $$"""

_COMPATIBLE_FUNCTIONS = [
    """CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER
        LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT strpos(haystack, needle) $$""",
    # Days since noon UTC on 24 November 4714 BC, as SQLite's julianday (its differences are durations).
    """CREATE FUNCTION julianday(at TEXT) RETURNS DOUBLE PRECISION
        LANGUAGE sql STABLE STRICT
        AS $$ SELECT extract(epoch FROM at::timestamptz) / 86400.0 + 2440587.5 $$""",
    """CREATE FUNCTION json_each(document TEXT) RETURNS TABLE (key TEXT, value TEXT)
        LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT * FROM json_each_text(document::json) $$""",
    """CREATE FUNCTION group_concat_step(joined TEXT, item TEXT) RETURNS TEXT
        LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN item IS NULL THEN joined WHEN joined IS NULL THEN item
                    ELSE joined || ',' || item END $$""",
    """CREATE AGGREGATE group_concat(TEXT) (SFUNC = group_concat_step, STYPE = TEXT)""",
]

STATEMENTS = [
    *_COMPATIBLE_FUNCTIONS,
    _APPEND_ONLY,
    _WEBHOOK_FACT,
    _WEBHOOK_QUEUE,
    """CREATE TABLE settings (key TEXT PRIMARY KEY, value BYTEA NOT NULL)""",
    """CREATE TABLE teams (
        id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 32),
        name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE operators (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('operator', 'team_lead', 'supervisor')),
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled_at TEXT,
        team_id TEXT REFERENCES teams(id),
        chat_limit BIGINT CHECK (chat_limit BETWEEN 1 AND 100)
    )""",
    """CREATE TABLE tokens (
        token_sha256 TEXT PRIMARY KEY,
        operator_id TEXT NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""",
    """CREATE TABLE visitors (
        id TEXT PRIMARY KEY,
        token_sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        language TEXT,
        name TEXT,
        email TEXT
    )""",
    """CREATE TABLE visitor_insights (
        visitor_id TEXT PRIMARY KEY REFERENCES visitors(id) ON DELETE CASCADE,
        ip TEXT NOT NULL,
        country TEXT,
        country_code TEXT,
        city TEXT,
        company TEXT,
        visits BIGINT NOT NULL,
        first_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE page_views (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
    """CREATE INDEX page_views_by_visitor ON page_views (visitor_id, at)""",
    """CREATE INDEX page_views_by_time ON page_views (at)""",
    """CREATE TABLE notices (
        id TEXT NOT NULL,
        version BIGINT NOT NULL CHECK (version >= 1),
        language TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        purposes TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        published_at TEXT NOT NULL,
        fresh_consent BIGINT NOT NULL DEFAULT 1,
        summary TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (id, version)
    )""",
    """CREATE TRIGGER notices_never_change BEFORE UPDATE ON notices
        FOR EACH ROW EXECUTE FUNCTION refuse_update('a published notice never changes')""",
    """CREATE TABLE consent_events (
        seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL,
        granted BIGINT NOT NULL,
        notice_id TEXT NOT NULL,
        notice_version BIGINT NOT NULL,
        method TEXT NOT NULL,
        at TEXT NOT NULL,
        FOREIGN KEY (notice_id, notice_version) REFERENCES notices(id, version)
    )""",
    """CREATE INDEX consent_events_by_visitor ON consent_events (visitor_id, seq)""",
    """CREATE TRIGGER consent_events_append_only BEFORE UPDATE ON consent_events
        FOR EACH ROW EXECUTE FUNCTION refuse_update('consent events are append-only')""",
    """CREATE TABLE chats (
        id TEXT PRIMARY KEY,
        rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'closed')),
        operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
        started_at TEXT NOT NULL,
        closed_at TEXT,
        accepted_at TEXT,
        consent_seq_at_start BIGINT,
        consent_seq_at_close BIGINT,
        team_id TEXT REFERENCES teams(id) ON DELETE SET NULL,
        left_message BIGINT NOT NULL DEFAULT 0 CHECK (left_message IN (0, 1))
    )""",
    """CREATE INDEX chats_by_visitor ON chats (visitor_id)""",
    """CREATE INDEX chats_by_start ON chats (started_at DESC, id DESC)""",
    """CREATE INDEX chats_by_close ON chats (closed_at)""",
    """CREATE INDEX chats_by_operator ON chats (operator_id, started_at DESC, id DESC)""",
    """CREATE INDEX chats_left_messages ON chats (started_at DESC, id DESC) WHERE left_message = 1""",
    """CREATE TABLE messages (
        chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        id TEXT NOT NULL,
        client_msg_id TEXT,
        author TEXT NOT NULL CHECK (author IN ('visitor', 'operator', 'system')),
        author_name TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (chat_id, at, id),
        UNIQUE (chat_id, author, client_msg_id)
    )""",
    """CREATE TABLE detail_requests (
        id TEXT PRIMARY KEY,
        chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        operator_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
        notice_id TEXT NOT NULL,
        notice_version BIGINT NOT NULL,
        fields TEXT NOT NULL,
        purpose TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'received', 'declined')),
        answered_at TEXT,
        FOREIGN KEY (notice_id, notice_version) REFERENCES notices(id, version)
    )""",
    """CREATE INDEX detail_requests_by_chat ON detail_requests (chat_id)""",
    """CREATE TABLE received_details (
        request_id TEXT PRIMARY KEY REFERENCES detail_requests(id) ON DELETE CASCADE,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        fields TEXT NOT NULL,
        received_at TEXT NOT NULL
    )""",
    """CREATE INDEX received_details_by_visitor ON received_details (visitor_id)""",
    """CREATE TABLE audit_log (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        detail TEXT
    )""",
    """CREATE INDEX audit_log_by_subject ON audit_log (subject)""",
    """CREATE INDEX audit_log_by_time ON audit_log (at)""",
    """CREATE INDEX audit_log_by_action ON audit_log (action, id)""",
    """CREATE INDEX audit_log_by_actor ON audit_log (actor, id)""",
    """CREATE TABLE erasure_journal (
        seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        at TEXT NOT NULL,
        cause TEXT NOT NULL CHECK (cause IN ('erasure', 'retention')),
        subject TEXT CHECK (subject IS NULL OR length(subject) = 64),
        chats TEXT NOT NULL DEFAULT '[]',
        CHECK (subject IS NOT NULL OR cause = 'retention')
    )""",
    """CREATE INDEX erasure_journal_by_at ON erasure_journal (at)""",
    """CREATE TABLE reviews (
        seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        author_id TEXT REFERENCES operators(id) ON DELETE SET NULL,
        author_name TEXT NOT NULL,
        rating BIGINT CHECK (rating BETWEEN 1 AND 5),
        note TEXT NOT NULL,
        at TEXT NOT NULL,
        CHECK (rating IS NOT NULL OR note != '')
    )""",
    """CREATE INDEX reviews_by_chat ON reviews (chat_id, seq)""",
    """CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews
        FOR EACH ROW EXECUTE FUNCTION refuse_update('reviews are append-only')""",
    """CREATE TABLE subject_cases (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL
            CHECK (kind IN ('access', 'portability', 'erasure', 'rectification', 'objection')),
        received_on TEXT NOT NULL,
        due_on TEXT NOT NULL,
        extended_months BIGINT NOT NULL DEFAULT 0 CHECK (extended_months BETWEEN 0 AND 2),
        extension_reason TEXT NOT NULL DEFAULT '',
        identity_check TEXT NOT NULL,
        identity_note TEXT NOT NULL DEFAULT '',
        reference TEXT NOT NULL DEFAULT '',
        visitor_id TEXT,
        subject_erased BIGINT NOT NULL DEFAULT 0,
        opened_by TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        closed_at TEXT,
        outcome TEXT,
        outcome_note TEXT NOT NULL DEFAULT '',
        CHECK ((closed_at IS NULL) = (outcome IS NULL))
    )""",
    """CREATE INDEX subject_cases_open_by_due ON subject_cases (due_on, id) WHERE closed_at IS NULL""",
    """CREATE INDEX subject_cases_closed ON subject_cases (closed_at DESC, id DESC)
        WHERE closed_at IS NOT NULL""",
    """CREATE INDEX subject_cases_by_visitor ON subject_cases (visitor_id)""",
    """CREATE TABLE subject_case_steps (
        seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES subject_cases(id),
        at TEXT NOT NULL,
        step TEXT NOT NULL,
        actor TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        detail TEXT
    )""",
    """CREATE INDEX subject_case_steps_by_case ON subject_case_steps (case_id, seq)""",
    # An erasure blanks a step's note; nothing else of a step ever changes.
    """CREATE TRIGGER subject_case_steps_append_only BEFORE UPDATE ON subject_case_steps
        FOR EACH ROW WHEN (NEW.note <> '' OR NEW.seq IS DISTINCT FROM OLD.seq
             OR NEW.case_id IS DISTINCT FROM OLD.case_id OR NEW.at IS DISTINCT FROM OLD.at
             OR NEW.step IS DISTINCT FROM OLD.step OR NEW.actor IS DISTINCT FROM OLD.actor
             OR NEW.detail IS DISTINCT FROM OLD.detail)
        EXECUTE FUNCTION refuse_update('case steps are append-only')""",
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
        used BIGINT NOT NULL DEFAULT 0,
        CHECK (decided_by IS NULL OR decided_by <> requested_by)
    )""",
    """CREATE UNIQUE INDEX approvals_one_pending ON approvals (action, visitor_id) WHERE state = 'pending'""",
    """CREATE INDEX approvals_by_state ON approvals (state, expires_at)""",
    """CREATE INDEX approvals_by_decision ON approvals (decided_at)""",
    """CREATE TABLE team_canned_responses (
        team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        keyword TEXT NOT NULL CHECK (length(keyword) BETWEEN 1 AND 32),
        text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
        updated_at TEXT NOT NULL,
        updated_by TEXT,
        PRIMARY KEY (team_id, keyword)
    )""",
    """CREATE TABLE webhook_facts (
        seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('chat.ended', 'details.received', 'consent.changed')),
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        ref TEXT NOT NULL,
        consent_seq BIGINT NOT NULL,
        at TEXT NOT NULL
    )""",
    """CREATE TRIGGER webhook_fact_chat_ended AFTER UPDATE OF state ON chats
        FOR EACH ROW WHEN (NEW.state = 'closed' AND OLD.state <> 'closed') EXECUTE FUNCTION webhook_fact()""",
    """CREATE TRIGGER webhook_fact_details_received AFTER INSERT ON received_details
        FOR EACH ROW EXECUTE FUNCTION webhook_fact()""",
    """CREATE TRIGGER webhook_fact_consent_changed AFTER INSERT ON consent_events
        FOR EACH ROW EXECUTE FUNCTION webhook_fact()""",
    """CREATE TABLE webhook_outbox (
        seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        receiver TEXT NOT NULL,
        kind TEXT NOT NULL,
        person TEXT NOT NULL,
        visitor_id TEXT REFERENCES visitors(id) ON DELETE CASCADE,
        tombstone TEXT,
        body BYTEA,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead', 'dropped')),
        attempts BIGINT NOT NULL DEFAULT 0,
        next_at DOUBLE PRECISION NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL,
        delivered_at TEXT,
        purposes TEXT NOT NULL DEFAULT '',
        occurred_at TEXT,
        ref TEXT,
        consent_seq BIGINT,
        CHECK (visitor_id IS NOT NULL OR kind = 'subject.erased')
    )""",
    """CREATE INDEX webhook_outbox_queue ON webhook_outbox (receiver, state, person, seq)""",
    """CREATE INDEX webhook_outbox_by_visitor ON webhook_outbox (visitor_id)""",
    """CREATE INDEX webhook_outbox_by_tombstone ON webhook_outbox (tombstone)""",
    """CREATE INDEX webhook_outbox_unfinished ON webhook_outbox (state, occurred_at)""",
    """CREATE TABLE webhook_holders (
        receiver TEXT NOT NULL,
        visitor_id TEXT NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
        purpose TEXT NOT NULL,
        person TEXT NOT NULL,
        PRIMARY KEY (visitor_id, receiver, purpose)
    )""",
    """CREATE TABLE webhook_queues (
        receiver TEXT PRIMARY KEY,
        events BIGINT NOT NULL DEFAULT 0,
        bytes BIGINT NOT NULL DEFAULT 0,
        full_since TEXT
    )""",
    """CREATE TRIGGER webhook_queue_insert AFTER INSERT ON webhook_outbox
        FOR EACH ROW WHEN (NEW.state IN ('pending', 'dead') AND NEW.body IS NOT NULL)
        EXECUTE FUNCTION webhook_queue_count('new')""",
    """CREATE TRIGGER webhook_queue_delete AFTER DELETE ON webhook_outbox
        FOR EACH ROW WHEN (OLD.state IN ('pending', 'dead') AND OLD.body IS NOT NULL)
        EXECUTE FUNCTION webhook_queue_count('old')""",
    """CREATE TRIGGER webhook_queue_update_old AFTER UPDATE OF state, body ON webhook_outbox
        FOR EACH ROW WHEN (OLD.state IN ('pending', 'dead') AND OLD.body IS NOT NULL)
        EXECUTE FUNCTION webhook_queue_count('old')""",
    """CREATE TRIGGER webhook_queue_update_new AFTER UPDATE OF state, body ON webhook_outbox
        FOR EACH ROW WHEN (NEW.state IN ('pending', 'dead') AND NEW.body IS NOT NULL)
        EXECUTE FUNCTION webhook_queue_count('new')""",
]


def apply(conn: Any) -> None:
    for statement in STATEMENTS:
        conn.execute(statement)
