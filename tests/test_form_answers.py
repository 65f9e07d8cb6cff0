"""Form answers as patients type them, and no dead ends (issue 18), at the action level:
the real validators and actions against the SQLite directory, with rasa-sdk trackers."""
import asyncio
import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import booking, language, referral, reschedule, stop
from actions.db import database
from actions.reasks import MAX_ASKS, answers_to_current_question
from bot import texts

pytestmark = pytest.mark.usefixtures("fresh_database")  # tests/conftest.py


def asked(slot, answers, intent="inform", confidence=0.9):
    """Events of a form that asked `slot` once per answer (the last answer is the latest message)."""
    events = [{"event": "active_loop", "name": "booking_form"}]
    for answer in answers:
        events += [{"event": "slot", "name": "requested_slot", "value": slot},
                   {"event": "bot", "text": "?"}, {"event": "action", "name": "action_listen"},
                   {"event": "user", "text": answer}]
    return events


def tracker(slots, text="", intent="inform", confidence=0.9, events=None, sender="patient-1", requested=None):
    message = {"intent": {"name": intent, "confidence": confidence}, "text": text, "entities": []}
    all_slots = {"requested_slot": requested, **slots}
    return Tracker(sender, all_slots, message, list(events or []), False, None,
                   {"name": "booking_form"} if requested else {}, "action_listen")


def validate(method, value, tracker_):
    dispatcher = CollectingDispatcher()
    result = method(value, dispatcher, tracker_, {})
    return result, dispatcher.messages


def say_it(text, lang, slot="data_consent", intent="inform", confidence=0.9, answers=None):
    events = asked(slot, answers or [text])
    return tracker({"language": lang}, text, intent, confidence, events, requested=slot)


FORM = booking.ValidateBookingForm()


@pytest.mark.parametrize("lang,text,expected", [
    ("th", "ค่ะ ยินยอม", True), ("th", "ครับ", True), ("vi", "dạ", True), ("ko", "네네", True), ("ko", "ㅇㅇ", True),
    ("zh-Hant", "好嘅", True), ("zh-Hans", "嗯", True), ("ja", "はい", True), ("ru", "ага", True), ("ar", "نعم", True),
    ("de", "jo", True), ("es", "vale", True), ("fr", "👍", True), ("en", "ok", True),
    ("zh-Hans", "不同意", False), ("vi", "không đồng ý", False), ("th", "ไม่ยินยอมค่ะ", False), ("en", "/deny", False),
])
def test_consent_in_the_forms_people_write(lang, text, expected):
    # the model's own reading is unsure (an unrelated intent): the lexicon decides
    result, _ = validate(FORM.validate_data_consent, text, say_it(text, lang, intent="greet", confidence=0.4))
    assert result == {"data_consent": expected}


def test_k_is_asked_again_in_vietnamese_but_is_a_yes_in_english():
    result, messages = validate(FORM.validate_data_consent, "k", say_it("k", "vi"))
    assert result == {"data_consent": None}
    assert messages[0]["text"] == texts.get("yes_no_ambiguous", "vi") and len(messages[0]["buttons"]) == 2
    assert validate(FORM.validate_data_consent, "k", say_it("k", "en"))[0] == {"data_consent": True}


def test_a_question_is_never_asked_more_than_four_times():
    nonsense = ["asdf", "🤷", "???", "qwerty"]
    replies = []
    for count in range(1, MAX_ASKS + 1):
        state = say_it(nonsense[count - 1], "de", slot="appointment_time", answers=nonsense[:count])
        assert answers_to_current_question(state) == count
        result, messages = validate(FORM.validate_appointment_time, nonsense[count - 1], state)
        replies.append((result, [m.get("text") for m in messages], [m.get("buttons") for m in messages]))
    assert replies[0][1] == [texts.get("book_time_unreadable", "de")]
    assert replies[1][1][1] == texts.get("reask_example_appointment_time", "de")  # an example the second time
    assert replies[2][1][1] == texts.get("reask_offer_help", "de")  # a coordinator or stop the third
    assert [b["payload"] for b in replies[2][2][1]] == ["/request_human", "/stop"]
    assert replies[3][0] == {"appointment_time": None, "form_gave_up": True}  # the fourth ends the form
    required = asyncio.run(FORM.required_slots(["appointment_time"], CollectingDispatcher(),
                                               tracker({"form_gave_up": True}), {}))
    assert required == []


