"""bot.lock_store.AtomicRedisLockStore against a real Redis: tickets from two instances at once are never lost."""
import threading

import redis

from bot.lock_store import AtomicRedisLockStore


def store(url):
    client = redis.Redis.from_url(url)
    kwargs = client.connection_pool.connection_kwargs
    return AtomicRedisLockStore(host=kwargs["host"], port=kwargs["port"], db=kwargs.get("db", 0), key_prefix="t")


def test_tickets_issued_at_once_by_two_instances_are_all_kept(redis_server):
    instances = [store(redis_server), store(redis_server)]
    tickets, threads = [], []

    def issue(instance):
        for _ in range(50):
            tickets.append(instance.issue_ticket("conversation-1"))

    for instance in instances:
        threads.append(threading.Thread(target=issue, args=(instance,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lock = instances[0].get_lock("conversation-1")
    assert len(set(tickets)) == 100
    assert sorted(t.number for t in lock.tickets) == sorted(tickets)


def test_the_lock_goes_when_the_last_ticket_is_done(redis_server):
    instance = store(redis_server)
    first, second = instance.issue_ticket("conversation-2"), instance.issue_ticket("conversation-2")
    instance.cleanup("conversation-2", first)
    assert instance.get_lock("conversation-2") is not None  # the second is still waiting
    instance.cleanup("conversation-2", second)
    assert instance.get_lock("conversation-2") is None
