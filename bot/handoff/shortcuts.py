"""Patients may not type Rasa's intent shortcuts ("/restart", '/inform{"hospital": "renji"}').

Rasa reads any message that starts with "/" as an intent with entities and skips the NLU,
so a patient could set any slot, restart the conversation (and with it what the bot knows)
or trigger any intent. Only the exact payloads of the buttons the bot offered since the
patient's previous message pass as shortcuts; any other slash message is read as text,
its leading slashes removed as Rasa itself does with slash syntax it cannot read, and the
shortcut's entities (`{...}`) and confidence (`@0.9`) dropped: read as words, their values
filled slots whenever the model happened to tag them (a typed '/inform{"hospital":"renji"}'
set the hospital after one training and not after another).
"""
from __future__ import annotations

import re
from typing import Optional, Set

from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

SHORTCUT_PREFIX = "/"
# Rasa's shortcut syntax: /intent, then optionally @confidence and {entities}
_SHORTCUT = re.compile(r"/+(?P<intent>[^\s{@/]+)(?:@[0-9.]*)?(?:\{.*\})?\s*", re.DOTALL)


def offered_payloads(tracker: Optional[DialogueStateTracker]) -> Set[str]:
    """The button payloads of the bot's messages since the patient last wrote."""
    payloads: Set[str] = set()
    for event in reversed(tracker.events if tracker is not None else []):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            payloads.update(button["payload"] for button in (event.data or {}).get("buttons") or []
                            if isinstance(button, dict) and button.get("payload"))
    return payloads


def as_patient_wrote(text: str, tracker: Optional[DialogueStateTracker]) -> str:
    """The text Rasa should see: an offered payload as it is, any other slash message as plain text."""
    if not text.startswith(SHORTCUT_PREFIX) or text in offered_payloads(tracker):
        return text
    shortcut = _SHORTCUT.fullmatch(text)
    if shortcut:
        return shortcut.group("intent")
    return text.lstrip(SHORTCUT_PREFIX).strip() or "?"
