"""How many console logins a client may try: counted before the password is checked.

An attempt takes its place in the counters atomically before bcrypt runs, so
parallel requests cannot all slip past the limit while the checks are under
way. Two limits, each counted over a fixed window from its first attempt:
per (account, client address), and per client address over every account. A
correct password clears its (account, client) counter and gives back its place
in the client's; failures keep theirs until the window ends.

There is no account-wide lock: a flood of wrong passwords from one address
throttles that address only, never the coordinator logging in from elsewhere.

Counters live in memory (one process, under a lock) or in Redis (INCR and
PEXPIRE in one script), so several server instances count together.
"""
from __future__ import annotations

import hashlib
import math
import threading
import time
from typing import Callable, Dict, List, Sequence, Tuple

from bot.handoff.console_settings import LoginLimits

KEY_PREFIX = "patient_guide:console:login:"


class AttemptCounters:
    """Counters that expire a window after their first attempt; both implementations are atomic."""

    async def reserve(self, limited: Sequence[Tuple[str, int]], window_seconds: float) -> float:
        """Counts one attempt on every key, unless a key is at its limit: then counts nothing
        and returns the seconds until that key's window ends (0.0 when the attempt was counted)."""
        raise NotImplementedError

    async def release(self, forget: str, give_back: str) -> None:
        """After a success: deletes `forget`, takes one attempt off `give_back`."""
        raise NotImplementedError


class InMemoryAttemptCounters(AttemptCounters):
    SWEEP_SECONDS = 60

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._counts: Dict[str, List[float]] = {}  # key -> [attempts, window end]
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    def _live(self, key: str, now: float) -> List[float]:
        entry = self._counts.get(key)
        return entry if entry is not None and entry[1] > now else [0, now]

    def _sweep(self, now: float) -> None:
        # otherwise every address that ever failed once would stay in memory
        if now >= self._next_sweep:
            self._counts = {key: entry for key, entry in self._counts.items() if entry[1] > now}
            self._next_sweep = now + self.SWEEP_SECONDS

    async def reserve(self, limited, window_seconds):
        with self._lock:
            now = self._clock()
            self._sweep(now)
            for key, limit in limited:
                attempts, window_end = self._live(key, now)
                if attempts >= limit:
                    return window_end - now
            for key, _ in limited:
                entry = self._live(key, now)
                self._counts[key] = [entry[0] + 1, entry[1] if entry[0] else now + window_seconds]
            return 0.0

    async def release(self, forget, give_back):
        with self._lock:
            self._counts.pop(forget, None)
            entry = self._counts.get(give_back)
            if entry is not None and entry[0] > 0:
                entry[0] -= 1


class RedisAttemptCounters(AttemptCounters):
    # KEYS: the counters; ARGV: their limits, then the window in milliseconds
    RESERVE = """
    for i, key in ipairs(KEYS) do
      if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i]) then
        return math.max(redis.call('PTTL', key), 1)
      end
    end
    for _, key in ipairs(KEYS) do
      if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[#KEYS + 1]) end
    end
    return 0
    """
    RELEASE = """
    redis.call('DEL', KEYS[1])
    if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
    return 1
    """

    def __init__(self, redis) -> None:
        self._reserve = redis.register_script(self.RESERVE)
        self._release = redis.register_script(self.RELEASE)

    async def reserve(self, limited, window_seconds):
        wait_ms = await self._reserve(keys=[key for key, _ in limited],
                                      args=[*(limit for _, limit in limited), max(1, int(window_seconds * 1000))])
        return int(wait_ms) / 1000

    async def release(self, forget, give_back):
        await self._release(keys=[forget, give_back])


class LoginThrottle:
    def __init__(self, counters: AttemptCounters, limits: LoginLimits) -> None:
        self._counters, self._limits = counters, limits

    @staticmethod
    def _keys(account: str, client: str) -> Tuple[str, str]:
        # the typed name is hashed: any text may arrive there, even a password typed in the wrong field
        name = hashlib.sha256(account.encode("utf-8", "replace")).hexdigest()[:32]
        return f"{KEY_PREFIX}account:{name}:client:{client}", f"{KEY_PREFIX}client:{client}"

    async def admit(self, account: str, client: str) -> int:
        """Counts this attempt before its password is checked: 0 to go ahead, else the seconds to wait."""
        pair, whole_client = self._keys(account, client)
        wait = await self._counters.reserve([(whole_client, self._limits.per_client),
                                             (pair, self._limits.per_account_and_client)],
                                            self._limits.window_seconds)
        return max(1, math.ceil(wait)) if wait > 0 else 0

    async def succeeded(self, account: str, client: str) -> None:
        pair, whole_client = self._keys(account, client)
        await self._counters.release(forget=pair, give_back=whole_client)


def create_login_throttle(limits: LoginLimits, redis=None) -> LoginThrottle:
    """In Redis when a client is given (REDIS_URL), so every instance counts together; else in memory."""
    return LoginThrottle(RedisAttemptCounters(redis) if redis is not None else InMemoryAttemptCounters(), limits)
