"""Phrase replies as the console offers them: the coordinator's text beside the patient's, pre-filled.

The phrases and their texts are bot/handoff/phrases.py's; this module pairs the
two languages, fills the parameters the case already knows (with the
directory's names in the patient's language, as the patient will read them),
and checks what a coordinator sends as parameters before phrases.render
inserts it (as text: the channels send plain text).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from rasa.shared.core.trackers import DialogueStateTracker

from bot import languages
from bot.handoff import phrases, reference_data
from bot.handoff.case_summary import label

MAX_PARAMETER_CHARS = phrases.MAX_VALUE_CHARS  # refused above it rather than cut off unseen
# A phrase parameter filled from a slot of another name; the rest match a slot by name.
FROM_SLOT = {"date": "appointment_date", "time": "appointment_time"}


def prefill(tracker: Optional[DialogueStateTracker], patient_language: str) -> Dict[str, str]:
    """Parameter values the case gives: its slots (ids named in the patient's language) and the language."""
    values: Dict[str, str] = {}
    for slot in (*phrases.CASE_SLOTS, *FROM_SLOT.values()) if tracker is not None else ():
        value = tracker.get_slot(slot) if slot in tracker.slots else None
        if value is None or value == "" or isinstance(value, bool):
            continue
        values[slot] = reference_data.directory_name(slot, value, patient_language) or str(value)
    for parameter, slot in FROM_SLOT.items():
        if slot in values:
            values[parameter] = values[slot]
    # the patient's language by its own name (the `language` slot holds its tag)
    values["language"] = languages.get(patient_language).native_name
    return values


def choices(coordinator_language: str, patient_language: str,
            values: Optional[Dict[str, str]] = None) -> List[Dict[str, Any]]:
    """Every phrase: its text for the coordinator, for the patient, and its parameters (labelled, pre-filled)."""
    values = values or {}
    theirs = {item["key"]: item["text"] for item in phrases.catalogue(patient_language)}
    return [{"key": item["key"], "text": item["text"], "patient_text": theirs.get(item["key"], ""),
             "parameters": [{"name": name,
                             "label": label(f"phrase_parameter_{name}", coordinator_language, name),
                             "value": values.get(name, "")} for name in item["parameters"]]}
            for item in phrases.catalogue(coordinator_language)]


def parameters_sent(raw: Any) -> Tuple[Dict[str, str], List[str]]:
    """(values, names too long) from a request: text values, trimmed, blanks left out (so "missing")."""
    if not isinstance(raw, dict):
        return {}, []
    values, too_long = {}, []
    for name, value in raw.items():
        if not isinstance(name, str) or value is None or isinstance(value, (dict, list)):
            continue
        text = str(value).strip()
        if len(text) > MAX_PARAMETER_CHARS:
            too_long.append(name)
        elif text:
            values[name] = text
    return values, too_long
