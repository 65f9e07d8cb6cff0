"""Where state that several server instances must share lives: Redis when REDIS_URL is set, else memory.

One object makes that choice (SharedState, made once per server by
bot/server/wiring.py), so an instance never quietly keeps to itself what the
others need to know (a WeChat retry reaching a second instance would otherwise
be answered twice): the channels' retry records, WeChat's nonces, Telegram's
long button payloads, the console's sessions and login counters, the handoff
queue, the console's events and the coordinators' audit trail.

With REDIS_URL set, Redis must answer when the server starts: an unreachable
Redis stops the start with SharedStateUnavailable (Rasa prints it and exits 1)
instead of falling back to memory, which would split the instances' state
without anyone noticing. Messages show the URL without its password
(bot/redis_url.py).
"""
from __future__ import annotations

import os
from typing import Mapping, Optional

from rasa.shared.exceptions import RasaException

from bot.redis_url import endpoint_env, masked

CONNECT_TIMEOUT_SECONDS = 5


class SharedStateUnavailable(RasaException):
    """REDIS_URL is set but Redis cannot be used: the server must not start."""


class SharedState:
    """The one memory-or-Redis choice of a server process, made from REDIS_URL when the server starts.

    bot/server/wiring.py makes one and hands it to every channel and to the
    console: one Redis client (one PING at the start) serves the retry records,
    nonces, Telegram's long button payloads, console sessions and login
    counters, the audit trail; the handoff queue and the console's event bus keep their own
    connections (a pub/sub subscription holds its connection).
    """

    def __init__(self, redis_url: Optional[str] = None) -> None:
        self.redis_url = redis_url or None
        self._client = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "SharedState":
        return cls(env.get("REDIS_URL"))

    @property
    def in_redis(self) -> bool:
        return self.redis_url is not None

    def client(self):
        """The shared redis.asyncio client (made and checked on first use), or None in memory."""
        if self.redis_url is not None and self._client is None:
            self._client = redis_client(self.redis_url)
        return self._client

    def seen_ids(self, namespace: str, ttl_seconds: float = 24 * 3600):
        """A record of ids taken in (bot/channels/seen.py): in Redis, every instance's; else this process's."""
        # imported here, as the stores below: bot.channels plugs the server in when it is imported
        from bot.channels.seen import RedisSeenIds, SeenIds

        if self.redis_url is None:
            return SeenIds(ttl_seconds=ttl_seconds)
        return RedisSeenIds(self.client(), namespace, ttl_seconds)

    def long_payloads(self, namespace: str, ttl_seconds: float = 30 * 24 * 3600):
        """Button payloads too long for a platform, kept under a short key (bot/channels/long_payloads.py)."""
        from bot.channels.long_payloads import LongPayloads, RedisLongPayloads

        if self.redis_url is None:
            return LongPayloads()
        return RedisLongPayloads(self.client(), namespace, ttl_seconds)

    def handoff_store(self):
        from bot.handoff.store import InMemoryHandoffStore, RedisHandoffStore

        if self.redis_url is None:
            return InMemoryHandoffStore()
        self.client()  # the PING: an unreachable Redis stops the start here too
        return RedisHandoffStore(self.redis_url)

    def audit_trail(self):
        """Beside the queue (bot/handoff/audit.py): in Redis, one trail for every instance."""
        from bot.handoff.audit import InMemoryAuditTrail, RedisAuditTrail

        return RedisAuditTrail(self.client()) if self.redis_url is not None else InMemoryAuditTrail()

    def console_bus(self):
        from bot.handoff.bus import ConsoleBus, RedisConsoleBus

        return RedisConsoleBus(self.redis_url) if self.redis_url is not None else ConsoleBus()


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


def _without_password(text: str, url: str) -> str:
    from urllib.parse import unquote, urlparse

    password = urlparse(url).password
    for form in {password, unquote(password)} if password else ():
        text = text.replace(form, "***")
    return text[:200]
