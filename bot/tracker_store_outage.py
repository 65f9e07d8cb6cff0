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


@functools.cache  # once per process
def apply() -> None:
    from rasa.core.tracker_store import FailSafeTrackerStore

    async def retrieve(self, sender_id):
        try:
            return await self._tracker_store.retrieve(sender_id)
        except Exception as error:
            _unavailable(self, "reading", error)
            raise

    async def retrieve_full_tracker(self, sender_id):
        try:
            return await self._tracker_store.retrieve_full_tracker(sender_id)
        except Exception as error:
            _unavailable(self, "reading", error)
            raise

    async def save(self, tracker) -> None:
        try:
            await self._tracker_store.save(tracker)
        except Exception as error:
            _unavailable(self, "saving", error)
            raise

    FailSafeTrackerStore.retrieve = retrieve
    FailSafeTrackerStore.retrieve_full_tracker = retrieve_full_tracker
    FailSafeTrackerStore.save = save
