"""An explicit language choice ("please answer in English", "用中文").

It goes to the `preferred_language` slot, which the responses and actions
prefer over the language detected from each message, so a patient who writes
Chinese but asked for English keeps getting English.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_entity, say
from bot import languages, texts


class ActionSwitchLanguage(Action):
    def name(self) -> Text:
        return "action_switch_language"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        target = latest_entity(tracker, "target_language")
        if not target or not languages.is_supported(target):
            say(dispatcher, tracker, "language_not_supported")
            return []
        dispatcher.utter_message(text=texts.get("language_switched", target))
        return [SlotSet("preferred_language", target)]


# The `language` slot's own rules (a form's answer keeps the language, a
# short first message gets the detector's guess) run inside the Rasa server:
# bot/language_slot.py.
