"""How a message reaches a patient outside their own turn (a coordinator's reply, a waiting notice).

Each channel registers itself when Rasa mounts it. Rasa's OutputChannel is
enough for Telegram and WeChat; the web widget also shows who is talking and
whether a coordinator holds the conversation.

Sends take the conversation id ("telegram:<chat id>", bot/conversation_ids.py);
each channel sends to its platform's own id in it and refuses an id that is not
its channel's, so a conversation queued from one channel never reaches another's users.
"""
from __future__ import annotations

import logging
from typing import Dict, List, Optional

from rasa.core.channels.channel import OutputChannel

logger = logging.getLogger(__name__)

WAITING, COORDINATOR, ASSISTANT = "waiting", "coordinator", "assistant"


class PatientChannel:
    """A channel that can reach a patient at any time. Subclasses give `output()`."""

    can_push = True

    def output(self) -> Optional[OutputChannel]:
        raise NotImplementedError

    async def send(self, conversation_id: str, text: str, buttons: Optional[List[Dict]] = None,
                   from_coordinator: bool = False) -> bool:
        output = self.output()
        if output is None:
            return False
        if buttons:
            await output.send_text_with_buttons(conversation_id, text, buttons)
        else:
            await output.send_text_message(conversation_id, text)
        return True

    async def send_state(self, conversation_id: str, state: str) -> None:
        """Tells the patient's client that a coordinator is waited for, present, or gone (web widget only)."""


class NoPush(PatientChannel):
    """Request/response channels (REST): replies stay in the transcript until the patient writes again."""

    can_push = False

    def output(self) -> Optional[OutputChannel]:
        return None


_channels: Dict[str, PatientChannel] = {}


def register(name: str, channel: PatientChannel) -> None:
    _channels[name] = channel


def channel(name: str) -> PatientChannel:
    return _channels.get(name) or NoPush()
