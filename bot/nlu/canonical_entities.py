"""Rasa graph component: keeps only entity values an action can use.

Every name of a hospital, department, place, insurer or language in the training
data is annotated with its canonical id (bot/nlu/entity_ids.py), so Rasa's synonym
mapper turns a recognised name into that id. DIET also tags spans it has never seen
annotated, and those arrive as raw text: the generic word in "l'hôpital Renji"
(filled the hospital slot before "renji" did, so the bot asked which hospital), the
"-" of "14-03-1984" as a referral id, or a whole typed `/inform{...}` as a
department. Rasa has no check of an entity's value against a closed set, hence this
component: an entity of a closed type whose value is not one of its ids is dropped,
and a referral id or booking reference with fewer than MIN_REFERENCE_CHARS letters
and digits. Names DIET misses are still found in the text by the forms
(bot/entity_names.py). Placed after EntitySynonymMapper and RegexEntityExtractor.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.entity_ids import CANONICAL_VALUES

MIN_REFERENCE_CHARS = 5  # RF-20831 has 7, BK-7Q4M2X 8


def usable(entity: Dict[Text, Any]) -> bool:
    kind, value = entity.get("entity"), entity.get("value")
    if kind not in CANONICAL_VALUES:
        return True  # not ours to judge (the language detector's "language", for one)
    allowed = CANONICAL_VALUES[kind]
    if allowed is not None:
        return isinstance(value, str) and value in allowed
    return isinstance(value, str) and sum(ch.isalnum() for ch in value) >= MIN_REFERENCE_CHARS


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CanonicalEntities(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext) -> "CanonicalEntities":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            kept = [entity for entity in entities if usable(entity)]
            if len(kept) != len(entities):
                message.set(ENTITIES, kept, add_to_output=True)
        return messages
