"""Every patient-facing text exists in every language, with the same placeholders."""
import pytest

from bot import texts
from bot.languages import TAGS
from bot.texts import domain_responses


@pytest.mark.parametrize("tag", TAGS)
def test_every_key_in_every_language(tag):
    missing = texts.keys() - set(texts.load(tag))
    assert missing == set()
    assert all(isinstance(v, str) and v.strip() for v in texts.load(tag).values())


@pytest.mark.parametrize("key", sorted(texts.keys()))
def test_placeholders_agree_across_languages(key):
    expected = texts.placeholders(texts.load("en")[key])
    for tag in TAGS:
        assert texts.placeholders(texts.load(tag)[key]) == expected, tag


def test_emergency_text_gives_both_numbers_when_region_unknown():
    for tag in TAGS:
        text = texts.get("utter_emergency", tag)
        assert "120" in text and "999" in text, tag


def test_compiled_responses_follow_the_chosen_then_the_detected_language():
    for key, variations in domain_responses.responses().items():
        chosen = [v["condition"][0]["value"] for v in variations if len(v.get("condition", [])) == 1]
        detected = [v["condition"][1]["value"] for v in variations if len(v.get("condition", [])) == 2]
        assert sorted(chosen) == sorted(detected) == sorted(TAGS), key
        assert all(v["condition"][0] == {"type": "slot", "name": "preferred_language", "value": None}
                   for v in variations if len(v.get("condition", [])) == 2), key
        assert sum("condition" not in v for v in variations) == 1, key


def test_unknown_language_falls_back_to_english():
    assert texts.get("utter_greet", "und") == texts.get("utter_greet", "en")


def test_every_text_the_actions_use_exists():
    import re
    from pathlib import Path

    source = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "actions").glob("*.py"))
    used = set(re.findall(r'(?:say\(dispatcher, tracker, |text\(tracker, |texts\.get\()"(\w+)"', source))
    # keys built at run time
    used |= {f"route_{mode}" for mode in ("car", "taxi", "walk", "metro")}
    used |= {f"referral_status_{s}"
             for s in ("received", "under_review", "accepted", "scheduled", "completed", "declined")}
    used |= {f"emergency_call_{region}" for region in ("mainland", "hong_kong")}
    used |= {f"criterion_{kind}" for kind in ("department", "place", "insurer")}
    assert len(used) > 50
    assert used - texts.keys() == set()
