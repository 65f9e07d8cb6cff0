"""What every action needs: the reply language, texts in it, display names and dates."""
from __future__ import annotations

import datetime as dt
import os
from typing import Any, Dict, Iterable, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.db import Database, database
from bot import languages, texts


def reply_language(tracker: Tracker) -> str:
    for slot in languages.REPLY_LANGUAGE_SLOTS:
        value = tracker.get_slot(slot)
        if value and languages.is_supported(value):
            return value
    return texts.FALLBACK_LANGUAGE


def text(tracker: Tracker, key: str, **values: Any) -> str:
    return texts.get(key, reply_language(tracker), **{k: str(v) for k, v in values.items()})


def say(dispatcher: CollectingDispatcher, tracker: Tracker, key: str, buttons: Optional[List[dict]] = None,
        **values: Any) -> None:
    dispatcher.utter_message(text=text(tracker, key, **values), buttons=buttons or [])


def join(tracker: Tracker, items: Iterable[str]) -> str:
    return text(tracker, "list_separator").join(items)


def db() -> Database:
    return database()


def name(tracker: Tracker, kind: str, item_id: str) -> str:
    return db().directory.name(kind, item_id, reply_language(tracker))


def today() -> dt.date:
    """The clinic calendar's today; PATIENT_GUIDE_TODAY pins it for tests and demos."""
    pinned = os.environ.get("PATIENT_GUIDE_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def show_date(tracker: Tracker, date: dt.date) -> str:
    weekday = text(tracker, "weekday_names").split(",")[date.weekday()]
    return text(tracker, "date_with_weekday", weekday=weekday, date=date.isoformat())


def latest_entity(tracker: Tracker, entity: str) -> Optional[str]:
    """The entity's value in the patient's latest message, if it has one."""
    return next(tracker.get_latest_entity_values(entity), None)


def entity_or_slot(tracker: Tracker, entity: str) -> Optional[str]:
    return latest_entity(tracker, entity) or tracker.get_slot(entity)


def hospital_buttons(tracker: Tracker, hospital_ids: Iterable[str], intent: str = "inform") -> List[Dict[str, str]]:
    """One button per hospital; the payload re-sends `intent` with the hospital entity."""
    return [{"title": name(tracker, "hospital", hid), "payload": f'/{intent}{{"hospital":"{hid}"}}'}
            for hid in hospital_ids]
