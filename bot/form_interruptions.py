"""Inside a form, an answer the model only half believes is an interruption is the answer.

While a form waits for a free-text answer (a name, a contact, a date), the rules let a
few intents interrupt it: stop, a coordinator, delete my data, what do you keep. The
model reads some answers as one of them: "Priya Nair" was `stop` at 0.84, which ended
the booking. So, in that situation, an interruption below SURE_INTERRUPTION is read as
`inform` (the answer), and the form's own validation judges it; "never mind, forget
it" (0.999) still stops. An emergency is never touched, and a language request keeps
its own rule (actions/language.py). The parse data keeps the model's reading in
`intent_ranking` and says what was done in `read_as_answer_to`.

Rasa has no hook between the parse and the policies that sees the tracker, so `apply()`
wraps MessageProcessor.parse_message (after the parse workers' wrapper).
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Optional

# nlu_fallback too: "Tom Becker" was unsure (0.3), and the two-strike fallback would have
# answered instead of the form, whose own validation says precisely what is wrong
INTERRUPTIONS = frozenset({"stop", "request_human", "erase_data", "privacy_info", "cancel_appointment",
                           "nlu_fallback"})
SURE_INTERRUPTION = 0.95
ANSWER_INTENT = "inform"


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


def as_answer(parse_data: Dict[str, Any], form: Optional[str], requested: Optional[str], domain) -> Dict[str, Any]:
    intent = parse_data.get("intent") or {}
    if intent.get("name") not in INTERRUPTIONS or (intent.get("confidence") or 0) >= SURE_INTERRUPTION:
        return parse_data
    if not free_text_slot(domain, form, requested):
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
        return as_answer(parse_data, tracker.active_loop_name, tracker.get_slot("requested_slot"), self.domain)

    MessageProcessor.parse_message = parse_in_context
