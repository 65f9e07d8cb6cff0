"""Playing the journeys of tests/journeys/<tag>.yml against a running server (REST channel, HTTP API).

Shared by tests/test_journeys.py (each journey a test) and scripts/journey_eval.py (`make eval`'s
journey table: how many journeys complete, in how many turns, with how many re-asks).
"""
from __future__ import annotations

import re
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

import requests
import yaml

from bot import texts
from conftest import tracker_of

JOURNEYS_DIR = Path(__file__).parent / "journeys"
# No question may be asked more than this many times in a row (issue 18).
MAX_SAME_QUESTION = 4
JOURNEY_KINDS = {"booking", "cancel", "reschedule", "referral", "lockout", "emergency_mid_form",
                 "language_switch_mid_form", "stop_mid_form", "multi_part_opener"}


def load_journeys(directory: Path = JOURNEYS_DIR) -> List[Tuple[str, Dict[str, Any]]]:
    """Every journey of every language file, as (language, journey), files in name order."""
    found = []
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.extend((data["language"], journey) for journey in data["journeys"])
    return found


def text_pattern(key: str, language: str) -> re.Pattern:
    """A text of the catalogue with its {placeholders} matching anything."""
    parts = re.split(r"\{\w+\}", texts.get(key, language))
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


class Patient:
    def __init__(self, server: str, language: str, sender: Optional[str] = None) -> None:
        self.server, self.language = server, language
        self.sender = sender or f"journey-{language}-{uuid.uuid4().hex[:10]}"
        self.asked: List[Any] = []

    def say(self, message: str) -> str:
        response = requests.post(f"{self.server}/webhooks/rest/webhook",
                                 json={"sender": self.sender, "message": message}, timeout=120)
        response.raise_for_status()
        replies = response.json()
        self.last_buttons = [b for reply in replies for b in reply.get("buttons") or []]
        return "\n".join(reply.get("text") or "" for reply in replies)

    def tracker(self) -> Dict[str, Any]:
        return tracker_of(self.server, self.sender)

    def click(self, title_key: str) -> str:
        title = texts.get(title_key, self.language)
        payload = next(b["payload"] for b in self.last_buttons if b["title"] == title)
        return self.say(payload)


def check(expect: Dict[str, Any], reply: str, patient: Patient) -> None:
    where = f"after {patient.asked[-1]!r} the bot said {reply!r}"
    for key in expect.get("text", []):
        assert text_pattern(key, patient.language).search(reply), f"{key} missing {where}"
    for key in expect.get("not_text", []):
        assert not text_pattern(key, patient.language).search(reply), f"{key} present {where}"
    for fragment in expect.get("contains", []):
        assert fragment in reply, f"{fragment!r} missing {where}"
    if "asks" in expect or "form" in expect or "slots" in expect:
        tracker = patient.tracker()
        form = (tracker.get("active_loop") or {}).get("name")
        if "asks" in expect:
            asking = tracker["slots"].get("requested_slot")
            assert asking == expect["asks"] and form, f"asking {asking!r}, not {expect['asks']} {where}"
        if "form" in expect:
            assert form == expect["form"], f"form {form} {where}"
        for slot, value in (expect.get("slots") or {}).items():
            assert tracker["slots"].get(slot) == value, f"slot {slot}={tracker['slots'].get(slot)!r} {where}"


def play_step(patient: Patient, step: Dict[str, Any]) -> str:
    """Sends one step (typed or a button tapped), checks its expectations (AssertionError); the reply."""
    if "click" in step:
        patient.asked.append(f"[{step['click']}]")
        reply = patient.click(step["click"])
    else:
        patient.asked.append(step["patient"])
        reply = patient.say(step["patient"])
    check(step.get("expect") or {}, reply, patient)
    return reply


def requested_slots(events: Iterable[Dict[str, Any]]) -> List[Optional[str]]:
    """The values of the tracker's `requested_slot` SlotSet events, in order (None: no question)."""
    return [e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == "requested_slot"]


def longest_same_question(events: Iterable[Dict[str, Any]]) -> int:
    """How many times in a row the same question was asked at most (consecutive equal `requested_slot`s)."""
    requested = requested_slots(events)
    run = longest = 0
    for previous, current in zip([None, *requested], requested):
        run = run + 1 if current is not None and current == previous else 1
        longest = max(longest, run if current is not None else 0)
    return longest


