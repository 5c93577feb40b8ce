"""Reading a SQLite error's result code: what the desk's store and the server's database both translate."""

from __future__ import annotations

import pytest

from operator_desk.domain.sqlite_failures import SqliteFailure, failure_of, primary_code


class DriverError(Exception):
    def __init__(self, code: object) -> None:
        super().__init__("driver error")
        self.sqlite_errorcode = code


@pytest.mark.parametrize(("code", "failure"), [
    (13, SqliteFailure.DISK_FULL),
    (8, SqliteFailure.READ_ONLY),
    (8 | (1 << 8), SqliteFailure.READ_ONLY),      # SQLITE_READONLY_RECOVERY: the primary code counts
    (11, SqliteFailure.DAMAGED),
    (26, SqliteFailure.DAMAGED),
    (5, SqliteFailure.LOCKED),
    (6, SqliteFailure.LOCKED),
    (10 | (3 << 8), SqliteFailure.UNAVAILABLE),   # SQLITE_IOERR_WRITE
    (14, SqliteFailure.UNAVAILABLE),
    (3, SqliteFailure.UNAVAILABLE),
    (7, SqliteFailure.OUT_OF_MEMORY),
    (1, None),                                    # SQLITE_ERROR: our SQL
    (19, None),                                   # SQLITE_CONSTRAINT: a bug, not the machine
])
def test_a_result_code_names_the_failure_of_the_machine_or_file(code, failure):
    assert failure_of(DriverError(code)) is failure


def test_an_error_without_a_result_code_is_no_such_failure():
    assert primary_code(ValueError("x")) is None and failure_of(ValueError("x")) is None
    assert failure_of(DriverError("13")) is None
