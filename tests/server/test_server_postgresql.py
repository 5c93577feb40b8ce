"""PostgreSQL itself, beyond what every server test shows on it: its schema version, its migration by
two servers at once, and a URL's password kept out of every error and log line."""

from __future__ import annotations

import asyncio
import logging

import pytest

from operator_desk.server.db import Database
from operator_desk.server.db_errors import DatabaseError, NewerSchema
from operator_desk.server.migrations import POSTGRESQL
from tests.kit.servers import open_database

pytestmark = pytest.mark.postgresql_only

PASSWORD_IN_URL = "pw-0f-the-database"


def test_a_newer_schema_is_refused_and_left_alone(tmp_path, database):
    import psycopg

    with psycopg.connect(database, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version (version) VALUES (9999)")
        try:
            with pytest.raises(NewerSchema, match="schema 9999, newer than this server's") as refused:
                open_database(tmp_path)
            assert (refused.value.found, refused.value.supported) == (9999, POSTGRESQL[-1][0])
            assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 9999
        finally:  # the session's one test database goes on to the next test as it was
            conn.execute("DELETE FROM schema_version WHERE version = 9999")


@pytest.mark.asyncio
async def test_two_servers_starting_at_once_on_a_new_database_both_open_it(tmp_path, database):
    """An advisory lock puts one migration after the other: without it, the second would create the
    tables a second time and fail."""
    import psycopg

    base, _, _ = database.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS fresh_twice WITH (FORCE)")
        conn.execute("CREATE DATABASE fresh_twice")
    try:
        fresh = base + "/fresh_twice"
        opened = await asyncio.gather(*(asyncio.to_thread(Database.open, tmp_path, None, fresh)
                                        for _ in range(2)))
        for db in opened:
            assert await db.call(lambda conn: conn.execute("SELECT max(version) FROM schema_version")
                                 .fetchone()[0]) == POSTGRESQL[-1][0]
            await db.close()
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS fresh_twice WITH (FORCE)")


@pytest.mark.allow_log_warnings  # the pool logs its failed attempts (without the password)
def test_an_unreachable_database_is_named_without_its_password(tmp_path, database, caplog):
    caplog.set_level(logging.DEBUG)
    port = database.rsplit(":", 1)[1].split("/")[0]
    wrong = f"postgresql://someone:{PASSWORD_IN_URL}@127.0.0.1:{port}/no_such_database"
    with pytest.raises(DatabaseError) as refused:
        Database.open(tmp_path, None, wrong)
    assert f"127.0.0.1:{port}/no_such_database as someone" in str(refused.value)
    assert PASSWORD_IN_URL not in str(refused.value)
    assert all(PASSWORD_IN_URL not in record.getMessage() for record in caplog.records)
