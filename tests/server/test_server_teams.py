"""Teams (departments) and their canned responses: made with the account commands, named in each sign-in,
kept on the server, edited by the team's lead, pushed to everyone in the team and to nobody else."""

from __future__ import annotations

import json

import pytest

from operator_desk.protocol.messages import MAX_TEAM_CANNED
from operator_desk.server import migrations
from tests.kit.clients import login
from tests.kit.servers import schema_at

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too


@pytest.mark.asyncio
async def test_the_account_commands_make_teams_and_each_sign_in_names_its_team(server, admin):
    code, out, err = await admin("add-team", "billing", "--name", "Billing")
    assert code == 0, err
    assert (await admin("set-team", "ann", "billing"))[0] == 0
    code, out, _ = await admin("set-team", "ben", "billing")
    assert code == 0 and "ben: team - -> billing" in out

    ann = await login(server, "ann")
    assert ann.login["operator"]["team"] == {"id": "billing", "name": "Billing"}
    sue = await login(server, "sue")
    assert sue.login["operator"]["team"] is None

    code, out, _ = await admin("teams")
    assert "billing  Billing  (2 account(s))" in out
    header, *rows = (await admin("list"))[1].splitlines()
    assert header.split()[:4] == ["USERNAME", "NAME", "ROLE", "TEAM"]
    assert next(r for r in rows if r.startswith("ann ")).split()[3] == "billing"

    code, out, _ = await admin("set-team", "ben", "-")
    assert code == 0 and "ben: team billing -> -" in out
    ben = await login(server, "ben")
    assert ben.login["operator"]["team"] is None
    for client in (ann, sue, ben):
        await client.close()

    rows = await server.db.call(lambda conn: conn.execute(
        "SELECT action, subject, detail FROM audit_log WHERE action IN ('team.add', 'account.team') "
        "AND subject <> 'support' ORDER BY id").fetchall())
    assert [r[0] for r in rows][-4:] == ["team.add", "account.team", "account.team", "account.team"]
    assert json.loads(rows[-1][2])["to"] is None


@pytest.mark.asyncio
@pytest.mark.parametrize(("command", "message"), [
    (("add-team", "Billing Dept", "--name", "Billing"), "lowercase"),
    (("add-team", "support", "--name", "Other"), "exists already"),
    (("add-team", "other", "--name", "Support"), "exists already"),
    (("add-team", "other", "--name", " "), "a name of 1-200"),
    (("set-team", "ann", "nowhere"), "there is no team 'nowhere'"),
    (("set-team", "nobody", "support"), "nobody"),
])
async def test_a_wrong_team_command_is_a_clear_error_and_changes_nothing(server, admin, command, message):
    def state(conn):
        return (conn.execute("SELECT id, name FROM teams ORDER BY id").fetchall(),
                conn.execute("SELECT username, team_id FROM operators ORDER BY username").fetchall(),
                conn.execute("SELECT count(*) FROM audit_log").fetchone())

    before = await server.db.call(state)
    code, _, err = await admin(*command)
    assert code == 1 and message in err
    assert await server.db.call(state) == before


async def teamed(server):
    """ann and lee in sales (lee its lead), ben in billing; sue is a supervisor in no team."""
    await server.add_team("sales", "Sales", "ann", "lee")
    await server.add_team("billing", "Billing", "ben")
    return [await login(server, name) for name in ("ann", "lee", "ben", "sue")]


@pytest.mark.asyncio
async def test_a_lead_edits_the_team_canned_responses_and_only_the_team_hears_of_it(server):
    ann, lee, ben, sue = await teamed(server)
    assert (await ann.ok("canned.list"))["responses"] == []

    text = "We answer from 8 to 18, Monday to Friday.\nGrüße, das Team"
    put = (await lee.ok("canned.put", {"keyword": "öffnungszeiten", "text": text}))["response"]
    assert put["keyword"] == "öffnungszeiten" and put["text"] == text and put["updated_by"] == "Lee"
    pushed = await ann.push("canned.changed")
    assert pushed == {"team_id": "sales", "keyword": "öffnungszeiten", "response": put}

    listed = await ann.ok("canned.list")
    assert listed["team"] == {"id": "sales", "name": "Sales"}
    assert listed["responses"] == [put]
    assert (await ben.ok("canned.list"))["responses"] == []   # billing has its own

    # Replaced, then removed: each change pushed, the list follows.
    await lee.ok("canned.put", {"keyword": "öffnungszeiten", "text": "From 9."})
    assert (await ann.push("canned.changed"))["response"]["text"] == "From 9."
    await lee.ok("canned.delete", {"keyword": "öffnungszeiten"})
    assert (await ann.push("canned.changed")) == {"team_id": "sales", "keyword": "öffnungszeiten",
                                                  "response": None}
    assert (await ann.ok("canned.list"))["responses"] == []

    # A supervisor names the team; nobody outside sales heard anything.
    await sue.ok("canned.put", {"team_id": "billing", "keyword": "refund", "text": "Refunds take 5 days."})
    assert (await ben.push("canned.changed"))["keyword"] == "refund"
    assert [p["keyword"] for p in ann.pushes_of("canned.changed")] == ["öffnungszeiten"] * 3
    assert [p["keyword"] for p in ben.pushes_of("canned.changed")] == ["refund"]
    assert sue.pushes_of("canned.changed") == [] and lee.pushes_of("canned.changed") == []  # its answer

    # Audited by keyword: the team's words are not repeated in the log.
    audit = await server.db.call(lambda conn: conn.execute(
        "SELECT action, subject, detail FROM audit_log WHERE action LIKE 'canned.%' ORDER BY id").fetchall())
    assert [(a, s) for a, s, _ in audit] == [("canned.put", "sales"), ("canned.put", "sales"),
                                             ("canned.delete", "sales"), ("canned.put", "billing")]
    assert "Monday" not in json.dumps(audit)
    for client in (ann, lee, ben, sue):
        await client.close()


