"""The coordinator's ready-made replies: which exist, what they need, the text they give.

A coordinator picks a phrase in their own language, fills its parameters and
sends it in the patient's. The texts live in bot/texts/<tag>.yml (keys
`phrase_*`, plus the four older `quick_*`); their parameters are the English
text's placeholders, the same in every language (tests/test_texts.py).
Parameter values are inserted as plain text: the console shows text, never
markup, so nothing here escapes or interprets HTML.
"""
from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Dict, Iterable, List, Mapping, Optional, Tuple

from bot import texts

# the catalogue in the order the console lists it; the quick_* keys come first (the older console sends them)
PHRASES: Tuple[str, ...] = (
    "quick_one_moment",
    "quick_appointment_confirmed",
    "quick_bring_documents",
    "quick_anything_else",
    "phrase_greeting",
    "phrase_appointment_confirmed",
    "phrase_appointment_reminder",
    "phrase_appointment_moved",
    "phrase_appointment_unavailable",
    "phrase_appointment_cancelled",
    "phrase_ask_preferred_time",
    "phrase_bring_passport_insurance",
    "phrase_arrive_early",
    "phrase_call_back",
    "phrase_doctor_speaks",
    "phrase_interpreter_arranged",
    "phrase_referral_received",
    "phrase_referral_accepted",
    "phrase_referral_needs_documents",
    "phrase_go_to_department",
    "phrase_registration_desk",
    "phrase_international_centre",
    "phrase_direct_billing_available",
    "phrase_direct_billing_unavailable",
    "phrase_send_insurance_photo",
    "phrase_fasting",
    "phrase_bring_records",
    "phrase_results_ready",
    "phrase_visa_documents",
    "phrase_pharmacy_pickup",
    "phrase_follow_up_needed",
    "phrase_checking_reply_within",
    "phrase_please_hold",
    "phrase_thanks_for_waiting",
    "phrase_anything_else",
    "phrase_handing_back",
    "phrase_goodbye",
    "phrase_emergency",
    "phrase_emergency_mainland",
    "phrase_emergency_hong_kong",
)

# The slots of domain.yml a case summary shows (not requested_slot, no _private ones);
# each has a `slot_label_<slot>` text in every language.
CASE_SLOTS: Tuple[str, ...] = (
    "language",
    "preferred_language",
    "hospital",
    "department",
    "place",
    "insurer",
    "data_consent",
    "appointment_date",
    "appointment_time",
    "patient_name",
    "contact",
    "booking_confirmed",
    "booking_ref",
    "reschedule_when",
    "reschedule_confirmed",
    "referral_id",
    "birth_date",
    "form_gave_up",
    "referral_locked",
)

MAX_VALUE_CHARS = 200
_LINE_BREAKS = re.compile("[\t\n\v\f\r\x85\u2028\u2029]+")
# C0 and C1 controls, DEL, and the invisible characters that reorder or hide text
# (bidi embeddings, overrides and isolates; zero-width space; byte-order mark), and lone surrogates
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_FORMATTER = string.Formatter()


class UnknownPhrase(KeyError):
    """A key that is not in the catalogue."""


class MissingParameters(ValueError):
    """A phrase was rendered without some of its parameters (`.names`, in the phrase's order)."""

    def __init__(self, key: str, names: Iterable[str]) -> None:
        self.key = key
        self.names: Tuple[str, ...] = tuple(names)
        super().__init__(f"{key}: missing {', '.join(self.names)}")


@lru_cache(maxsize=None)
def parameters(key: str) -> Tuple[str, ...]:
    """The placeholder names of a phrase, in the order the English text first uses them."""
    _known(key)
    names: List[str] = []
    for _, field, _, _ in _FORMATTER.parse(texts.get(key, texts.FALLBACK_LANGUAGE)):
        if field is not None and field not in names:
            names.append(field)
    return tuple(names)


def catalogue(language: str) -> List[Dict[str, object]]:
    """Every phrase in one language (English if the language is unknown), in catalogue order."""
    return [{"key": key, "text": texts.get(key, language), "parameters": list(parameters(key))}
            for key in PHRASES]


def render(key: str, language: str, values: Optional[Mapping[str, object]]) -> str:
    """The text the patient gets: the phrase in their language with every parameter filled in as text."""
    names = parameters(key)
    values = values or {}
    cleaned = {name: clean(values.get(name)) for name in names}
    missing = [name for name in names if not cleaned[name]]
    if missing:
        raise MissingParameters(key, missing)
    # str.format parses only the phrase itself: braces in a value stay as typed
    return texts.get(key, language).format(**cleaned)


def clean(value: object) -> str:
    """A parameter value as one line of plain text: controls removed, trimmed, at most 200 characters."""
    if value is None:
        return ""
    text = _CONTROL.sub("", _LINE_BREAKS.sub(" ", str(value))).strip()
    return text[:MAX_VALUE_CHARS].strip()


def _known(key: str) -> None:
    if key not in PHRASES:
        raise UnknownPhrase(key)
