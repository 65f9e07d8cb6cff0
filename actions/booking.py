"""Booking and cancelling appointments: validation of the Rasa forms, and what runs after them.

The forms themselves (slots, order, mappings) are in domain.yml; this module
only checks each answer and says precisely what is wrong with it.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers.contact import read_contact
from actions.answers.names import read_name
from actions.answers.yes_no import YesNo
from actions.common import db, hospital_buttons, join, name, reply_language, say, show_date, text, today
from actions.dates import DateReading, parse_date, split_hours
from actions.db.bookings import CancelResult, normalise_reference
from actions.db.directory import HospitalInfo
from actions.form_answers import answer_language, as_bool, latest_text, yes_no_answer
from actions.reasks import GAVE_UP_SLOT, EndsWhenItGivesUp, after_unusable_answer, form_gave_up
from actions.times import parse_time
from bot import entity_names
from bot.nlu.entity_ids import DEPARTMENTS

BOOKING_SLOTS = ("data_consent", "hospital", "department", "appointment_date", "appointment_time",
                 "patient_name", "contact", "booking_confirmed")
MAX_DAYS_AHEAD = 90
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
        # without consent nothing more is asked (and nothing stored); after four unusable
        # answers to one question the form ends (actions/reasks.py)
        if tracker.get_slot("data_consent") is False or form_gave_up(tracker):
            return []
        return domain_slots

    # "你好，想約下星期二喺希瑪睇牙": the names patients use for hospitals and departments fill the
    # form when the model found no entity in the opener (bot/entity_names.py)
    async def extract_hospital(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        return named_in_opener(tracker, "hospital")

    async def extract_department(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        return named_in_opener(tracker, "department")

    # "book a dentist at Renji next Tuesday at 10": the opener's date and time fill the form
    # as its hospital and department entities do, so none of them is asked again.
    async def extract_appointment_date(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        if not is_opener(tracker) or tracker.get_slot("appointment_date"):
            return {}
        reading = parse_date(latest_text(tracker), answer_language(tracker), today())
        return {"appointment_date": latest_text(tracker)} if reading.date else {}

    async def extract_appointment_time(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        if not is_opener(tracker) or tracker.get_slot("appointment_time"):
            return {}
        time = parse_time(latest_text(tracker), answer_language(tracker))
        return {"appointment_time": time} if time else {}

    def validate_data_consent(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        return yes_no_slot("data_consent", dispatcher, tracker)

    def validate_hospital(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        directory = db().directory
        hospital = next((directory.hospital(c) for c in named_candidates(tracker, "hospital", value)
                         if directory.hospital(c)), None)
        if hospital is None:
            suggestions = [h for h in directory.similar_names("hospital", str(value)) if directory.hospital(h)
                           and directory.hospital(h).status == "open"]
            if suggestions:
                say(dispatcher, tracker, "hospital_did_you_mean", name=str(value)[:40],
                    buttons=hospital_buttons(tracker, suggestions))
            else:
                say(dispatcher, tracker, "unknown_hospital", buttons=hospital_buttons(tracker, open_hospitals()))
            return after_unusable_answer(dispatcher, tracker, "hospital")
        if hospital.status != "open":
            say(dispatcher, tracker, "book_hospital_not_open", hospital=name(tracker, "hospital", hospital.id))
            return after_unusable_answer(dispatcher, tracker, "hospital",
                                         choices=hospital_buttons(tracker, open_hospitals()))
        department = tracker.get_slot("department")
        if department and department not in hospital.departments:
            return {"hospital": hospital.id, "department": None}
        return {"hospital": hospital.id}

    def validate_department(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        department = next((c for c in named_candidates(tracker, "department", value) if c in DEPARTMENTS), value)
        hospital = _hospital_of(tracker)
        if hospital is None:  # asked before the hospital: keep it, checked once the hospital is known
            return {"department": department if department in DEPARTMENTS else None}
        if department not in hospital.departments:
            offered = join(tracker, (name(tracker, "department", d) for d in hospital.departments))
            say(dispatcher, tracker, "book_department_not_offered", hospital=name(tracker, "hospital", hospital.id),
                department=name(tracker, "department", str(department)) if department in DEPARTMENTS
                else str(value)[:40])
            dispatcher.utter_message(text=offered)
            return after_unusable_answer(dispatcher, tracker, "department", choices=department_buttons(tracker))
        return {"department": department}

    def validate_appointment_date(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        reading = parse_date(str(value), answer_language(tracker), today())
        problem = date_problem(reading, tracker, _hospital_of(tracker))
        if problem:
            say(dispatcher, tracker, problem[0], **problem[1])
            return after_unusable_answer(dispatcher, tracker, "appointment_date")
        if reading.assumed_order:  # "05/03": say which of the two days was taken
            say(dispatcher, tracker, "date_read_as", date=show_date(tracker, reading.date))
        slots: Dict[Text, Any] = {"appointment_date": reading.date.isoformat()}
        time = parse_time(str(value), answer_language(tracker))  # "next Tuesday at 3pm" answers both questions
        if time and not tracker.get_slot("appointment_time"):
            slots["appointment_time"] = time
        return slots

    def validate_appointment_time(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        time = value if _HHMM.match(str(value)) else parse_time(str(value), answer_language(tracker))
        if time is None:
            say(dispatcher, tracker, "book_time_unreadable")
            return after_unusable_answer(dispatcher, tracker, "appointment_time")
        hospital, date = _hospital_of(tracker), tracker.get_slot("appointment_date")
        problem = time_problem(time, tracker, hospital, dt.date.fromisoformat(date) if date else None)
        if problem:
            say(dispatcher, tracker, problem[0], **problem[1])
            return after_unusable_answer(dispatcher, tracker, "appointment_time")
        return {"appointment_time": time}

    def validate_patient_name(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        patient_name = read_name(str(value), answer_language(tracker))
        if patient_name is None:
            say(dispatcher, tracker, "book_name_invalid")
            return after_unusable_answer(dispatcher, tracker, "patient_name")
        return {"patient_name": patient_name}

    def validate_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        contact = read_contact(str(value))
        if contact is None:
            say(dispatcher, tracker, "book_contact_invalid")
            return after_unusable_answer(dispatcher, tracker, "contact")
        return {"contact": contact.value}

    def validate_booking_confirmed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[Text, Any]:
        return yes_no_slot("booking_confirmed", dispatcher, tracker)


_HHMM = re.compile(r"^\d{2}:\d{2}$")


def unreadable_reference(dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    say(dispatcher, tracker, "cancel_reference_invalid")
    return after_unusable_answer(dispatcher, tracker, "booking_ref")


def named_candidates(tracker: Tracker, kind: str, value: Any) -> List[str]:
    """What the answer may name, most reliable first: the model's entities (all of them: it
    sometimes takes a generic word, "مستشفى", for one), the names patients use in the text
    (bot/entity_names.py: "래플스요", "看牙"), the directory's own names, the answer itself."""
    text = latest_text(tracker) or str(value)
    entities = [e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
                if e.get("entity") == kind and isinstance(e.get("value"), str)]
    return [*entities, *entity_names.named(kind, text), db().directory.match_name(kind, str(value)) or "",
            str(value)]


