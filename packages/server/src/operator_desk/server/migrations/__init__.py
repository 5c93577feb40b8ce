"""Numbered schema migrations. Each module has a ``VERSION`` and an ``apply(conn)``. On SQLite,
``dbfile.migrate`` runs the pending ones of ``MIGRATIONS`` in one transaction and records the version in
``PRAGMA user_version``; on PostgreSQL, ``postgresql._migrate`` runs those of ``POSTGRESQL`` and records it
in the table ``schema_version``.

PostgreSQL starts at schema 110 (``p0110_postgresql``: everything m0010 to m0110 made). A later migration
is listed in both: its ``apply`` where the SQL is the same for both engines, its ``apply_postgresql``
where it must differ."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from operator_desk.server.migrations import (
    m0010_initial,
    m0020_consent_sequence,
    m0030_erasure_journal,
    m0031_notice_fresh_consent,
    m0032_notice_summary,
    m0040_account_disabled,
    m0050_review,
    m0060_subject_cases,
    m0070_teams,
    m0080_webhooks,
    m0090_routing,
    m0110_webhook_bounds,
    m0120_person_keys,
    m0130_seal_staff_texts,
    p0110_postgresql,
)

MIGRATIONS: list[tuple[int, Callable[[Any], None]]] = [
    (m0010_initial.VERSION, m0010_initial.apply),
    (m0020_consent_sequence.VERSION, m0020_consent_sequence.apply),
    (m0030_erasure_journal.VERSION, m0030_erasure_journal.apply),
    (m0031_notice_fresh_consent.VERSION, m0031_notice_fresh_consent.apply),
    (m0032_notice_summary.VERSION, m0032_notice_summary.apply),
    (m0040_account_disabled.VERSION, m0040_account_disabled.apply),
    (m0050_review.VERSION, m0050_review.apply),
    (m0060_subject_cases.VERSION, m0060_subject_cases.apply),
    (m0070_teams.VERSION, m0070_teams.apply),
    (m0080_webhooks.VERSION, m0080_webhooks.apply),
    (m0090_routing.VERSION, m0090_routing.apply),
    (m0110_webhook_bounds.VERSION, m0110_webhook_bounds.apply),
    (m0120_person_keys.VERSION, m0120_person_keys.apply),
    (m0130_seal_staff_texts.VERSION, m0130_seal_staff_texts.apply),
]

POSTGRESQL: list[tuple[int, Callable[[Any], None]]] = [
    (p0110_postgresql.VERSION, p0110_postgresql.apply),
    (m0120_person_keys.VERSION, m0120_person_keys.apply_postgresql),
    (m0130_seal_staff_texts.VERSION, m0130_seal_staff_texts.apply_postgresql),
]
