"""Every delay the desk uses: the transport's (``net.session.Timing``) plus the services' own."""

from __future__ import annotations

from dataclasses import dataclass

from operator_desk.net.session import Timing


@dataclass(frozen=True, slots=True)
class DeskTiming(Timing):
    # Visitor changes are gathered for this long and handed to the UI as one batch (STYLE.md §2).
    coalesce_window: float = 0.025
    # The server coalesces visitor changes for the desk (a visitors.subscribe feed, docs/protocol.md):
    # at most one push per this interval. The list applies changes every coalesce_window and re-sorts
    # every 250 ms: a tenth of a second is not seen, and a busy site sends far fewer frames.
    visitor_feed: float = 0.1
    # How often the local cache drops what its retention settings say has expired, and the desk
    # catches up on the server's erasure journal (its retention purges) while signed in.
    purge_interval: float = 3600.0


def desk_timing(timing: Timing | None) -> DeskTiming:
    if timing is None:
        return DeskTiming()
    if isinstance(timing, DeskTiming):
        return timing
    return DeskTiming(**{name: getattr(timing, name) for name in Timing.__dataclass_fields__})
