"""Session start: the platform's language (Telegram's language_code, WeChat's user language)
becomes the conversation's language until the patient's own text shows one.

The channels pass it as `language_hint` metadata; Rasa hands the first
message's metadata to this action in the `session_started_metadata` slot.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import languages

METADATA_SLOT = "session_started_metadata"


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        events: List[Dict] = [SessionStarted()]
        # domain.yml carries slots over to a new session; a custom session start must do it itself
        events += [SlotSet(name, value) for name, value in tracker.slots.items()
                   if value is not None and name != METADATA_SLOT]
        hint = (tracker.get_slot(METADATA_SLOT) or {}).get("language_hint")
        if hint and languages.is_supported(hint) and not tracker.get_slot("language"):
            events.append(SlotSet("language", hint))
        events.append(ActionExecuted("action_listen"))
        return events
