"""A tracker store outage fails the message instead of forking the conversation into memory.

Rasa wraps every tracker store in FailSafeTrackerStore. When Redis cannot be
read, its `retrieve` returns None, so Rasa takes the patient for a new
conversation (consent asked again, earlier answers gone); when Redis cannot be
written, its `save` keeps the tracker in an in-memory store instead, which
nothing reads again: the conversation, patient's words included, stays in that
process until it restarts, and the next message (read from Redis) never sees
it. Seen under `make chaos` (Redis restarted under load, docs/chaos.md).

Here both raise the store's error instead. The channels' guard
(bot/handoff/guard.py) then tells the patient, in their language, to try again
in a moment, and the conversation in Redis stays as it was: nothing forked,
nothing kept where no one looks. The log names the store and the error type
(Rasa's own line said "falling back to the InMemoryTrackerStore").
"""
from __future__ import annotations

import functools
import logging

logger = logging.getLogger(__name__)


def _unavailable(store, doing: str, error: Exception) -> None:
    logger.error("tracker store %s unavailable while %s (%s): the message is not processed",
                 type(store._tracker_store).__name__, doing, type(error).__name__)


def _failing_loudly(method: str, doing: str):
    """FailSafeTrackerStore's `method`, passed to the store it wraps, its error logged and raised."""
    async def call(self, *args):
        try:
            return await getattr(self._tracker_store, method)(*args)
        except Exception as error:
            _unavailable(self, doing, error)
            raise

    return call


@functools.cache  # once per process
def apply() -> None:
    from rasa.core.tracker_store import FailSafeTrackerStore

    for method, doing in (("retrieve", "reading"), ("retrieve_full_tracker", "reading"), ("save", "saving")):
        setattr(FailSafeTrackerStore, method, _failing_loudly(method, doing))
