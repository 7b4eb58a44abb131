"""The token bucket behind the RateLimit-* headers (3600 requests, one back per second).

It only reports: running the bucket dry does not reject requests, so long test runs never
fail by surprise. Use a 429 fault rule to script a rate-limit rejection.
"""

from __future__ import annotations

import math
import threading
import time

LIMIT = 3600


class RateBucket:
    """Counts /v1 requests and says what the RateLimit-* headers should read."""

    # TODO: an empty bucket does not answer 429 as the real API would; that keeps hour-long
    # test runs with fast polling from failing by surprise. A --enforce-rate-limit flag
    # would add the real behaviour for tests that want it.

    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._tokens = float(limit)
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def spend(self) -> dict[str, str]:
        """Take one request from the bucket; returns the three headers for its response."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.limit, self._tokens + (now - self._stamp))
            self._stamp = now
            self._tokens = max(0.0, self._tokens - 1)
            remaining = int(self._tokens)
            reset = int(math.ceil(time.time() + (self.limit - self._tokens)))
        return {"RateLimit-Limit": str(self.limit), "RateLimit-Remaining": str(remaining),
                "RateLimit-Reset": str(reset)}

    def reset(self) -> None:
        with self._lock:
            self._tokens = float(self.limit)
            self._stamp = time.monotonic()


def exhausted_headers(limit: int, reset_in: float) -> dict[str, str]:
    """Headers of a scripted 429: nothing remaining until `reset_in` seconds from now."""
    reset = int(math.ceil(time.time() + reset_in))
    return {"RateLimit-Limit": str(limit), "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(reset)}