def test_an_unknown_hospital_gets_did_you_mean_buttons():
    result, messages = validate(FORM.validate_hospital, "Raffels", say_it("Raffels", "en", slot="hospital"))
    assert result == {"hospital": None}
    assert messages[0]["text"] == texts.get("hospital_did_you_mean", "en", name="Raffels")
    assert '/inform{"hospital":"raffles_shanghai"}' in [b["payload"] for b in messages[0]["buttons"]]


@pytest.mark.parametrize("lang,text,expected", [
    ("ar", "الساعة الحادية عشرة", "11:00"), ("ko", "오후 세 시", "15:00"), ("de", "um halb drei", "14:30"),
    ("th", "บ่ายสองโมง", "14:00"), ("vi", "mười giờ sáng", "10:00"), ("zh-Hans", "十点半", "10:30"),
])
def test_times_in_words(lang, text, expected):
    state = say_it(text, lang, slot="appointment_time")
    assert validate(FORM.validate_appointment_time, text, state)[0] == {"appointment_time": expected}


def test_an_ambiguous_date_says_which_day_was_taken():
    state = say_it("05/12", "fr", slot="appointment_date")
    result, messages = validate(FORM.validate_appointment_date, "05/12", state)
    assert result == {"appointment_date": "2026-12-05"}
    assert "2026-12-05" in messages[0]["text"]


def test_a_korean_birth_date_opens_the_referral():
    state = tracker({"language": "ko", "referral_id": "RF-47219"}, "1975년 6월 30일")
    result, _ = validate(referral.ValidateReferralForm().validate_birth_date, "1975년 6월 30일", state)
    assert result == {"birth_date": "1975-06-30"}


def test_a_birth_date_in_the_future_is_refused():
    state = tracker({"language": "en", "referral_id": "RF-47219"}, "3 May 2030")
    result, messages = validate(referral.ValidateReferralForm().validate_birth_date, "3 May 2030", state)
    assert result == {"birth_date": None} and messages[0]["text"] == texts.get("referral_birth_date_future", "en")


@pytest.mark.parametrize("text,expected", [("영어로 부탁드려요", "en"), ("请说英文", "en"),
                                           ("auf Französisch bitte", "fr"), ("بالعربي لو سمحت", "ar")])
def test_a_language_named_in_any_language_is_switched_to(text, expected):
    state = tracker({"language": "ko"}, text, intent="switch_language")
    events = asyncio.run(language.ActionSwitchLanguage().run(CollectingDispatcher(), state, {}))
    assert {"event": "slot", "name": "preferred_language", "value": expected, "timestamp": None} in events


def test_a_request_naming_no_language_gets_the_list_as_buttons():
    dispatcher = CollectingDispatcher()
    asyncio.run(language.ActionSwitchLanguage().run(
        dispatcher, tracker({"language": "en"}, "another language please", intent="switch_language"), {}))
    assert len(dispatcher.messages[0]["buttons"]) == 12


def test_stopping_a_booking_says_what_is_kept_and_forgets_the_rest():
    state = Tracker("p", {"language": "en", "hospital": "renji", "department": "cardiology", "patient_name": "Ann"},
                    {"intent": {"name": "stop"}}, [{"event": "active_loop", "name": "booking_form"}], False, None,
                    {}, "action_deactivate_loop")
    dispatcher = CollectingDispatcher()
    events = stop.ActionStopForm().run(dispatcher, state, {})
    assert dispatcher.messages[0]["text"].startswith(texts.get("form_stopped_booking", "en"))
    assert "Renji" in dispatcher.messages[0]["text"] and "Cardiology" in dispatcher.messages[0]["text"]
    forgotten = {e["name"] for e in events}
    assert "patient_name" in forgotten and "hospital" not in forgotten


