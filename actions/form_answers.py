"""A form's answer as the patient typed it, read with the readers in actions/answers/ first and
the NLU's intent second: "ค่ะ ยินยอม" is a yes whatever the model makes of it, "不同意" a no even
though it contains "同意", and a button's payload ("/affirm") is what it says."""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from actions.answers.yes_no import YesNo, read_yes_no
from actions.common import reply_language
from bot import languages

BUTTON_PAYLOADS = {"/affirm": YesNo.YES, "/deny": YesNo.NO}
# the model's affirm/deny is trusted for an answer the lexicon does not know only above this
SURE_INTENT = 0.6


def answer_language(tracker: Tracker) -> str:
    """The language the answer is written in: a Japanese patient who asked for English replies
    may still type "来週の木曜日の午前9時". The message's own detected language first."""
    detected = (tracker.latest_message or {}).get("language")
    if detected and languages.is_supported(detected):
        return detected
    slot = tracker.get_slot("language")
    return slot if slot and languages.is_supported(slot) else reply_language(tracker)


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def yes_no_answer(tracker: Tracker) -> YesNo:
    typed = latest_text(tracker).strip()
    if typed in BUTTON_PAYLOADS:
        return BUTTON_PAYLOADS[typed]
    reading = read_yes_no(typed, answer_language(tracker))
    if reading is not YesNo.UNKNOWN:
        return reading
    intent = (tracker.latest_message or {}).get("intent") or {}
    if intent.get("confidence", 0) >= SURE_INTENT:
        return {"affirm": YesNo.YES, "deny": YesNo.NO}.get(intent.get("name"), YesNo.UNKNOWN)
    return YesNo.UNKNOWN


def as_bool(answer: YesNo) -> Optional[bool]:
    return {YesNo.YES: True, YesNo.NO: False}.get(answer)
