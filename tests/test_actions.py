"""Every custom action, run against the real SQLite directory with rasa-sdk trackers."""
import asyncio
import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import booking, directory, emergency, fallback, handoff, language, privacy, referral
from actions.db import database, referrals
from bot import texts
from bot.languages import TAGS

pytestmark = pytest.mark.usefixtures("fresh_database")  # tests/conftest.py


def make_tracker(slots=None, intent="inform", entities=(), text="", active_loop=None, events=(), sender="patient-1"):
    message = {"intent": {"name": intent}, "text": text,
               "entities": [{"entity": name, "value": value} for name, value in entities]}
    return Tracker(sender, dict(slots or {}), message, list(events), False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    if asyncio.iscoroutine(events):
        events = asyncio.run(events)
    return "\n".join(m.get("text") or "" for m in dispatcher.messages), dispatcher.messages, events


def validate(method, value, tracker):
    dispatcher = CollectingDispatcher()
    result = method(value, dispatcher, tracker, {})
    return result, "\n".join(m.get("text") or "" for m in dispatcher.messages)


def slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


# --- directory ---------------------------------------------------------------

@pytest.mark.parametrize("tag", TAGS)
def test_find_hospital_answers_in_the_patients_language(tag):
    tracker = make_tracker({"language": tag}, "find_hospital",
                           [("department", "ophthalmology"), ("place", "luohu_port")])
    reply, messages, _ = run(directory.ActionFindHospital(), tracker)
    assert database().directory.name("hospital", "cmer_luohu", tag) in reply
    assert texts.get("sample_notice", tag) in reply
    assert messages[0]["buttons"][0]["payload"] == '/inform{"hospital":"cmer_luohu"}'


def test_find_hospital_with_no_match_widens_the_search():
    tracker = make_tracker({"language": "en"}, "find_hospital", [("department", "tcm"), ("place", "hong_kong")])
    reply, _, _ = run(directory.ActionFindHospital(), tracker)
    assert reply.startswith("No listed hospital matches")
    assert "Shuguang" in reply and "C-MER" in reply


def test_find_hospital_without_criteria_asks_for_them():
    reply, _, _ = run(directory.ActionFindHospital(), make_tracker({"language": "fr"}, "find_hospital"))
    assert reply == texts.get("find_ask_criteria", "fr")


def test_planned_hospitals_are_flagged_as_possibly_not_open():
    tracker = make_tracker({"language": "en"}, "find_hospital", [("department", "oncology"), ("place", "lingang")])
    reply, _, _ = run(directory.ActionFindHospital(), tracker)
    assert "2025-12" in reply and "check with the hospital" in reply


def test_directions_to_the_port_hospital_say_five_minutes_after_customs():
    tracker = make_tracker({"language": "zh-Hant"}, "ask_directions", [("hospital", "cmer_luohu")])
    reply, _, events = run(directory.ActionDirections(), tracker)
    assert texts.get("route_walk_after_customs", "zh-Hant", origin="羅湖口岸", minutes="5") in reply
    assert slots(events) == {"hospital": "cmer_luohu"}


def test_directions_use_the_hospital_in_context_and_give_the_chinese_address_for_a_taxi():
    tracker = make_tracker({"language": "en", "hospital": "sixth_lingang"}, "ask_directions")
    reply, _, _ = run(directory.ActionDirections(), tracker)
    assert "about 30 minutes by car" in reply and "临港" in reply


def test_directions_without_a_hospital_ask_which_one_with_buttons():
    reply, messages, _ = run(directory.ActionDirections(), make_tracker({"language": "ko"}, "ask_directions"))
    assert reply == texts.get("ask_which_hospital", "ko")
    assert len(messages[0]["buttons"]) == 10
    assert messages[0]["buttons"][0]["payload"].startswith("/ask_directions{")


def test_hours_mark_closed_days_and_the_emergency_department():
    tracker = make_tracker({"language": "en"}, "ask_hours", [("hospital", "renji")])
    reply, _, _ = run(directory.ActionHours(), tracker)
    assert "Sun: closed" in reply and "open 24 hours" in reply and "Sample directory" in reply


def test_insurance_by_insurer_lists_direct_billing_with_the_pilot_note():
    tracker = make_tracker({"language": "en"}, "ask_insurance", [("insurer", "hk_medical_insurance")])
    reply, _, _ = run(directory.ActionInsurance(), tracker)
    assert "Luohu People" in reply and "pilot" in reply and "confirm coverage" in reply


def test_insurance_by_hospital_notes_renjis_many_insurers():
    tracker = make_tracker({"language": "en"}, "ask_insurance", [("hospital", "renji")])
    reply, _, _ = run(directory.ActionInsurance(), tracker)
    assert "Bupa" in reply and "nearly 60 insurers" in reply


def test_insurance_without_insurer_or_hospital_asks():
    reply, _, _ = run(directory.ActionInsurance(), make_tracker({"language": "de"}, "ask_insurance"))
    assert reply == texts.get("insurance_ask", "de")


# --- booking -------------------------------------------------------------------

FORM = booking.ValidateBookingForm()


def test_booking_asks_nothing_more_after_consent_is_refused():
    tracker = make_tracker({"data_consent": False}, "deny", active_loop="booking_form")
    required = asyncio.run(FORM.required_slots(list(booking.BOOKING_SLOTS), CollectingDispatcher(), tracker, {}))
    assert required == []


def test_unknown_hospital_gets_a_specific_reply():
    result, reply = validate(FORM.validate_hospital, "St. Elsewhere", make_tracker({"language": "en"}))
    assert result == {"hospital": None} and reply == texts.get("unknown_hospital", "en")


def test_a_planned_hospital_cannot_be_booked():
    result, reply = validate(FORM.validate_hospital, "sixth_lingang",
                             make_tracker({"language": "en"}, entities=[("hospital", "sixth_lingang")]))
    assert result == {"hospital": None} and "not open yet" in reply


def test_a_department_the_hospital_lacks_is_refused_with_what_it_offers():
    tracker = make_tracker({"language": "en", "hospital": "cmer_luohu"}, entities=[("department", "cardiology")])
    result, reply = validate(FORM.validate_department, "cardiology", tracker)
    assert result == {"department": None} and "Ophthalmology" in reply


@pytest.mark.parametrize("text,key", [("yesterday", "book_date_past"), ("30 February", "book_date_impossible"),
                                      ("whenever", "book_date_unreadable"), ("2027-06-01", "book_date_too_far")])
def test_bad_dates_get_a_specific_reply(text, key):
    result, reply = validate(FORM.validate_appointment_date, text,
                             make_tracker({"language": "en", "hospital": "renji"}))
    assert result == {"appointment_date": None} and reply == texts.get(key, "en")


def test_a_day_the_hospital_is_closed_is_refused():
    # 2026-11-29 is a Sunday; Renji's sample hours close on Sundays
    result, reply = validate(FORM.validate_appointment_date, "2026-11-29",
                             make_tracker({"language": "en", "hospital": "renji"}))
    assert result == {"appointment_date": None} and "closed" in reply


def test_a_relative_date_with_a_time_fills_both_slots():
    result, _ = validate(FORM.validate_appointment_date, "下周二下午3点",
                         make_tracker({"language": "zh-Hans", "hospital": "renji"}))
    assert result == {"appointment_date": "2026-12-01", "appointment_time": "15:00"}


def test_a_time_outside_opening_hours_is_refused():
    tracker = make_tracker({"language": "en", "hospital": "renji", "appointment_date": "2026-12-05"})  # Saturday
    result, reply = validate(FORM.validate_appointment_time, "3pm", tracker)
    assert result == {"appointment_time": None} and "08:00–12:00" in reply


@pytest.mark.parametrize("value,ok", [("+852 9123 4567", True), ("anna@example.org", True), ("13800000000", True),
                                      ("call me", False), ("12", False)])
def test_contact_must_be_a_phone_number_or_email(value, ok):
    result, _ = validate(FORM.validate_contact, value, make_tracker({"language": "en"}))
    assert (result["contact"] is not None) == ok


def test_a_confirmed_booking_is_stored_and_personal_slots_are_cleared():
    filled = {"language": "en", "data_consent": True, "hospital": "renji", "department": "cardiology",
              "appointment_date": "2026-12-01", "appointment_time": "10:00", "patient_name": "Anna Schmidt",
              "contact": "anna@example.org", "booking_confirmed": True}
    reply, _, events = run(booking.ActionSubmitBooking(), make_tracker(filled))
    reference = slots(events)["booking_ref"]
    assert reference in reply and "has not received a real booking" in reply
    assert slots(events)["patient_name"] is None and slots(events)["contact"] is None
    assert database().bookings.find("patient-1", reference).department == "cardiology"


def test_refused_consent_stores_nothing():
    reply, _, _ = run(booking.ActionSubmitBooking(), make_tracker({"language": "en", "data_consent": False}))
    assert reply == texts.get("consent_refused", "en")


def test_cancel_only_own_booking():
    reference = database().bookings.create("patient-1", "renji", "cardiology", dt.date(2026, 12, 1), "10:00",
                                           "Anna", "a@b.cn", "en")
    other, _, _ = run(booking.ActionCancelBooking(), make_tracker({"language": "en", "booking_ref": reference},
                                                                  sender="patient-2"))
    assert other == texts.get("cancel_not_found", "en", reference=reference)
    mine, _, _ = run(booking.ActionCancelBooking(), make_tracker({"language": "en", "booking_ref": reference.lower()}))
    assert mine.startswith(f"Booking {reference}") and "cancelled" in mine


def test_a_malformed_booking_reference_is_explained():
    result, reply = validate(booking.ValidateCancelForm().validate_booking_ref, "12345",
                             make_tracker({"language": "es"}))
    assert result == {"booking_ref": None} and reply == texts.get("cancel_reference_invalid", "es")


# --- referral --------------------------------------------------------------------

REFERRAL = referral.ValidateReferralForm()


def test_malformed_referral_id_is_explained():
    result, reply = validate(REFERRAL.validate_referral_id, "RF-12", make_tracker({"language": "ru"}))
    assert result == {"referral_id": None} and reply == texts.get("referral_id_invalid", "ru")


def test_a_stray_referral_id_in_the_birth_date_answer_keeps_the_one_given_before():
    """The model once read the "-" of "14-03-1984" as a referral id: the form must not lose
    RF-91010, nor count an attempt against no referral."""
    earlier = [{"event": "slot", "name": "referral_id", "value": "RF-91010"},
               {"event": "slot", "name": "referral_id", "value": "-"}]
    tracker = make_tracker({"language": "vi", "referral_id": "-", "requested_slot": "birth_date"}, events=earlier)
    result, reply = validate(REFERRAL.validate_referral_id, "-", tracker)
    assert result == {"referral_id": "RF-91010"} and reply == ""
    result, _ = validate(REFERRAL.validate_birth_date, "14-03-1984",
                         make_tracker({"language": "vi", "referral_id": "-", "requested_slot": "birth_date"}))
    assert result == {"birth_date": None, "referral_id": None}


def test_referral_status_after_the_right_birth_date():
    tracker = make_tracker({"language": "en", "referral_id": "RF-47219"})
    result, _ = validate(REFERRAL.validate_birth_date, "1975-06-30", tracker)
    assert result == {"birth_date": "1975-06-30"}
    reply, _, _ = run(referral.ActionReferralStatus(),
                      make_tracker({"language": "en", "referral_id": "RF-47219", "birth_date": "1975-06-30"}))
    assert "scheduled" in reply and "2026-12-08" in reply


def test_three_wrong_birth_dates_lock_the_referral():
    tracker = make_tracker({"language": "en", "referral_id": "RF-20831"})
    for expected_left in (2, 1):
        result, reply = validate(REFERRAL.validate_birth_date, "2000-01-01", tracker)
        assert f"{expected_left} attempts left" in reply and result == {"birth_date": None}
    result, _ = validate(REFERRAL.validate_birth_date, "2000-01-01", tracker)
    assert result["referral_locked"] is True
    reply, _, events = run(referral.ActionReferralStatus(), make_tracker({"language": "en", "referral_locked": True}))
    assert reply == texts.get("referral_locked", "en") + "\n" + texts.get("handoff_queued", "en")
    assert [e["event"] for e in events][-1] == "pause"  # the Rasa server queues it for a coordinator
    required = asyncio.run(REFERRAL.required_slots(["referral_id", "birth_date"], CollectingDispatcher(),
                                                   make_tracker({"referral_locked": True}), {}))
    assert required == []


def test_a_locked_referral_stays_locked_from_another_conversation_even_with_the_right_date():
    for _ in range(3):
        validate(REFERRAL.validate_birth_date, "2000-01-01",
                 make_tracker({"language": "en", "referral_id": "RF-47219"}, sender="attacker"))
    other = make_tracker({"language": "en", "referral_id": "RF-47219"}, sender="someone-else")
    result, _ = validate(REFERRAL.validate_referral_id, "RF-47219", other)
    assert result == {"referral_id": "RF-47219", "referral_locked": True}
    result, reply = validate(REFERRAL.validate_birth_date, "1975-06-30", other)
    assert result["referral_locked"] is True and "scheduled" not in reply
    assert database().referrals.unlock("RF-47219")  # a coordinator checked the patient's identity
    result, _ = validate(REFERRAL.validate_birth_date, "1975-06-30", other)
    assert result == {"birth_date": "1975-06-30"}


def test_one_client_guessing_across_many_referrals_is_stopped():
    tracker_for = lambda rid: make_tracker({"language": "en", "referral_id": rid}, sender="prober")  # noqa: E731
    results = [validate(REFERRAL.validate_birth_date, "2000-01-01", tracker_for(f"RF-{10000 + n}"))[0]
               for n in range(referrals.MAX_CLIENT_FAILURES + 1)]
    assert all(r == {"birth_date": None} for r in results[:-1])
    assert results[-1]["referral_locked"] is True
    # an honest patient elsewhere is not affected
    result, _ = validate(REFERRAL.validate_birth_date, "1975-06-30",
                         make_tracker({"language": "en", "referral_id": "RF-47219"}, sender="honest"))
    assert result == {"birth_date": "1975-06-30"}


def test_a_wrong_birth_date_never_reveals_the_status():
    tracker = make_tracker({"language": "en", "referral_id": "RF-20831"})
    _, reply = validate(REFERRAL.validate_birth_date, "1984-03-13", tracker)
    assert "review" not in reply


# --- emergency, language, fallback, privacy --------------------------------------

def test_emergency_near_luohu_gives_120_and_the_nearest_listed_emergency_department():
    reply, _, events = run(emergency.ActionEmergencyFollowUp(),
                           make_tracker({"language": "en", "place": "luohu_port"}, "emergency"))
    assert "120" in reply and "999" not in reply and "Luohu People" in reply
    assert events == []


def test_emergency_in_hong_kong_gives_999():
    reply, _, _ = run(emergency.ActionEmergencyFollowUp(), make_tracker({"language": "zh-Hant", "place": "hong_kong"}))
    assert "999" in reply


def test_emergency_without_a_region_adds_nothing_to_the_both_numbers_response():
    reply, messages, _ = run(emergency.ActionEmergencyFollowUp(), make_tracker({"language": "en"}))
    assert messages == []


def test_emergency_after_a_stopped_form_says_the_booking_waits_for_the_patient():
    stopped = [{"event": "user", "parse_data": {"intent": {"name": "emergency"}}},
               {"event": "bot", "text": "call 120"}, {"event": "active_loop", "name": None}]
    reply, _, events = run(emergency.ActionEmergencyFollowUp(),
                           make_tracker({"language": "en"}, "emergency", events=stopped))
    assert reply == texts.get("emergency_form_paused", "en") and events == []
    earlier = stopped + [{"event": "user", "parse_data": {"intent": {"name": "emergency"}}}]
    _, _, events = run(emergency.ActionEmergencyFollowUp(),
                       make_tracker({"language": "en"}, "emergency", events=earlier))
    assert events == []


def test_switch_language_answers_in_the_new_language():
    tracker = make_tracker({"language": "zh-Hans"}, "switch_language", [("target_language", "en")])
    reply, _, events = run(language.ActionSwitchLanguage(), tracker)
    assert reply == texts.get("language_switched", "en") and slots(events) == {"preferred_language": "en"}


@pytest.fixture(scope="module")
def domain():
    from pathlib import Path

    import yaml

    return yaml.safe_load((Path(__file__).resolve().parents[1] / "domain.yml").read_text())


def language_request(confidence, requested_slot, text):
    tracker = make_tracker({"language": "en", "requested_slot": requested_slot}, "switch_language", text=text,
                           active_loop="booking_form")
    tracker.latest_message["intent"]["confidence"] = confidence
    return tracker


@pytest.mark.parametrize("text, validated, message", [("Zhang  Wei", "Zhang Wei", None),
                                                      ("Zhang Wei 1980", None, "book_name_invalid")])
def test_a_name_the_model_took_for_a_language_request_answers_the_form(domain, text, validated, message):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(language.ActionSwitchLanguage().run(
        dispatcher, language_request(0.48, "patient_name", text), domain))
    assert slots(events) == {"patient_name": validated}  # the form's own validation ran
    assert [m["text"] for m in dispatcher.messages] == ([texts.get(message, "en")] if message else [])


@pytest.mark.parametrize("confidence, requested_slot", [(0.95, "patient_name"), (0.48, "referral_locked")])
def test_a_sure_language_request_or_a_slot_not_filled_from_text_is_a_language_request(domain, confidence,
                                                                                        requested_slot):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(language.ActionSwitchLanguage().run(
        dispatcher, language_request(confidence, requested_slot, "other languages?"), domain))
    assert events == [] and dispatcher.messages[0]["text"] == texts.get("language_not_supported", "en")


def test_preferred_language_beats_the_detected_one():
    tracker = make_tracker({"language": "zh-Hans", "preferred_language": "en"}, "ask_hours", [("hospital", "renji")])
    reply, _, _ = run(directory.ActionHours(), tracker)
    assert reply.startswith("Opening hours of Renji")


def test_second_fallback_in_a_row_brings_in_a_coordinator():
    fallback_event = {"event": "user", "parse_data": {"intent": {"name": "nlu_fallback"}}}
    once = run(fallback.ActionTwoStrikeFallback(), make_tracker({"language": "en"}, events=[fallback_event]))[1]
    assert once == [{"response": "utter_default", **{k: v for k, v in once[0].items() if k != "response"}}]
    twice, _, events = run(fallback.ActionTwoStrikeFallback(), make_tracker({"language": "ko"},
                                                                             events=[fallback_event, fallback_event]))
    assert twice == texts.get("fallback_still_unclear", "ko") + "\n" + texts.get("handoff_queued", "ko")
    assert [e["event"] for e in events] == ["pause"]


@pytest.mark.parametrize("tag", TAGS)
def test_asking_for_a_person_pauses_the_conversation_with_a_reply_in_the_patients_language(tag):
    reply, _, events = run(handoff.ActionHandoff(), make_tracker({"language": tag}, "request_human"))
    assert reply == texts.get("handoff_queued", tag)
    assert [e["event"] for e in events] == ["pause"]


def test_erase_data_deletes_this_conversations_bookings_only():
    bookings = database().bookings
    mine = bookings.create("patient-1", "renji", "cardiology", dt.date(2026, 12, 1), "10:00", "Anna", "a@b.cn", "en")
    theirs = bookings.create("patient-2", "renji", "cardiology", dt.date(2026, 12, 1), "11:00", "Ben", "b@b.cn", "en")
    reply, _, events = run(privacy.ActionEraseData(), make_tracker({"language": "en", "patient_name": "Anna"}))
    assert "1 booking" in reply and slots(events)["patient_name"] is None
    assert bookings.find("patient-1", mine) is None and bookings.find("patient-2", theirs) is not None


@pytest.mark.parametrize("text,expected", [("a doctor who speaks Korean", "ko"), ("有会说日语的医生吗", "ja"),
                                           ("識講廣東話嘅醫生", "zh-Hant"), ("un médecin qui parle anglais", "en"),
                                           ("need a dentist in Pudong", None)])
def test_the_staff_language_a_patient_asks_for(text, expected):
    assert directory.spoken_language_asked(text) == expected


def test_find_hospital_filters_by_the_staff_language_asked_for():
    tracker = make_tracker({"language": "en"}, "find_hospital", [("department", "dentistry")],
                           text="a dentist who speaks Korean")
    reply, _, _ = run(directory.ActionFindHospital(), tracker)
    assert "Raffles" in reply and "한국어" in reply


def test_the_action_server_opens_its_database_before_the_first_action(tmp_path):
    """Not on the first patient's question (about 240 ms for every message queued behind it)."""
    import sqlite3

    from conftest import free_port, start_action_server, stop

    process = start_action_server(tmp_path, free_port())  # returns once /health answers
    try:
        with sqlite3.connect(tmp_path / "guide.sqlite") as connection:
            assert connection.execute("select count(*) from hospitals").fetchone()[0] > 0
    finally:
        stop(process)
