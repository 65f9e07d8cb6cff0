"""Where the coordinator queue lives: in memory by default, in Redis when REDIS_URL is set.

One entry per conversation waiting for, or held by, a coordinator. The
transcript itself is not copied here: it is the conversation's tracker.
Taking a conversation is atomic in both stores, so two coordinators can
never both hold it, even on two server instances sharing one Redis.
"""
from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Dict, List, Optional

WAITING, HELD = "waiting", "held"


@dataclass
class QueueEntry:
    conversation_id: str
    channel: str
    language: str
    since: float
    state: str = WAITING
    holder: Optional[str] = None
    urgent: bool = False
    callback_requested: bool = False
    wait_notified: bool = False
    notes: List[Dict] = field(default_factory=list)


class HandoffStore:
    """The interface both stores implement; every method is a coroutine."""

    async def enqueue(self, conversation_id: str, channel: str, language: str) -> Optional[QueueEntry]:
        """Queues the conversation; None when it is already queued or held."""
        raise NotImplementedError

    async def get(self, conversation_id: str) -> Optional[QueueEntry]:
        raise NotImplementedError

    async def all(self) -> List[QueueEntry]:
        raise NotImplementedError

    async def take(self, conversation_id: str, coordinator: str) -> Optional[QueueEntry]:
        """Gives the conversation to `coordinator` unless someone else holds it; returns the entry after."""
        raise NotImplementedError

    async def remove(self, conversation_id: str, holder: Optional[str] = None) -> bool:
        """Removes the entry (only if `holder` holds it, when given)."""
        raise NotImplementedError

    async def flag(self, conversation_id: str, name: str) -> bool:
        """Sets a boolean flag (urgent, callback_requested, wait_notified); True only for the first caller."""
        raise NotImplementedError

    async def add_note(self, conversation_id: str, author: str, text: str) -> bool:
        raise NotImplementedError


FLAGS = ("urgent", "callback_requested", "wait_notified")


def _copy(entry: QueueEntry) -> QueueEntry:
    return replace(entry, notes=[dict(note) for note in entry.notes])


class InMemoryHandoffStore(HandoffStore):
    """One process; nothing survives a restart (like Rasa's in-memory tracker store)."""

    def __init__(self) -> None:
        self._entries: Dict[str, QueueEntry] = {}
        self._lock = asyncio.Lock()

    async def enqueue(self, conversation_id, channel, language):
        async with self._lock:
            if conversation_id in self._entries:
                return None
            entry = QueueEntry(conversation_id, channel, language, time.time())
            self._entries[conversation_id] = entry
            return entry

    async def get(self, conversation_id):
        entry = self._entries.get(conversation_id)
        return _copy(entry) if entry else None  # a snapshot, as Redis gives: later changes do not show through

    async def all(self):
        return [_copy(entry) for entry in self._entries.values()]

    async def take(self, conversation_id, coordinator):
        async with self._lock:
            entry = self._entries.get(conversation_id)
            if entry is not None and entry.holder in (None, coordinator):
                entry.state, entry.holder = HELD, coordinator
            return _copy(entry) if entry else None

    async def remove(self, conversation_id, holder=None):
        async with self._lock:
            entry = self._entries.get(conversation_id)
            if entry is None or (holder is not None and entry.holder != holder):
                return False
            del self._entries[conversation_id]
            return True

    async def flag(self, conversation_id, name):
        assert name in FLAGS
        entry = self._entries.get(conversation_id)
        if entry is None or getattr(entry, name):
            return False
        setattr(entry, name, True)
        return True

    async def add_note(self, conversation_id, author, text):
        entry = self._entries.get(conversation_id)
        if entry is None:
            return False
        entry.notes.append({"author": author, "text": text, "at": time.time()})
        return True


