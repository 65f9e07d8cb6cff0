"""Speed fixes for Rasa 3.6, applied by `bot.channels` when the server loads its channels.

Every server we start loads its channels from bot.channels (credentials.yml),
so the fixes are in place before the first message. Each keeps Rasa's
behaviour and only removes repeated work:

- RemoteAction._validate_action_result calls `jsonschema.validate()`, which
  first checks Rasa's large events schema against the JSON-Schema metaschema
  and builds a new validator, on every custom-action call: 42 ms per call
  measured here, against 0.9 ms with a validator built once. With two or three
  custom actions a turn it was the biggest single cost of a message
  (profiled with py-spy under `make bench`).
- RemoteAction._action_call_format sends the whole domain with every
  custom-action call: 193 kB of JSON here, 97 % of it the responses in 12
  languages, serialised by the server and parsed by the action server each
  time. Our actions never read responses (they name them; Rasa renders them on
  this side), but the form and slot validation actions do need the slots and
  forms, so Rasa's own switch (enable_selective_domain) cannot be used: the
  domain is sent without its responses instead.
- EndpointConfig.request opens a new aiohttp session, and so a new TCP
  connection, for every request: every custom-action call paid a connection
  set-up on both sides, and under overload one in ~1,000 failed while writing
  to a connection just opened. Each endpoint now keeps one session (per event
  loop) whose idle connections are dropped before the action server's
  keep-alive timeout (Sanic's default is 5 s) could close them under it, and
  which encodes request bodies with ujson.
- RasaModel._rasa_predict (DIET) calls its tf.function, which on every call
  canonicalises the inputs against the signature and looks up the traced
  graph: more than half of DIET's time per message. The traced graph is now
  called directly (a parse: 18.9 -> 13.6 ms here, the same intents and
  confidences on 502 evaluation texts); anything unexpected takes Rasa's path.
- Event.resolve_by_type walks the whole tree of Event subclasses to find one
  class by name, for every event of every tracker read from a tracker store
  (each message reads the whole conversation back): found classes are
  remembered; an unknown name still takes Rasa's own path.
"""
from __future__ import annotations

import asyncio
import functools
from typing import Any, Dict, Text

# Shorter than the keep-alive timeout of the Sanic servers we call (5 s).
IDLE_CONNECTION_SECONDS = 3.0


def _cached_validator(remote_action_class) -> Any:
    validator = getattr(remote_action_class, "_patient_guide_validator", None)
    if validator is None:
        from jsonschema import validators

        schema = remote_action_class.action_response_format_spec()
        validator_class = validators.validator_for(schema)
        validator_class.check_schema(schema)  # once, as validate() did on every call
        validator = validator_class(schema)
        remote_action_class._patient_guide_validator = validator
    return validator


def _validate_action_result(self, result: Dict[Text, Any]) -> bool:
    from jsonschema import ValidationError
    from rasa.shared.constants import DOCS_BASE_URL

    try:
        _cached_validator(type(self)).validate(result)
        return True
    except ValidationError as e:
        # the same message Rasa's own method adds
        e.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise e


def _without_responses(original):
    def _action_call_format(self, tracker, domain) -> Dict[Text, Any]:
        payload = original(self, tracker, domain)
        if isinstance(payload.get("domain"), dict) and "responses" in payload["domain"]:
            # a new dict: Domain.as_dict() returns the domain's own cached one
            payload["domain"] = {key: value for key, value in payload["domain"].items() if key != "responses"}
        return payload

    return _action_call_format


def _to_json(payload: Any) -> str:
    # ujson (a Rasa dependency) instead of json.dumps: each action call sends the
    # conversation's events, and encoding them was ~7 % of a message's time.
    import ujson

    return ujson.dumps(payload, ensure_ascii=False, escape_forward_slashes=False)


class _KeptSession:
    """What `async with endpoint.session() as session` gets: a long-lived session, left open."""

    def __init__(self, session) -> None:
        self._session = session

    async def __aenter__(self):
        return self._session

    async def __aexit__(self, *exc_info) -> bool:
        return False


def _session(self) -> _KeptSession:
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    loop = asyncio.get_running_loop()
    kept_loop, session = self.__dict__.get("_patient_guide_session", (None, None))
    if session is None or session.closed or kept_loop is not loop:
        # the same settings as Rasa's own EndpointConfig.session()
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        session = aiohttp.ClientSession(
            headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_CONNECTION_SECONDS), json_serialize=_to_json)
        self._patient_guide_session = (loop, session)
    return _KeptSession(session)


def _direct_predict(original):
    import tensorflow as tf
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA

    def _rasa_predict(self, batch_in):
        graph = getattr(self, "_patient_guide_graph", None)
        if graph is None or self._run_eagerly:
            outputs = original(self, batch_in)  # traces the tf.function on the first call
            if self._tf_predict_step is not None and not self._run_eagerly:
                self._patient_guide_graph = self._tf_predict_step.get_concrete_function()
            return outputs
        try:
            outputs = graph([tf.convert_to_tensor(array) for array in batch_in])
        except (TypeError, ValueError, tf.errors.InvalidArgumentError):
            return original(self, batch_in)
        outputs = tf_utils.sync_to_numpy_or_python_type(outputs)
        if DIAGNOSTIC_DATA in outputs:  # as Rasa's own method does
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs

    _rasa_predict.original = original
    return _rasa_predict


def _remembering(original_resolve):
    found: Dict[Text, Any] = {}

    def resolve_by_type(type_name: Text, default=None):
        cls = found.get(type_name)
        if cls is None:
            cls = original_resolve(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls
        return cls

    return staticmethod(resolve_by_type)


@functools.cache  # once per process: the wrappers wrap Rasa's originals, never each other
def apply() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.tensorflow.models import RasaModel

    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _without_responses(RemoteAction._action_call_format)
    Event.resolve_by_type = _remembering(Event.resolve_by_type)
    EndpointConfig.session = _session
    RasaModel._rasa_predict = _direct_predict(RasaModel._rasa_predict)
