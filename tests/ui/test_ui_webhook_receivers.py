"""The site's connected systems (webhook receivers) on the desk: the people finder says which had each
person's data and what they have not confirmed; the erasure's confirmation names those sent the
erasure, not confirmed yet, and with none says nothing of them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from operator_desk.domain.model import Purpose
from operator_desk.protocol.messages import ErasedCounts, SubjectReceiver, SubjectSummary
from operator_desk.ui.dialogs.erasure_confirmation import ErasureConfirmationDialog
from operator_desk.ui.widgets.person_finder import PersonFinder


def test_the_confirmation_lists_the_receivers_not_confirmed_yet(qtbot):
    erased = ErasedCounts(chats=2, messages=9, consents=3, details=1,
                          unconfirmed_receivers=("crm", "newsletter"))
    dialog = ErasureConfirmationDialog(erased, {"chats": 2, "messages": 9}, "Dear …", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.receivers_line.isVisible()
    assert dialog.receivers_line.text() == ("Sent to the site's connected systems that had the person's data "
                                            "(not confirmed yet): crm, newsletter.")


def test_without_receivers_the_confirmation_says_nothing_of_them(qtbot):
    erased = ErasedCounts(chats=1, messages=1, consents=1, details=0)
    dialog = ErasureConfirmationDialog(erased, None, "x", None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.receivers_line.isVisible()


def test_the_people_finder_shows_where_each_persons_data_was_passed_to(qtbot, run):
    people = (
        SubjectSummary(visitor_id="v1", name="Ada", chats=1, receivers=(
            SubjectReceiver(receiver="crm", purposes=(Purpose.CHAT,), unconfirmed=2),
            SubjectReceiver(receiver="newsletter", purposes=(Purpose.CHAT,), unconfirmed=0))),
        SubjectSummary(visitor_id="v2", name="Bo", chats=0),
    )

    async def find(query: str) -> tuple[SubjectSummary, ...]:
        return people

    async def run_call(name, call):
        return await call

    finder = PersonFinder(find, run_call)
    qtbot.addWidget(finder)
    run(finder.find("ada"))
    column = finder.model.columnCount() - 1
    assert finder.model.headerData(column, Qt.Orientation.Horizontal) == "Passed to"
    shown = [finder.model.index(row, column).data() for row in range(2)]
    assert shown == ["crm (2 not confirmed), newsletter", "—"]
