"""Custom-action calls: the work Rasa 3.6 repeats for every call to the action server.

- RemoteAction._validate_action_result calls `jsonschema.validate()`, which
  first checks Rasa's large events schema against the JSON-Schema metaschema
  and builds a new validator, on every custom-action call: 42 ms per call
  measured here, against 0.9 ms with a validator built once, and less again
  with each event checked against its own type only (_ResponseValidator).
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
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, Text

# Shorter than the keep-alive timeout of the Sanic servers we call (5 s).
IDLE_CONNECTION_SECONDS = 3.0


class _ResponseValidator:
    """Rasa's action-response schema, built once and checked one event type at a time.

    The schema's event is a `oneOf` over 23 event types, each fixing `event`
    to its own constant, so jsonschema tried every type for every event. An
    event can only match the type its `event` names: it is checked against
    that one (with the part common to all). Anything else (not an object, an
    unknown type, a failed check) goes through the whole schema, which gives
    Rasa's own answer and error.
    """

    def __init__(self, schema: Dict[Text, Any]) -> None:
        from jsonschema import validators

        validator_class = validators.validator_for(schema)
        validator_class.check_schema(schema)  # once, as validate() did on every call
        self.whole = validator_class(schema)
        events = schema["properties"]["events"]
        event = events["items"]
        common = {key: value for key, value in event.items() if key != "oneOf"}
        self.outer = validator_class({**schema, "properties": {
            **schema["properties"], "events": {key: value for key, value in events.items() if key != "items"}}})
        names = [branch.get("properties", {}).get("event", {}).get("const") for branch in event["oneOf"]]
        self.by_type = {name: validator_class({**common, "allOf": [branch]})
                        for name, branch in zip(names, event["oneOf"])}
        if None in self.by_type or len(self.by_type) != len(names):
            self.by_type = {}  # not the schema this was written for: always check the whole

    def _quick_pass(self, result: Any) -> bool:
        if not self.by_type or not self.outer.is_valid(result):
            return False
        for event in result.get("events", []):
            name = event.get("event") if isinstance(event, dict) else None
            validator = self.by_type.get(name) if isinstance(name, str) else None
            if validator is None or not validator.is_valid(event):
                return False
        return True

    def validate(self, result: Any) -> None:
        if not self._quick_pass(result):
            self.whole.validate(result)


def _cached_validator(remote_action_class) -> _ResponseValidator:
    validator = remote_action_class.__dict__.get("_patient_guide_validator")
    if validator is None:
        validator = _ResponseValidator(remote_action_class.action_response_format_spec())
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


def apply() -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _without_responses(RemoteAction._action_call_format)
    EndpointConfig.session = _session
