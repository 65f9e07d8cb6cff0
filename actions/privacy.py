"""Erasure on request (PIPL): the patient's bookings and the personal details in the conversation."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import db, say

PERSONAL_SLOTS = ("patient_name", "contact", "birth_date", "referral_id", "booking_ref", "appointment_date",
                  "appointment_time", "data_consent", "booking_confirmed")


class ActionEraseData(Action):
    def name(self) -> Text:
        return "action_erase_data"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        erased = db().bookings.erase_owner(tracker.sender_id)
        say(dispatcher, tracker, "erase_done", bookings=erased)
        return [SlotSet(slot, None) for slot in PERSONAL_SLOTS]
