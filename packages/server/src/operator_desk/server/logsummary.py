"""Repeated log records as a summary: the first of a kind is logged, then at most one a minute saying
how many were left out. A full disk or a file-descriptor flood fails every few milliseconds; logged
each time with its traceback, that grew the log by 450 MB in 90 s and filled the disk it was about."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

INTERVAL = 60.0
# Kinds remembered at most (the least recently seen are forgotten): the filter's memory is bounded too.
MAX_KINDS = 1024


class RepeatedRecords(logging.Filter):
    """A filter for a logger (or handler): records of one kind (logger, level, message template) pass
    once per ``interval``; the one that passes after a quiet spell says how many were dropped, and a
    repeat carries no traceback (the first one had it)."""

    def __init__(self, interval: float = INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._interval = interval
        self._clock = clock
        # kind -> (when one last passed, how many were dropped since)
        self._kinds: OrderedDict[tuple[str, int, str], tuple[float, int]] = OrderedDict()

    def filter(self, record: logging.LogRecord) -> bool:
        kind = (record.name, record.levelno, str(record.msg))
        now = self._clock()
        seen = self._kinds.pop(kind, None)
        if seen is None:
            self._remember(kind, now, 0)
            return True
        passed_at, dropped = seen
        if now - passed_at < self._interval:
            self._remember(kind, passed_at, dropped + 1)
            return False
        self._remember(kind, now, 0)
        if dropped:
            record.msg = f"{record.msg} (and {dropped} more like it in the last {now - passed_at:.0f} s)"
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True

    def _remember(self, kind: tuple[str, int, str], passed_at: float, dropped: int) -> None:
        self._kinds[kind] = (passed_at, dropped)
        while len(self._kinds) > MAX_KINDS:
            self._kinds.popitem(last=False)


def install(names: Iterable[str], interval: float = INTERVAL) -> Callable[[], None]:
    """Put one filter on each named logger; returns the function that takes them off again."""
    installed = []
    for name in names:
        log = logging.getLogger(name)
        summary = RepeatedRecords(interval)
        log.addFilter(summary)
        installed.append((log, summary))

    def uninstall() -> None:
        for log, summary in installed:
            log.removeFilter(summary)

    return uninstall
