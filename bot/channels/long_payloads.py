"""Button payloads longer than a platform allows, sent as a short key and looked up when pressed.

Telegram's callback_data holds 64 bytes; a payload with entities
(`/inform{"department":"dentistry"}`) can be longer. The key is a hash of
the payload, the same in every process, and the payload is kept under it:
in memory for one server, in Redis (bot/shared_state.py) when several
instances serve, so a button sent by one instance works when its press
reaches another. python-telegram-bot's own callback-data cache needs its
Application (ours is a plain Bot behind Rasa's webhook) and keeps it in memory.
"""
from __future__ import annotations

import base64
import hashlib
from collections import OrderedDict
from typing import Optional

KEY_MARK = "#"  # no payload of ours starts with it (intent payloads start with "/")
KEY_PREFIX = "patient_guide:payload:"


def key_of(payload: str) -> str:
    digest = hashlib.sha256(payload.encode()).digest()[:12]
    return KEY_MARK + base64.urlsafe_b64encode(digest).decode()  # 17 characters


class LongPayloads:
    """In memory, the most recent `max_entries` (a button pressed after that is treated as typed text)."""

    def __init__(self, max_entries: int = 50_000) -> None:
        self._max = max_entries
        self._payloads: "OrderedDict[str, str]" = OrderedDict()

    async def keep(self, payload: str) -> str:
        key = key_of(payload)
        self._payloads[key] = payload
        self._payloads.move_to_end(key)
        if len(self._payloads) > self._max:
            self._payloads.popitem(last=False)
        return key

    async def payload(self, key: str) -> Optional[str]:
        return self._payloads.get(key)


class RedisLongPayloads:
    """In Redis, shared by every instance; each payload expires after the TTL."""

    def __init__(self, redis, namespace: str, ttl_seconds: float) -> None:
        self._redis = redis
        self._prefix = f"{KEY_PREFIX}{namespace}:"
        self._ttl_ms = max(1, int(ttl_seconds * 1000))

    async def keep(self, payload: str) -> str:
        key = key_of(payload)
        await self._redis.set(self._prefix + key, payload, px=self._ttl_ms)
        return key

    async def payload(self, key: str) -> Optional[str]:
        return await self._redis.get(self._prefix + key)
