"""The command line's exit codes (docs/client.md "Command line"), and the failure each one stands for.

A script runs ``operator-desk export-subject ...`` and branches on the code: 3 and 4 need a better query,
5 another account, 6 a retry later, 7 a second supervisor.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable
from typing import TypeVar

from operator_desk.services.errors import DeskError, FailureCode

T = TypeVar("T")


class Exit(enum.IntEnum):
    DONE = 0
    FAILED = 1                 # anything else (a file not written, the cache unusable, a server error)
    USAGE = 2                  # wrong arguments (argparse's own code too), or nothing to read a password from
    NO_MATCH = 3
    SEVERAL_MATCHES = 4        # the matches are listed; nothing was done
    FORBIDDEN = 5              # wrong password, or the account may not do this
    UNREACHABLE = 6            # no connection to the server (or its certificate did not verify)
    WAITING_FOR_APPROVAL = 7   # filed; a second supervisor approves it


class CommandFailed(Exception):
    """A command ends with ``code``; ``message`` (one sentence for standard error) says why."""

    def __init__(self, code: Exit, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_EXITS: dict[FailureCode, tuple[Exit, str]] = {
    FailureCode.SERVER_UNREACHABLE: (Exit.UNREACHABLE, "the server cannot be reached"),
    FailureCode.CERTIFICATE: (Exit.UNREACHABLE, "the server's certificate did not verify (see --ca-file)"),
    FailureCode.INVALID_CREDENTIALS: (Exit.FORBIDDEN, "wrong user name or password"),
    FailureCode.TOKEN_REVOKED: (Exit.FORBIDDEN, "the stored sign-in is no longer valid"),
    FailureCode.FORBIDDEN: (Exit.FORBIDDEN, "the server refused: this account may not do that "
                                            "(supervisors only; and nobody approves their own request)"),
    FailureCode.RATE_LIMITED: (Exit.UNREACHABLE, "the server is refusing requests for a moment (too many)"),
    FailureCode.NOT_FOUND: (Exit.NO_MATCH, "the server holds no such record"),
    FailureCode.APPROVAL_REQUIRED: (Exit.WAITING_FOR_APPROVAL,
                                    "this site needs a second supervisor to approve that first"),
    FailureCode.INSECURE_URL: (Exit.USAGE, "ws:// is unencrypted: use wss://, or --allow-insecure"),
    FailureCode.BAD_REQUEST: (Exit.USAGE, "the server did not accept the request as given"),
    FailureCode.CONFLICT: (Exit.FAILED, "the server refused: the record changed meanwhile"),
    FailureCode.ALREADY_EXISTS: (Exit.USAGE, "the bundle's folder (or its zip) exists already"),
    FailureCode.FILE_NOT_WRITTEN: (Exit.FAILED, "the bundle could not be written (nothing was left behind)"),
    FailureCode.CACHE_UNAVAILABLE: (Exit.FAILED, "this computer's cache could not be read (try --no-cache)"),
}


def failed(exc: DeskError) -> CommandFailed:
    code, message = _EXITS.get(exc.code, (Exit.FAILED, f"it did not work ({exc.code.value})"))
    return CommandFailed(code, f"{exc.action}: {message}" if exc.action else message)


async def or_exit(step: Awaitable[T]) -> T:
    """Await a desk call; its ``DeskError`` becomes the command's exit."""
    try:
        return await step
    except DeskError as exc:
        raise failed(exc) from exc
