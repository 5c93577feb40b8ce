"""The team's canned responses on desks against the real server: listed at sign-in, edited by the lead's
desk, followed by every desk of the team, refused to an operator, forgotten at sign-out."""

from __future__ import annotations

import pytest

from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.services.events import TeamCannedChanged
from tests.kit.desks import Events, signed_in


def keywords(event: TeamCannedChanged) -> dict[str, str]:
    return {r.keyword: r.text for r in event.responses}


@pytest.mark.asyncio
async def test_the_lead_edits_and_every_desk_of_the_team_follows(server, memory_keyring, desks):
    lead_events, operator_events, supervisor_events = Events(), Events(), Events()
    # The demo's team "support": the lead and the operator; the supervisor is in none.
    lead = await signed_in(desks(server.url, lead_events, None, profile="lead"), lead_events, "lead")
    operator = await signed_in(desks(server.url, operator_events, None, profile="op"), operator_events,
                               "operator")
    await signed_in(desks(server.url, supervisor_events, None, profile="sup"), supervisor_events,
                    "supervisor")
    listed = await operator_events.wait_for(TeamCannedChanged)
    assert listed.team.name == "Support" and listed.responses == ()
    assert (await supervisor_events.wait_for(TeamCannedChanged)).team is None

    seen = len(operator_events.log)
    saved = await lead.put_team_canned("hours", "We answer from 8 to 18.\nMonday to Friday.")
    assert saved.updated_by == "Lee Lead"
    followed = await operator_events.wait_for(TeamCannedChanged, lambda e: "hours" in keywords(e), after=seen)
    assert keywords(followed) == {"hours": "We answer from 8 to 18.\nMonday to Friday."}
    assert keywords(lead_events.of(TeamCannedChanged)[-1]) == keywords(followed)   # from its answer

    with pytest.raises(DeskError) as refused:
        await operator.put_team_canned("hours", "Never.")
    assert refused.value.code is FailureCode.FORBIDDEN
    assert keywords(operator_events.of(TeamCannedChanged)[-1])["hours"].startswith("We answer")

    seen = len(operator_events.log)
    await lead.delete_team_canned("hours")
    gone = await operator_events.wait_for(TeamCannedChanged, lambda e: not e.responses, after=seen)
    assert gone.team.id == "support"
    assert supervisor_events.of(TeamCannedChanged)[-1].responses == ()   # heard nothing of it

    await operator.sign_out()
    assert operator_events.of(TeamCannedChanged)[-1] == TeamCannedChanged(team=None, responses=())
