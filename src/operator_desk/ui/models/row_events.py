"""What a view of the visitor list's rows hears, around each change (Qt-free: the Qt model turns these
into ``beginInsertRows``/``endInsertRows`` and friends)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class HasId(Protocol):
    """What the rows hold: items with an id, unique among them."""

    @property
    def id(self) -> str: ...


class RowEvents:
    """These do nothing: a view overrides what it needs (the Qt model all of them), and rows nobody
    watches use this as it is."""

    def inserting(self, first: int, last: int) -> None:
        """Rows ``first`` to ``last`` are about to be added (at the end)."""

    def inserted(self) -> None: ...

    def removing(self, first: int, last: int) -> None:
        """Rows ``first`` to ``last`` are about to be removed."""

    def removed(self) -> None: ...

    def changed(self, rows: Sequence[int]) -> None:
        """These rows were updated in place (each once, in no particular order)."""

    def reordering(self) -> None:
        """The rows are about to change order, and some may go (none are added)."""

    def reordered(self) -> None: ...

    def resetting(self) -> None:
        """Every row is about to be replaced."""

    def reset(self) -> None: ...