class RedisHandoffStore(HandoffStore):
    """Shared by every server instance; a waiting patient survives restarts.

    Each entry is a Redis hash; notes are a list beside it; the set of queued
    ids is the queue. Take and remove run as Lua scripts, so they are atomic.
    """

    TAKE = """
    local holder = redis.call('HGET', KEYS[1], 'holder')
    if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
    if holder and holder ~= '' and holder ~= ARGV[1] then return 0 end
    redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'state', 'held')
    return 1
    """
    REMOVE = """
    if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
    if ARGV[1] ~= '' and redis.call('HGET', KEYS[1], 'holder') ~= ARGV[1] then return 0 end
    redis.call('DEL', KEYS[1], KEYS[2])
    redis.call('SREM', KEYS[3], ARGV[2])
    return 1
    """

    FLAG = """
    if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
    if redis.call('HGET', KEYS[1], ARGV[1]) == '1' then return 0 end
    redis.call('HSET', KEYS[1], ARGV[1], '1')
    return 1
    """

    def __init__(self, url: str, prefix: str = "patient_guide:handoff:") -> None:
        import redis.asyncio as redis_asyncio

        self.redis = redis_asyncio.from_url(url, decode_responses=True)
        self.prefix = prefix
        self._take = self.redis.register_script(self.TAKE)
        self._remove = self.redis.register_script(self.REMOVE)
        self._flag = self.redis.register_script(self.FLAG)

    def _key(self, conversation_id: str) -> str:
        return f"{self.prefix}entry:{conversation_id}"

    def _notes_key(self, conversation_id: str) -> str:
        return f"{self.prefix}notes:{conversation_id}"

    @property
    def _queue_key(self) -> str:
        return f"{self.prefix}queue"

    async def enqueue(self, conversation_id, channel, language):
        entry = QueueEntry(conversation_id, channel, language, time.time())
        created = await self.redis.hsetnx(self._key(conversation_id), "conversation_id", conversation_id)
        if not created:
            return None
        await self.redis.hset(self._key(conversation_id), mapping={
            "channel": channel, "language": language, "since": repr(entry.since), "state": WAITING, "holder": "",
            **{flag: "0" for flag in FLAGS}})
        await self.redis.sadd(self._queue_key, conversation_id)
        return entry

    async def get(self, conversation_id):
        fields = await self.redis.hgetall(self._key(conversation_id))
        if not fields.get("since"):
            return None
        notes = [json.loads(note) for note in await self.redis.lrange(self._notes_key(conversation_id), 0, -1)]
        return QueueEntry(conversation_id=conversation_id, channel=fields["channel"], language=fields["language"],
                          since=float(fields["since"]), state=fields["state"], holder=fields["holder"] or None,
                          notes=notes, **{flag: fields.get(flag) == "1" for flag in FLAGS})

    async def all(self):
        entries = [await self.get(cid) for cid in await self.redis.smembers(self._queue_key)]
        return [entry for entry in entries if entry is not None]

    async def take(self, conversation_id, coordinator):
        await self._take(keys=[self._key(conversation_id)], args=[coordinator])
        return await self.get(conversation_id)

    async def remove(self, conversation_id, holder=None):
        removed = await self._remove(
            keys=[self._key(conversation_id), self._notes_key(conversation_id), self._queue_key],
            args=[holder or "", conversation_id])
        return bool(removed)

    async def flag(self, conversation_id, name):
        assert name in FLAGS
        return bool(await self._flag(keys=[self._key(conversation_id)], args=[name]))

    async def add_note(self, conversation_id, author, text):
        if not await self.redis.exists(self._key(conversation_id)):
            return False
        await self.redis.rpush(self._notes_key(conversation_id),
                               json.dumps({"author": author, "text": text, "at": time.time()}))
        return True


def create_store() -> HandoffStore:
    url = os.environ.get("REDIS_URL")
    return RedisHandoffStore(url) if url else InMemoryHandoffStore()


def entry_dict(entry: QueueEntry) -> Dict:
    return asdict(entry)
