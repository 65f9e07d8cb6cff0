"""`make eval`'s journey table (scripts/journey_eval.py): re-asks and completion, counted on
hand-made trackers and a patient whose server is a script (no server, no model)."""
from typing import Any, Dict, List, Optional

import requests

from journey_player import (
    MAX_SAME_QUESTION,
    JourneyResult,
    Patient,
    longest_same_question,
    play,
    re_asks,
    requested_slots,
    summarise,
)


def asked(*slots: Optional[str]) -> List[Dict[str, Any]]:
    """A tracker's events: a user message before each `requested_slot` SlotSet, and other events between."""
    events: List[Dict[str, Any]] = [{"event": "action", "name": "action_session_start"}]
    for slot in slots:
        events += [{"event": "user", "text": "..."}, {"event": "slot", "name": "department", "value": "dentistry"},
                   {"event": "slot", "name": "requested_slot", "value": slot},
                   {"event": "bot", "text": "?"}, {"event": "action", "name": "action_listen"}]
    return events


def test_only_requested_slot_events_count():
    events = asked("hospital", "department") + [{"event": "slot", "name": "hospital", "value": "renji"}]
    assert requested_slots(events) == ["hospital", "department"]


def test_a_form_answered_at_once_has_no_re_ask():
    events = asked("data_consent", "hospital", "department", "appointment_date", None)
    assert re_asks(events) == 0
    assert longest_same_question(events) == 1


def test_every_consecutive_repeat_is_a_re_ask():
    events = asked("hospital", "hospital", "hospital", "department", "department", None)
    assert re_asks(events) == 3
    assert longest_same_question(events) == 3


def test_a_question_asked_again_later_is_no_re_ask():
    assert re_asks(asked("hospital", "department", "hospital")) == 0


def test_no_question_repeated_is_no_re_ask():
    events = asked(None, None, "hospital", None, None)
    assert re_asks(events) == 0
    assert longest_same_question(events) == 1
    assert re_asks([]) == 0 and longest_same_question([]) == 0


class ScriptedPatient(Patient):
    """A patient whose server answers from a script: each message gets the next (reply, tracker)."""

    def __init__(self, language: str, script: List[tuple], events: List[Dict[str, Any]]) -> None:
        super().__init__("http://server.invalid", language, sender="scripted")
        self.script, self.events, self.state = list(script), events, {"slots": {}, "active_loop": {}}
        self.last_buttons: List[Dict[str, str]] = []

    def say(self, message: str) -> str:
        reply, self.state, self.last_buttons = self.script.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    def tracker(self) -> Dict[str, Any]:
        return {**self.state, "events": self.events}


def asking(slot: Optional[str]) -> Dict[str, Any]:
    return {"slots": {"requested_slot": slot}, "active_loop": {"name": "booking_form"} if slot else {}}


JOURNEY = {"name": "booking", "kind": "booking",
           "steps": [{"patient": "book please", "expect": {"asks": "hospital"}},
                     {"patient": "renji", "expect": {"asks": "department"}},
                     {"patient": "eyes", "expect": {"contains": ["BK-"], "form": None}}]}
ALL_WELL = [("Which hospital?", asking("hospital"), []), ("Which department?", asking("department"), []),
            ("Booked: BK-1234", asking(None), [])]


def test_a_journey_whose_steps_all_hold_completes():
    result = play(ScriptedPatient("en", ALL_WELL, asked("hospital", "department", None)), JOURNEY)
    assert result.completed and result.failure is None and result.failed_step is None
    assert (result.turns, result.steps, result.re_asks, result.longest_same_question) == (3, 3, 0, 1)


def test_a_failed_expectation_is_recorded_and_the_patient_goes_on():
    script = [ALL_WELL[0], ("Which hospital?", asking("hospital"), []), ALL_WELL[2]]
    patient = ScriptedPatient("en", script, asked("hospital", "hospital", None))
    result = play(patient, JOURNEY)
    assert not result.completed
    assert result.failed_step == 2 and "asking 'hospital', not department" in result.failure
    assert result.failed_steps == [2] and result.turns == 3 and not patient.script  # the third step was played
    assert result.re_asks == 1


def test_the_first_failure_is_the_one_reported():
    script = [("Hello?", asking(None), []), ("Which department?", asking("department"), []), ("Hm?", asking(None), [])]
    result = play(ScriptedPatient("en", script, []), JOURNEY)
    assert result.failed_steps == [1, 3] and result.failed_step == 1 and "not hospital" in result.failure


def test_asking_one_question_too_often_fails_a_journey_whose_steps_hold():
    events = asked(*["hospital"] * (MAX_SAME_QUESTION + 1), "department", None)
    result = play(ScriptedPatient("en", ALL_WELL, events), JOURNEY)
    assert not result.completed and result.failed_step is None
    assert result.longest_same_question == MAX_SAME_QUESTION + 1 and result.re_asks == MAX_SAME_QUESTION
    assert "asked 5 times in a row" in result.failure
    events = asked(*["hospital"] * MAX_SAME_QUESTION, "department", None)
    assert play(ScriptedPatient("en", ALL_WELL, events), JOURNEY).completed


def test_a_button_not_offered_fails_its_step_and_a_server_error_ends_the_journey():
    journey = {"name": "j", "kind": "cancel", "steps": [{"patient": "hi"}, {"click": "button_yes"}, {"patient": "ok"}]}
    script = [("Hello", asking(None), []), ("Fine", asking(None), [])]
    result = play(ScriptedPatient("en", script, []), journey)
    assert (result.failed_step, result.failed_steps, result.turns, result.completed) == (2, [2], 2, False)
    assert "no button 'button_yes'" in result.failure
    script = [("Hello", asking(None), []), (requests.ConnectionError("refused"), asking(None), []), ("never", None, [])]
    result = play(ScriptedPatient("en", script, []), {**journey, "steps": [{"patient": "hi"}] + [{"patient": "."}] * 3})
    assert (result.failed_step, result.failed_steps, result.turns) == (2, [2, 3, 4], 2)
    assert not result.completed and "ConnectionError" in result.failure


def test_the_summary_counts_completed_journeys_booking_turns_and_re_asks():
    def result(language, kind, turns, failure=None, re_asks=0):
        return JourneyResult(language, f"{kind}{turns}", kind, steps=turns, turns=turns, failure=failure,
                             failed_step=turns if failure else None, failed_steps=[turns] if failure else [],
                             longest_same_question=1, re_asks=re_asks)

    results = [result("en", "booking", 9), result("en", "booking", 7), result("en", "booking", 3, "missing", 2),
               result("en", "cancel", 8, re_asks=1), result("fr", "booking", 5, "missing", 3),
               result("fr", "referral", 2)]
    summary = summarise(results, ["en", "fr", "de"])
    assert "de" not in summary  # no journey played
    assert summary["en"] == {"played": 4, "completed": 3, "booking_turns": 8.0, "bookings_completed": 2,
                             "bookings_played": 3, "re_asks": 0.75, "steps_held": 1 - 1 / 27}
    assert summary["fr"]["completed"] == 1 and summary["fr"]["booking_turns"] is None
    assert summary["fr"]["re_asks"] == 1.5
    assert summary["all"] == {"played": 6, "completed": 4, "booking_turns": 8.0, "bookings_completed": 2,
                              "bookings_played": 4, "re_asks": 1.0, "steps_held": 1 - 2 / 34}
