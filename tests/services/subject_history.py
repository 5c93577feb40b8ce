"""A person with a history, as the export and erasure tests need one: Anna, with two chats, a phone
number sent and a consent withdrawn; and Otto, whose data must never appear in Anna's export."""

from __future__ import annotations

from tests.kit.visitors import consent

NAME, EMAIL, PHONE = "Anna Beispiel", "anna@example.com", "+49 30 555 0199"
FIRST, SECOND = "Where is my parcel 4711?", "I moved to Hafenstraße 1, please update"
OTHER_NAME, OTHER_TEXT = "Otto Other", "Otto's secret question about invoice 9090"
# A visitor's text that a browser would load something from, if the report were not escaped.
HOSTILE = '<img src="http://203.0.113.9/track.png"> <script src="http://203.0.113.9/x.js"></script>'
FILES = {"records.json", "records.schema.json", "report.html", "report.pdf", "manifest.json"}


async def person_with_history(server, desk, events, visitors):
    """Anna: two chats with the supervisor, a phone number sent, insights granted then withdrawn."""
    anna = await visitors(server)
    await consent(anna, "chat", granted=True, method="prechat_form")
    await consent(anna, "visitor_insights", granted=True, method="prechat_form")
    await consent(anna, "visitor_insights", granted=False, method="prechat_form")
    chats = []
    for text in (FIRST, SECOND):
        await anna.ok("chat.start", {"name": NAME, "email": EMAIL, "message": text})
        await events.until(lambda: any(c.visitor_id == anna.visitor_id and c.state == "waiting"
                                       for c in desk.chats.values()))
        chat_id = next(c.id for c in desk.chats.values() if c.visitor_id == anna.visitor_id
                       and c.state == "waiting")
        await desk.accept_chat(chat_id)
        await desk.send_message(chat_id, f"Happy to help with: {text[:12]}")
        if not chats:
            notice = desk.notice_for("contact_details", "en")
            await desk.request_details(chat_id, notice, ["phone"])
            request = await anna.push("details.requested")
            await consent(anna, "contact_details", granted=True, method="widget_settings")
            await anna.ok("details.submit", {"request_id": request["request_id"],
                                                  "fields": {"phone": PHONE}})
            await events.until(lambda chat_id=chat_id: any(d.status == "received"
                                                           for d in desk.details_of(chat_id)))
        await anna.ok("chat.send", {"client_msg_id": f"h-{len(chats)}", "text": HOSTILE})
        await events.until(lambda chat_id=chat_id: any(m.text == HOSTILE for m in desk.messages_of(chat_id)))
        await desk.close_chat(chat_id)
        chats.append(chat_id)
    await desk.flush()
    return anna, chats


async def another_person(server, visitors):
    otto = await visitors(server)
    await consent(otto, "chat", granted=True, method="prechat_form")
    await otto.ok("chat.start", {"name": OTHER_NAME, "message": OTHER_TEXT})
    return otto
