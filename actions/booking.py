"""Booking and cancelling appointments: validation of the Rasa forms, and what runs after them.

The forms themselves (slots, order, mappings) are in domain.yml; this module
only checks each answer and says precisely what is wrong with it.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import db, hospital_buttons, join, latest_entity, name, reply_language, say, show_date, text, today
from actions.dates import parse_date, parse_time, split_hours
from actions.db.bookings import CancelResult, normalise_reference
from actions.db.directory import HospitalInfo
from bot.nlu.entity_ids import DEPARTMENTS

BOOKING_SLOTS = ("data_consent", "hospital", "department", "appointment_date", "appointment_time",
                 "patient_name", "contact", "booking_confirmed")
MAX_DAYS_AHEAD = 90
_PHONE = re.compile(r"^\+?[\d\s\-().]{7,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_WEEKDAY_HOURS = ("weekdays",) * 5 + ("saturday", "sunday")


def hours_on(hospital: HospitalInfo, date: dt.date) -> str:
    return hospital.hours[_WEEKDAY_HOURS[date.weekday()]]


def _hospital_of(tracker: Tracker) -> Optional[HospitalInfo]:
    hospital_id = tracker.get_slot("hospital")
    return db().directory.hospital(hospital_id) if hospital_id else None


class ValidateBookingForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_booking_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        # without consent nothing more is asked (and nothing stored)
        if tracker.get_slot("data_consent") is False:
            return []
        return domain_slots

    def validate_hospital(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        directory = db().directory
        hospital_id = latest_entity(tracker, "hospital") or value
        hospital = directory.hospital(str(hospital_id)) or \
            directory.hospital(directory.match_name("hospital", str(value)) or "")
        if hospital is None:
            say(dispatcher, tracker, "unknown_hospital")
            return {"hospital": None}
        if hospital.status != "open":
            say(dispatcher, tracker, "book_hospital_not_open", hospital=name(tracker, "hospital", hospital.id))
            return {"hospital": None}
        department = tracker.get_slot("department")
        if department and department not in hospital.departments:
            return {"hospital": hospital.id, "department": None}
        return {"hospital": hospital.id}

    def validate_department(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        department = latest_entity(tracker, "department") or value
        if department not in DEPARTMENTS:
            department = db().directory.match_name("department", str(value)) or department
        hospital = _hospital_of(tracker)
        if hospital is None:  # asked before the hospital: keep it, checked once the hospital is known
            return {"department": department}
        if department not in hospital.departments:
            offered = join(tracker, (name(tracker, "department", d) for d in hospital.departments))
            say(dispatcher, tracker, "book_department_not_offered", hospital=name(tracker, "hospital", hospital.id),
                department=name(tracker, "department", str(department)))
            dispatcher.utter_message(text=offered)
            return {"department": None}
        return {"department": department}

    def validate_appointment_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        reading = parse_date(str(value), reply_language(tracker), today())
        if reading.date is None:
            say(dispatcher, tracker,
                "book_date_unreadable" if reading.problem == "unreadable" else "book_date_impossible")
            return {"appointment_date": None}
        if reading.date <= today():
            say(dispatcher, tracker, "book_date_past")
            return {"appointment_date": None}
        if reading.date > today() + dt.timedelta(days=MAX_DAYS_AHEAD):
            say(dispatcher, tracker, "book_date_too_far")
            return {"appointment_date": None}
        hospital = _hospital_of(tracker)
        if hospital and split_hours(hours_on(hospital, reading.date)) is None:
            say(dispatcher, tracker, "book_date_closed", hospital=name(tracker, "hospital", hospital.id),
                date=show_date(tracker, reading.date))
            return {"appointment_date": None}
        slots: Dict[Text, Any] = {"appointment_date": reading.date.isoformat()}
        time = parse_time(str(value))  # "next Tuesday at 3pm" answers both questions
        if time and not tracker.get_slot("appointment_time"):
            slots["appointment_time"] = time
        return slots

    def validate_appointment_time(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        time = parse_time(str(value))
        if time is None:
            say(dispatcher, tracker, "book_time_unreadable")
            return {"appointment_time": None}
        hospital, date = _hospital_of(tracker), tracker.get_slot("appointment_date")
        if hospital and date:
            hours = split_hours(hours_on(hospital, dt.date.fromisoformat(date)))
            if hours and not hours[0] <= time < hours[1]:
                say(dispatcher, tracker, "book_time_outside_hours", hospital=name(tracker, "hospital", hospital.id),
                    hours=f"{hours[0]}–{hours[1]}")
                return {"appointment_time": None}
        return {"appointment_time": time}

    def validate_patient_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        candidate = " ".join(str(value).split())
        if not (1 <= len(candidate) <= 80) or any(ch.isdigit() or ch == "@" for ch in candidate) \
                or not any(ch.isalpha() for ch in candidate):
            say(dispatcher, tracker, "book_name_invalid")
            return {"patient_name": None}
        return {"patient_name": candidate}

    def validate_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        candidate = str(value).strip()
        if _EMAIL.match(candidate) or (_PHONE.match(candidate) and sum(ch.isdigit() for ch in candidate) >= 7):
            return {"contact": candidate}
        say(dispatcher, tracker, "book_contact_invalid")
        return {"contact": None}


class ActionAskHospital(Action):
    def name(self) -> Text:
        return "action_ask_hospital"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        department = tracker.get_slot("department")
        hospitals = [h for h in db().directory.search(department=department) if h.status == "open"]
        if not hospitals:
            hospitals = [h for h in db().directory.search() if h.status == "open"]
        say(dispatcher, tracker, "book_ask_hospital", buttons=hospital_buttons(tracker, [h.id for h in hospitals]))
        return []


class ActionAskDepartment(Action):
    def name(self) -> Text:
        return "action_ask_department"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        hospital = _hospital_of(tracker)
        departments = hospital.departments if hospital else ()
        buttons = [{"title": name(tracker, "department", d), "payload": f'/inform{{"department":"{d}"}}'}
                   for d in departments]
        say(dispatcher, tracker, "book_ask_department", buttons=buttons,
            hospital=name(tracker, "hospital", hospital.id) if hospital else "")
        return []


class ActionAskAppointmentTime(Action):
    def name(self) -> Text:
        return "action_ask_appointment_time"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        hospital, date = _hospital_of(tracker), tracker.get_slot("appointment_date")
        hours = split_hours(hours_on(hospital, dt.date.fromisoformat(date))) if hospital and date else None
        say(dispatcher, tracker, "book_ask_time", hospital=name(tracker, "hospital", hospital.id) if hospital else "",
            hours=f"{hours[0]}–{hours[1]}" if hours else "")
        return []


class ActionAskBookingConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_booking_confirmed"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        say(dispatcher, tracker, "book_summary", buttons=yes_no_buttons(tracker),
            name=tracker.get_slot("patient_name"), hospital=name(tracker, "hospital", tracker.get_slot("hospital")),
            department=name(tracker, "department", tracker.get_slot("department")),
            date=show_date(tracker, dt.date.fromisoformat(tracker.get_slot("appointment_date"))),
            time=tracker.get_slot("appointment_time"), contact=tracker.get_slot("contact"))
        return []


class ActionAskDataConsent(Action):
    def name(self) -> Text:
        return "action_ask_data_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        say(dispatcher, tracker, "consent_ask", buttons=yes_no_buttons(tracker))
        return []


def yes_no_buttons(tracker: Tracker) -> List[Dict[str, str]]:
    return [{"title": text(tracker, "button_yes"), "payload": "/affirm"},
            {"title": text(tracker, "button_no"), "payload": "/deny"}]


class ActionSubmitBooking(Action):
    def name(self) -> Text:
        return "action_submit_booking"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        # personal details leave the tracker; the hospital stays in context for directions
        reset = [SlotSet(slot, None) for slot in BOOKING_SLOTS if slot != "hospital"]
        if tracker.get_slot("data_consent") is False:
            say(dispatcher, tracker, "consent_refused")
            return reset
        if not tracker.get_slot("booking_confirmed"):
            say(dispatcher, tracker, "book_not_confirmed")
            return reset
        reference = db().bookings.create(
            sender_id=tracker.sender_id, hospital=tracker.get_slot("hospital"),
            department=tracker.get_slot("department"),
            date=dt.date.fromisoformat(tracker.get_slot("appointment_date")),
            time=tracker.get_slot("appointment_time"), patient_name=tracker.get_slot("patient_name"),
            contact=tracker.get_slot("contact"), language=reply_language(tracker),
        )
        say(dispatcher, tracker, "book_done", reference=reference)
        return reset + [SlotSet("booking_ref", reference)]


class ValidateCancelForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_cancel_form"

    def validate_booking_ref(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        reference = normalise_reference(str(value))
        if reference is None:
            say(dispatcher, tracker, "cancel_reference_invalid")
            return {"booking_ref": None}
        return {"booking_ref": reference}


class ActionCancelBooking(Action):
    def name(self) -> Text:
        return "action_cancel_booking"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        reference = normalise_reference(tracker.get_slot("booking_ref") or "")
        if reference is None:
            say(dispatcher, tracker, "utter_ask_booking_ref")
            return []
        bookings = db().bookings
        booking = bookings.find(tracker.sender_id, reference)
        result = bookings.cancel(tracker.sender_id, reference)
        if result is CancelResult.CANCELLED:
            say(dispatcher, tracker, "cancel_done", reference=reference,
                hospital=name(tracker, "hospital", booking.hospital), date=show_date(tracker, booking.date))
        elif result is CancelResult.ALREADY_CANCELLED:
            say(dispatcher, tracker, "cancel_already", reference=reference)
        else:
            say(dispatcher, tracker, "cancel_not_found", reference=reference)
        return [SlotSet("booking_ref", None)]
