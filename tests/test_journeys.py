"""Whole journeys, typed as patients type them, in all 12 languages (tests/journeys/<tag>.yml).

Each journey is a conversation through the running server (real model, real action
server, REST channel): the patient's messages, what each reply must show, and the
outcome. The files are written per language by native-register writers, not
translated; tests/journeys/README.md describes the format.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any, Dict, List

import pytest
import requests
import yaml

from bot import texts
from bot.languages import TAGS
from conftest import tracker_of

JOURNEYS_DIR = Path(__file__).parent / "journeys"
# No question may be asked more than this many times in a row (issue 18).
MAX_SAME_QUESTION = 4
JOURNEY_KINDS = {"booking", "cancel", "reschedule", "referral", "lockout", "emergency_mid_form",
                 "language_switch_mid_form", "stop_mid_form", "multi_part_opener"}


def journeys() -> List[tuple]:
    found = []
    for path in sorted(JOURNEYS_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for journey in data["journeys"]:
            # a journey the bot still fails is kept as written, marked with what goes wrong; strict,
            # so the mark must go once the bot is fixed
            known = journey.get("known_issue")
            marks = [pytest.mark.xfail(reason=known, strict=True)] if known else []
            found.append(pytest.param(data["language"], journey, id=f"{data['language']}-{journey['name']}",
                                      marks=marks))
    return found


def text_pattern(key: str, language: str) -> re.Pattern:
    """A text of the catalogue with its {placeholders} matching anything."""
    parts = re.split(r"\{\w+\}", texts.get(key, language))
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


class Patient:
    def __init__(self, server: str, language: str) -> None:
        self.server, self.language = server, language
        self.sender = f"journey-{language}-{uuid.uuid4().hex[:10]}"
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


def never_the_same_question_too_often(patient: Patient) -> None:
    requested = [e.get("value") for e in patient.tracker()["events"]
                 if e.get("event") == "slot" and e.get("name") == "requested_slot"]
    run = longest = 0
    for previous, current in zip([None, *requested], requested):
        run = run + 1 if current is not None and current == previous else 1
        longest = max(longest, run if current is not None else 0)
    assert longest <= MAX_SAME_QUESTION, f"a question was asked {longest} times in a row"


@pytest.mark.parametrize("language,journey", journeys())
def test_journey(journey_server, identifier, language, journey):
    patient = Patient(journey_server, language)
    for step in journey["steps"]:
        if "click" in step:
            patient.asked.append(f"[{step['click']}]")
            reply = patient.click(step["click"])
        else:
            patient.asked.append(step["patient"])
            reply = patient.say(step["patient"])
        check(step.get("expect") or {}, reply, patient)
        detected = identifier.detect(reply)
        expected_language = step.get("reply_language", language)
        if reply.strip() and detected.decisive:
            assert detected.language == expected_language, f"reply in {detected.language}: {reply!r}"
    never_the_same_question_too_often(patient)


def test_every_language_has_every_kind_of_journey():
    kinds: Dict[str, set] = {}
    for path in sorted(JOURNEYS_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds[data["language"]] = {journey["kind"] for journey in data["journeys"]}
    assert set(kinds) == set(TAGS)
    for language, found in kinds.items():
        assert JOURNEY_KINDS <= found, (language, JOURNEY_KINDS - found)
