"""After the emergency numbers (the `utter_emergency` response, which needs no action server):
the number for the patient's region when it is known, the nearest listed
emergency department, and, when the rules stopped a form for the emergency, that it
restarts only when the patient asks."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import db, name, text


def known_place(tracker: Tracker) -> Optional[str]:
    """The place the patient is in or heading to: a named place, else the hospital in context."""
    place = tracker.get_slot("place")
    if place:
        return place
    hospital = db().directory.hospital(tracker.get_slot("hospital") or "")
    return hospital.place if hospital else None


class ActionEmergencyFollowUp(Action):
    def name(self) -> Text:
        return "action_emergency_follow_up"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        directory = db().directory
        place = known_place(tracker)
        region = directory.region_of(place) if place else None
        lines = []
        if region:
            lines.append(text(tracker, f"emergency_call_{region}"))
            nearby = [h for h in directory.search(place=place) if h.emergency_department and h.status == "open"]
            if not nearby and region == "mainland":
                nearby = [h for h in directory.search() if h.emergency_department and h.status == "open"
                          and directory.region_of(h.place) == region and _same_city(directory, h.place, place)]
            if nearby:
                lines.append(text(tracker, "emergency_nearest", hospital=name(tracker, "hospital", nearby[0].id)))
        if form_stopped_this_turn(tracker):
            lines.append(text(tracker, "emergency_form_paused"))
        if lines:
            dispatcher.utter_message(text="\n".join(lines))
        return []


def form_stopped_this_turn(tracker: Tracker) -> bool:
    """The emergency rules stop an active form (action_deactivate_loop) before this action runs."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "active_loop" and event.get("name") is None:
            return True
    return False


def _same_city(directory, place_a: str, place_b: Optional[str]) -> bool:
    """Both places lie in the same top-level place (Shanghai, Shenzhen, Zhejiang ...)."""
    return place_b is not None and _top(directory, place_a) == _top(directory, place_b)


def _top(directory, place: str) -> str:
    seen = set()
    while place not in seen:
        seen.add(place)
        parent = directory.parent_of(place)
        if not parent:
            return place
        place = parent
    return place
