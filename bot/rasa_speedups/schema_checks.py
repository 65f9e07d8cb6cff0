"""JSON-schema checks with each schema checked once, for `make train`.

Rasa validates every entity annotation of the training data (`[Renji]{"entity":
"hospital", ...}`, 27,000 in ours, read five times per training) with
`jsonschema.validate`, which first checks the schema itself against the
JSON-schema meta-schema and builds a new validator: 95 % of the time spent
reading our NLU data, about a minute of every `make train` (cProfile,
2026-12-07). Here the validator is built once per schema and reused; the
instance is checked exactly as `jsonschema.validate` checks it (same validator
class, same best-matching error raised). Applied only in the training process
(bot/rasa_command.py); tests/test_rasa_speedups.py compares with jsonschema's own.
"""
from __future__ import annotations

import functools
import json
from typing import Any, Callable, Dict


def _cached_validate(original: Callable) -> Callable:
    validators: Dict[str, Any] = {}

    @functools.wraps(original)
    def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
        if cls is not None or args or kwargs:
            return original(instance, schema, cls, *args, **kwargs)
        try:
            key = json.dumps(schema, sort_keys=True)
        except (TypeError, ValueError):  # a schema JSON cannot write: no cache, jsonschema's path
            return original(instance, schema)
        validator = validators.get(key)
        if validator is None:
            from jsonschema.validators import validator_for

            validator_class = validator_for(schema)
            validator_class.check_schema(schema)
            validator = validators[key] = validator_class(schema)
        from jsonschema import exceptions

        error = exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    validate.original = original
    return validate


def apply() -> None:
    import jsonschema

    if not hasattr(jsonschema.validate, "original"):
        jsonschema.validate = _cached_validate(jsonschema.validate)
