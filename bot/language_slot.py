"""The `language` slot's last word, decided inside the Rasa server.

Rasa fills `language` from the detector's entity on every message (the slot
mapping in domain.yml). Two things a slot mapping cannot say:
- inside a form, a bare answer ("Renji", "Anna Schmidt", 田中太郎) is not the
  patient switching language, so the slot keeps its value;
- a conversation's first message may be too short to be decisive ("你好"):
  the detector's guess beats having no language (English replies).

Rasa's place for such rules is a custom `action_validate_slot_mappings` on the
action server. Rasa then calls it after every message, rebuilding the tracker
from all its events and sending it over HTTP: about an eighth of a message's
time under `make bench`, plus the action server's share. Rasa has no
in-process hook for slot validation, so `apply()` wraps the step of
ActionExtractSlots that every slot event of a turn passes through.
"""
from __future__ import annotations

import functools
from typing import List, Optional

from bot import languages

LANGUAGE = "language"
# Languages a short answer cannot tell apart by script: a name or a place
# ("Renji", "Anna Schmidt", "田中太郎") reads as any of them.
SAME_SCRIPT_FAMILIES = (frozenset({"en", "fr", "de", "es", "vi"}), frozenset({"zh-Hans", "zh-Hant", "ja"}))
LATIN_SCRIPT = SAME_SCRIPT_FAMILIES[0]
# A longer answer in another language is the patient switching, not a name.
MAX_ANSWER_WORDS, MAX_ANSWER_CHARS = 4, 40
# Answers that are names or contact details say nothing about the language.
LANGUAGE_BLIND_SLOTS = frozenset({"patient_name", "contact", "booking_ref", "referral_id", "birth_date"})


def settled_language(before: Optional[str], extracted: Optional[str], active_form: Optional[str],
                     requested_slot: Optional[str], answer: str, guess: Optional[str]) -> Optional[str]:
    """The conversation's language after this message.

    before: the slot before the message; extracted: what the slot mapping put
    there from this message (None: nothing decisive); guess: the detector's
    answer for the message, decisive or not.
    """
    if extracted and before and extracted != before and active_form:
        short = len(answer.split()) <= MAX_ANSWER_WORDS and len(answer) <= MAX_ANSWER_CHARS
        same_family = any(before in family and extracted in family for family in SAME_SCRIPT_FAMILIES)
        # a short Latin answer ("C-MER", "Renji", "ok") in a Korean or Arabic conversation is a name
        latin_into_other = extracted in LATIN_SCRIPT and before not in LATIN_SCRIPT
        if requested_slot in LANGUAGE_BLIND_SLOTS or ((same_family or latin_into_other) and short):
            return before
    if extracted:
        return extracted
    if before is None and guess and languages.is_supported(guess):
        return guess
    return before


def settle(events: List, tracker) -> List:
    """This turn's slot events with the `language` slot settled (Rasa events, Rasa tracker)."""
    from rasa.shared.core.events import SlotSet

    language_events = [e for e in events if isinstance(e, SlotSet) and e.key == LANGUAGE]
    extracted = language_events[-1].value if language_events else None
    before = tracker.get_slot(LANGUAGE)
    latest = tracker.latest_message  # Rasa's trackers always have one (an empty one at first)
    settled = settled_language(before, extracted, tracker.active_loop_name, tracker.get_slot("requested_slot"),
                               latest.text or "", latest.parse_data.get(LANGUAGE))
    if settled == extracted:
        return events
    others = [e for e in events if e not in language_events]
    return others + ([SlotSet(LANGUAGE, settled)] if settled != before else [])


@functools.cache  # once per process
def apply() -> None:
    from rasa.core.actions.action import ActionExtractSlots

    validate = ActionExtractSlots._execute_validation_action

    async def _execute_validation_action(self, extraction_events, output_channel, nlg, tracker, domain):
        events = await validate(self, extraction_events, output_channel, nlg, tracker, domain)
        return settle(events, tracker)

    ActionExtractSlots._execute_validation_action = _execute_validation_action