def re_asks(events: Iterable[Dict[str, Any]]) -> int:
    """Re-asks: a form slot requested again right after it was requested (consecutive repeats of
    `requested_slot` SlotSet events with the same value; None is no question and never a repeat)."""
    requested = requested_slots(events)
    return sum(1 for previous, current in zip(requested, requested[1:]) if current is not None and current == previous)


def never_the_same_question_too_often(patient: Patient) -> None:
    longest = longest_same_question(patient.tracker()["events"])
    assert longest <= MAX_SAME_QUESTION, f"a question was asked {longest} times in a row"


@dataclass
class JourneyResult:
    """One journey played: it completed when every step's expectations held and no question was
    asked more than MAX_SAME_QUESTION times in a row."""

    language: str
    name: str
    kind: str
    steps: int  # the journey's steps
    turns: int = 0  # patient turns sent (a button that was not offered cannot be tapped)
    failed_step: Optional[int] = None  # 1-based number of the first step whose expectations failed
    failure: Optional[str] = None  # what failed first (or the error that stopped the journey)
    failed_steps: List[int] = field(default_factory=list)  # every step that failed (or was never played)
    longest_same_question: int = 0
    re_asks: int = 0
    known_issue: Optional[str] = None
    seconds: float = 0.0
    sender: str = field(default="", repr=False)

    @property
    def completed(self) -> bool:
        return self.failure is None and self.longest_same_question <= MAX_SAME_QUESTION

    def fail(self, step: Optional[int], why: str) -> None:
        if step is not None:
            self.failed_steps.append(step)
        if self.failure is None:
            self.failed_step, self.failure = step, why

    def as_dict(self) -> Dict[str, Any]:
        return {**asdict(self), "completed": self.completed}


def play(patient: Patient, journey: Dict[str, Any]) -> JourneyResult:
    """Plays every step of a journey, then counts re-asks in the tracker.

    A failed expectation (or a button that is not offered) is recorded, not raised, and the patient
    goes on typing what the journey says, so that re-asks are counted over the whole conversation
    whichever step failed. An error of the server (a 500, a timeout) fails the step and ends the journey.
    """
    result = JourneyResult(patient.language, journey["name"], journey["kind"], len(journey["steps"]),
                           known_issue=journey.get("known_issue"), sender=patient.sender)
    started = time.monotonic()
    for number, step in enumerate(journey["steps"], start=1):
        try:
            result.turns += 1
            play_step(patient, step)
        except AssertionError as failed:
            result.fail(number, str(failed) or "expectation failed")
        except StopIteration:  # the button to tap was not offered: nothing was sent
            result.turns -= 1
            result.fail(number, f"no button {step['click']!r} offered")
        except requests.RequestException as error:
            result.fail(number, f"{type(error).__name__}: {error}")
            result.failed_steps += range(number + 1, result.steps + 1)  # never played
            break
    try:
        events = patient.tracker()["events"]
    except (requests.RequestException, KeyError, ValueError) as error:
        result.fail(None, f"tracker unreadable: {error}")
        events = []
    result.longest_same_question, result.re_asks = longest_same_question(events), re_asks(events)
    if result.longest_same_question > MAX_SAME_QUESTION:
        result.fail(None, f"a question was asked {result.longest_same_question} times in a row")
    result.seconds = time.monotonic() - started
    return result


def summarise(results: List[JourneyResult], languages: Iterable[str]) -> Dict[str, Dict[str, Any]]:
    """Per language and "all": journeys played and completed, mean patient turns per completed
    booking journey (None when none completed), mean re-asks per journey played, and the share of
    all steps played whose expectations held."""
    summary = {}
    for language in [*languages, "all"]:
        mine = [r for r in results if language in ("all", r.language)]
        if not mine:
            continue
        bookings = [r.turns for r in mine if r.kind == "booking" and r.completed]
        summary[language] = {
            "played": len(mine),
            "completed": sum(r.completed for r in mine),
            "booking_turns": sum(bookings) / len(bookings) if bookings else None,
            "bookings_completed": len(bookings),
            "bookings_played": sum(r.kind == "booking" for r in mine),
            "re_asks": sum(r.re_asks for r in mine) / len(mine),
            "steps_held": 1 - sum(len(r.failed_steps) for r in mine) / max(1, sum(r.steps for r in mine)),
        }
    return summary