def named_in_opener(tracker: Tracker, kind: str) -> Dict[Text, Any]:
    if not is_opener(tracker) or tracker.get_slot(kind):
        return {}
    named = entity_names.first_named(kind, latest_text(tracker))
    return {kind: named} if named else {}


def is_opener(tracker: Tracker) -> bool:
    """The message that started the form ("book a dentist next Tuesday at 10")."""
    return tracker.get_slot("requested_slot") is None and \
        ((tracker.latest_message or {}).get("intent") or {}).get("name") == "book_appointment"


def yes_no_slot(slot: Text, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    answer = yes_no_answer(tracker)
    if answer in (YesNo.YES, YesNo.NO):
        return {slot: as_bool(answer)}
    say(dispatcher, tracker, "yes_no_ambiguous" if answer is YesNo.AMBIGUOUS else "yes_no_reask",
        buttons=yes_no_buttons(tracker))
    return after_unusable_answer(dispatcher, tracker, slot)


def date_problem(reading: DateReading, tracker: Tracker,
                 hospital: Optional[HospitalInfo]) -> Optional[Tuple[str, Dict[str, str]]]:
    """The text key (and its values) saying why this date cannot be booked, or None."""
    if reading.date is None:
        return ("book_date_unreadable" if reading.problem != "impossible" else "book_date_impossible"), {}
    if reading.date <= today():
        return "book_date_past", {}
    if reading.date > today() + dt.timedelta(days=MAX_DAYS_AHEAD):
        return "book_date_too_far", {}
    if hospital and split_hours(hours_on(hospital, reading.date)) is None:
        return "book_date_closed", {"hospital": name(tracker, "hospital", hospital.id),
                                    "date": show_date(tracker, reading.date)}
    return None


def time_problem(time: str, tracker: Tracker, hospital: Optional[HospitalInfo],
                 date: Optional[dt.date]) -> Optional[Tuple[str, Dict[str, str]]]:
    """Why this time cannot be booked at that hospital that day, or None."""
    hours = split_hours(hours_on(hospital, date)) if hospital and date else None
    if hours and not hours[0] <= time < hours[1]:
        return "book_time_outside_hours", {"hospital": name(tracker, "hospital", hospital.id),
                                           "hours": f"{hours[0]}–{hours[1]}"}
    return None


def open_hospitals() -> List[str]:
    return [h.id for h in db().directory.search() if h.status == "open"]


def department_buttons(tracker: Tracker) -> List[Dict[str, str]]:
    hospital = _hospital_of(tracker)
    return [{"title": name(tracker, "department", d), "payload": f'/inform{{"department":"{d}"}}'}
            for d in (hospital.departments if hospital else ())]


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
        say(dispatcher, tracker, "book_ask_department", buttons=department_buttons(tracker),
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
        reset = [SlotSet(slot, None) for slot in (*BOOKING_SLOTS, GAVE_UP_SLOT) if slot != "hospital"]
        if form_gave_up(tracker):
            return reset  # the form already said why it stopped, and offered a coordinator
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


class ValidateCancelForm(EndsWhenItGivesUp, FormValidationAction):
    def name(self) -> Text:
        return "validate_cancel_form"

    def validate_booking_ref(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        reference = normalise_reference(str(value))
        return {"booking_ref": reference} if reference else unreadable_reference(dispatcher, tracker)


class ActionCancelBooking(Action):
    def name(self) -> Text:
        return "action_cancel_booking"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        if form_gave_up(tracker):
            return [SlotSet(GAVE_UP_SLOT, None)]
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
