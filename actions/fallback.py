"""Two strikes: the first message the NLU cannot place asks to rephrase, the second brings in a coordinator."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say
from actions.handoff import hand_off

FALLBACK_INTENT = "nlu_fallback"


def consecutive_fallbacks(tracker: Tracker) -> int:
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != FALLBACK_INTENT:
            break
        count += 1
    return count


class ActionTwoStrikeFallback(Action):
    def name(self) -> Text:
        return "action_two_strike_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        if consecutive_fallbacks(tracker) >= 2:
            say(dispatcher, tracker, "fallback_still_unclear")
            return hand_off(dispatcher, tracker)
        dispatcher.utter_message(response="utter_default")
        return []
