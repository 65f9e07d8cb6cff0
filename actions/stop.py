"""Leaving a form: "stop", "never mind", "算了", a tap on "Stop here" — and what is kept.

Rasa deactivates the form (the rules); this says so in the patient's language and
forgets what the form had collected, except where the patient was looking (the
hospital and department), which the bot says it keeps.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import join, name, text
from actions.reasks import GAVE_UP_SLOT

FORGOTTEN = {
    "booking_form": ("data_consent", "appointment_date", "appointment_time", "patient_name", "contact",
                     "booking_confirmed"),
    "cancel_form": (),
    "referral_form": ("referral_id", "birth_date", "referral_locked"),
    "reschedule_form": ("reschedule_when", "reschedule_confirmed"),
}
STOPPED_TEXT = {"booking_form": "form_stopped_booking", "cancel_form": "form_stopped_cancel",
                "referral_form": "form_stopped_referral", "reschedule_form": "form_stopped_reschedule"}


def last_form(tracker: Tracker) -> Optional[Text]:
    """The form that was running: the latest loop Rasa activated."""
    return next((event.get("name") for event in reversed(tracker.events)
                 if event.get("event") == "active_loop" and event.get("name")), None)


class ActionStopForm(Action):
    def name(self) -> Text:
        return "action_stop_form"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        form = last_form(tracker) or "booking_form"
        stopped = text(tracker, STOPPED_TEXT.get(form, "form_stopped_booking"))
        if form == "booking_form":
            kept = [name(tracker, kind, tracker.get_slot(kind)) for kind in ("hospital", "department")
                    if tracker.get_slot(kind)]
            if kept:
                stopped += "\n" + text(tracker, "form_stopped_kept", items=join(tracker, kept))
        dispatcher.utter_message(text=stopped)
        return [SlotSet(slot, None) for slot in (*FORGOTTEN.get(form, ()), GAVE_UP_SLOT)]
