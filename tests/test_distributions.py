"""One repository, three distributions (docs/architecture.md, "Three distributions"): the shared core
(operator_desk.domain and .protocol), the server (operator_desk.server) and the desk (the rest), all in
the namespace package operator_desk. What each one installs is checked on the installed metadata, which
an editable install and a wheel build alike from the same pyproject.toml; .ci/run also installs the
server's wheel alone in an empty environment and imports every server module there."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import operator_desk.server
from operator_desk import version

ROOT = Path(__file__).resolve().parents[1]
# Project folder, distribution name, the modules and subpackages of operator_desk it holds.
DISTRIBUTIONS = (
    ("packages/core", "operator-desk-core", {"domain", "protocol"}),
    ("packages/server", "operator-desk-server", {"server"}),
    (".", "operator-desk", {"__main__", "app", "version", "commands", "net", "platform", "services", "store",
                            "ui"}),
)
DESK_ONLY = {"pyside6", "pyside6-essentials", "shiboken6", "qasync", "keyring", "platformdirs"}
SERVER_EXTRAS_ONLY = {"psycopg", "psycopg-binary", "psycopg-c", "psycopg-pool", "psycopg2", "redis",
                      "hiredis"}


def installs(name: str, extras: frozenset[str] = frozenset()) -> set[str]:
    """Every distribution that installing ``name[extras]`` brings in, itself included (normalised names),
    following the requirements whose markers hold here."""
    found: set[str] = set()
    todo = [(canonicalize_name(name), extras)]
    while todo:
        current, wanted = todo.pop()
        if current in found and not wanted:
            continue
        found.add(current)
        for text in metadata.requires(current) or []:
            requirement = Requirement(text)
            environments = [{**default_environment(), "extra": extra} for extra in ("", *wanted)]
            if requirement.marker is None or any(requirement.marker.evaluate(env) for env in environments):
                todo.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    return found


def pyproject(folder: str) -> dict:
    return tomllib.loads((ROOT / folder / "pyproject.toml").read_text("utf-8"))


def test_the_server_installs_no_qt_keyring_or_desk_paths():
    brought = installs("operator-desk-server")
    assert "operator-desk-core" in brought and "websockets" in brought
    assert brought & DESK_ONLY == set()
    assert "operator-desk" not in brought


def test_the_desk_installs_the_server_without_its_database_and_bus_drivers():
    brought = installs("operator-desk")
    assert {"operator-desk-server", "operator-desk-core", "pyside6-essentials"} <= brought
    assert brought & SERVER_EXTRAS_ONLY == set()


def test_the_drivers_come_with_the_server_extras_only():
    requirements = [Requirement(text) for text in metadata.requires("operator-desk-server") or []]
    by_extra = {extra: {canonicalize_name(r.name) for r in requirements
                        if r.marker is not None and r.marker.evaluate({"extra": extra})}
                for extra in ("postgresql", "redis")}
    assert "psycopg" in by_extra["postgresql"]
    assert "redis" in by_extra["redis"]


def test_the_core_needs_msgspec_only():
    assert installs("operator-desk-core") == {"operator-desk-core", "msgspec"}


@pytest.mark.parametrize(("folder", "name", "modules"), DISTRIBUTIONS)
def test_each_distribution_holds_its_own_part_of_the_namespace(folder, name, modules):
    assert pyproject(folder)["project"]["name"] == name
    source = ROOT / folder / "src/operator_desk"
    # An __init__.py here would make operator_desk a regular package and hide the other two portions.
    assert not (source / "__init__.py").exists()
    assert {path.stem for path in source.iterdir() if path.name != "__pycache__"} == modules


def test_the_three_are_released_together():
    release = pyproject(".")["project"]["version"]
    assert {pyproject(folder)["project"]["version"] for folder, _, _ in DISTRIBUTIONS} == {release}
    assert version.__version__ == operator_desk.server.__version__ == release
    pins = [Requirement(text) for folder in (".", "packages/server")
            for text in pyproject(folder)["project"]["dependencies"] if text.startswith("operator-desk")]
    assert pins and all(str(pin.specifier) == f"=={release}" for pin in pins)
