"""What a factory fixture made, to close when the test ends: ``made.keep(thing)`` as the factory
returns it, then ``await made.close()`` after the fixture's ``yield``."""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar


class Closable(Protocol):
    async def close(self) -> Any: ...


T = TypeVar("T", bound=Closable)


class ClosedAtEnd(Generic[T]):
    def __init__(self) -> None:
        self._made: list[T] = []

    def __len__(self) -> int:
        return len(self._made)

    def keep(self, thing: T) -> T:
        self._made.append(thing)
        return thing

    async def close(self) -> None:
        """Closes what was made, in the order it was made, and forgets it."""
        made, self._made = self._made, []
        for thing in made:
            await thing.close()
