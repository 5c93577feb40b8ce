"""The Connected systems window against the real server in-process, with a real HTTPS receiver
(``http.server`` on loopback) that refuses the first events: a supervisor sees the dead letters
(system, event, the receiver's pseudonym of the person, attempts, last error; no one's data), retries
one and drops another after confirming (a cancelled confirmation changes nothing), all from the
keyboard, and closes the window with Escape; and the request of a person erased since names the
systems that confirmed the erasure."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from ui_widget_text import all_text

from operator_desk.domain.cases import CaseState, IdentityCheck, RequestKind
from operator_desk.protocol.messages import WebhookDeliveriesResponse, WebhookQueue
from operator_desk.server.hub import Settings
from operator_desk.services.desk import Desk
from operator_desk.services.tokens import MemoryTokens
from operator_desk.ui.windows.deliveries_window import DeliveriesWindow
from operator_desk.ui.windows.requests_window import RequestsWindow
from tests.kit.timing import FAST
from tests.kit.tls import TestCA
from tests.kit.ui_stack import real_stack
from tests.kit.visitors import consent
from tests.kit.webhooks import WebhookReceiver, receiver_config

pytestmark = pytest.mark.slow
SECRET = b"crm-shared-secret-0123456789abcdef"


@pytest.fixture
def site(qtbot, run, tmp_path, memory_keyring):
    """The real stack with one receiver, ``crm``, serving chat; yields (stack, receiver)."""
    ca = TestCA(tmp_path / "ca")
    with WebhookReceiver(ca, "crm") as crm:
        config = tmp_path / "site.toml"
        config.write_text(receiver_config([{"name": "crm", "url": crm.url, "purposes": ["chat"],
                                            "secret": SECRET, "ca": ca.cafile}], tmp_path), encoding="utf-8")
        with real_stack(qtbot, run, tmp_path, config_path=config,
                        settings=Settings(visitor_grace=30.0, webhook_poll=0.1)) as stack:
            yield stack, crm


def dead_letters(stack, run) -> int:
    def count(conn) -> int:
        return conn.execute("SELECT count(*) FROM webhook_outbox WHERE state = 'dead'").fetchone()[0]

    return run(stack.server.db.call(count))


def answer(qtbot, window: DeliveriesWindow, role: QMessageBox.ButtonRole) -> str:
    """Press the confirmation's button of ``role`` from the keyboard; returns what it asked."""
    qtbot.waitUntil(lambda: window.confirmation is not None and window.confirmation.isVisible())
    box = window.confirmation
    asked = f"{box.text()} {box.informativeText()}"
    button = next(b for b in box.buttons() if box.buttonRole(b) == role)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    return asked