@pytest.mark.asyncio
async def test_who_may_edit_which_team_and_nothing_is_stored_when_refused(server):
    ann, lee, ben, sue = await teamed(server)
    await lee.ok("canned.put", {"keyword": "hours", "text": "From 8."})

    def stored(conn):
        return conn.execute("SELECT * FROM team_canned_responses ORDER BY team_id, keyword").fetchall()

    before = await server.db.call(stored)
    assert await ann.refused("canned.put", {"keyword": "hours", "text": "Never."}) == "forbidden"
    assert await ann.refused("canned.delete", {"keyword": "hours"}) == "forbidden"
    assert await lee.refused("canned.put", {"team_id": "billing", "keyword": "x", "text": "y"}) == "forbidden"
    assert await ann.refused("canned.list", {"team_id": "billing"}) == "forbidden"
    assert await sue.refused("canned.put", {"keyword": "x", "text": "y"}) == "bad_request"  # in no team
    assert await sue.refused("canned.list", {"team_id": "nowhere"}) == "not_found"
    assert await lee.refused("canned.delete", {"keyword": "nothing"}) == "not_found"
    for keyword, text in (("two words", "x"), ("", "x"), ("k" * 33, "x"), ("ok", ""), ("ok", "x" * 2001),
                          ("ok", "bell\x07")):
        assert await lee.refused("canned.put", {"keyword": keyword, "text": text}) == "bad_request"
    assert await server.db.call(stored) == before
    assert (await sue.ok("canned.list"))["team"] is None   # no team, nothing to list
    assert (await sue.ok("canned.list", {"team_id": "sales"}))["responses"][0]["keyword"] == "hours"
    for client in (ann, lee, ben, sue):
        await client.close()


@pytest.mark.asyncio
async def test_a_team_keeps_a_bounded_number_of_canned_responses(server):
    ann, lee, ben, sue = await teamed(server)
    for index in range(MAX_TEAM_CANNED):
        await lee.ok("canned.put", {"keyword": f"k{index}", "text": f"answer {index}"})
    assert await lee.refused("canned.put", {"keyword": "one-more", "text": "x"}) == "conflict"
    await lee.ok("canned.put", {"keyword": "k0", "text": "replacing is fine"})
    listed = (await ann.ok("canned.list"))["responses"]
    assert len(listed) == MAX_TEAM_CANNED and listed[0] == {**listed[0], "keyword": "k0",
                                                            "text": "replacing is fine"}
    for client in (ann, lee, ben, sue):
        await client.close()


def test_migration_70_adds_teams_to_a_version_60_database(tmp_path):
    import sqlcipher3

    conn = schema_at(tmp_path / "db", 60)
    conn.execute("INSERT INTO operators (id, username, name, role, password_hash, created_at) "
                 "VALUES ('op_1', 'ann', 'Ann', 'operator', 'x', 't')")
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    dict(migrations.MIGRATIONS)[70](conn)
    conn.execute("COMMIT")
    assert conn.execute("SELECT id, team_id FROM operators").fetchall() == [("op_1", None)]
    conn.execute("INSERT INTO teams (id, name, created_at) VALUES ('support', 'Support', 't')")
    conn.execute("UPDATE operators SET team_id = 'support'")
    conn.execute("INSERT INTO team_canned_responses VALUES ('support', 'hours', 'From 8.', 't', 'op_1')")
    with pytest.raises(sqlcipher3.dbapi2.IntegrityError):
        conn.execute("INSERT INTO team_canned_responses VALUES ('support', 'hours', 'Again.', 't', 'op_1')")
    conn.close()


@pytest.mark.asyncio
async def test_set_limit_stores_an_accounts_own_chat_limit_for_its_next_sign_in(server, admin):
    code, out, err = await admin("set-limit", "ann", "2")
    assert code == 0, err
    assert "ann: chat limit site -> 2" in out
    ann = await login(server, "ann")
    assert ann.login["operator"]["chat_limit"] == 2
    assert (await admin("set-limit", "ann", "site"))[1].startswith("ann: chat limit 2 -> site")
    for wrong in ("0", "101", "lots"):
        code, _, err = await admin("set-limit", "ann", wrong)
        assert code == 1 and "1 to 100" in err
    assert (await admin("set-limit", "nobody", "3"))[0] == 1
    rows = await server.db.call(lambda conn: conn.execute(
        "SELECT detail FROM audit_log WHERE action = 'account.chat_limit' ORDER BY id").fetchall())
    assert [json.loads(r[0])["to"] for r in rows] == [2, None]
    await ann.close()
