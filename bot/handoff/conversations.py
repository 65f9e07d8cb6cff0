"""The conversation as Rasa keeps it: its tracker is the transcript and the bot's memory.

The handoff never keeps a second copy of what the patient wrote; it reads the
tracker, and appends to it (under Rasa's conversation lock) what it sends.
"""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional

from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot import languages, texts


def reply_language(tracker: Optional[DialogueStateTracker]) -> str:
    """The conversation's language; before it has one, the latest message's best guess."""
    if tracker is None:
        return texts.FALLBACK_LANGUAGE
    candidates = [tracker.get_slot(slot) for slot in languages.REPLY_LANGUAGE_SLOTS if slot in tracker.slots]
    candidates.append((tracker.latest_message.parse_data or {}).get("language") if tracker.latest_message else None)
    return next((value for value in candidates if value and languages.is_supported(value)), texts.FALLBACK_LANGUAGE)


def this_turn(tracker: DialogueStateTracker) -> List[Event]:
    """The events since the patient's latest message (inclusive)."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            return events[index:]
    return []


def actions_this_turn(tracker: DialogueStateTracker) -> List[str]:
    return [e.action_name for e in this_turn(tracker) if isinstance(e, ActionExecuted) and e.action_name]


# Rasa's own actions; anything else that ran is ours, on the action server.
RASA_ACTIONS = frozenset({"action_listen", "action_extract_slots", "action_session_start", "action_deactivate_loop",
                          "action_restart", "action_back", "action_default_fallback", "action_unlikely_intent",
                          "action_two_stage_fallback", "action_default_ask_affirmation",
                          "action_default_ask_rephrase", "action_revert_fallback_events"})


def custom_actions_this_turn(tracker: DialogueStateTracker) -> List[str]:
    return [name for name in actions_this_turn(tracker) if name not in RASA_ACTIONS and not name.startswith("utter_")]


def answered_this_turn(tracker: DialogueStateTracker) -> bool:
    return any(isinstance(e, BotUttered) for e in this_turn(tracker))


def transcript(tracker: DialogueStateTracker) -> List[Dict[str, Any]]:
    lines = []
    for event in tracker.events:
        if isinstance(event, UserUttered) and event.text:
            lines.append({"role": "user", "text": event.text, "at": event.timestamp,
                          "language": (event.parse_data or {}).get("language", languages.UNDETERMINED)})
        elif isinstance(event, BotUttered) and event.text:
            author = (event.metadata or {}).get("coordinator")
            lines.append({"role": "coordinator" if author else "bot", "text": event.text, "at": event.timestamp,
                          **({"author": author} if author else {})})
    return lines


class Conversations:
    """Reads and appends to trackers through whatever stores the running agent uses."""

    def __init__(self, agent: Callable[[], Agent]) -> None:
        self._agent = agent

    async def tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        return await self._agent().tracker_store.retrieve(conversation_id)

    async def append(self, conversation_id: str, *events: Event) -> None:
        agent = self._agent()
        async with agent.lock_store.lock(conversation_id):
            tracker = await agent.tracker_store.retrieve(conversation_id)
            if tracker is None:
                return
            for event in events:
                tracker.update(event)
            await agent.tracker_store.save(tracker)

    async def erase(self, conversation_id: str) -> bool:
        """Deletes the tracker. Rasa's stores have no delete, so we reach the store under its wrappers."""
        agent = self._agent()
        async with agent.lock_store.lock(conversation_id):
            store = agent.tracker_store
            while hasattr(store, "_tracker_store"):  # FailSafeTrackerStore, AwaitableTrackerStore
                store = store._tracker_store
            if hasattr(store, "red"):  # RedisTrackerStore
                return bool(store.red.delete(store.key_prefix + conversation_id))
            if hasattr(store, "store"):  # InMemoryTrackerStore
                return store.store.pop(conversation_id, None) is not None
            raise NotImplementedError(f"erasing from {type(store).__name__}")
