"""Data-subject request cases and four-eyes approvals on the real server: deadlines, steps, the
erasure only a second supervisor can approve, expiry, and the tombstone an erased person's case keeps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from operator_desk.domain.cases import add_months
from operator_desk.server import approvals
from operator_desk.server.config import ConfigError, load_config
from tests.kit.clients import AsyncClient, login
from tests.kit.servers import database_text, start_site
from tests.kit.visitors import accepted_chat, waiting_chat

# The protocol as a site of two nodes speaks it too (conftest.py).
pytestmark = pytest.mark.two_nodes_too

NAME = "Erika Mustermann"
EMAIL = "erika@example.com"
MESSAGE = "Please delete everything about me, order 4711"
IDENTITY_NOTE = "replied from erika@example.com"


async def chatting_person(server, ann: AsyncClient) -> tuple[AsyncClient, str]:
    visitor, chat = await accepted_chat(server, ann, name=NAME, email=EMAIL, message=MESSAGE)
    await ann.ok("chat.send", {"chat_id": chat["id"], "client_msg_id": "a1", "text": "We will."})
    return visitor, chat["id"]


async def open_case(sue: AsyncClient, kind: str = "access", received: date | None = None, **extra) -> dict:
    payload = {"kind": kind, "received_on": (received or date.today()).isoformat(),
               "identity_check": "email_on_record", **extra}
    return (await sue.ok("cases.open", payload))["case"]


@pytest.mark.asyncio
async def test_a_case_is_due_one_month_after_receipt_and_open_cases_come_by_due_day(server):
    sue = await login(server, "sue")
    today = date.today()
    late = await open_case(sue, received=today - timedelta(days=40), reference="ticket 812")
    fresh = await open_case(sue, kind="erasure")
    assert fresh["due_on"] == add_months(today, 1).isoformat()
    assert late["due_on"] == add_months(today - timedelta(days=40), 1).isoformat() < today.isoformat()
    assert fresh["state"] == "open"
    assert fresh["opened_by"] == {"id": sue.login["operator"]["id"], "name": "Sue"}
    listed = (await sue.ok("cases.list", {}))["cases"]
    assert [c["id"] for c in listed] == [late["id"], fresh["id"]]
    page = await sue.ok("cases.list", {"limit": 1})
    assert [c["id"] for c in page["cases"]] == [late["id"]]
    rest = await sue.ok("cases.list", {"limit": 1, "cursor": page["next_cursor"]})
    assert [c["id"] for c in rest["cases"]] == [fresh["id"]] and rest["next_cursor"] is None
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert await sue.refused("cases.open", {"kind": "access", "received_on": tomorrow,
                                            "identity_check": "other"}) == "bad_request"
    await sue.close()


@pytest.mark.asyncio
async def test_extension_reason_steps_and_outcome_are_recorded(server):
    sue = await login(server, "sue")
    case = await open_case(sue, received=date(2026, 1, 31) if date.today() >= date(2026, 1, 31)
                           else date.today())
    received = date.fromisoformat(case["received_on"])
    extended = (await sue.ok("cases.extend", {"case_id": case["id"], "months": 1,
                                              "reason": "Many requests this month"}))["case"]
    assert extended["due_on"] == add_months(received, 2).isoformat()
    assert extended["extension_reason"] == "Many requests this month"
    ref = {"case_id": case["id"]}
    assert await sue.refused("cases.extend", {**ref, "months": 1, "reason": "again"}) == "conflict"
    further = (await sue.ok("cases.extend", {**ref, "months": 2, "reason": "Complex"}))["case"]
    assert further["due_on"] == add_months(received, 3).isoformat()
    assert await sue.refused("cases.extend", {**ref, "months": 3, "reason": "x"}) == "bad_request"
    assert await sue.refused("cases.record", {**ref, "step": "bundle_written"}) == "bad_request"
    digest = "ab" * 32
    await sue.ok("cases.record", {"case_id": case["id"], "step": "bundle_written", "sha256": digest})
    await sue.ok("cases.record", {"case_id": case["id"], "step": "response_sent", "note": "by e-mail"})
    closed = (await sue.ok("cases.close", {"case_id": case["id"], "outcome": "no_data"}))["case"]
    assert closed["state"] == "closed" and closed["outcome"] == "no_data" and closed["closed_at"]
    assert await sue.refused("cases.close", {"case_id": case["id"], "outcome": "fulfilled"}) == "conflict"
    read = await sue.ok("cases.get", {"case_id": case["id"]})
    assert [s["step"] for s in read["steps"]] == [
        "opened", "extended", "extended", "bundle_written", "response_sent", "closed"]
    assert read["steps"][3]["detail"] == {"sha256": digest}
    assert read["steps"][1]["detail"]["months"] == 1 and read["steps"][1]["actor"]["name"] == "Sue"
    assert (await sue.ok("cases.list", {}))["cases"] == []
    assert [c["id"] for c in (await sue.ok("cases.list", {"state": "closed"}))["cases"]] == [case["id"]]
    actions = [e["action"] for e in (await sue.ok("audit.list", {}))["entries"]]
    assert actions[:6] == ["cases.close", "cases.record", "cases.record", "cases.extend", "cases.extend",
                           "cases.open"]
    assert await sue.refused("cases.get", {"case_id": "case_unknown"}) == "not_found"
    await sue.close()


@pytest.mark.asyncio
async def test_operators_and_team_leads_are_refused_every_case_and_approval_action(server):
    ann, lee, sue = await login(server, "ann"), await login(server, "lee"), await login(server, "sue")
    case = await open_case(sue)
    calls = [
        ("cases.open", {"kind": "access", "received_on": date.today().isoformat(),
                        "identity_check": "other"}),
        ("cases.list", {}), ("cases.get", {"case_id": case["id"]}),
        ("cases.extend", {"case_id": case["id"], "months": 1, "reason": "x"}),
        ("cases.record", {"case_id": case["id"], "step": "note", "note": "x"}),
        ("cases.close", {"case_id": case["id"], "outcome": "refused"}),
        ("approvals.list", {}), ("approvals.decide", {"approval_id": "appr_x", "approve": True}),
    ]
    for client in (ann, lee):
        for action, payload in calls:
            assert await client.refused(action, payload) == "forbidden", action
    assert (await sue.ok("cases.get", {"case_id": case["id"]}))["case"]["state"] == "open"
    for client in (ann, lee, sue):
        await client.close()


@pytest.mark.asyncio
async def test_erasure_needs_a_second_supervisor_and_leaves_the_case_a_tombstone(server):
    ann, sue = await login(server, "ann"), await login(server, "sue")
    sam = await login(server, "sam")
    visitor, chat_id = await chatting_person(server, ann)
    case = await open_case(sue, kind="erasure", identity_note=IDENTITY_NOTE, reference="letter of 3 May",
                           visitor_id=visitor.visitor_id)
    assert case["subject_name"] == NAME and case["subject_email"] == EMAIL
    await sue.ok("cases.record", {"case_id": case["id"], "step": "note", "note": "asked twice, Erika"})

    assert await sue.refused("subjects.erase", {"visitor_id": visitor.visitor_id, "reason": "x"}) \
        == "approval_required"
    request = {"action": "subjects.erase", "case_id": case["id"], "visitor_id": visitor.visitor_id,
               "reason": "Art. 17 request"}
    approval = (await sue.ok("approvals.request", request))["approval"]
    assert approval["state"] == "pending" and approval["requested_by"]["name"] == "Sue"
    assert await sue.refused("approvals.request", request) == "conflict"
    # Four eyes: the requester cannot approve; nothing is erased by trying.
    assert await sue.refused("approvals.decide", {"approval_id": approval["id"], "approve": True}) \
        == "forbidden"
    assert (await sue.ok("subjects.find", {"query": EMAIL}))["subjects"]
    listed = await sam.ok("approvals.list", {})
    assert listed["required"] == ["subjects.erase"] and listed["approvals"][0]["id"] == approval["id"]
    assert listed["approvals"][0]["subject_name"] == NAME

    decided = await sam.ok("approvals.decide", {"approval_id": approval["id"], "approve": True})
    assert decided["erased"] == {"chats": 1, "messages": 2, "consents": 1, "details": 0}
    assert decided["approval"]["state"] == "approved"
    assert decided["approval"]["decided_by"]["name"] == "Sam"
    await ann.push("subject.erased")
    assert (await sue.ok("subjects.find", {"query": EMAIL}))["subjects"] == []
    again = {"approval_id": approval["id"], "approve": True}
    assert await sam.refused("approvals.decide", again) == "conflict"

    read = await sue.ok("cases.get", {"case_id": case["id"]})
    tomb = read["case"]
    assert tomb["state"] == "closed" and tomb["outcome"] == "fulfilled" and tomb["subject_erased"]
    assert tomb["visitor_id"].startswith("erased:") and tomb["subject_name"] is None
    assert tomb["identity_note"] == tomb["reference"] == ""
    assert [s["step"] for s in read["steps"]] == [
        "opened", "linked", "note", "approval_requested", "approved", "erased", "closed"]
    assert all(s["note"] == "" for s in read["steps"])
    erasure = next(e for e in (await sue.ok("audit.list", {}))["entries"] if e["action"] == "subjects.erase")
    assert erasure["subject"] == tomb["visitor_id"]
    assert erasure["detail"]["requested_by"] == sue.login["operator"]["id"]
    assert erasure["detail"]["approved_by"] == sam.login["operator"]["id"]
    stored = await database_text(server)
    for trace in (visitor.visitor_id, chat_id, NAME, EMAIL, MESSAGE, IDENTITY_NOTE, "letter of 3 May",
                  "asked twice"):
        assert trace not in stored, trace
    # The reason stays in the erasure's audit entry only (it must hold no personal data; docs/server.md).
    assert stored.count("Art. 17 request") == 1 and erasure["detail"]["reason"] == "Art. 17 request"
    assert await sue.refused("cases.record", {"case_id": case["id"], "step": "note", "note": "Erika"}) \
        == "bad_request"
    await sue.ok("cases.record", {"case_id": case["id"], "step": "response_sent"})
    for client in (ann, sue, sam):
        await client.close()


@pytest.mark.asyncio
async def test_a_rejected_or_expired_request_erases_nothing(server):
    ann, sue = await login(server, "ann"), await login(server, "sue")
    sam = await login(server, "sam")
    visitor, _ = await chatting_person(server, ann)
    case = await open_case(sue, kind="erasure", visitor_id=visitor.visitor_id)
    request = {"action": "subjects.erase", "case_id": case["id"], "visitor_id": visitor.visitor_id,
               "reason": "request by e-mail"}
    rejected = (await sue.ok("approvals.request", request))["approval"]
    decided = await sam.ok("approvals.decide", {"approval_id": rejected["id"], "approve": False})
    assert decided["approval"]["state"] == "rejected" and decided["erased"] is None
    waiting = (await sue.ok("approvals.request", request))["approval"]
    # The week passes (the server's own clock is not stepped: the expiry runs as if it were later).
    await server.db.call(approvals.expire_due, "2999-01-01T00:00:00.000Z")
    late = {"approval_id": waiting["id"], "approve": True}
    assert await sam.refused("approvals.decide", late) == "conflict"
    assert (await sue.ok("subjects.find", {"query": EMAIL}))["subjects"]
    steps = [s["step"] for s in (await sue.ok("cases.get", {"case_id": case["id"]}))["steps"]]
    assert steps[-4:] == ["approval_requested", "rejected", "approval_requested", "expired"]
    states = {a["id"]: a["state"] for a in (await sam.ok("approvals.list", {}))["approvals"]}
    assert states == {rejected["id"]: "rejected", waiting["id"]: "expired"}
    for client in (ann, sue, sam):
        await client.close()


@pytest.mark.asyncio
async def test_export_is_a_step_of_its_case_and_names_staff_by_name(server):
    ann, sue = await login(server, "ann"), await login(server, "sue")
    visitor, _ = await chatting_person(server, ann)
    case = await open_case(sue)
    asked = {"visitor_id": visitor.visitor_id, "case_id": case["id"]}
    export = (await sue.ok("subjects.export", asked))["export"]
    # Ann had the chat; Sue's export is among the audit entries about the person.
    assert export["operators"] == {ann.login["operator"]["id"]: "Ann", sue.login["operator"]["id"]: "Sue"}
    read = await sue.ok("cases.get", {"case_id": case["id"]})
    assert read["case"]["visitor_id"] == visitor.visitor_id
    assert [s["step"] for s in read["steps"]] == ["opened", "linked", "exported"]
    other = await open_case(sue)
    await sue.ok("cases.link", {"case_id": other["id"], "visitor_id": visitor.visitor_id})
    stranger, _ = await waiting_chat(server, name="Max", message="hello")
    assert await sue.refused("subjects.export", {"visitor_id": stranger.visitor_id, "case_id": other["id"]}) \
        == "bad_request"
    for client in (ann, sue, visitor, stranger):
        await client.close()


@pytest.mark.asyncio
async def test_find_says_what_matched_and_since_when(server):
    ann, sue = await login(server, "ann"), await login(server, "sue")
    visitor, _ = await chatting_person(server, ann)
    [found] = (await sue.ok("subjects.find", {"query": EMAIL}))["subjects"]
    assert found["matched_on"] == ["email"] and found["first_seen"]
    [by_name] = (await sue.ok("subjects.find", {"query": "muster"}))["subjects"]
    assert by_name["matched_on"] == ["name"]
    for client in (ann, sue, visitor):
        await client.close()


@pytest.mark.asyncio
async def test_a_site_can_require_approval_for_exports_too(tmp_path):
    server = await start_site(tmp_path, '[approvals]\nrequired = ["subjects.erase", "subjects.export"]\n',
                              {"ann": "operator", "sue": "supervisor", "sam": "supervisor"})
    try:
        ann, sue, sam = await login(server, "ann"), await login(server, "sue"), await login(server, "sam")
        visitor, _ = await chatting_person(server, ann)
        case = await open_case(sue, visitor_id=visitor.visitor_id)
        export = {"visitor_id": visitor.visitor_id}
        assert await sue.refused("subjects.export", export) == "approval_required"
        approval = (await sue.ok("approvals.request", {"action": "subjects.export", "case_id": case["id"],
                                                        "visitor_id": visitor.visitor_id,
                                                        "reason": "access request"}))["approval"]
        assert await sue.refused("subjects.export", {**export, "approval_id": approval["id"]}) \
            == "approval_required"
        await sam.ok("approvals.decide", {"approval_id": approval["id"], "approve": True})
        # The approver cannot use the requester's approval; the requester can, once.
        assert await sam.refused("subjects.export", {**export, "approval_id": approval["id"]}) \
            == "approval_required"
        document = (await sue.ok("subjects.export", {**export, "approval_id": approval["id"]}))["export"]
        assert document["visitor"]["name"] == NAME
        assert await sue.refused("subjects.export", {**export, "approval_id": approval["id"]}) \
            == "approval_required"
        for client in (ann, sue, sam, visitor):
            await client.close()
    finally:
        await server.close()


@pytest.mark.asyncio
async def test_without_four_eyes_one_supervisor_erases_and_the_erasure_case_closes(tmp_path):
    server = await start_site(tmp_path, "[approvals]\nrequired = []\n",
                              {"ann": "operator", "sue": "supervisor"})
    try:
        ann, sue = await login(server, "ann"), await login(server, "sue")
        visitor, _ = await chatting_person(server, ann)
        case = await open_case(sue, kind="erasure", visitor_id=visitor.visitor_id)
        await sue.ok("subjects.erase", {"visitor_id": visitor.visitor_id, "reason": "Art. 17"})
        closed = (await sue.ok("cases.get", {"case_id": case["id"]}))["case"]
        assert closed["outcome"] == "fulfilled" and closed["subject_erased"]
        for client in (ann, sue):
            await client.close()
    finally:
        await server.close()


def test_only_erasure_and_export_can_need_approval(tmp_path):
    config = tmp_path / "site.toml"
    config.write_text('[approvals]\nrequired = ["chat.send"]\n')
    with pytest.raises(ConfigError, match=r"chat\.send"):
        load_config(config)
    assert load_config().approvals.required == ("subjects.erase",)
