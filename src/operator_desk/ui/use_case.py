"""Running one use case of the desk from the UI, and reporting it when it fails.

The one place that turns an exception from a desk call into words for the user and a line in the log
(Anki's ``CollectionOp`` is the model): a :class:`DeskError` is something the user can act on, shown by
its code; anything else is a bug, shown as "something went wrong" and logged with its trace. Callers
get the call's result, or :data:`FAILED` after the failure was shown::

    if await run_use_case("chat.accept", desk.accept_chat(chat_id), self.show_failure) is FAILED:
        return False
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from typing import Literal, TypeVar

from operator_desk.services.errors import DeskError, FailureCode
from operator_desk.ui.failures import failure_of

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Shows a failure to the user: the action (a protocol action name such as "chat.accept") and why.
ShowFailure = Callable[[str, FailureCode], None]


class Failed(enum.Enum):
    FAILED = "failed"


FAILED: Literal[Failed.FAILED] = Failed.FAILED


async def run_use_case(
    action: str, call: Awaitable[T], show_failure: ShowFailure
) -> T | Literal[Failed.FAILED]:
    """Await ``call``; on failure show it, log it, and return :data:`FAILED`."""
    try:
        return await call
    except Exception as exc:
        code = failure_of(exc)
        if isinstance(exc, DeskError):
            logger.info("%s failed: %s", action, code.value)
        else:
            logger.error("%s failed", action, exc_info=exc)
        show_failure(action, code)
        return FAILED
