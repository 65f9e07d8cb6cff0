"""bot/shared_state.py: retry records and long button payloads in a real Redis when REDIS_URL is set
(as two server instances share them), in memory otherwise; an unreachable Redis stops the start,
without showing its password."""
import asyncio
import logging
import time
import uuid

import pytest

from bot import shared_state
from bot.channels.long_payloads import LongPayloads, RedisLongPayloads, key_of
from bot.channels.seen import RedisSeenIds, SeenIds
from bot.handoff.console import CoordinatorConsole
from bot.server import wiring
from bot.server.settings import ServerSettings
from conftest import free_port

SharedState = shared_state.SharedState


def unique(prefix="id"):
    return f"{prefix}-{uuid.uuid4().hex}"


def test_without_redis_url_the_record_is_this_process_memory():
    seen = SharedState.from_env({}).seen_ids("telegram-updates")
    assert isinstance(seen, SeenIds)

    async def scenario():
        assert await seen.claim("a") and not await seen.claim("a")
        other_instance = SharedState.from_env({}).seen_ids("telegram-updates")
        assert await other_instance.claim("a")  # nothing shared between processes: why Redis exists

    asyncio.run(scenario())


def test_two_instances_on_one_redis_take_an_id_in_once(redis_server):
    env = {"REDIS_URL": redis_server}
    instance_a, instance_b = (SharedState.from_env(env).seen_ids("wechat-messages") for _ in range(2))
    assert isinstance(instance_a, RedisSeenIds)
    msg_id = unique("msg")

    async def scenario():
        assert await instance_a.claim(msg_id)
        assert not await instance_b.claim(msg_id)  # WeChat's retry reaching the other instance
        assert not await instance_a.claim(msg_id)

    asyncio.run(scenario())


def test_a_released_id_can_be_claimed_again_on_any_instance(redis_server):
    env = {"REDIS_URL": redis_server}
    instance_a, instance_b = (SharedState.from_env(env).seen_ids("telegram-updates") for _ in range(2))
    update_id = unique("update")

    async def scenario():
        assert await instance_a.claim(update_id)
        await instance_a.release(update_id)  # processing failed on A
        assert await instance_b.claim(update_id)  # so the platform's retry is processed, here on B
        assert not await instance_a.claim(update_id)

    asyncio.run(scenario())


def test_a_claim_expires_after_its_ttl(redis_server):
    seen = SharedState(redis_server).seen_ids("wechat-nonces", ttl_seconds=0.3)
    nonce = unique("nonce")

    async def scenario():
        assert await seen.claim(nonce) and not await seen.claim(nonce)
        await asyncio.sleep(0.6)
        assert await seen.claim(nonce)

    asyncio.run(scenario())


def test_namespaces_keep_channels_apart(redis_server):
    env = {"REDIS_URL": redis_server}
    shared = SharedState.from_env(env)
    telegram, wechat = shared.seen_ids("telegram-updates"), shared.seen_ids("wechat-messages")
    same_number = unique("12345")

    async def scenario():
        assert await telegram.claim(same_number) and await wechat.claim(same_number)

    asyncio.run(scenario())


def unreachable_url(password="s3cret-redis-pass"):
    return f"redis://:{password}@127.0.0.1:{free_port()}/0"  # nothing listens there


def test_redis_unreachable_stops_the_start_and_the_password_is_not_shown(caplog):
    url = unreachable_url()
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    with pytest.raises(shared_state.SharedStateUnavailable) as refused:
        SharedState(url).seen_ids("wechat-messages")
    assert time.monotonic() - started < 10
    message = str(refused.value)
    assert "REDIS_URL" in message and "cannot be used" in message and ":***@127.0.0.1" in message
    assert "s3cret-redis-pass" not in message + caplog.text
    assert refused.value.__cause__ is None and refused.value.__suppress_context__  # no chained error text


def test_a_redis_url_that_is_not_redis_is_refused():
    with pytest.raises(shared_state.SharedStateUnavailable, match="REDIS_URL"):
        SharedState("http://:pw@127.0.0.1:1/0").seen_ids("wechat-messages")


def test_the_wiring_refuses_an_unreachable_redis_before_any_channel_is_connected():
    """The handoff queue, the console's sessions and login counters: no silent fall-back to memory."""
    with pytest.raises(shared_state.SharedStateUnavailable) as refused:
        wiring.build(lambda: None, ServerSettings(redis_url=unreachable_url()))
    assert "s3cret-redis-pass" not in str(refused.value)


def test_one_wiring_gives_the_console_and_the_channels_one_redis_client(redis_server):
    """One choice, one connection pool, one PING at the start: not one per channel."""
    from bot.channels.telegram import TelegramInput
    from bot.channels.wechat import WeChatInput

    built = wiring.build(lambda: None, ServerSettings(redis_url=redis_server))
    console, telegram, wechat = CoordinatorConsole(), TelegramInput("t", "s"), WeChatInput("t", None, None)
    for channel in (console, telegram, wechat):
        channel.connect(built)
    assert console.service is built.handoff
    clients = {id(built.shared.client()), id(telegram.seen._redis), id(wechat.seen._redis),
               id(wechat.nonces._redis), id(telegram.long_payloads._redis)}
    assert len(clients) == 1


def test_a_long_button_payload_kept_by_one_instance_is_found_by_another(redis_server):
    payload = '/inform{"department":"dentistry","hospital":"renji","date":"2026-12-18","time":"10:30"}'
    assert len(payload.encode()) > 64
    instance_a, instance_b = (SharedState(redis_server).long_payloads("telegram") for _ in range(2))
    assert isinstance(instance_a, RedisLongPayloads)

    async def scenario():
        key = await instance_a.keep(payload)
        assert len(key.encode()) <= 64 and key == key_of(payload)  # the same key in every process
        assert await instance_b.payload(key) == payload
        assert await instance_b.payload(key_of("never kept")) is None

    asyncio.run(scenario())


def test_in_memory_long_payloads_are_bounded():
    kept = LongPayloads(max_entries=2)

    async def scenario():
        keys = [await kept.keep(f"/inform{{\"n\": {n}}}") for n in range(3)]
        assert await kept.payload(keys[0]) is None  # the oldest went first
        assert await kept.payload(keys[2]) == '/inform{"n": 2}'

    asyncio.run(scenario())
