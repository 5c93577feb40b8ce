"""The time-ordered integer key of a message (its FTS rowid): ``epoch_ms << 12`` plus a counter.

See ``migrations/m0010_initial.py`` for why. 4,096 messages fit in one millisecond; a 4,097th would
overflow into the next millisecond's range and, if that is taken, fail the unique index loudly rather
than lose a message.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

SEQ_SHIFT = 12
SEQ_PER_MS = 1 << SEQ_SHIFT
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def seq_base(at: str | datetime) -> int:
    """The smallest seq of a message sent at ``at`` (a protocol timestamp or an aware datetime)."""
    # fromisoformat reads the protocol's "Z" form directly (Python 3.11+); this runs once per message.
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return ((moment - _EPOCH) // _MS) << SEQ_SHIFT
