"""DIET loaded for prediction without a training step.

RasaModel.load builds a model's variables by training it one step on an
example (which traces the whole training graph with its gradients: 43 s of a
75 s model load here, in every server and parse worker start), then
overwrites them with the saved weights. For prediction the variables can be
built by a prediction instead: the saved weights are read first, TensorFlow
restores each variable as the layer creates it (delayed restoration), and the
prediction Rasa makes anyway to trace the graph creates them all. Then every
variable that exists must have come from the file, or Rasa's own load runs.
Fine-tuning keeps Rasa's path: it trains on. tests/test_rasa_speedups.py
checks each weight and the label embeddings equal Rasa's load.
"""
from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def _for_prediction(original_load):
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY

    from bot.nlu.serving_diet import checkpoint_without_optimizer

    def load(cls, model_file_name, model_data_example, predict_data_example=None, finetune_mode=False,
             *args, **kwargs):
        if finetune_mode or predict_data_example is None:
            return original_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                                 *args, **kwargs)
        config = kwargs.get("config", {})
        model = cls(*args, **kwargs)
        model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)),
                      run_eagerly=config.get(RUN_EAGERLY))
        # the optimizer is left out: its state is not needed to predict, and lean models
        # are saved without it (bot/nlu/serving_diet.py)
        with checkpoint_without_optimizer(model):
            restored = model.load_weights(model_file_name)
            model.run_inference(predict_data_example)  # creates the variables; each is restored as it is
            try:
                restored.assert_existing_objects_matched()
            except AssertionError:
                logger.warning("%s: weights not all restored without training; loading as Rasa does", cls.__name__)
                return original_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                                     *args, **kwargs)
            restored.expect_partial()
        return model

    load.original = original_load
    return load


def apply() -> None:
    from rasa.utils.tensorflow.models import RasaModel

    RasaModel.load = classmethod(_for_prediction(RasaModel.__dict__["load"].__func__))
