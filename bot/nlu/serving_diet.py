"""Rasa's DIETClassifier, saved without the optimizer's state.

Rasa saves DIET with Keras' save_weights, which also writes the Adam
optimizer's two moment estimates for every weight: two thirds of the file
(the model archive was 386 MB, of which ~290 MB of optimizer state). A
served model only predicts, and the server never reads that state
(bot/rasa_speedups/model_load.py restores the weights alone). Training is
Rasa's, unchanged; only `persist` leaves the optimizer out of the
checkpoint. Fine-tuning such a model (`rasa train --finetune`) still works,
starting Adam's moments afresh. tests/test_model_size.py checks the saved
variables are exactly the model's weights.
"""
from __future__ import annotations

import contextlib

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIETClassifier


@contextlib.contextmanager
def checkpoint_without_optimizer(model):
    """Saves and restores `model`'s weights with its optimizer left out of the checkpoint.

    TensorFlow walks a checkpoint's object graph through `_trackable_children`;
    inside this block the model's children lack "optimizer".
    """
    def children_without_optimizer(save_type="checkpoint", **kwargs):
        children = type(model)._trackable_children(model, save_type, **kwargs)
        children.pop("optimizer", None)
        return children

    model._trackable_children = children_without_optimizer
    try:
        yield model
    finally:
        del model._trackable_children


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class ServingDIETClassifier(DIETClassifier):
    def persist(self) -> None:
        if self.model is None:
            return super().persist()
        with checkpoint_without_optimizer(self.model):
            super().persist()
