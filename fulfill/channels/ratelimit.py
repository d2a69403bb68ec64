"""A token bucket per platform account: send as fast as the platform allows, never faster."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

# The account setting that replaces a platform's pace: the local stand-ins (fulfill.sandboxes)
# answer far faster than the platforms allow. Not one for sellers to raise.
RATE_SETTING = "requests_per_second"


def account_rate(settings: Mapping[str, str], platform_rate: float) -> float:
    """Requests a second for an account: the platform's, unless its settings name another."""
    return float(settings.get(RATE_SETTING) or platform_rate)


class TokenBucket:
    """`rate` tokens per second, holding at most `burst`. acquire() waits for a token.

    pause(seconds) empties the bucket for that long: used when the platform says Retry-After.
    """

    def __init__(
        self,
        rate: float,
        burst: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("A token bucket needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = burst
        self._updated = clock()
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    def acquire(self) -> float:
        """Take one token, waiting if needed. Returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._refill(now)
                if self._tokens >= 1:
                    self._tokens -= 1
                    return waited
                wait = (1 - self._tokens) / self.rate
            self._sleep(wait)
            waited += wait

    def pause(self, seconds: float) -> None:
        with self._lock:
            now = self._clock()
            self._refill(now)
            # Negative tokens: the next token appears only after `seconds`.
            self._tokens = min(self._tokens, 1 - seconds * self.rate)

    def set_available(self, tokens: float) -> None:
        """Align with what the platform reports is left (e.g. Shopify's 32/40 header)."""
        with self._lock:
            self._refill(self._clock())
            self._tokens = min(self._tokens, tokens)
