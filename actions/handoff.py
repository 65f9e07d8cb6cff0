"""Handing the conversation to a hospital coordinator.

The action tells the patient and pauses the conversation (Rasa's
ConversationPaused). It does not touch the queue: the queue lives in the Rasa
server beside the tracker store (bot/handoff/), which sees the pause after
this turn and queues the conversation. The action server cannot reach it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    say(dispatcher, tracker, "handoff_queued")
    return [ConversationPaused()]


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        return hand_off(dispatcher, tracker)
