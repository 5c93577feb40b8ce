"""Times as the operator reads them: local clock times and short elapsed durations."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication


def parse_timestamp(value: str | None) -> datetime | None:
    """A protocol timestamp (``2026-11-29T10:00:00.123Z``) as an aware UTC datetime."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def now_utc() -> datetime:
    return datetime.now(UTC)


def seconds_since(value: str | None, now: datetime | None = None) -> float:
    moment = parse_timestamp(value)
    if moment is None:
        return 0.0
    return max(0.0, ((now or now_utc()) - moment).total_seconds())


def clock_time(value: str | None) -> str:
    """Local wall-clock time, HH:MM (what a chat transcript shows next to each message)."""
    moment = parse_timestamp(value)
    if moment is None:
        return ""
    return moment.astimezone().strftime("%H:%M")


def date_time(value: str | None) -> str:
    moment = parse_timestamp(value)
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def short_duration(seconds: float) -> str:
    """"45 s", "3 min", "1 h 05 min": precise where it matters (a waiting visitor), coarse after."""
    total = int(seconds)
    if total < 60:
        return QCoreApplication.translate("timefmt", "%1 s").replace("%1", str(total))
    minutes = total // 60
    if minutes < 60:
        return QCoreApplication.translate("timefmt", "%1 min").replace("%1", str(minutes))
    hours, minutes = divmod(minutes, 60)
    text = QCoreApplication.translate("timefmt", "%1 h %2 min")
    return text.replace("%1", str(hours)).replace("%2", f"{minutes:02d}")


def waiting_clock(seconds: float) -> str:
    """m:ss for the queue, where every second of waiting counts."""
    total = int(seconds)
    minutes, secs = divmod(total, 60)
    return f"{minutes}:{secs:02d}"
