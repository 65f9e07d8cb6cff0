"""An explicit language choice ("please answer in English", "用中文").

It goes to the `preferred_language` slot, which the responses and actions
prefer over the language detected from each message, so a patient who writes
Chinese but asked for English keeps getting English.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker, ValidationAction
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


# Languages a short answer cannot tell apart by script: a name or a place
# ("Renji", "Anna Schmidt", "田中太郎") reads as any of them.
SAME_SCRIPT_FAMILIES = (frozenset({"en", "fr", "de", "es", "vi"}), frozenset({"zh-Hans", "zh-Hant", "ja"}))
# A longer answer in another language is the patient switching, not a name.
MAX_ANSWER_WORDS, MAX_ANSWER_CHARS = 4, 40
# Answers that are names or contact details say nothing about the language.
LANGUAGE_BLIND_SLOTS = frozenset({"patient_name", "contact", "booking_ref", "referral_id", "birth_date"})


def language_before_this_turn(tracker: Tracker) -> Optional[str]:
    """The `language` slot as it was before the patient's latest message was read."""
    seen_latest_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_latest_message = True
        elif seen_latest_message and event.get("event") == "slot" and event.get("name") == "language":
            return event.get("value")
    return None


def kept_language_for_form_answer(tracker: Tracker) -> List[Dict[Text, Any]]:
    """Undo a language change that only a form's answer caused.

    Rasa fills `language` from every decisive detection; inside a form, a bare
    hospital name or a patient's name would flip the replies to whatever
    language the name looks like. A patient who wants another language says
    so (switch_language sets `preferred_language`) or writes in another script.
    """
    before, now = language_before_this_turn(tracker), tracker.get_slot("language")
    if not before or not now or before == now or not (tracker.active_loop or {}).get("name"):
        return []
    requested = tracker.get_slot("requested_slot")
    answer = (tracker.latest_message or {}).get("text") or ""
    short = len(answer.split()) <= MAX_ANSWER_WORDS and len(answer) <= MAX_ANSWER_CHARS
    same_family = any(before in family and now in family for family in SAME_SCRIPT_FAMILIES)
    if requested in LANGUAGE_BLIND_SLOTS or (same_family and short):
        return [SlotSet("language", before)]
    return []


def first_guess(tracker: Tracker) -> List[Dict[Text, Any]]:
    """A conversation's first message may be too short to be sure ("你好"); a guess beats English."""
    guess = (tracker.latest_message or {}).get("language")
    if tracker.get_slot("language") is None and guess and languages.is_supported(guess):
        return [SlotSet("language", guess)]
    return []


class ValidateConversationLanguage(ValidationAction):
    """Rasa runs this after filling slots from every message (action_validate_slot_mappings).

    Rasa's slot mappings cannot say "only if the slot is empty" or "unless a
    form is asking for a name", so the `language` slot's last word is here.
    If the action server is down, Rasa keeps the plain mapping's value.
    """

    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # Not super(): it only logs a warning for every slot without a validate_<slot> method.
        return kept_language_for_form_answer(tracker) or first_guess(tracker)
