"""The erasure's confirmation names the site's connected systems (webhook receivers) that had the
person's data and were sent the erasure, not confirmed yet; with none, it says nothing of them."""

from __future__ import annotations

from operator_desk.protocol.messages import ErasedCounts
from operator_desk.ui.dialogs.erasure_confirmation import ErasureConfirmationDialog


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
