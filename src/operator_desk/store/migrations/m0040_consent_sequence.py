"""Consent events carry the server's sequence number (``seq``), and are ordered by it.

The latest event per purpose decides. Ordered by ``at``, a clock stepped back between a grant and its
withdrawal put the withdrawal first and the grant won. Events cached before this version have no
``seq``: they come first, in the order they were cached.
"""

VERSION = 40

STATEMENTS = (
    "ALTER TABLE consent_events ADD COLUMN seq INTEGER",
    "DROP INDEX consent_events_by_visitor",
    "CREATE INDEX consent_events_by_visitor ON consent_events (visitor_id, seq)",
)
