"""The case at a glance (bot/handoff/case_summary.py) from hand-built trackers: read, never invented."""
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import texts
from bot.handoff.case_summary import summarise
from bot.handoff.store import QueueEntry

DOMAIN = Domain.load("domain.yml")
BOOKING_QUESTIONS = [form["required_slots"] for name, form in DOMAIN.forms.items() if name == "booking_form"][0]


def said(text, intent, language, entities=(), confidence=0.93):
    return [UserUttered(text, intent={"name": intent, "confidence": confidence}, entities=list(entities),
                        parse_data={"language": language}, input_channel="telegram")]


def tracker(*turns):
    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for turn in turns:
        events.extend(turn)
    return DialogueStateTracker.from_events("telegram:42", events, slots=DOMAIN.slots)


def handoff(*before):
    return [*before, ActionExecuted("action_handoff"), BotUttered("a coordinator will answer"), ConversationPaused()]


def booking_then_asks_for_a_person():
    """An Arabic patient starts a booking at Renji's dentistry, consents, then asks for a person."""
    return tracker(
        said("أريد حجز موعد في مستشفى رينجي لطب الأسنان", "book_appointment", "ar",
             [{"entity": "hospital", "value": "renji", "start": 21, "end": 32},
              {"entity": "department", "value": "dentistry", "start": 33, "end": 43}]),
        [ActionExecuted("booking_form"), ActiveLoop("booking_form"), SlotSet("hospital", "renji"),
         SlotSet("department", "dentistry"), SlotSet("requested_slot", "data_consent"),
         ActionExecuted("action_listen")],
        said("نعم", "affirm", "ar"),
        [ActionExecuted("booking_form"), SlotSet("data_consent", True), SlotSet("language", "ar"),
         SlotSet("requested_slot", "appointment_date"), ActionExecuted("action_listen")],
        said("أريد التحدث مع شخص", "request_human", "ar"),
        handoff(ActionExecuted("action_deactivate_loop"), ActiveLoop(None), SlotSet("requested_slot", None)),
    )


def test_the_case_is_named_in_the_coordinators_language():
    case = summarise(booking_then_asks_for_a_person(), "zh-Hans")
    assert case["coordinator_language"] == "zh-Hans"
    assert case["patient_language"]["tag"] == "ar" and case["patient_language"]["name"] == "العربية"
    assert case["channel"] == "telegram"
    assert case["intents"] == [
        {"intent": name, "label": texts.get(f"intent_label_{name}", "zh-Hans")}
        for name in ("book_appointment", "affirm", "request_human")]
    # the labels are the Chinese texts, not the English ones
    assert case["intents"][0]["label"] != texts.get("intent_label_book_appointment", "en")
    assert case["handover"]["reason"] == "asked"
    assert case["handover"]["label"] == texts.get("handoff_reason_asked", "zh-Hans")
    assert case["emergency"] is False


def test_known_facts_are_the_slots_with_a_value_hospital_named_from_the_directory():
    case = summarise(booking_then_asks_for_a_person(), "zh-Hans")
    facts = {fact["slot"]: fact for fact in case["facts"]}
    assert set(facts) == {"hospital", "department", "data_consent", "language"}  # nothing the patient did not give
    assert facts["hospital"]["value"] == "renji" and facts["hospital"]["name"] == "仁济医院东院"
    assert facts["department"]["name"] == "口腔科"
    assert facts["hospital"]["label"] == texts.get("slot_label_hospital", "zh-Hans")
    assert facts["data_consent"]["value"] is True and "name" not in facts["data_consent"]


def test_the_booking_state_gives_consent_and_the_unanswered_questions_of_a_broken_off_form():
    booking = summarise(booking_then_asks_for_a_person(), "ja")["booking"]
    assert booking["consent"] is True
    form = booking["form"]
    assert (form["name"], form["state"]) == ("booking_form", "stopped")
    assert form["label"] == texts.get("intent_label_book_appointment", "ja")
    unanswered = [slot for slot in BOOKING_QUESTIONS if slot not in ("data_consent", "hospital", "department")]
    assert [item["slot"] for item in form["missing"]] == unanswered
    assert form["missing"][0]["label"] == texts.get("slot_label_appointment_date", "ja")


