"""No patient's words in the logs, and no forged log lines.

Rasa 3.6 logs the patient's text at error level when a REST client goes away
mid-request (`rest.message.received.timeout`, text=...) and logs any handler
failure with `structlogger.exception`, whose JSON renderer prints every stack
frame's local variables (messages, slots). Rasa's own `_anonymizer` covers the
same keys only when Rasa Plus provides an anonymisation pipeline, so this adds
a structlog processor that drops those keys and the traceback at INFO and
above (DEBUG stays as Rasa writes it, for a developer's machine).

Ids come from outside (a conversation id is whatever a client sends): every
log record's message and arguments are escaped as the record is made, so a
newline or another control character in an id cannot start a line of its own.
"""
from __future__ import annotations

import logging
import re
import sys
from functools import lru_cache
from typing import Any, Dict

import structlog

# rasa.utils.log_utils._anonymizer's keys (event fields that can carry what the patient wrote or gave)
PERSONAL_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response", "slot_candidates",
    "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states", "successes", "current_entity",
    "next_entity", "states", "entity", "token_text", "user_message", "json_message",
})
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "warn": logging.WARNING,
           "error": logging.ERROR, "exception": logging.ERROR, "critical": logging.CRITICAL}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape(value: str) -> str:
    """'a\\nb' -> 'a\\\\nb': control characters written as escapes, so one record stays one line."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), value)


def redact(_: Any, method_name: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
    """A structlog processor: at INFO and above, personal fields and tracebacks are left out."""
    if _LEVELS.get(method_name, logging.INFO) < logging.INFO:
        return event_dict
    for key in PERSONAL_KEYS.intersection(event_dict):
        event_dict[key] = "[left out]"
    if event_dict.pop("exc_info", None) is not None or method_name == "exception":
        error = sys.exc_info()[1]
        event_dict["error"] = type(error).__name__ if error is not None else "-"
    return event_dict


def _escaping_record_factory(make_record):
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = escape(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(escape(arg) if isinstance(arg, str) else arg for arg in record.args)
        return record

    return make


@lru_cache(maxsize=None)  # once per process
def apply() -> None:
    # In place: loggers Rasa already bound hold this same list (structlog caches them on first use).
    processors = structlog.get_config()["processors"]
    if redact not in processors:
        processors.insert(0, redact)
    logging.setLogRecordFactory(_escaping_record_factory(logging.getLogRecordFactory()))
