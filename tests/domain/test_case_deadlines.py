"""The deadline of a data-subject request: one month after receipt as EU law counts months, extended by
at most two more; overdue only after the due day."""

from __future__ import annotations

import typing
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from operator_desk.domain.cases import (
    RECORDABLE_STEPS,
    CaseState,
    IdentityCheck,
    PersonRef,
    RequestKind,
    SubjectCase,
    add_months,
    days_left,
    due_on,
    is_overdue,
)
from operator_desk.protocol.messages import RecordableStep


@pytest.mark.parametrize(("received", "extension", "due"), [
    (date(2026, 3, 15), 0, date(2026, 4, 15)),
    (date(2026, 1, 31), 0, date(2026, 2, 28)),      # no 31 February: the month's last day
    (date(2028, 1, 31), 0, date(2028, 2, 29)),      # a leap year
    (date(2026, 12, 10), 0, date(2027, 1, 10)),     # into the next year
    (date(2026, 11, 30), 2, date(2027, 2, 28)),     # three months in all
    (date(2026, 5, 31), 1, date(2026, 7, 31)),
])
def test_due_day(received, extension, due):
    assert due_on(received, extension) == due


def test_an_extension_is_at_most_two_months():
    with pytest.raises(ValueError, match="0 to 2"):
        due_on(date(2026, 1, 1), 3)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 2))
def test_the_due_day_is_the_same_day_of_the_month_or_the_months_last(received, extension):
    due = due_on(received, extension)
    months = (due.year - received.year) * 12 + due.month - received.month
    assert months == 1 + extension
    assert due.day == received.day or (due.day < received.day and (due + timedelta(days=1)).day == 1)
    assert add_months(received, 0) == received


def case(due: str, state: CaseState = CaseState.OPEN) -> SubjectCase:
    return SubjectCase(id="c", kind=RequestKind.ACCESS, state=state, received_on="2026-01-01", due_on=due,
                       identity_check=IdentityCheck.OTHER, opened_by=PersonRef(id="op", name="Sue"),
                       opened_at="2026-01-01T09:00:00.000Z")


def test_overdue_only_after_the_due_day_and_only_while_open():
    today = date(2026, 2, 1)
    assert not is_overdue(case("2026-02-01"), today) and days_left(case("2026-02-01"), today) == 0
    assert is_overdue(case("2026-01-31"), today) and days_left(case("2026-01-31"), today) == -1
    assert not is_overdue(case("2026-01-31", CaseState.CLOSED), today)


def test_the_wire_names_exactly_the_steps_a_client_may_record():
    assert set(typing.get_args(RecordableStep)) == {step.value for step in RECORDABLE_STEPS}