def test_each_message_carries_the_bots_reading_in_the_coordinators_language():
    first = summarise(booking_then_asks_for_a_person(), "ru")["messages"][0]
    assert first["text"].startswith("أريد حجز") and first["language"] == "ar" and first["at"] > 0
    assert first["intent"] == {"name": "book_appointment", "label": texts.get("intent_label_book_appointment", "ru"),
                               "confidence": 0.93}
    assert first["entities"] == [
        {"entity": "hospital", "label": texts.get("entity_label_hospital", "ru"), "value": "renji",
         "name": "Больница Жэньцзи (Восточный кампус)"},
        {"entity": "department", "label": texts.get("entity_label_department", "ru"), "value": "dentistry",
         "name": "Стоматология"}]
    assert first["emergency"] is False


def test_two_misunderstandings_in_a_row_are_the_reason():
    case = summarise(tracker(
        said("hjkl", "nlu_fallback", "und"), [ActionExecuted("action_two_strike_fallback"), BotUttered("sorry?"),
                                              ActionExecuted("action_listen")],
        said("qwer", "nlu_fallback", "und"), handoff(ActionExecuted("action_two_strike_fallback"))), "en")
    assert case["handover"]["reason"] == "misunderstood"
    assert case["booking"] == {"consent": None, "form": None}
    assert case["facts"] == []
    misread = summarise(tracker(said("qwer", "nlu_fallback", "und")), "zh-Hans")["messages"][0]["intent"]
    assert misread["label"] == texts.get("intent_label_nlu_fallback", "zh-Hans")  # named, not "nlu_fallback"


def test_a_referral_lock_out_is_the_reason():
    case = summarise(tracker(
        said("check my referral RF-1234", "check_referral", "en",
             [{"entity": "referral_id", "value": "RF-1234"}]),
        [ActionExecuted("referral_form"), ActiveLoop("referral_form"), SlotSet("referral_id", "RF-1234"),
         SlotSet("requested_slot", "birth_date"), ActionExecuted("action_listen")],
        said("1 January 1990", "inform", "en"),
        [ActionExecuted("referral_form"), SlotSet("birth_date", None), SlotSet("referral_locked", True),
         ActiveLoop(None), ActionExecuted("action_referral_status"), SlotSet("referral_id", None),
         SlotSet("referral_locked", None)],
        handoff()), "de")
    assert case["handover"]["reason"] == "referral_locked"
    assert case["handover"]["label"] == texts.get("handoff_reason_referral_locked", "de")
    assert case["booking"]["form"]["state"] == "completed" and case["booking"]["form"]["missing"] == []


def test_waiting_too_long_comes_from_the_queue_entry_and_nothing_else_is_other():
    events = said("hello", "greet", "fr"), [ActionExecuted("utter_greet"), ConversationPaused()]
    entry = QueueEntry("telegram:42", "telegram", "fr", 0.0, wait_notified=True)
    assert summarise(tracker(*events), "en")["handover"]["reason"] == "other"
    waited = summarise(tracker(*events), "en", entry=entry)["handover"]
    assert waited["reason"] == "waited" and waited["reasons"] == [
        {"reason": "waited", "label": texts.get("handoff_reason_waited", "en")}]


def test_an_emergency_is_flagged_on_the_case_and_its_message():
    case = summarise(tracker(
        said("chest pain, can't breathe", "emergency", "en"),
        [ActionExecuted("utter_emergency"), ActionExecuted("action_emergency_follow_up")],
        said("I want a person", "request_human", "en"), handoff()), "zh-Hant")
    assert case["emergency"] is True
    assert [message["emergency"] for message in case["messages"]] == [True, False]
    # the emergency rule having run is enough, whatever the message was read as
    ran = tracker(said("help", "help", "en"), [ActionExecuted("utter_emergency")])
    assert summarise(ran, "en")["emergency"] is True
    assert summarise(tracker(said("help", "help", "en")), "en")["emergency"] is False


def test_an_unknown_coordinator_language_falls_back_to_english():
    case = summarise(booking_then_asks_for_a_person(), "xx")
    assert case["coordinator_language"] == "en"
    assert case["intents"][0]["label"] == texts.get("intent_label_book_appointment", "en")
