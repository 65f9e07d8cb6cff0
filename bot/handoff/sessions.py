"""Coordinator console sessions: a signed token that names a session the server can end.

The cookie holds a JWT (HS256, COORDINATOR_SESSION_SECRET) with the account,
an absolute expiry (COORDINATOR_SESSION_HOURS) and a random session id. The
id must also be on record, in memory or in Redis (then every instance sees
the same sessions): logging out, or "end all sessions", deletes the record,
so a copied token stops working at once. A record also ends when unused for
COORDINATOR_IDLE_MINUTES; every authenticated request renews it.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from typing import Callable, Dict, List, Optional, Set

import jwt

from bot.handoff.console_settings import ConsoleSettings

logger = logging.getLogger(__name__)

KEY_PREFIX = "patient_guide:console:session:"
TOKEN_TYPE = "coordinator"


class SessionRecords:
    """Which session ids are live, and whose."""

    async def add(self, session_id: str, account: str, idle_seconds: float, lifetime_seconds: float) -> None:
        raise NotImplementedError

    async def account_of(self, session_id: str, idle_seconds: float, renew: bool) -> Optional[str]:
        """The session's account if it is live (renewing its idle time when asked); None otherwise."""
        raise NotImplementedError

    async def remove(self, session_id: str) -> None:
        raise NotImplementedError

    async def remove_all(self, account: str) -> int:
        """Ends every session of the account; returns how many were live."""
        raise NotImplementedError


class InMemorySessionRecords(SessionRecords):
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._sessions: Dict[str, List] = {}  # id -> [account, last used, absolute end]
        self._by_account: Dict[str, Set[str]] = {}
        self._lock = threading.Lock()

    def _forget(self, session_id: str) -> None:
        record = self._sessions.pop(session_id, None)
        if record is not None:
            self._by_account.get(record[0], set()).discard(session_id)

    async def add(self, session_id, account, idle_seconds, lifetime_seconds):
        with self._lock:
            now = self._clock()
            for old_id in [sid for sid, (_, used, end) in self._sessions.items()
                           if end <= now or now - used >= idle_seconds]:
                self._forget(old_id)  # the ones nobody came back for
            self._sessions[session_id] = [account, now, now + lifetime_seconds]
            self._by_account.setdefault(account, set()).add(session_id)

    async def account_of(self, session_id, idle_seconds, renew):
        with self._lock:
            record, now = self._sessions.get(session_id), self._clock()
            if record is None:
                return None
            account, used, end = record
            if end <= now or now - used >= idle_seconds:
                self._forget(session_id)
                return None
            if renew:
                record[1] = now
            return account

    async def remove(self, session_id):
        with self._lock:
            self._forget(session_id)

    async def remove_all(self, account):
        with self._lock:
            session_ids = self._by_account.pop(account, set())
            return sum(self._sessions.pop(session_id, None) is not None for session_id in session_ids)


class RedisSessionRecords(SessionRecords):
    """A key per session that expires when idle (PEXPIRE renewed on use), and a set of ids per account."""

    RENEW = """
    local account = redis.call('GET', KEYS[1])
    if account and ARGV[1] == '1' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
    return account
    """
    REMOVE = """
    local account = redis.call('GET', KEYS[1])
    redis.call('DEL', KEYS[1])
    if account then redis.call('SREM', ARGV[1] .. account, ARGV[2]) end
    return 1
    """
    REMOVE_ALL = """
    local ended = 0
    for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do ended = ended + redis.call('DEL', ARGV[1] .. id) end
    redis.call('DEL', KEYS[1])
    return ended
    """

    def __init__(self, redis) -> None:
        self.redis = redis
        self._renew = redis.register_script(self.RENEW)
        self._remove = redis.register_script(self.REMOVE)
        self._remove_all = redis.register_script(self.REMOVE_ALL)

    @staticmethod
    def _key(session_id: str) -> str:
        return f"{KEY_PREFIX}id:{session_id}"

    @staticmethod
    def _account_key(account: str) -> str:
        return f"{KEY_PREFIX}account:{account}"

    async def add(self, session_id, account, idle_seconds, lifetime_seconds):
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key(session_id), account, px=_ms(min(idle_seconds, lifetime_seconds)))
            pipe.sadd(self._account_key(account), session_id)
            pipe.pexpire(self._account_key(account), _ms(lifetime_seconds))  # no set outlives its newest session
            await pipe.execute()

    async def account_of(self, session_id, idle_seconds, renew):
        return await self._renew(keys=[self._key(session_id)], args=["1" if renew else "0", _ms(idle_seconds)])

    async def remove(self, session_id):
        await self._remove(keys=[self._key(session_id)], args=[self._account_key(""), session_id])

    async def remove_all(self, account):
        return int(await self._remove_all(keys=[self._account_key(account)], args=[self._key("")]))


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


class Sessions:
    def __init__(self, records: SessionRecords, settings: ConsoleSettings) -> None:
        if not settings.session_secret:
            logger.warning("COORDINATOR_SESSION_SECRET is not set: console sessions end when this process does")
        self._secret = settings.session_secret or secrets.token_urlsafe(32)
        self._records = records
        self._lifetime, self._idle = settings.session_seconds, settings.idle_seconds

    async def start(self, account: str) -> str:
        """A new session for the account; returns its token for the cookie."""
        session_id, now = secrets.token_urlsafe(24), int(time.time())
        await self._records.add(session_id, account, self._idle, self._lifetime)
        return jwt.encode({"sub": account, "sid": session_id, "iat": now, "exp": now + int(self._lifetime),
                           "typ": TOKEN_TYPE}, self._secret, algorithm="HS256")

    def _claims(self, token: Optional[str]) -> Optional[dict]:
        if not token:
            return None
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], options={"require": ["exp", "sub", "sid"]})
        except jwt.PyJWTError:
            return None
        return claims if claims.get("typ") == TOKEN_TYPE else None

    async def account_of(self, token: Optional[str], renew: bool = True) -> Optional[str]:
        """The account of a live session: signed, not expired, not ended, not idle too long.

        `renew` counts this as use (a request by the coordinator), restarting the idle time.
        """
        claims = self._claims(token)
        if claims is None:
            return None
        account = await self._records.account_of(str(claims["sid"]), self._idle, renew)
        return account if account is not None and account == claims["sub"] else None

    async def end(self, token: Optional[str]) -> None:
        claims = self._claims(token)
        if claims is not None:
            await self._records.remove(str(claims["sid"]))

    async def end_all(self, account: str) -> int:
        return await self._records.remove_all(account)


def create_sessions(settings: ConsoleSettings, redis=None) -> Sessions:
    """Sessions in Redis when a client is given (REDIS_URL), so every instance knows them; else in memory."""
    return Sessions(RedisSessionRecords(redis) if redis is not None else InMemorySessionRecords(), settings)
