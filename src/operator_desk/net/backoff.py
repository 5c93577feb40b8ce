"""Reconnect delays: exponential backoff with full jitter.

Full jitter (a uniform delay between 0 and the exponential cap) spreads a crowd of clients that lost the
same server at the same moment, so they do not all come back in the same instant.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Backoff:
    initial: float = 0.5
    maximum: float = 30.0
    factor: float = 2.0
    uniform: Callable[[float, float], float] = field(default=random.uniform)
    attempt: int = 0

    def cap(self, attempt: int) -> float:
        # min() first on the exponent keeps large attempt counts from overflowing a float.
        return min(self.maximum, self.initial * self.factor ** min(attempt, 64))

    def next_delay(self) -> float:
        delay = self.uniform(0.0, self.cap(self.attempt))
        self.attempt += 1
        return delay

    def reset(self) -> None:
        self.attempt = 0
