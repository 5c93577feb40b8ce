"""The JSON Schema of ``records.json`` (version 1), shipped in the package and copied into every bundle
as ``records.schema.json`` so that whoever receives a bundle can check it. docs/export-schema.md
describes each field; ``tests/services/test_bundle.py`` validates real bundles against it."""

from __future__ import annotations

from importlib import resources

SCHEMA_NAME = "records.schema.json"
_PACKAGED = "records-v1.schema.json"


def schema_bytes() -> bytes:
    return resources.files(__package__).joinpath(_PACKAGED).read_bytes()