def test_rescheduling_keeps_the_reference_and_asks_only_what_changes():
    bookings = database().bookings
    reference = bookings.create(sender_id="owner", hospital="renji", department="cardiology",
                                date=dt.date(2026, 11, 27), time="09:00", patient_name="Ann", contact="+8613800138000",
                                language="en")
    form = reschedule.ValidateRescheduleForm()
    opener = Tracker("owner", {"language": "en", "requested_slot": None}, {"intent": {"name": "reschedule_appointment"},
                     "text": "move my appointment to Monday"}, [], False, None, {"name": "reschedule_form"}, "")
    found = asyncio.run(form.extract_booking_ref(CollectingDispatcher(), opener, {}))
    assert found == {"booking_ref": reference}  # the only booking of this conversation
    state = tracker({"language": "en", "booking_ref": reference}, "Monday", sender="owner")
    result, _ = validate(form.validate_reschedule_when, "Monday", state)
    assert result == {"reschedule_when": "2026-11-30T09:00"}  # the time stays as it was
    done = Tracker("owner", {"language": "en", "booking_ref": reference, "reschedule_when": "2026-11-30T09:00",
                             "reschedule_confirmed": True}, {}, [], False, None, {}, "")
    dispatcher = CollectingDispatcher()
    reschedule.ActionRescheduleBooking().run(dispatcher, done, {})
    assert reference in dispatcher.messages[0]["text"] and "2026-11-30" in dispatcher.messages[0]["text"]
    assert bookings.find("owner", reference).date == dt.date(2026, 11, 30)


def test_only_the_owner_can_reschedule():
    reference = database().bookings.create(sender_id="owner", hospital="renji", department="cardiology",
                                           date=dt.date(2026, 11, 27), time="09:00", patient_name="Ann",
                                           contact="+8613800138000", language="en")
    state = say_it(reference, "en", slot="booking_ref")
    result, messages = validate(reschedule.ValidateRescheduleForm().validate_booking_ref, reference,
                                Tracker("intruder", state.slots, state.latest_message, state.events, False, None,
                                        {"name": "reschedule_form"}, ""))
    assert result["booking_ref"] is None
    assert messages[0]["text"] == texts.get("reschedule_not_found", "en", reference=reference)


# --- an answer the model took for an interruption ------------------------------------------

@pytest.fixture(scope="module")
def rasa_domain():
    from rasa.shared.core.domain import Domain

    return Domain.from_path("domain.yml")


@pytest.mark.parametrize("text,intent,confidence,requested,read_as", [
    ("Priya Nair", "stop", 0.837, "patient_name", "inform"),
    ("Tom Becker", "nlu_fallback", 0.3, "patient_name", "inform"),
    ("never mind, forget it", "stop", 0.999, "patient_name", "stop"),
    ("thôi khỏi, để khi khác em đặt", "stop", 0.945, "department", "stop"),  # no department in it
    ("12월 3일로 해주세요", "switch_language", 0.98, "appointment_date", "inform"),  # no language named
    ("영어로 해주세요", "switch_language", 0.98, "appointment_date", "switch_language"),
    ("a las once menos cuarto", "emergency", 0.58, "appointment_time", "inform"),
    ("в половине одиннадцатого", "emergency", 0.71, "appointment_time", "inform"),
    ("my chest hurts", "emergency", 0.34, "appointment_time", "emergency"),  # not an answer: safety first
    ("Anna Lee", "emergency", 0.8, "patient_name", "emergency"),  # the model is not unsure
    ("Priya Nair", "stop", 0.8, None, "stop"),  # no question waiting
])
def test_an_interruption_that_is_a_usable_answer_inside_a_form_is_the_answer(rasa_domain, text, intent,
                                                                              confidence, requested, read_as):
    from bot.form_interruptions import as_answer

    parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
    assert as_answer(parse, "booking_form", requested, rasa_domain, "en")["intent"]["name"] == read_as
