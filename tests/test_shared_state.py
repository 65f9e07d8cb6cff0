"""bot/shared_state.py: retry records in a real Redis when REDIS_URL is set (as two server instances
share them), in memory otherwise; an unreachable Redis stops the start, without showing its password."""
import asyncio
import logging
import time
import uuid

import pytest

from bot import shared_state
from bot.channels.seen import RedisSeenIds, SeenIds
from bot.handoff.console import CoordinatorConsole
from bot.handoff.console_settings import ConsoleSettings
from conftest import free_port


def unique(prefix="id"):
    return f"{prefix}-{uuid.uuid4().hex}"


def test_without_redis_url_the_record_is_this_process_memory():
    seen = shared_state.seen_ids("telegram-updates", env={})
    assert isinstance(seen, SeenIds)

    async def scenario():
        assert await seen.claim("a") and not await seen.claim("a")
        other_instance = shared_state.seen_ids("telegram-updates", env={})
        assert await other_instance.claim("a")  # nothing shared between processes: why Redis exists

    asyncio.run(scenario())


def test_two_instances_on_one_redis_take_an_id_in_once(redis_server):
    env = {"REDIS_URL": redis_server}
    instance_a, instance_b = (shared_state.seen_ids("wechat-messages", env=env) for _ in range(2))
    assert isinstance(instance_a, RedisSeenIds)
    msg_id = unique("msg")

    async def scenario():
        assert await instance_a.claim(msg_id)
        assert not await instance_b.claim(msg_id)  # WeChat's retry reaching the other instance
        assert not await instance_a.claim(msg_id)

    asyncio.run(scenario())


def test_a_released_id_can_be_claimed_again_on_any_instance(redis_server):
    env = {"REDIS_URL": redis_server}
    instance_a, instance_b = (shared_state.seen_ids("telegram-updates", env=env) for _ in range(2))
    update_id = unique("update")

    async def scenario():
        assert await instance_a.claim(update_id)
        await instance_a.release(update_id)  # processing failed on A
        assert await instance_b.claim(update_id)  # so the platform's retry is processed, here on B
        assert not await instance_a.claim(update_id)

    asyncio.run(scenario())


def test_a_claim_expires_after_its_ttl(redis_server):
    seen = shared_state.seen_ids("wechat-nonces", ttl_seconds=0.3, env={"REDIS_URL": redis_server})
    nonce = unique("nonce")

    async def scenario():
        assert await seen.claim(nonce) and not await seen.claim(nonce)
        await asyncio.sleep(0.6)
        assert await seen.claim(nonce)

    asyncio.run(scenario())


def test_namespaces_keep_channels_apart(redis_server):
    env = {"REDIS_URL": redis_server}
    telegram = shared_state.seen_ids("telegram-updates", env=env)
    wechat = shared_state.seen_ids("wechat-messages", env=env)
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
        shared_state.seen_ids("wechat-messages", env={"REDIS_URL": url})
    assert time.monotonic() - started < 10
    message = str(refused.value)
    assert "REDIS_URL" in message and "cannot be used" in message and ":***@127.0.0.1" in message
    assert "s3cret-redis-pass" not in message + caplog.text
    assert refused.value.__cause__ is None and refused.value.__suppress_context__  # no chained error text


def test_a_redis_url_that_is_not_redis_is_refused():
    with pytest.raises(shared_state.SharedStateUnavailable, match="REDIS_URL"):
        shared_state.seen_ids("wechat-messages", env={"REDIS_URL": "http://:pw@127.0.0.1:1/0"})


def test_the_console_uses_the_same_choice_and_refuses_an_unreachable_redis(monkeypatch):
    """Its sessions and login counters come from shared_state too: no silent fall-back to memory."""
    url = unreachable_url()
    console = CoordinatorConsole(settings=ConsoleSettings(redis_url=url))
    with pytest.raises(shared_state.SharedStateUnavailable) as refused:
        console._create_shared_state()
    assert "s3cret-redis-pass" not in str(refused.value)
