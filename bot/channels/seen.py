"""Remembers which platform message ids were already taken in, so a retried delivery is handled once.

Telegram resends an update until it gets a 200; WeChat resends a message up to
three times when the reply takes more than 5 seconds. An id is *claimed*
before processing and *released* if processing fails, so a failed message is
processed again on the platform's next retry instead of being lost.

In memory here (one server process); issue 7's Redis store replaces it for
several instances.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Optional


class SeenIds:
    def __init__(self, ttl_seconds: float = 24 * 3600, max_entries: int = 100_000) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._entries: "OrderedDict[str, float]" = OrderedDict()
        self._lock = threading.Lock()

    def claim(self, message_id: str, now: Optional[float] = None) -> bool:
        """True the first time an id is seen (the caller processes it), False for a repeat."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._expire(now)
            if message_id in self._entries:
                return False
            self._entries[message_id] = now
            if len(self._entries) > self._max:
                self._entries.popitem(last=False)
            return True

    def release(self, message_id: str) -> None:
        """Forget an id whose processing failed, so the platform's retry is processed."""
        with self._lock:
            self._entries.pop(message_id, None)

    def _expire(self, now: float) -> None:
        while self._entries:
            oldest_id, seen_at = next(iter(self._entries.items()))
            if now - seen_at < self._ttl:
                break
            self._entries.popitem(last=False)
