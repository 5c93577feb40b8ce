"""Test-wide configuration: offscreen Qt, strict logging, and the websockets logger pinned to INFO."""

from __future__ import annotations

import importlib.util
import logging
import os

import pytest
from hypothesis import settings

# The test kit (tests/kit): its fixtures for every folder; its helpers are imported from tests.kit.*.
pytest_plugins = ["tests.kit.fixtures"]

# Hypothesis's per-example deadline (200 ms) is a timed assertion: on a loaded 2-core machine one slow
# example fails a run at random. The suite has no timed assertions; speed is measured in benchmarks/.
settings.register_profile("operator-desk", deadline=None)
settings.load_profile("operator-desk")

# Before anything imports Qt: tests need no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# At DEBUG, websockets logs frame payloads, which carry personal data. Never let it.
logging.getLogger("websockets").setLevel(logging.INFO)


# One part of each distribution (packages/core, packages/server, the desk). A checkout's venv from
# before the package split still finds ``operator_desk`` in src/ alone and fails far from the cause
# (lint-imports: "Missing layer"; imports of the server or the protocol).
DISTRIBUTION_PARTS = ("operator_desk.domain", "operator_desk.server", "operator_desk.ui")
INSTALL = "pip install -e packages/core -e packages/server -e '.[test]'"


def missing_parts(parts: tuple[str, ...] = DISTRIBUTION_PARTS) -> list[str]:
    return [part for part in parts if importlib.util.find_spec(part) is None]


def pytest_configure(config: pytest.Config) -> None:
    if missing := missing_parts():
        raise pytest.UsageError(
            f"{', '.join(missing)} cannot be imported: this environment's install is stale or partial. "
            f"Run the README's install command again: {INSTALL}")


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_warning_logs(request: pytest.FixtureRequest):
    """A warning logged by our code is a failure unless the test says it expects one
    (``@pytest.mark.allow_log_warnings``): a warning nobody looks at hides a bug."""
    collector = _WarningCollector()
    root = logging.getLogger("operator_desk")
    root.addHandler(collector)
    try:
        yield collector
    finally:
        root.removeHandler(collector)
    if request.node.get_closest_marker("allow_log_warnings"):
        return
    unexpected = [f"{r.name}: {r.getMessage()}" for r in collector.records]
    if unexpected:
        pytest.fail("unexpected warning logs:\n" + "\n".join(unexpected), pytrace=False)
