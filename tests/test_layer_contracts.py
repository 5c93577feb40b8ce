"""The layering of STYLE §1 holds: import-linter's contracts in pyproject.toml are all kept; the server
handles exactly the actions the protocol's tables name; what two layers share is written once below
both."""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from operator_desk.protocol.messages import ACTIONS, Endpoint
from operator_desk.server.operator_endpoint import OPERATOR_HANDLERS
from operator_desk.server.visitor_endpoint import VISITOR_HANDLERS

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert "broken" in result.stdout, f"lint-imports printed no summary: {result.stdout}{result.stderr}"
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.parametrize(
    ("endpoint", "handlers"),
    [(Endpoint.OPERATOR, OPERATOR_HANDLERS), (Endpoint.VISITOR, VISITOR_HANDLERS)],
    ids=["operator", "visitor"],
)
def test_every_action_has_exactly_one_handler_typed_as_the_protocol_says(endpoint, handlers):
    """The server's handler tables and the protocol's action tables name the same actions, and each
    handler takes the action's request struct and answers its response struct (the codec decodes the
    payload into the struct the table names; a handler typed otherwise would be reading another)."""
    actions = ACTIONS[endpoint]
    assert not set(actions) - set(handlers), "actions without a handler"
    assert not set(handlers) - set(actions), "handlers of no action"
    assert list(handlers) == list(actions), "the handler table lists the actions in another order"
    handler_names = [handler.__qualname__ for handler in handlers.values()]
    assert len(set(handler_names)) == len(handler_names), "one handler serves two actions"
    for action, handler in handlers.items():
        hints = typing.get_type_hints(handler)
        _self, _caller, payload = inspect.signature(handler).parameters
        assert hints[payload] is actions[action].request, action
        assert hints["return"] is actions[action].response, action


@pytest.mark.parametrize("name",
                         ["WrongKey", "CorruptDatabase", "NewerSchema", "ReadOnlyDatabase", "DiskFull"])
def test_a_storage_error_is_one_class_for_the_cache_and_the_server(name):
    """``WrongKey`` and the others mean one thing: the domain's class, which the store and the server
    both raise, and which the services catch as the store's base error."""
    from operator_desk.domain import storage_errors
    from operator_desk.server import db_errors
    from operator_desk.store import errors as store_errors

    shared = getattr(storage_errors, name)
    assert getattr(store_errors, name) is shared
    assert getattr(db_errors, name) is shared
    assert issubclass(shared, store_errors.StoreEnvironmentError)
    assert issubclass(shared, store_errors.StoreError)
    # The server's own errors are storage errors too: one except clause serves its command line.
    assert issubclass(db_errors.DatabaseError, storage_errors.StorageError)
    assert issubclass(db_errors.StorageUnavailable, storage_errors.StorageError)
