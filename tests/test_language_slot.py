"""The `language` slot's rules, run by Rasa's own slot extraction (bot/language_slot.py)."""
import asyncio

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import bot.channels  # noqa: F401  (applies the rules, as the server does)
from bot.language_slot import settled_language

DOMAIN = Domain.load("domain.yml")


def extracted_slots(text, guess, decisive, before=None, form=None, requested=None):
    """The slot events Rasa's slot extraction returns for one patient message."""
    events = [ActionExecuted("action_listen")]
    if before:
        events.append(SlotSet("language", before))
    if form:
        events += [ActiveLoop(form), SlotSet("requested_slot", requested)]
    entities = [{"entity": "language", "value": guess}] if decisive else []
    events.append(UserUttered(text, {"name": "inform", "confidence": 0.9}, entities,
                              parse_data={"language": guess}))
    tracker = DialogueStateTracker.from_events("patient-1", events, slots=DOMAIN.slots)
    action = ActionExtractSlots(action_endpoint=None)
    result = asyncio.run(action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker, DOMAIN))
    return {e.key: e.value for e in result if isinstance(e, SlotSet)}


def test_the_domain_has_no_per_message_validation_action():
    # the rules run in the server; an action-server call per message is what they replaced
    assert "action_validate_slot_mappings" not in DOMAIN.user_actions


@pytest.mark.parametrize("before, guess, requested, text", [
    ("en", "fr", "hospital", "Renji"),
    ("en", "de", "patient_name", "Anna Schmidt"),
    ("ja", "zh-Hans", "patient_name", "田中太郎"),
    ("en", "ko", "patient_name", "김민수"),          # a name in another script says nothing either
    ("zh-Hant", "zh-Hans", "department", "眼科"),
])
def test_a_form_answer_does_not_change_the_reply_language(before, guess, requested, text):
    assert "language" not in extracted_slots(text, guess, True, before, "booking_form", requested)


def test_a_sentence_in_another_language_inside_a_form_changes_it():
    text = "je préfère un cardiologue qui parle français s'il vous plaît"
    assert extracted_slots(text, "fr", True, "en", "booking_form", "department")["language"] == "fr"


def test_a_form_answer_in_another_script_changes_it():
    assert extracted_slots("我想看眼科", "zh-Hans", True, "en", "booking_form", "department")["language"] == "zh-Hans"


def test_outside_a_form_a_decisive_message_changes_it():
    assert extracted_slots("Bonjour", "fr", True, "en")["language"] == "fr"


def test_a_short_first_message_gets_the_detectors_guess():
    assert extracted_slots("你好", "zh-Hans", False)["language"] == "zh-Hans"


def test_a_guess_never_overrides_a_language_the_conversation_has():
    assert "language" not in extracted_slots("ok 👍", "en", False, "ja")


def test_no_supported_guess_leaves_the_slot_alone():
    assert extracted_slots("👍", "und", False) == {}


def test_the_rules_alone():
    assert settled_language("en", "fr", "booking_form", "contact", "anna@example.fr", "fr") == "en"
    # a hospital's Latin name typed in a Korean conversation is not French
    assert settled_language("ko", "fr", "booking_form", "hospital", "C-MER", "fr") == "ko"
    assert settled_language("en", None, None, None, "ok", "en") == "en"
    assert settled_language(None, None, None, None, "12345", None) is None
