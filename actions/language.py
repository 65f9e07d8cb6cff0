"""An explicit language choice ("please answer in English", "用中文").

It goes to the `preferred_language` slot, which the responses and actions
prefer over the language detected from each message, so a patient who writes
Chinese but asked for English keeps getting English. A form's answer the
model only half believes is a language request (a name naming no language)
goes back to the form instead.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_entity, reply_language, say
from bot import languages, texts
from bot.language_names import named_language


class ActionSwitchLanguage(Action):
    def name(self) -> Text:
        return "action_switch_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        target = latest_entity(tracker, "target_language")
        if not target or not languages.is_supported(target):  # "영어로": the name glued to a particle
            target = named_language(tracker.latest_message.get("text") or "", reply_language(tracker)) or target
        answered_slot = form_answer_read_as_language_request(tracker, domain)
        if not target and answered_slot:
            return await validated_answer(answered_slot, dispatcher, tracker, domain)
        if not target or not languages.is_supported(target):
            # none named, or one we do not speak: the list, and a button for each
            say(dispatcher, tracker, "language_not_supported", buttons=language_buttons())
            return []
        dispatcher.utter_message(text=texts.get("language_switched", target))
        return [SlotSet("preferred_language", target)]


def language_buttons() -> List[Dict[str, str]]:
    return [{"title": lang.native_name, "payload": f'/switch_language{{"target_language":"{lang.tag}"}}'}
            for lang in languages.LANGUAGES]


# Below this confidence, a "language request" that names no language is
# more likely something else: the fresh model read the name "Zhang Wei" as
# one at 0.48, while "change the language" or "do you speak Portuguese"
# score above 0.85.
UNSURE_LANGUAGE_REQUEST = 0.7


def form_answer_read_as_language_request(tracker: Tracker, domain: Dict[Text, Any]) -> Optional[Text]:
    """The slot a form is waiting for, if the message is better read as its free-text answer.

    Only for slots the form fills from the whole text (a name, a contact): the
    patient answered the question, and the model took it for a language request
    it is unsure of.
    """
    form = (tracker.active_loop or {}).get("name")
    slot = tracker.get_slot("requested_slot")
    confidence = (tracker.latest_message.get("intent") or {}).get("confidence", 1.0)
    if not form or not slot or confidence >= UNSURE_LANGUAGE_REQUEST:
        return None
    mappings = ((domain.get("slots") or {}).get(slot) or {}).get("mappings") or []
    takes_text = any(mapping.get("type") == "from_text" and any(
        condition.get("active_loop") == form and condition.get("requested_slot", slot) == slot
        for condition in mapping.get("conditions") or []) for mapping in mappings)
    return slot if takes_text else None


async def validated_answer(slot: Text, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: Dict[Text, Any]) -> List[Dict]:
    """The answer checked by its form's own validation, as if Rasa had extracted it.

    The form runs next (the rules say so) but, coming back from another action,
    Rasa does not validate what that action set; so the validation runs here.
    """
    from actions.booking import ValidateBookingForm, ValidateCancelForm
    from actions.referral import ValidateReferralForm

    answer = SlotSet(slot, tracker.latest_message.get("text"))
    validators = {action.name(): action for action in (ValidateBookingForm(), ValidateCancelForm(),
                                                        ValidateReferralForm())}
    validator = validators.get(f"validate_{tracker.active_loop['name']}")
    if validator is None:
        return [answer]
    candidate = tracker.copy()
    candidate.events = [*tracker.events, answer]  # the slot candidates are the events after the last other one
    candidate.slots = {**tracker.slots, slot: answer["value"]}
    return await validator.run(dispatcher, candidate, domain)


# The `language` slot's own rules (a form's answer keeps the language, a
# short first message gets the detector's guess) run inside the Rasa server:
# bot/language_slot.py.
