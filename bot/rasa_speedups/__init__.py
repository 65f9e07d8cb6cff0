"""Speed fixes for Rasa 3.6, applied by `bot.channels` when the server loads its channels.

Every server we start loads its channels from bot.channels (credentials.yml),
so the fixes are in place before the first message. Each was found with
py-spy under `make bench` load, keeps Rasa's behaviour (tests compare with
Rasa's own code path) and only removes repeated work:

- action_calls: custom-action calls (a validator built once, the domain sent
  without its responses, one kept HTTP session per endpoint, ujson bodies);
- diet: DIET's traced TensorFlow graph called directly;
- events: event classes found by name once;
- frozen_model: the loaded model kept out of the garbage collector's full passes;
- graph_runner: the model's graph run in order, without dask's scheduler;
- model_load: DIET loaded without a training step (a faster start);
- slots: slots copied without the pickle protocol;
- tracker_states: a tracker's past states built once per prediction.
"""
from __future__ import annotations

import functools


@functools.cache  # once per process: the wrappers wrap Rasa's originals, never each other
def apply() -> None:
    from bot.rasa_speedups import (
        action_calls,
        diet,
        events,
        frozen_model,
        graph_runner,
        model_load,
        slots,
        tracker_states,
    )

    for fix in (action_calls, diet, events, frozen_model, graph_runner, model_load, slots, tracker_states):
        fix.apply()
