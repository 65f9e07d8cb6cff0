"""Moving a booking: "move my appointment to Friday", "đổi lịch hẹn", "перенести запись".

The form finds the patient's own booking (by its reference, or the only one this
conversation holds), asks only what changes (a new day, a new time, or both; what is
not named stays as it was), confirms, and moves it keeping its reference. Another
conversation's booking is "not found", as for cancelling.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import date_problem, time_problem, unreadable_reference, yes_no_buttons, yes_no_slot
from actions.common import db, name, say, show_date, today
from actions.dates import parse_date
from actions.db.bookings import BookingInfo, RescheduleResult, normalise_reference
from actions.form_answers import answer_language, latest_text
from actions.reasks import GAVE_UP_SLOT, EndsWhenItGivesUp, after_unusable_answer, form_gave_up
from actions.times import parse_time

FORM_SLOTS = ("reschedule_when", "reschedule_confirmed")


def booking_of(tracker: Tracker) -> Optional[BookingInfo]:
    reference = normalise_reference(tracker.get_slot("booking_ref") or "")
    return db().bookings.find(tracker.sender_id, reference) if reference else None


def is_opener(tracker: Tracker) -> bool:
    return tracker.get_slot("requested_slot") is None and \
        ((tracker.latest_message or {}).get("intent") or {}).get("name") == "reschedule_appointment"


class ValidateRescheduleForm(EndsWhenItGivesUp, FormValidationAction):
    def name(self) -> Text:
        return "validate_reschedule_form"

    async def extract_booking_ref(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        """No reference given: the only booking this conversation holds is the one meant."""
        if not is_opener(tracker) or tracker.get_slot("booking_ref"):
            return {}
        bookings = db().bookings.active_of(tracker.sender_id, today())
        return {"booking_ref": bookings[0].reference} if len(bookings) == 1 else {}

    async def extract_reschedule_when(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        """"Move my appointment to Friday at 10": the opener already says when."""
        if not is_opener(tracker) or tracker.get_slot("reschedule_when") or booking_of(tracker) is None:
            return {}
        text, language = latest_text(tracker), answer_language(tracker)
        named = parse_date(text, language, today()).date or parse_time(text, language)
        return {"reschedule_when": text} if named else {}

    def validate_booking_ref(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        reference = normalise_reference(str(value))
        if reference is None:
            return unreadable_reference(dispatcher, tracker)
        booking = db().bookings.find(tracker.sender_id, reference)
        if booking is None:
            say(dispatcher, tracker, "reschedule_not_found", reference=reference)
            return after_unusable_answer(dispatcher, tracker, "booking_ref")
        if booking.cancelled:  # nothing to move: the form ends here
            say(dispatcher, tracker, "reschedule_already_cancelled", reference=reference)
            return {"booking_ref": None, GAVE_UP_SLOT: True}
        return {"booking_ref": reference}

    def validate_reschedule_when(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        booking = booking_of(tracker)
        if booking is None:  # the booking is not known yet: asked again once it is
            return {"reschedule_when": None}
        language = answer_language(tracker)
        reading, time = parse_date(str(value), language, today()), parse_time(str(value), language)
        if reading.date is None and time is None:
            say(dispatcher, tracker, "reschedule_when_unreadable")
            return after_unusable_answer(dispatcher, tracker, "reschedule_when")
        hospital = db().directory.hospital(booking.hospital)
        date, time = reading.date or booking.date, time or booking.time
        problem = date_problem(reading, tracker, hospital) if reading.date else None
        problem = problem or time_problem(time, tracker, hospital, date)
        if problem is None and (date, time) == (booking.date, booking.time):
            problem = ("reschedule_same_time", {})
        if problem:
            say(dispatcher, tracker, problem[0], **problem[1])
            return after_unusable_answer(dispatcher, tracker, "reschedule_when")
        if reading.assumed_order:
            say(dispatcher, tracker, "date_read_as", date=show_date(tracker, date))
        return {"reschedule_when": f"{date.isoformat()}T{time}"}

    def validate_reschedule_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        return yes_no_slot("reschedule_confirmed", dispatcher, tracker)


def booking_values(tracker: Tracker, booking: BookingInfo) -> Dict[str, str]:
    return {"reference": booking.reference, "hospital": name(tracker, "hospital", booking.hospital),
            "date": show_date(tracker, booking.date), "time": booking.time}


def new_when(tracker: Tracker) -> Optional[tuple]:
    when = tracker.get_slot("reschedule_when") or ""
    if "T" not in when:
        return None
    date, time = when.split("T", 1)
    return dt.date.fromisoformat(date), time


class ActionAskRescheduleWhen(Action):
    def name(self) -> Text:
        return "action_ask_reschedule_when"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        booking = booking_of(tracker)
        if booking is None:
            say(dispatcher, tracker, "reschedule_when_unreadable")
        else:
            say(dispatcher, tracker, "reschedule_ask_when", **booking_values(tracker, booking))
        return []


class ActionAskRescheduleConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_reschedule_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        booking, when = booking_of(tracker), new_when(tracker)
        values = booking_values(tracker, booking) if booking else {"reference": "", "hospital": ""}
        if when:
            values.update(date=show_date(tracker, when[0]), time=when[1])
        say(dispatcher, tracker, "reschedule_summary", buttons=yes_no_buttons(tracker), **values)
        return []


class ActionRescheduleBooking(Action):
    def name(self) -> Text:
        return "action_reschedule_booking"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        reset = [SlotSet(slot, None) for slot in (*FORM_SLOTS, GAVE_UP_SLOT)]
        booking, when = booking_of(tracker), new_when(tracker)
        if form_gave_up(tracker) or booking is None or when is None:
            return reset  # the form already said why it stopped
        if not tracker.get_slot("reschedule_confirmed"):
            say(dispatcher, tracker, "reschedule_not_changed", **booking_values(tracker, booking))
            return reset
        result = db().bookings.reschedule(tracker.sender_id, booking.reference, when[0], when[1])
        if result is RescheduleResult.MOVED:
            say(dispatcher, tracker, "reschedule_done", reference=booking.reference,
                hospital=name(tracker, "hospital", booking.hospital), date=show_date(tracker, when[0]), time=when[1])
        else:
            say(dispatcher, tracker, "reschedule_not_found", reference=booking.reference)
        return reset
