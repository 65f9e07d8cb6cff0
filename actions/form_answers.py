"""A form's answer as the patient typed it, read with the readers in actions/answers/ first and
the NLU's intent second: "ค่ะ ยินยอม" is a yes whatever the model makes of it, "不同意" a no even
though it contains "同意", and a button's payload ("/affirm") is what it says."""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from actions.answers.yes_no import YesNo, read_yes_no
from actions.common import reply_language

BUTTON_PAYLOADS = {"/affirm": YesNo.YES, "/deny": YesNo.NO}
# the model's affirm/deny is trusted for an answer the lexicon does not know only above this
SURE_INTENT = 0.6


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def yes_no_answer(tracker: Tracker) -> YesNo:
    typed = latest_text(tracker).strip()
    if typed in BUTTON_PAYLOADS:
        return BUTTON_PAYLOADS[typed]
    reading = read_yes_no(typed, reply_language(tracker))
    if reading is not YesNo.UNKNOWN:
        return reading
    intent = (tracker.latest_message or {}).get("intent") or {}
    if intent.get("confidence", 0) >= SURE_INTENT:
        return {"affirm": YesNo.YES, "deny": YesNo.NO}.get(intent.get("name"), YesNo.UNKNOWN)
    return YesNo.UNKNOWN


def as_bool(answer: YesNo) -> Optional[bool]:
    return {YesNo.YES: True, YesNo.NO: False}.get(answer)
