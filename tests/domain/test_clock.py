"""Protocol timestamps: RFC 3339, UTC, milliseconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from operator_desk.domain.clock import format_ts, now_ts, parse_ts


def test_format_has_milliseconds_and_z():
    moment = datetime(2026, 11, 29, 10, 0, 0, 123456, tzinfo=UTC)
    assert format_ts(moment) == "2026-11-29T10:00:00.123Z"


def test_other_zones_are_converted_to_utc():
    moment = datetime(2026, 11, 29, 11, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    assert format_ts(moment) == "2026-11-29T10:00:00.000Z"


def test_round_trip():
    text = "2026-11-29T10:00:00.123Z"
    assert format_ts(parse_ts(text)) == text


def test_parse_refuses_non_utc():
    with pytest.raises(ValueError, match="UTC"):
        parse_ts("2026-11-29T10:00:00.123+01:00")


def test_now_is_written_as_format_ts_writes_a_moment():
    before = format_ts(datetime.now(UTC))
    now = now_ts()
    after = format_ts(datetime.now(UTC))
    assert before <= now <= after   # the same form, so they sort as the moments do
    assert format_ts(parse_ts(now)) == now and len(now) == len("2026-11-29T10:00:00.123Z")
