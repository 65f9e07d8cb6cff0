"""Rasa's RedisLockStore with its read-modify-write steps made atomic.

Rasa 3.6 issues and returns tickets with a plain GET, change, SET. With two
server instances taking messages of one conversation at the same moment, one
instance can overwrite the other's ticket or delete the lock the other just
joined: that message then fails with LockError, or two messages run at once
and one's events are lost. Measured here with two instances and ten
simultaneous messages (tests/test_production.py). This subclass does the same
steps inside Redis WATCH/MULTI transactions and changes nothing else.

endpoints-redis.yml: lock_store: type: bot.lock_store.AtomicRedisLockStore
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional, Tuple

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], Any]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # how Rasa builds a lock store named by its module path
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _transaction(self, conversation_id: str, change: Change) -> Any:
        """Applies `change` to the stored lock; retried if another instance changed it meanwhile."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        return self._transaction(conversation_id, issue)

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._transaction(conversation_id, drop_expired)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._transaction(conversation_id, finish)
