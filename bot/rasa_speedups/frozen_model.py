"""The loaded model kept out of the garbage collector's full passes.

A loaded model is about 600,000 Python objects (TensorFlow, spaCy, Rasa's
graph) that live as long as the server. CPython's full collections walk all
of them: 0.4-0.6 s each here, during which every message in flight waits;
under `make bench` one came every few tens of seconds, which made a run's
p99 a matter of luck. Once the model is loaded, `gc.freeze()` moves what
exists into the permanent generation, which collections skip; later objects
(conversations, replies) are collected as before. The price: a model
replaced later through the HTTP API (PUT /model) leaves the frozen one's
reference cycles in memory until the server restarts; restart to change
models in production.
"""
from __future__ import annotations

import gc


def _freezing(original_load):
    async def load_agent_on_start(*args, **kwargs):
        agent = await original_load(*args, **kwargs)
        gc.collect()  # what is garbage now is not frozen
        gc.freeze()
        return agent

    load_agent_on_start.original = original_load
    return load_agent_on_start


def apply() -> None:
    # rasa.core.run.serve_application looks the function up when it registers the
    # listener, after the channels (and so these fixes) have been loaded
    from rasa.core import run

    run.load_agent_on_start = _freezing(run.load_agent_on_start)
