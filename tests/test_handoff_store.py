"""The coordinator queue, in memory and in a real Redis: one holder at a time, flags set once."""
import asyncio

import pytest

from bot.handoff.store import HELD, WAITING, InMemoryHandoffStore, RedisHandoffStore


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        return InMemoryHandoffStore()
    import redis

    url = request.getfixturevalue("redis_server")
    redis.Redis.from_url(url).flushdb()
    return RedisHandoffStore(url)


def run(coroutine):
    return asyncio.get_event_loop().run_until_complete(coroutine)


@pytest.fixture(autouse=True)
def event_loop_for_test():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    loop.close()


def test_a_conversation_is_queued_once_with_its_channel_and_language(store):
    first = run(store.enqueue("c1", "telegram", "ar"))
    assert first is not None and run(store.enqueue("c1", "telegram", "ar")) is None
    entry = run(store.get("c1"))
    assert (entry.channel, entry.language, entry.state, entry.holder) == ("telegram", "ar", WAITING, None)
    assert [e.conversation_id for e in run(store.all())] == ["c1"]


def test_two_coordinators_taking_at_once_leave_exactly_one_holder(store):
    run(store.enqueue("c1", "socketio", "en"))

    async def both():
        return await asyncio.gather(store.take("c1", "alice"), store.take("c1", "bob"))

    results = run(both())
    holders = {entry.holder for entry in results}
    assert len(holders) == 1 and holders <= {"alice", "bob"}
    holder = holders.pop()
    other = "bob" if holder == "alice" else "alice"
    assert run(store.take("c1", other)).holder == holder  # still theirs
    assert run(store.take("c1", holder)).state == HELD  # taking again is harmless


def test_only_the_holder_removes_a_held_conversation(store):
    run(store.enqueue("c1", "rest", "fr"))
    run(store.take("c1", "alice"))
    assert run(store.remove("c1", holder="bob")) is False
    assert run(store.remove("c1", holder="alice")) is True
    assert run(store.get("c1")) is None and run(store.all()) == []


def test_a_flag_is_set_by_the_first_caller_only(store):
    run(store.enqueue("c1", "rest", "ja"))
    assert run(store.flag("c1", "wait_notified")) is True
    assert run(store.flag("c1", "wait_notified")) is False
    assert run(store.get("c1")).wait_notified is True
    assert run(store.flag("missing", "urgent")) is False


def test_notes_stay_with_the_conversation_and_go_with_it(store):
    run(store.enqueue("c1", "rest", "de"))
    assert run(store.add_note("c1", "alice", "prefers a female doctor"))
    assert [n["text"] for n in run(store.get("c1")).notes] == ["prefers a female doctor"]
    run(store.remove("c1"))
    run(store.enqueue("c1", "rest", "de"))
    assert run(store.get("c1")).notes == []
    assert run(store.add_note("missing", "alice", "x")) is False


def test_a_restarted_server_still_sees_who_is_waiting(redis_server):
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    run(RedisHandoffStore(redis_server).enqueue("c9", "wechat", "zh-Hant"))
    after_restart = RedisHandoffStore(redis_server)  # a new process: nothing but the URL in common
    assert run(after_restart.get("c9")).language == "zh-Hant"