def test_a_supervisor_sees_dead_letters_and_retries_or_drops_them(site, run, qtbot):
    stack, crm = site
    crm.refuse_next = [401, 400]  # the first two events are dead letters at once
    for name in ("Ada Lovelace", "Bo Brummell"):
        visitor = stack.visitor(run)
        run(consent(visitor, "chat", granted=True, method="prechat_form"))
        run(visitor.ok("chat.start", {"name": name, "message": "hello"}))
    qtbot.waitUntil(lambda: dead_letters(stack, run) == 2, timeout=20_000)
    run(stack.desk.sign_in("supervisor", "demo"))
    qtbot.waitUntil(lambda: stack.window.status.connection_label.text() == "Online")

    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(stack.window, Qt.Key.Key_W, keys)
    qtbot.waitUntil(lambda: any(w.isVisible() for w in stack.window.findChildren(DeliveriesWindow)))
    window = next(w for w in stack.window.findChildren(DeliveriesWindow) if w.isVisible())
    qtbot.waitUntil(lambda: window.deliveries_model.rowCount() == 2)
    model = window.deliveries_model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(2)]
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows] == [
        ("crm", "Consent given", "Dead letter", "1", "HTTP 401"),
        ("crm", "Consent given", "Dead letter", "1", "HTTP 400")]
    assert all(r[2].startswith("p_") and len(r[2]) == 34 for r in rows) and rows[0][2] != rows[1][2]
    shown = all_text(window)
    assert "Ada" not in shown and "Bo Brummell" not in shown  # no one's data, only the pseudonym
    assert not window.retry_button.isEnabled()  # nothing chosen yet
    # The system's outbox against its bound (the two dead letters hold their bodies).
    assert window.queues_label.text().startswith("crm: 2 event(s) not confirmed (")
    assert window.queues_label.text().endswith(" of at most 512 MB)") and not window.banner.isVisible()

    # Retry the first from the keyboard: Alt+T, confirmed with the Retry button.
    window.select_row(0)
    assert window.retry_button.isEnabled() and window.drop_button.isEnabled()
    first_id = crm.events()[0]["id"]
    qtbot.keyClick(window.deliveries_view, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert "Send this event to crm again?" in answer(qtbot, window, QMessageBox.ButtonRole.AcceptRole)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    qtbot.waitUntil(lambda: [e["id"] for e in crm.events()].count(first_id) == 2, timeout=20_000)
    assert "Queued again for crm." in window.banner.label.text()

    # Drop the other: cancelled first (nothing changes), then confirmed.
    window.select_row(0)
    qtbot.waitUntil(window.isActiveWindow)  # back to the list after the confirmation
    qtbot.keyClick(window.deliveries_view, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert "crm will never get it" in answer(qtbot, window, QMessageBox.ButtonRole.RejectRole)
    assert dead_letters(stack, run) == 1 and model.rowCount() == 1
    window.select_row(0)
    qtbot.keyClick(window.deliveries_view, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    answer(qtbot, window, QMessageBox.ButtonRole.AcceptRole)
    qtbot.waitUntil(lambda: model.rowCount() == 0)
    assert dead_letters(stack, run) == 0
    audited = run(stack.server.db.call(lambda conn: conn.execute(
        "SELECT action FROM audit_log WHERE action LIKE 'webhooks.%' ORDER BY id").fetchall()))
    assert audited == [("webhooks.retry",), ("webhooks.drop",)]

    qtbot.keyClick(window.deliveries_view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_an_erased_persons_request_says_which_systems_confirmed_the_erasure(site, run, qtbot):
    stack, crm = site
    visitor = stack.visitor(run)
    run(consent(visitor, "chat", granted=True, method="prechat_form"))
    run(visitor.ok("chat.start", {"name": "Ada Lovelace", "message": "forget me, please"}))
    run(visitor.ok("chat.end", {}))
    qtbot.waitUntil(lambda: "chat.ended" in [e["type"] for e in crm.events()], timeout=20_000)
    run(stack.desk.sign_in("supervisor", "demo"))
    requests = stack.desk.subject_requests
    case = run(requests.open_case(RequestKind.ERASURE, date.today().isoformat(), IdentityCheck.WIDGET_SESSION,
                                  visitor_id=visitor.visitor_id))
    pending = run(requests.request_approval("subjects.erase", case.id, visitor.visitor_id, "asked in chat"))
    approver = Desk(server_url=stack.server.url, profile="dpo", sink=lambda event: None, store=None,
                    tokens=MemoryTokens(), timing=FAST)
    try:
        run(approver.sign_in("dpo", "demo"))
        decision = run(approver.subject_requests.decide(pending, True), timeout=30_000)
    finally:
        run(approver.close())
    assert decision.erased.unconfirmed_receivers == ("crm",)
    qtbot.waitUntil(lambda: "subject.erased" in [e["type"] for e in crm.events()], timeout=20_000)

    shown = RequestsWindow(stack.desk)
    qtbot.addWidget(shown)
    shown.show()
    shown.state_combo.setCurrentIndex(shown.state_combo.findData(CaseState.CLOSED))
    erased_case = run(requests.cases(CaseState.CLOSED))[0]
    # The erasure's confirmation is recorded once the receiver's answer is in.
    def erasure_state() -> tuple[str, ...] | None:
        return run(stack.server.db.call(lambda conn: conn.execute(
            "SELECT state FROM webhook_outbox WHERE kind = 'subject.erased'").fetchone()))

    qtbot.waitUntil(lambda: erasure_state() == ("delivered",), timeout=20_000)
    run(shown.reload(keep=erased_case.id))
    qtbot.waitUntil(lambda: "Erasure sent" in shown.case_pane.detail_label.text())
    assert "Erasure sent to the connected systems: crm confirmed it on" in shown.case_pane.detail_label.text()


def test_a_full_outbox_is_a_warning_in_words(qtbot, run):
    full = WebhookQueue(receiver="crm", events=200_000, bytes=3 * 1024 ** 2, max_events=200_000,
                        max_bytes=512 * 1024 ** 2, full_since="2026-12-01T10:40:51.000Z")
    room = WebhookQueue(receiver="newsletter", events=0, bytes=0, max_events=10, max_bytes=2048)

    class StubReview:
        async def webhook_deliveries(self, request):
            return WebhookDeliveriesResponse(deliveries=(), queues=(full, room))

    class StubDesk:
        review = StubReview()

    window = DeliveriesWindow(StubDesk())
    qtbot.addWidget(window)
    window.show()
    assert run(window.show_deliveries()) == 0
    assert window.banner.isVisible() and window.banner.label.text().startswith(
        "crm: outbox full since 2026-12-01 ")
    assert "its new events are dead letters until there is room" in window.banner.label.text()
    assert window.queues_label.text() == "newsletter: 0 event(s) not confirmed (0 B of at most 2.0 KB)"
