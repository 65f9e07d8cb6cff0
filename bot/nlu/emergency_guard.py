"""Rasa graph component: forces the `emergency` intent when the lexicon matches.

Placed last in the pipeline, after FallbackClassifier: a lexicon match can
never be turned into a fallback (FallbackClassifier's ambiguity check would
do that when a second intent is close) or lose to another intent.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME as FALLBACK
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.emergency_lexicon import EmergencyLexicon

EMERGENCY = "emergency"
MATCH_KEY = "emergency_lexicon_match"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class EmergencyGuard(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, lexicon: EmergencyLexicon) -> None:
        self._lexicon = lexicon

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext) -> "EmergencyGuard":
        return cls(EmergencyLexicon.load())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            matched = self._lexicon.match(message.get(TEXT)) is not None
            # Only a flag goes to the output: the matched words are health data.
            message.set(MATCH_KEY, matched, add_to_output=True)
            if matched:
                force_emergency(message)
        return messages


def force_emergency(message: Message) -> None:
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in (EMERGENCY, FALLBACK)]
    top = {"name": EMERGENCY, "confidence": 1.0}
    message.set(INTENT, top, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [top] + ranking, add_to_output=True)
