"""The audit trail (bot/handoff/audit.py) in memory and in a real Redis: bounded, newest first, never failing."""
import asyncio
import uuid

import pytest

from bot.handoff.audit import InMemoryAuditTrail, RedisAuditTrail, pseudonym
from bot.handoff.bus import ConsoleBus
from bot.handoff.service import HandoffService
from bot.handoff.store import InMemoryHandoffStore


@pytest.fixture(params=["memory", "redis"])
def trail_of(request):
    """Makes a trail keeping at most n entries (inside the test's loop: the Redis client binds to it)."""
    if request.param == "memory":
        return lambda n: InMemoryAuditTrail(max_entries=n)
    import redis
    import redis.asyncio as redis_asyncio

    url = request.getfixturevalue("redis_server")
    redis.Redis.from_url(url).flushdb()
    return lambda n: RedisAuditTrail(redis_asyncio.from_url(url, decode_responses=True), max_entries=n)


def test_the_trail_keeps_the_newest_entries_only(trail_of):
    async def scenario():
        trail = trail_of(3)
        for i in range(5):
            await trail.record("took", "alice", f"c{i}")
        assert [e["conversation"] for e in await trail.entries()] == ["c4", "c3", "c2"]
        assert [e["conversation"] for e in await trail.entries(conversation="c3")] == ["c3"]
        assert len(await trail.entries(limit=1)) == 1

    asyncio.run(scenario())


def test_once_in_a_while_records_a_repeat_only_after_the_interval(trail_of):
    async def scenario():
        trail = trail_of(100)
        for _ in range(3):
            await trail.record("opened", "bob", "c1", once_in_seconds=0.3)
        await trail.record("opened", "alice", "c1", once_in_seconds=0.3)  # another coordinator counts apart
        await asyncio.sleep(0.4)
        await trail.record("opened", "bob", "c1", once_in_seconds=0.3)
        assert [e["coordinator"] for e in await trail.entries()] == ["bob", "alice", "bob"]

    asyncio.run(scenario())


def test_an_unreachable_redis_loses_the_entry_not_the_coordinators_request(caplog):
    import redis.asyncio as redis_asyncio

    async def scenario():
        trail = RedisAuditTrail(redis_asyncio.from_url("redis://127.0.0.1:1", socket_connect_timeout=1))
        await trail.record("replied", "alice", "c1")  # does not raise

    asyncio.run(scenario())
    assert "audit entry replied for c1 not kept" in caplog.text


def test_a_patients_erasure_is_kept_without_a_coordinator_or_their_id():
    class NoConversations:
        async def erase(self, conversation_id):
            return True

    async def scenario():
        service = HandoffService(InMemoryHandoffStore(), ConsoleBus(), NoConversations(), 300)
        await service.audit.record("took", "alice", "telegram:7")
        await service.audit.record("took", "bob", "telegram:8")
        await service.erase("telegram:7")
        hidden = pseudonym("telegram:7")
        assert [(e["coordinator"], e["action"], e["conversation"]) for e in await service.audit.entries()] == [
            (None, "erased", hidden), ("bob", "took", "telegram:8"), ("alice", "took", hidden)]
        assert len(await service.audit.entries(conversation="telegram:7")) == 2  # an admin who knows the id

    asyncio.run(scenario())


def test_an_erased_id_is_replaced_in_the_shared_redis_trail(redis_server):
    import redis.asyncio as redis_asyncio

    async def scenario():
        trail = RedisAuditTrail(redis_asyncio.from_url(redis_server, decode_responses=True),
                                prefix=f"test:{uuid.uuid4().hex}:")
        await trail.record("took", "alice", "wechat:o-patient")
        await trail.record("replied", "alice", "wechat:o-patient")
        await trail.record("took", "bob", "wechat:o-other")
        await trail.forget("wechat:o-patient")
        listed = await trail.entries()
        assert "wechat:o-patient" not in str(listed)
        assert [e["conversation"] for e in listed] == [pseudonym("wechat:o-patient"), "wechat:o-other",
                                                      pseudonym("wechat:o-patient"), pseudonym("wechat:o-patient")]
        assert [e["action"] for e in await trail.entries(conversation="wechat:o-patient")] == [
            "erased", "replied", "took"]

    asyncio.run(scenario())
