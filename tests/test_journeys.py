"""Whole journeys, typed as patients type them, in all 12 languages (tests/journeys/<tag>.yml).

Each journey is a conversation through the running server (real model, real action
server, REST channel): the patient's messages, what each reply must show, and the
outcome. The files are written per language by native-register writers, not
translated; tests/journeys/README.md describes the format. The player (Patient, check,
the re-ask counting) is tests/journey_player.py, shared with `make eval`'s journey table.
"""
from __future__ import annotations

from typing import Dict, List

import pytest
import yaml

from bot.languages import TAGS
from journey_player import (
    JOURNEY_KINDS,
    JOURNEYS_DIR,
    Patient,
    load_journeys,
    never_the_same_question_too_often,
    play_step,
)


def journeys() -> List[tuple]:
    found = []
    for language, journey in load_journeys():
        # a journey the bot still fails is kept as written, marked with what goes wrong; strict,
        # so the mark must go once the bot is fixed
        known = journey.get("known_issue")
        marks = [pytest.mark.xfail(reason=known, strict=True)] if known else []
        found.append(pytest.param(language, journey, id=f"{language}-{journey['name']}", marks=marks))
    return found


@pytest.mark.parametrize("language,journey", journeys())
def test_journey(journey_server, identifier, language, journey):
    patient = Patient(journey_server, language)
    for step in journey["steps"]:
        reply = play_step(patient, step)
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
