"""A parse worker's process: loads the model once, then parses what the server sends.

Started by the server (bot/parse_worker/pool.py) as
`python -m bot.parse_worker.worker MODEL_PATH`. Requests arrive as frames on
stdin, answers leave in the same order on the original stdout; everything
the libraries print is sent to stderr (the server's log) so it cannot
corrupt a frame. The process ends when the server closes stdin.

It runs the same code Rasa's MessageProcessor runs to parse a message
(`_parse_message_with_graph`, with the empty tracker Rasa uses when there is
none: the NLU graph does not read it, which pool.py checks), on the same
model file, so a parse here is the parse the server would have made.
Rasa and TensorFlow are imported only once stdout is set aside for frames:
they print while importing.
"""
from __future__ import annotations

import gc
import logging
import os
import sys
from types import SimpleNamespace

from bot.parse_worker import frames

logger = logging.getLogger("bot.parse_worker")


def _protocol_streams():
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return sys.stdin.buffer, answers


def _load(model_path: str) -> SimpleNamespace:
    from rasa.core.processor import MessageProcessor

    from bot.parse_worker.warm_up import warm_up
    from bot.server import patches

    patches.apply(patches.PARSE_WORKER)  # the same graph runner and DIET call as the server's
    _, metadata, runner = MessageProcessor._load_model(model_path)
    model = SimpleNamespace(graph_runner=runner, model_metadata=metadata)
    warm_up(lambda text: _parse(model, {"text": text, "sender_id": "warm-up", "input_channel": None,
                                        "message_id": None, "metadata": None, "only_output_properties": True}))
    gc.collect()
    gc.freeze()  # as the server does (bot/rasa_speedups/frozen_model.py)
    return model


def _parse(model: SimpleNamespace, request: dict) -> dict:
    from rasa.core.channels.channel import UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker

    message = UserMessage(request["text"], None, request["sender_id"], input_channel=request["input_channel"],
                          message_id=request["message_id"], metadata=request["metadata"])
    tracker = DialogueStateTracker.from_events(message.sender_id, [])
    return MessageProcessor._parse_message_with_graph(model, message, tracker, request["only_output_properties"])


def main(model_path: str) -> None:
    from bot import lean_imports

    lean_imports.apply()  # before Rasa imports TensorFlow
    requests, answers = _protocol_streams()
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper(),
                        format="%(asctime)s %(levelname)-8s %(name)s (parse worker %(process)d)  - %(message)s")
    model = _load(model_path)
    answers.write(frames.encode(("ready", model.model_metadata.model_id)))
    while (request := frames.read(requests)) is not None:
        try:
            answer = ("parsed", _parse(model, request))
        except Exception as error:  # the server parses this one itself; the log names the error, not the text
            logger.warning("parse failed in the worker: %s", type(error).__name__)
            answer = ("failed", type(error).__name__)
        answers.write(frames.encode(answer))


if __name__ == "__main__":
    main(sys.argv[1])
