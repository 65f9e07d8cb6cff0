"""Referral status behind a second factor: the referral id and the patient's date of birth.

Three wrong dates of birth end the attempt; the id and the date are never
told apart in replies, so the form cannot be used to probe which ids exist.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import db, name, say, show_date
from actions.db.referrals import normalise_referral_id
from actions.handoff import hand_off

MAX_ATTEMPTS = 3


def parse_birth_date(value: str) -> Optional[dt.date]:
    """Dates of birth are asked as YYYY-MM-DD; common local orders are accepted too."""
    import dateparser

    cleaned = value.strip()
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        pass
    parsed = dateparser.parse(cleaned, settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "YMD",
                                                 "REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


class ValidateReferralForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_referral_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        if tracker.get_slot("referral_locked"):
            return []
        return domain_slots

    def validate_referral_id(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        referral_id = normalise_referral_id(str(value))
        if referral_id is None:
            say(dispatcher, tracker, "referral_id_invalid")
            return {"referral_id": None}
        return {"referral_id": referral_id}

    def validate_birth_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        birth_date = parse_birth_date(str(value))
        if birth_date is None:
            say(dispatcher, tracker, "referral_birth_date_unreadable")
            return {"birth_date": None}
        referral_id = tracker.get_slot("referral_id")
        if db().referrals.status(referral_id, birth_date) is not None:
            return {"birth_date": birth_date.isoformat()}
        attempts = int(tracker.get_slot("referral_attempts") or 0) + 1
        if attempts >= MAX_ATTEMPTS:
            return {"birth_date": None, "referral_attempts": float(attempts), "referral_locked": True}
        say(dispatcher, tracker, "referral_mismatch", referral_id=referral_id, remaining=MAX_ATTEMPTS - attempts)
        return {"birth_date": None, "referral_attempts": float(attempts)}


class ActionReferralStatus(Action):
    def name(self) -> Text:
        return "action_referral_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        reset = [SlotSet("referral_id", None), SlotSet("birth_date", None)]
        if tracker.get_slot("referral_locked"):
            # stays locked for this conversation: no further guesses; a coordinator checks identity
            say(dispatcher, tracker, "referral_locked")
            return reset + hand_off(dispatcher, tracker)
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
        return reset + [SlotSet("referral_attempts", None)]
