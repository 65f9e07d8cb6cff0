"""The audit trail: which coordinator opened, took, replied to or handed back which conversation, and when.

China's personal-information law asks who handled whose data. An entry is
{at, coordinator, action, conversation}: never what was written (a reply's
text or a phrase's parameters may hold health data; the transcript is the
tracker's, and goes when the patient asks). Logins and logouts have no
conversation; an erasure the patient asked for has no coordinator.

When a patient asks to be forgotten, their conversation id (a Telegram chat or
WeChat openid is personal data) is replaced in every entry by a pseudonym, a
hash of it: the trail still shows who handled that conversation and that it
was erased, and an admin who knows the id can still find it (`entries` looks
up both), but the trail no longer names the patient.

Kept where the queue is (bot/shared_state.py): in memory, the newest
MAX_ENTRIES; in Redis, a list capped at the same length that every server
instance appends to. Recording never fails the coordinator's request: the
action has already happened (a reply was sent), so an outage is logged instead.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import deque
from typing import Any, Dict, List, Optional

logger = logging.getLogger(__name__)

OPENED, TOOK, REPLIED, HANDED_BACK, ERASED, LOGIN, LOGOUT = (
    "opened", "took", "replied", "handed_back", "erased", "login", "logout")
ACTIONS = (OPENED, TOOK, REPLIED, HANDED_BACK, ERASED, LOGIN, LOGOUT)
MAX_ENTRIES = 10_000
# The console reloads an open conversation at every change: one "opened" per coordinator,
# conversation and this many seconds, or the trail would fill with reloads.
OPENED_EVERY_SECONDS = 15 * 60


def pseudonym(conversation: str) -> str:
    """What stands for an erased conversation's id in the trail."""
    return "erased:" + hashlib.sha256(conversation.encode()).hexdigest()[:16]


def concerns(item: Dict[str, Any], conversation: str) -> bool:
    return item["conversation"] in (conversation, pseudonym(conversation))


def entry(action: str, coordinator: Optional[str], conversation: Optional[str]) -> Dict[str, Any]:
    assert action in ACTIONS, action
    return {"at": time.time(), "coordinator": coordinator, "action": action, "conversation": conversation}


class AuditTrail:
    """The interface of both trails; every method is a coroutine."""

    async def record(self, action: str, coordinator: Optional[str], conversation: Optional[str] = None,
                     once_in_seconds: Optional[float] = None) -> None:
        """Adds an entry; with `once_in_seconds`, only if the same one was not added within that time."""
        try:
            if once_in_seconds is None or await self._first_in(action, coordinator, conversation, once_in_seconds):
                await self._append(entry(action, coordinator, conversation))
        except Exception as error:  # noqa: BLE001 - see the module's docstring
            logger.error("audit entry %s for %s not kept (%s)", action, conversation or "-", type(error).__name__)

    async def entries(self, conversation: Optional[str] = None, limit: int = MAX_ENTRIES) -> List[Dict[str, Any]]:
        """Newest first; only one conversation's when given (under its id or, once erased, its pseudonym)."""
        raise NotImplementedError

    async def forget(self, conversation: str) -> None:
        """The patient's erasure: their id replaced by its pseudonym everywhere, and the erasure recorded."""
        try:
            await self._replace(conversation, pseudonym(conversation))
        except Exception as error:  # noqa: BLE001 - see the module's docstring
            logger.error("audit entries of an erased conversation not pseudonymised (%s)", type(error).__name__)
        await self.record(ERASED, None, pseudonym(conversation))

    async def _replace(self, conversation: str, replacement: str) -> None:
        raise NotImplementedError

    async def _append(self, item: Dict[str, Any]) -> None:
        raise NotImplementedError

    async def _first_in(self, action: str, coordinator: Optional[str], conversation: Optional[str],
                        seconds: float) -> bool:
        raise NotImplementedError


class InMemoryAuditTrail(AuditTrail):
    """One process; gone at a restart, like the in-memory queue it sits beside."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: deque = deque(maxlen=max_entries)
        self._last: Dict[tuple, float] = {}

    async def entries(self, conversation=None, limit=MAX_ENTRIES):
        newest_first = (item for item in reversed(self._entries)
                        if conversation is None or concerns(item, conversation))
        return [dict(item) for _, item in zip(range(limit), newest_first)]

    async def _append(self, item):
        self._entries.append(item)

    async def _replace(self, conversation, replacement):
        for item in self._entries:
            if item["conversation"] == conversation:
                item["conversation"] = replacement

    async def _first_in(self, action, coordinator, conversation, seconds):
        now = time.time()
        if len(self._last) > MAX_ENTRIES:  # bounded: forget what has expired
            self._last = {key: until for key, until in self._last.items() if until > now}
        key = (action, coordinator, conversation)
        if self._last.get(key, 0) > now:
            return False
        self._last[key] = now + seconds
        return True


class RedisAuditTrail(AuditTrail):
    """One capped list shared by every server instance (newest at the head)."""

    # in Redis, so that an entry another instance pushes meanwhile cannot shift the indexes
    REPLACE = """
    local items = redis.call('LRANGE', KEYS[1], 0, -1)
    local replaced = 0
    for index, raw in ipairs(items) do
        local ok, item = pcall(cjson.decode, raw)
        if ok and item['conversation'] == ARGV[1] then
            item['conversation'] = ARGV[2]
            redis.call('LSET', KEYS[1], index - 1, cjson.encode(item))
            replaced = replaced + 1
        end
    end
    return replaced
    """

    def __init__(self, client, prefix: str = "patient_guide:audit:", max_entries: int = MAX_ENTRIES) -> None:
        self.redis = client
        self.key = f"{prefix}entries"
        self.prefix = prefix
        self.max_entries = max_entries

    async def entries(self, conversation=None, limit=MAX_ENTRIES):
        items = [json.loads(raw) for raw in await self.redis.lrange(self.key, 0, self.max_entries - 1)]
        return [item for item in items if conversation is None or concerns(item, conversation)][:limit]

    async def _append(self, item):
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lpush(self.key, json.dumps(item, ensure_ascii=False))
            pipe.ltrim(self.key, 0, self.max_entries - 1)
            await pipe.execute()

    async def _replace(self, conversation, replacement):
        await self.redis.eval(self.REPLACE, 1, self.key, conversation, replacement)

    async def _first_in(self, action, coordinator, conversation, seconds):
        # SET NX: one instance wins, so two instances do not both record the same opening
        marker = f"{self.prefix}once:{action}:{json.dumps([coordinator, conversation], ensure_ascii=False)}"
        return bool(await self.redis.set(marker, "1", nx=True, px=max(1, int(seconds * 1000))))
