"""The app's own background tasks: owned while they run, and a failure logged when it happens."""

from __future__ import annotations

import asyncio
import logging

import pytest

from operator_desk.app import DeskApp, build_parser


@pytest.mark.allow_log_warnings
def test_a_failed_background_task_is_logged_at_once_and_let_go(qapp, caplog):
    desk_app = DeskApp(build_parser().parse_args([]), qapp)

    async def failing() -> None:
        raise RuntimeError("the cache is gone")

    async def main() -> None:
        task = desk_app._spawn(failing())
        assert task in desk_app._tasks
        await asyncio.gather(task, return_exceptions=True)
        await asyncio.sleep(0)   # done callbacks run in the next turn

    with caplog.at_level(logging.ERROR, logger="operator_desk.app"):
        asyncio.run(main())
    assert not desk_app._tasks
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "background task failed"]
