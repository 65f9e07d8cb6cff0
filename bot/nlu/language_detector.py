"""Rasa graph component: adds `language` to every parse result.

Runs first in the pipeline so the tokenizer can pick the right segmenter.
Output:
- `language` on the message (and in /model/parse): a supported tag or `und`;
- a `language` entity when the evidence is decisive, which fills the
  `language` slot (domain.yml). Messages with no or weak language signal
  ("ok", "👍", "no") emit no entity, so the conversation keeps its language.
"""
from __future__ import annotations

import logging
import pickle
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.languages import UNDETERMINED
from bot.nlu.code_version import code_version
from bot.nlu.language_identifier import LanguageIdentifier, NgramModel, training_pairs

logger = logging.getLogger(__name__)

LANGUAGE = "language"
LANGUAGE_CONFIDENCE = "language_confidence"
_MODEL_FILE = "ngram_model.pkl"


def example_language(message: Message) -> Optional[str]:
    """The language our training data declares for an example (intent-block metadata)."""
    metadata = message.get(METADATA) or {}
    return (metadata.get("intent") or {}).get(LANGUAGE) or (metadata.get("example") or {}).get(LANGUAGE)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class LanguageDetector(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"code_version": code_version()}

    def __init__(self, model_storage: ModelStorage, resource: Resource, model: Optional[NgramModel] = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self._identifier = LanguageIdentifier(model)

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext) -> "LanguageDetector":
        return cls(model_storage, resource)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any) -> "LanguageDetector":
        try:
            with model_storage.read_from(resource) as directory:
                with open(directory / _MODEL_FILE, "rb") as file:
                    return cls(model_storage, resource, pickle.load(file))
        except (ValueError, FileNotFoundError):
            logger.warning("language model not found in the trained model; using scripts and langdetect only")
            return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts, tags = training_pairs(
            (message.get(TEXT), example_language(message)) for message in training_data.intent_examples
        )
        model = NgramModel.train(texts, tags) if texts else NgramModel()
        with self._model_storage.write_to(self._resource) as directory:
            with open(directory / _MODEL_FILE, "wb") as file:
                pickle.dump(model, file)
        self._identifier = LanguageIdentifier(model)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Training examples carry their true language; use it so the tokenizer
        # segments each example as its own language.
        for message in training_data.training_examples:
            declared = example_language(message)
            if declared:
                message.set(LANGUAGE, declared)
            elif message.get(TEXT):
                message.set(LANGUAGE, self._identifier.detect(message.get(TEXT)).language)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            detection = self._identifier.detect(message.get(TEXT))
            message.set(LANGUAGE, detection.language, add_to_output=True)
            message.set(LANGUAGE_CONFIDENCE, round(detection.confidence, 3), add_to_output=True)
            if detection.decisive and detection.language != UNDETERMINED:
                entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != LANGUAGE]
                entities.append({
                    "entity": LANGUAGE,
                    "value": detection.language,
                    "start": 0,
                    "end": 0,
                    "confidence_entity": round(detection.confidence, 3),
                    "extractor": self.__class__.__name__,
                })
                message.set(ENTITIES, entities, add_to_output=True)
        return messages
