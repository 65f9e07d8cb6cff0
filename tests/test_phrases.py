"""The coordinator's phrase catalogue and the console's labels, in all 12 languages (issue 20)."""
import ast
import re
import string
from pathlib import Path

import pytest
import yaml

from bot import texts
from bot.handoff import phrases
from bot.handoff.phrases import MissingParameters, UnknownPhrase
from bot.languages import TAGS

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
# a run of three or more digits, possibly broken by spaces, dots, dashes or brackets, with an optional +
PHONE_LIKE = re.compile(r"\+?\(?\d(?:[\s().\-]{0,2}\d){2,}")
ALLOWED_NUMBERS = {"120", "999"}  # mainland ambulance, Hong Kong emergency


def _names(entries):
    return [entry if isinstance(entry, str) else next(iter(entry)) for entry in entries]


def _fields(text):
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


SAMPLE = {"hospital": "Renji Hospital", "date": "2025-12-12", "time": "10:30", "minutes": "15", "hours": "8",
          "language": "English", "document": "passport copy", "department": "Ophthalmology", "floor": "3",
          "insurer": "Bupa", "referral_id": "RF-12345"}


def test_the_catalogue_holds_at_least_thirty_phrases_and_every_text_key_is_in_it():
    written = {key for key in texts.keys() if key.startswith("phrase_") and not key.startswith("phrase_parameter_")}
    assert len(written) >= 30
    assert set(phrases.PHRASES) - {k for k in phrases.PHRASES if k.startswith("quick_")} == written
    assert len(set(phrases.PHRASES)) == len(phrases.PHRASES)


def test_the_older_quick_phrases_come_first_and_match_the_service():
    tree = ast.parse((ROOT / "bot" / "handoff" / "service.py").read_text(encoding="utf-8"))
    quick = next(ast.literal_eval(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                 and any(getattr(target, "id", None) == "QUICK_PHRASES" for target in node.targets))
    assert phrases.PHRASES[:len(quick)] == quick
    assert all(phrases.parameters(key) == () for key in quick)


@pytest.mark.parametrize("key", phrases.PHRASES)
def test_every_phrase_has_the_same_parameters_in_every_language(key):
    expected = set(phrases.parameters(key))
    for tag in TAGS:
        assert _fields(texts.load(tag)[key]) == expected, tag


def test_every_parameter_has_a_label_in_every_language():
    used = {name for key in phrases.PHRASES for name in phrases.parameters(key)}
    assert {"hospital", "date", "time", "minutes", "language", "document", "department", "floor", "insurer"} <= used
    for tag in TAGS:
        assert {f"phrase_parameter_{name}" for name in used} <= set(texts.load(tag)), tag


def test_case_slots_are_the_domain_slots_a_coordinator_may_see():
    declared = [slot for slot in DOMAIN["slots"] if slot != "requested_slot" and not slot.startswith("_")]
    assert list(phrases.CASE_SLOTS) == declared


@pytest.mark.parametrize("tag", TAGS)
def test_every_intent_entity_slot_and_handoff_reason_has_a_label(tag):
    catalogue = texts.load(tag)
    wanted = ([f"intent_label_{name}" for name in _names(DOMAIN["intents"])]
              + [f"entity_label_{name}" for name in _names(DOMAIN["entities"])]
              + [f"slot_label_{name}" for name in phrases.CASE_SLOTS]
              + [f"handoff_reason_{why}" for why in ("asked", "misunderstood", "referral_locked", "waited", "other")])
    assert [key for key in wanted if key not in catalogue] == []
    assert all(not _fields(catalogue[key]) for key in wanted)


@pytest.mark.parametrize("tag", TAGS)
def test_rendering_with_every_parameter_gives_each_value(tag):
    for key in phrases.PHRASES:
        values = {name: SAMPLE[name] for name in phrases.parameters(key)}
        text = phrases.render(key, tag, values)
        assert "{" not in text and "}" not in text, key
        for value in values.values():
            assert value in text, (key, value)


def test_the_catalogue_lists_every_phrase_with_its_text_and_parameters():
    listed = phrases.catalogue("ar")
    assert [item["key"] for item in listed] == list(phrases.PHRASES)
    confirmed = next(item for item in listed if item["key"] == "phrase_appointment_confirmed")
    assert confirmed["text"] == texts.load("ar")["phrase_appointment_confirmed"]
    assert confirmed["parameters"] == ["hospital", "date", "time"]
    assert phrases.catalogue("und") == phrases.catalogue("en")


def test_a_missing_or_blank_parameter_is_named():
    with pytest.raises(MissingParameters) as raised:
        phrases.render("phrase_appointment_confirmed", "zh-Hans", {"hospital": "Renji", "date": "  ", "time": None})
    assert raised.value.names == ("date", "time")
    assert isinstance(raised.value, ValueError)
    with pytest.raises(MissingParameters) as raised:
        phrases.render("phrase_go_to_department", "th", {"hospital": "Renji", "department": "Eye", "floor": "\x00\n"})
    assert raised.value.names == ("floor",)


def test_an_unknown_phrase_is_refused():
    with pytest.raises(UnknownPhrase):
        phrases.render("utter_greet", "en", {})
    with pytest.raises(UnknownPhrase):
        phrases.parameters("phrase_parameter_date")


def test_values_are_inserted_as_plain_text():
    script = "<script>alert('x')</script>"
    text = phrases.render("phrase_go_to_department", "en",
                          {"hospital": script, "department": "Eye {date} & <b>", "floor": "3\x07\x1b[31m\u202e"})
    assert script in text  # verbatim: the console shows text, the module makes no markup
    assert "Eye {date} & <b>" in text
    assert "floor 3[31m of" in text
    assert not re.search("[\x00-\x1f\x7f\u202e]", text)
    assert phrases.render("phrase_results_ready", "en", {"date": "12\nDecember"}).startswith(
        "Your results will be ready on 12 December.")


def test_each_value_is_capped_at_two_hundred_characters():
    text = phrases.render("phrase_doctor_speaks", "en", {"language": "x" * 500})
    assert "x" * 200 in text and "x" * 201 not in text


def test_numbers_and_extra_values_are_accepted():
    assert phrases.render("phrase_arrive_early", "de", {"minutes": 15, "unused": "y"}).startswith(
        "Bitte kommen Sie 15 Minuten")


@pytest.mark.parametrize("tag", TAGS)
def test_no_phrase_or_label_gives_a_phone_number_except_the_emergency_ones(tag):
    catalogue = texts.load(tag)
    keys = list(phrases.PHRASES) + [key for key in catalogue if key.startswith(
        ("phrase_parameter_", "intent_label_", "entity_label_", "slot_label_", "handoff_reason_"))]
    for key in keys:
        for match in PHONE_LIKE.finditer(catalogue[key]):
            assert re.sub(r"\D", "", match.group()) in ALLOWED_NUMBERS, (key, match.group())


def test_the_emergency_phrases_give_the_right_numbers():
    for tag in TAGS:
        assert {"120", "999"} <= set(re.findall(r"\d+", texts.get("phrase_emergency", tag))), tag
        assert re.findall(r"\d+", texts.get("phrase_emergency_mainland", tag)) == ["120"], tag
        assert re.findall(r"\d+", texts.get("phrase_emergency_hong_kong", tag)) == ["999"], tag
