"""No dead ends: what happens when a form's answer cannot be used.

Rasa's forms ask the same question again after every unusable answer, forever.
Here the validator's own reason comes first (said by the validator), then:
the second unusable answer in a row adds an example and, where the answer is a
choice, buttons; the third offers a coordinator or to stop; a fourth ends the
form, so no question is asked more than MAX_ASKS times in a row, and the
coordinator is offered once more. The count is read from the tracker, so it
survives restarts and needs no slot of its own.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say, text
from bot import texts

MAX_ASKS = 4
GAVE_UP_SLOT = "form_gave_up"
REQUESTED_SLOT = "requested_slot"


def answers_to_current_question(tracker: Tracker) -> int:
    """The patient's messages since the form started asking its current question (this one included)."""
    requested = tracker.get_slot(REQUESTED_SLOT)
    count = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            count += 1
        elif kind == "slot" and event.get("name") == REQUESTED_SLOT and event.get("value") != requested:
            break
        elif kind in ("restart", "session_started", "active_loop") and count:
            break
    return count


def help_buttons(tracker: Tracker) -> List[Dict[str, str]]:
    return [{"title": text(tracker, "button_coordinator"), "payload": "/request_human"},
            {"title": text(tracker, "button_stop"), "payload": "/stop"}]


def after_unusable_answer(dispatcher: CollectingDispatcher, tracker: Tracker, slot: Text,
                          choices: Optional[List[Dict[str, str]]] = None) -> Dict[Text, Any]:
    """Call after saying why the answer could not be used; returns the validator's result."""
    answers = answers_to_current_question(tracker)
    if answers >= MAX_ASKS:
        say(dispatcher, tracker, "form_gave_up", buttons=help_buttons(tracker)[:1])
        return {slot: None, GAVE_UP_SLOT: True}
    if answers == MAX_ASKS - 1:
        say(dispatcher, tracker, "reask_offer_help", buttons=help_buttons(tracker))
    elif answers == 2:
        # an example where the slot has one (yes/no questions already show their buttons with the reason)
        example = f"reask_example_{slot}"
        if example in texts.keys():
            say(dispatcher, tracker, example, buttons=choices)
        elif choices:
            dispatcher.utter_message(buttons=choices)
    return {slot: None}


def form_gave_up(tracker: Tracker) -> bool:
    """For required_slots(): the question was asked MAX_ASKS times and its answer is still unusable."""
    return bool(tracker.get_slot(GAVE_UP_SLOT))


class EndsWhenItGivesUp:
    """For a FormValidationAction: once it gave up on a question, no slot is required any more."""

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: Dict[Text, Any]) -> List[Text]:
        return [] if form_gave_up(tracker) else domain_slots
