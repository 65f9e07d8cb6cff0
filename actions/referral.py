"""Referral status behind a second factor: the referral id and the patient's date of birth.

Wrong dates of birth are counted in the database per referral id (actions/db/referrals.py):
three lock the referral for every conversation until a coordinator unlocks it. The id and
the date are never told apart in replies, so the form cannot be used to probe which ids exist.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import db, name, reply_language, say, show_date, today
from actions.dates import parse_birth_date
from actions.db.referrals import normalise_referral_id
from actions.handoff import hand_off
from actions.reasks import GAVE_UP_SLOT, after_unusable_answer, form_gave_up


class ValidateReferralForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_referral_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        if tracker.get_slot("referral_locked") or form_gave_up(tracker):
            return []
        return domain_slots

    def validate_referral_id(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        referral_id = normalise_referral_id(str(value))
        if referral_id is None and tracker.get_slot("requested_slot") not in (None, "referral_id"):
            # a stray entity in another answer (the model once read the "-" of "14-03-1984" as a
            # referral id): the id the patient gave earlier stands
            earlier = earlier_referral_id(tracker)
            return {"referral_id": earlier} if earlier else {"referral_id": None}
        if referral_id is None:
            say(dispatcher, tracker, "referral_id_invalid")
            return after_unusable_answer(dispatcher, tracker, "referral_id")
        if db().referrals.is_locked(referral_id):  # no date of birth is asked for a locked referral
            return {"referral_id": referral_id, "referral_locked": True}
        return {"referral_id": referral_id}

    def validate_birth_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        reading = parse_birth_date(str(value), reply_language(tracker), today())
        if reading.date is None:
            say(dispatcher, tracker, "referral_birth_date_future" if reading.problem == "future"
                else "referral_birth_date_unreadable")
            return after_unusable_answer(dispatcher, tracker, "birth_date")
        birth_date = reading.date
        referral_id = normalise_referral_id(str(tracker.get_slot("referral_id") or ""))
        if referral_id is None:  # nothing to check the date against: the form asks for the id first
            return {"birth_date": None, "referral_id": None}
        result = db().referrals.check(referral_id, birth_date, tracker.sender_id)
        if result.status is not None:
            return {"birth_date": birth_date.isoformat()}
        if result.locked:
            return {"birth_date": None, "referral_locked": True}
        say(dispatcher, tracker, "referral_mismatch", referral_id=referral_id, remaining=result.attempts_left)
        return {"birth_date": None}


def earlier_referral_id(tracker: Tracker) -> Optional[str]:
    """The last well-formed referral id the conversation's slot held."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "referral_id" and event.get("value"):
            referral_id = normalise_referral_id(str(event["value"]))
            if referral_id:
                return referral_id
    return None


class ActionReferralStatus(Action):
    def name(self) -> Text:
        return "action_referral_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        reset = [SlotSet("referral_id", None), SlotSet("birth_date", None), SlotSet(GAVE_UP_SLOT, None)]
        if form_gave_up(tracker):
            return reset  # the form already said why it stopped, and offered a coordinator
        if tracker.get_slot("referral_locked"):
            # locked in the database for every conversation; a coordinator checks identity
            say(dispatcher, tracker, "referral_locked")
            return reset + [SlotSet("referral_locked", None)] + hand_off(dispatcher, tracker)
        referral_id, birth_date = tracker.get_slot("referral_id"), tracker.get_slot("birth_date")
        status = (db().referrals.status(referral_id, dt.date.fromisoformat(birth_date))
                  if referral_id and birth_date else None)
        if status is None:
            say(dispatcher, tracker, "utter_ask_referral_id")
            return reset
        say(dispatcher, tracker, f"referral_status_{status.status}", referral_id=status.id,
            hospital=name(tracker, "hospital", status.hospital),
            department=name(tracker, "department", status.department) if status.department else "",
            **({"date": show_date(tracker, status.appointment_date)} if status.status == "scheduled" else {}))
        return reset
