"""Where state that several server instances must share lives: Redis when REDIS_URL is set, else memory.

One place makes that choice, so an instance never quietly keeps to itself what
the others need to know (a WeChat retry reaching a second instance would
otherwise be answered twice). Today it serves the channels' retry records and
WeChat's nonces (`seen_ids`) and the console's sessions and login counters
(`redis_client`).

With REDIS_URL set, Redis must answer when the component is created, at the
server's start: an unreachable Redis stops the start with SharedStateUnavailable
(Rasa prints it and exits 1) instead of falling back to memory, which would
split the instances' state without anyone noticing. Messages show the URL
without its password (bot/redis_url.py).
"""
from __future__ import annotations

import os
from typing import Mapping, Optional, Union

from rasa.shared.exceptions import RasaException

from bot.channels.seen import RedisSeenIds, SeenIds
from bot.redis_url import endpoint_env, masked

CONNECT_TIMEOUT_SECONDS = 5


class SharedStateUnavailable(RasaException):
    """REDIS_URL is set but Redis cannot be used: the server must not start."""


def redis_url(env: Mapping[str, str] = os.environ) -> Optional[str]:
    return env.get("REDIS_URL") or None


def redis_client(url: str):
    """A redis.asyncio client for `url`, once a PING has shown that Redis answers (else SharedStateUnavailable)."""
    import redis
    import redis.asyncio as redis_asyncio

    try:
        endpoint_env(url)  # the scheme check make run also applies
        probe = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
                                     socket_timeout=CONNECT_TIMEOUT_SECONDS)
        try:
            probe.ping()
        finally:
            probe.close()
    except (ValueError, redis.RedisError, OSError) as error:
        raise SharedStateUnavailable(
            f"REDIS_URL is set but Redis at {masked(url)} cannot be used ({type(error).__name__}: "
            f"{_without_password(str(error), url)}); start Redis, or unset REDIS_URL to keep state in memory"
        ) from None
    return redis_asyncio.from_url(url, decode_responses=True)


def seen_ids(namespace: str, ttl_seconds: float = 24 * 3600,
             env: Mapping[str, str] = os.environ) -> Union[SeenIds, RedisSeenIds]:
    """A record of ids taken in (bot/channels/seen.py): shared in Redis with REDIS_URL, else this process's."""
    url = redis_url(env)
    if url is None:
        return SeenIds(ttl_seconds=ttl_seconds)
    return RedisSeenIds(redis_client(url), namespace, ttl_seconds)


def _without_password(text: str, url: str) -> str:
    from urllib.parse import unquote, urlparse

    password = urlparse(url).password
    for form in {password, unquote(password)} if password else ():
        text = text.replace(form, "***")
    return text[:200]
