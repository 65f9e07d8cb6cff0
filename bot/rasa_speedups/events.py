"""Event classes found by name once.

Event.resolve_by_type walks the whole tree of Event subclasses to find one
class by name, for every event of every tracker read from a tracker store
(each message reads the whole conversation back): found classes are
remembered; an unknown name still takes Rasa's own path.
"""
from __future__ import annotations

from typing import Any, Dict, Text


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


def apply() -> None:
    from rasa.shared.core.events import Event

    Event.resolve_by_type = _remembering(Event.resolve_by_type)
