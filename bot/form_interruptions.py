"""Inside a form, an answer the model took for an interruption is the answer, when it is one.

While a form waits for a free-text answer (a name, a contact, a date), the rules let a few
intents interrupt it: stop, a coordinator, delete my data, what do you keep, another
language, an emergency. The model reads some answers as one of them: "Priya Nair" was
`stop` at 0.84 and ended the booking, "12월 3일로 해주세요" a language request at 0.98,
"a las once menos cuarto" an emergency at 0.34. So, in that situation, the answer is read
with the form's own readers (actions/answers, dates.py, times.py, the names patients use
for hospitals and departments); when it is a usable answer, the message becomes `inform`
and the form takes it, unless the interruption is unmistakable:
- stop, a coordinator, privacy, erasure, cancel: the model is sure (SURE_INTERRUPTION);
- another language: a language is named;
- an emergency: the lexicon matched, or the model is not unsure (UNSURE_EMERGENCY; the model
  read "в половине одиннадцатого" as one at 0.71). The curated lexicon stays the safety net,
  and an answer that is not a usable one is never taken; a name can be any words, so there
  the model's emergency wins from 0.5.
An unusable answer keeps the model's reading ("thôi khỏi, để khi khác" stays a stop). The
parse data keeps the model's ranking and says what was done in `read_as_answer_to`.

Rasa has no hook between the parse and the policies that sees the tracker, so `apply()`
wraps MessageProcessor.parse_message (after the parse workers' wrapper).
"""
from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Dict, Optional

INTERRUPTIONS = frozenset({"stop", "request_human", "erase_data", "privacy_info", "cancel_appointment",
                           "nlu_fallback", "switch_language", "emergency"})
SURE_INTERRUPTION = 0.95
UNSURE_EMERGENCY = 0.9
UNSURE_EMERGENCY_FOR_ANY_WORDS = 0.5  # slots whose reader takes almost any words (a name)
ANY_WORDS_SLOTS = frozenset({"patient_name"})
ANSWER_INTENT = "inform"
YES_NO_SLOTS = frozenset({"data_consent", "booking_confirmed", "reschedule_confirmed"})


def free_text_slot(domain, form: Optional[str], requested: Optional[str]) -> bool:
    """The form fills the requested slot from the whole text (domain.yml `from_text`, conditioned on it)."""
    if not form or not requested:
        return False
    slot = next((s for s in domain.slots if s.name == requested), None)
    return slot is not None and any(
        mapping.get("type") == "from_text" and any(
            condition.get("active_loop") == form and condition.get("requested_slot", requested) == requested
            for condition in mapping.get("conditions") or [])
        for mapping in slot.mappings)


def usable_answer(slot: str, text: str, language: str, parse_data: Dict[str, Any]) -> bool:
    """Whether the form's own reader would take `text` for `slot` (the validators judge it again)."""
    from actions.answers.contact import read_contact
    from actions.answers.names import read_name
    from actions.answers.yes_no import YesNo, read_yes_no
    from actions.dates import parse_birth_date, parse_date
    from actions.db.bookings import normalise_reference
    from actions.db.referrals import normalise_referral_id
    from actions.times import parse_time
    from bot import entity_names

    today = dt.date.today()
    if slot in YES_NO_SLOTS:
        return read_yes_no(text, language) in (YesNo.YES, YesNo.NO)
    if slot in ("hospital", "department"):
        return any(e.get("entity") == slot for e in parse_data.get("entities") or []) or \
            bool(entity_names.named(slot, text))
    readers = {
        "patient_name": lambda: read_name(text, language),
        "contact": lambda: read_contact(text),
        "appointment_date": lambda: parse_date(text, language, today).date,
        "appointment_time": lambda: parse_time(text, language),
        "birth_date": lambda: parse_birth_date(text, language, today).date,
        "booking_ref": lambda: normalise_reference(text),
        "referral_id": lambda: normalise_referral_id(text),
        "reschedule_when": lambda: parse_date(text, language, today).date or parse_time(text, language),
    }
    return slot in readers and readers[slot]() is not None


def unmistakable(parse_data: Dict[str, Any], current_language: Optional[str], requested: str) -> bool:
    intent = parse_data.get("intent") or {}
    name, confidence = intent.get("name"), intent.get("confidence") or 0.0
    if name == "emergency":
        sure = UNSURE_EMERGENCY_FOR_ANY_WORDS if requested in ANY_WORDS_SLOTS else UNSURE_EMERGENCY
        return bool(parse_data.get("emergency_lexicon_match")) or confidence >= sure
    if name == "switch_language":
        from bot.language_names import named_language

        return any(e.get("entity") == "target_language" for e in parse_data.get("entities") or []) or \
            named_language(parse_data.get("text") or "", current_language) is not None
    if name == "nlu_fallback":
        return False
    return confidence >= SURE_INTERRUPTION


def as_answer(parse_data: Dict[str, Any], form: Optional[str], requested: Optional[str], domain,
              language: Optional[str] = None) -> Dict[str, Any]:
    intent = parse_data.get("intent") or {}
    if intent.get("name") not in INTERRUPTIONS or not free_text_slot(domain, form, requested):
        return parse_data
    if unmistakable(parse_data, language, requested):
        return parse_data
    text = parse_data.get("text") or ""
    answer_language = parse_data.get("language") if parse_data.get("language") not in (None, "und") else language
    if intent.get("name") != "nlu_fallback" and not usable_answer(requested, text, answer_language or "en",
                                                                  parse_data):
        return parse_data
    return {**parse_data, "intent": {"name": ANSWER_INTENT, "confidence": intent.get("confidence")},
            "read_as_answer_to": requested}


@functools.cache  # once per process
def apply() -> None:
    from rasa.core.processor import MessageProcessor

    parse_message = MessageProcessor.parse_message

    async def parse_in_context(self, message, tracker=None, only_output_properties: bool = True):
        parse_data = await parse_message(self, message, tracker, only_output_properties)
        if tracker is None or not tracker.active_loop_name:
            return parse_data
        language = tracker.get_slot("preferred_language") or tracker.get_slot("language")
        return as_answer(parse_data, tracker.active_loop_name, tracker.get_slot("requested_slot"), self.domain,
                         language)

    parse_in_context.original = getattr(parse_message, "original", parse_message)  # Rasa's own, for tests
    MessageProcessor.parse_message = parse_in_context
