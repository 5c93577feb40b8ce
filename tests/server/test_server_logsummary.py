"""Repeated log records become a summary (logsummary.RepeatedRecords), with its clock injected: a failure
that repeats every few milliseconds (no file descriptors left, a full disk) once filled the log by 450 MB
in 90 s."""

from __future__ import annotations

import logging

from operator_desk.server.logsummary import MAX_KINDS, RepeatedRecords


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def record(message: str = "accept failed: %s", *, error: bool = False) -> logging.LogRecord:
    exc_info = None
    if error:
        try:
            raise OSError(24, "Too many open files")
        except OSError as exc:
            exc_info = (type(exc), exc, exc.__traceback__)
    return logging.LogRecord("operator_desk.server", logging.ERROR, __file__, 1, message, ("x",), exc_info)


def test_a_repeated_record_passes_once_a_minute_and_says_how_many_were_left_out():
    clock = Clock()
    first_at = clock.now
    summary = RepeatedRecords(interval=60, clock=clock)
    assert summary.filter(record(error=True))  # the first, with its traceback
    passed = 0
    for _ in range(10_000):
        clock.now += 0.005
        passed += summary.filter(record(error=True))
    assert passed == 0  # 50 s of repeats: none
    clock.now = first_at + 60
    summarised = record(error=True)
    assert summary.filter(summarised)
    assert "(and 10000 more like it in the last 60 s)" in summarised.getMessage()
    assert summarised.exc_info is None  # the first one had the traceback


def test_another_kind_passes_and_the_kinds_remembered_are_bounded():
    clock = Clock()
    summary = RepeatedRecords(interval=60, clock=clock)
    assert summary.filter(record("one thing"))
    assert summary.filter(record("another thing"))
    for n in range(MAX_KINDS + 10):
        summary.filter(record(f"kind {n}"))
    assert len(summary._kinds) == MAX_KINDS
    assert summary.filter(record("one thing"))  # forgotten, so it passes again: memory stays bounded
