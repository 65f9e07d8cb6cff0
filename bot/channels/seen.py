"""Remembers which platform message ids were already taken in, so a retried delivery is handled once.

Telegram resends an update until it gets a 200; WeChat resends a message up to
three times when the reply takes more than 5 seconds. An id is *claimed*
before processing and *released* if processing fails, so a failed message is
processed again on the platform's next retry instead of being lost. The WeChat
channel keeps its request nonces the same way (replay protection).

Two implementations with the same two coroutines: SeenIds, in memory (one
server process), and RedisSeenIds (claim = SET NX with an expiry, release =
DEL), so a retry that reaches another server instance is still a repeat. Which
one a channel gets is decided in one place, bot/shared_state.py, from REDIS_URL.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Optional

KEY_PREFIX = "patient_guide:seen:"


class SeenIds:
    """In memory: one process's record, lost at a restart."""

    def __init__(self, ttl_seconds: float = 24 * 3600, max_entries: int = 100_000) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._entries: "OrderedDict[str, float]" = OrderedDict()
        self._lock = threading.Lock()

    async def claim(self, message_id: str, now: Optional[float] = None) -> bool:
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

    async def release(self, message_id: str) -> None:
        """Forget an id whose processing failed, so the platform's retry is processed."""
        with self._lock:
            self._entries.pop(message_id, None)

    def _expire(self, now: float) -> None:
        while self._entries:
            oldest_id, seen_at = next(iter(self._entries.items()))
            if now - seen_at < self._ttl:
                break
            self._entries.popitem(last=False)


class RedisSeenIds:
    """In Redis, shared by every server instance; each id a key that expires after the TTL.

    `redis` is a redis.asyncio client; `namespace` keeps one channel's ids apart
    from another's (a Telegram update id and a WeChat MsgId may be equal numbers).
    A Redis error propagates: the channel answers 500 and the platform retries.
    """

    def __init__(self, redis, namespace: str, ttl_seconds: float = 24 * 3600) -> None:
        self._redis = redis
        self._prefix = f"{KEY_PREFIX}{namespace}:"
        self._ttl_ms = max(1, int(ttl_seconds * 1000))

    async def claim(self, message_id: str) -> bool:
        return bool(await self._redis.set(self._prefix + message_id, "1", nx=True, px=self._ttl_ms))

    async def release(self, message_id: str) -> None:
        await self._redis.delete(self._prefix + message_id)
