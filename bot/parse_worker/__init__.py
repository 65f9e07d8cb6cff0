"""Messages parsed in separate worker processes, so the server's one process does the rest.

Why: Rasa's server is one Python process, so it uses one core. Under
`make bench` at 50 messages/s with in-memory stores it was at 85-90 % of a
core, and any pause (a garbage collection, a busy neighbour) queued messages
for seconds, while the second core was mostly idle. Parsing is almost half
of a message's work and needs nothing but the message, so it moves: the
server starts NLU_WORKER_PROCESSES workers (default 1; 0 parses in the
server) once its model is loaded, each loading the same model file
(bot/parse_worker/worker.py), and MessageProcessor.parse_message sends them
the message. Trackers, locks and policies stay in the server, so the
in-memory stores keep working. Until a worker is ready (its model loads
for tens of seconds after the server starts), or when one fails, the server
parses the message itself (pool.py).

Not Rasa's own remote NLU (an `nlu:` endpoint, RasaNLUHttpInterpreter): it
sends only the text (our channels' metadata is dropped), logs the message
text when the NLU server fails and then returns an empty intent, so the
patient gets the fallback; and it is a second HTTP server to run.

A model loaded later through the HTTP API (PUT /model) is parsed in the
server: the workers belong to the processor of the model loaded at start.
"""
from __future__ import annotations

import functools
import logging
import os
from typing import Any, Dict, Optional, Text

from bot.parse_worker.pool import ParseWorkers
from bot.parse_worker.warm_up import warm_up_async

logger = logging.getLogger(__name__)

_WORKERS = "_patient_guide_parse_workers"


def worker_count() -> int:
    return max(0, int(os.environ.get("NLU_WORKER_PROCESSES", "1")))


def nlu_reads_only_the_message(processor) -> bool:
    """A worker parses with an empty tracker (as /model/parse does): only right if no NLU node reads it."""
    from rasa.engine.constants import PLACEHOLDER_TRACKER

    metadata = processor.model_metadata
    schema = metadata.predict_schema.minimal_graph_schema([metadata.nlu_target])
    return all(PLACEHOLDER_TRACKER not in node.needs.values() for node in schema.nodes.values())


def start_workers(processor, count: int) -> Optional[ParseWorkers]:
    if count == 0:
        return None
    if not nlu_reads_only_the_message(processor):
        logger.info("this model's NLU reads the conversation: messages are parsed in the server")
        return None
    model_file = processor.model_path
    if model_file.is_dir():
        model_file = model_file / processor.model_filename
    workers = ParseWorkers(model_file, processor.model_metadata.model_id, count)
    processor.__dict__[_WORKERS] = workers
    workers.start()
    return workers


def workers_of(processor) -> Optional[ParseWorkers]:
    return processor.__dict__.get(_WORKERS)


def _offloading(original_parse):
    async def parse_message(self, message, tracker=None, only_output_properties: bool = True) -> Dict[Text, Any]:
        workers = workers_of(self)
        parse_data = None
        if workers is not None and self.http_interpreter is None:
            parse_data = await workers.parse(message, only_output_properties)
        if parse_data is None:
            return await original_parse(self, message, tracker, only_output_properties)
        # what Rasa's parse_message does after its own parse (its debug log of the text left out)
        self._update_full_retrieval_intent(parse_data)
        self._check_for_unseen_features(parse_data)
        return parse_data

    parse_message.original = original_parse
    return parse_message


def _starting_workers(original_load):
    async def load_agent_on_start(*args, **kwargs):
        from rasa.core.channels.channel import UserMessage

        agent = await original_load(*args, **kwargs)
        if agent is not None and agent.processor is not None:
            # the server parses while its workers load, and whenever one fails
            await warm_up_async(lambda text: agent.processor.parse_message(UserMessage(text, sender_id="warm-up")))
            start_workers(agent.processor, worker_count())
        return agent

    load_agent_on_start.original = original_load
    return load_agent_on_start


@functools.cache  # once per process
def apply() -> None:
    from rasa.core import run
    from rasa.core.processor import MessageProcessor

    MessageProcessor.parse_message = _offloading(MessageProcessor.parse_message)
    # looked up by rasa.core.run.serve_application after the channels (and so this) are loaded
    run.load_agent_on_start = _starting_workers(run.load_agent_on_start)


def readiness(agent) -> Dict[Text, Any]:
    """For GET /webhooks/rest/ready: the model is loaded, and how many parse workers serve it."""
    processor = agent.processor if agent is not None else None
    workers = workers_of(processor) if processor is not None else None
    counts = {"ready": 0, "started": 0, "parsed_by_workers": 0, "parsed_in_server": 0}
    if workers is not None:
        counts.update(ready=sum(worker.ready for worker in workers.workers), started=workers.count,
                      parsed_by_workers=workers.parsed_by_workers, parsed_in_server=workers.parsed_in_server)
    return {"model_loaded": processor is not None, "parse_workers": counts}
