"""Directory answers: finding a hospital, directions, opening hours, insurance direct billing."""
from __future__ import annotations

import abc
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import db, entity_or_slot, hospital_buttons, join, latest_entity, name, reply_language, say, text
from actions.db.directory import HospitalInfo
from bot import languages

MAX_LISTED = 5
LANGUAGE_NAMES_FILE = Path(__file__).parent / "data" / "language_names.yml"
# Dropped one at a time, most specific first, when nothing matches.
WIDENING_ORDER = ("language", "insurer", "place", "department")


@lru_cache(maxsize=1)
def _language_names() -> Dict[str, str]:
    by_tag = yaml.safe_load(LANGUAGE_NAMES_FILE.read_text(encoding="utf-8"))
    return {word: tag for tag, words in by_tag.items() for word in words}


def spoken_language_asked(message_text: str) -> Optional[str]:
    """The staff language a patient asks for ("a doctor who speaks English" -> en), by the longest name found.

    A word table rather than an NLU entity: the language is named in passing,
    in any of 12 languages, and the table is easy for a hospital to extend.
    """
    text = (message_text or "").casefold()
    found = [(len(word), tag) for word, tag in _language_names().items() if word in text]
    return max(found)[1] if found else None


def hospital_line(tracker: Tracker, hospital: HospitalInfo) -> str:
    line = text(tracker, "hospital_line", hospital=name(tracker, "hospital", hospital.id),
                place=name(tracker, "place", hospital.place))
    if reply_language(tracker) in hospital.staff_languages:
        line += f" ({text(tracker, 'staff_speak_your_language')})"
    return line


def status_note(tracker: Tracker, hospital: HospitalInfo) -> Optional[str]:
    """Planned hospitals are flagged: the 2025 reports may be out of date."""
    if hospital.status == "open":
        return None
    hospital_name = name(tracker, "hospital", hospital.id)
    if hospital.opening:
        return text(tracker, "hospital_opening", hospital=hospital_name, date=hospital.opening)
    return text(tracker, "hospital_opening_no_date", hospital=hospital_name)


def known_hospital(tracker: Tracker) -> Optional[HospitalInfo]:
    hospital_id = entity_or_slot(tracker, "hospital")
    return db().directory.hospital(hospital_id) if hospital_id else None


def ask_which_hospital(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> None:
    ids = [h.id for h in db().directory.search()]
    say(dispatcher, tracker, "ask_which_hospital", buttons=hospital_buttons(tracker, ids, intent))


class ActionFindHospital(Action):
    def name(self) -> Text:
        return "action_find_hospital"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        criteria = {kind: latest_entity(tracker, kind) for kind in ("department", "place", "insurer")}
        criteria["language"] = spoken_language_asked(tracker.latest_message.get("text"))
        if not any(criteria.values()):
            # a follow-up like "and in Lingang?" keeps what was asked before
            criteria = {kind: tracker.get_slot(kind) for kind in ("department", "place")} | {"insurer": None,
                                                                                           "language": None}
        if not any(criteria.values()):
            say(dispatcher, tracker, "find_ask_criteria")
            return []
        results, dropped = self._search_widening(criteria)
        described = self._describe(tracker, {k: v for k, v in criteria.items() if v and k != dropped})
        if not results:
            say(dispatcher, tracker, "find_none")
            return []
        if dropped:
            key, values = "find_none_widened", {"criteria": self._describe(tracker, criteria),
                                                 "dropped": self._describe(tracker, {dropped: criteria[dropped]})}
        else:
            key, values = ("find_one_result" if len(results) == 1 else "find_results"), {"criteria": described}
        own_language = reply_language(tracker)
        results.sort(key=lambda h: (h.status != "open", own_language not in h.staff_languages))
        shown = results[:MAX_LISTED]
        lines = [text(tracker, key, **values)] + [hospital_line(tracker, h) for h in shown]
        lines += [note for note in (status_note(tracker, h) for h in shown) if note]
        if criteria.get("insurer") and dropped != "insurer":
            lines.append(text(tracker, "insurance_confirm"))
        lines += [text(tracker, "find_pick_one"), text(tracker, "sample_notice")]
        dispatcher.utter_message(text="\n".join(lines), buttons=hospital_buttons(tracker, [h.id for h in shown]))
        return [SlotSet("hospital", shown[0].id)] if len(shown) == 1 else []

    @staticmethod
    def _search_widening(criteria: Dict[str, Optional[str]]) -> Tuple[List[HospitalInfo], Optional[str]]:
        directory = db().directory
        results = directory.search(**criteria)
        if results:
            return results, None
        for kind in WIDENING_ORDER:
            if criteria.get(kind) and sum(1 for v in criteria.values() if v) > 1:
                widened = directory.search(**{k: v for k, v in criteria.items() if k != kind})
                if widened:
                    return widened, kind
        return [], None

    @staticmethod
    def _describe(tracker: Tracker, criteria: Dict[str, Optional[str]]) -> str:
        parts = []
        for kind in ("department", "place", "insurer"):
            if criteria.get(kind):
                parts.append(text(tracker, f"criterion_{kind}", **{kind: name(tracker, kind, criteria[kind])}))
        if criteria.get("language"):
            parts.append(text(tracker, "criterion_language", language=languages.get(criteria["language"]).native_name))
        return join(tracker, parts)


def directions_lines(tracker: Tracker, hospital: HospitalInfo) -> List[str]:
    hospital_name = name(tracker, "hospital", hospital.id)
    lines = [text(tracker, "directions_header", hospital=hospital_name)]
    for route in hospital.routes:
        key = "route_walk_after_customs" if route.mode == "walk" and route.after == "customs" else f"route_{route.mode}"
        lines.append(text(tracker, key, origin=name(tracker, "place", route.origin), minutes=route.minutes))
    if not hospital.routes:
        lines.append(text(tracker, "directions_no_route", hospital=hospital_name))
    language = reply_language(tracker)
    address = hospital.addresses.get(language) or hospital.addresses.get("en")
    lines.append(text(tracker, "directions_address", address=address))
    if not language.startswith("zh") and "zh-Hans" in hospital.addresses:
        # mainland taxi drivers read Simplified Chinese
        lines.append(text(tracker, "directions_address_for_taxi", address=hospital.addresses["zh-Hans"]))
    return lines


def hours_lines(tracker: Tracker, hospital: HospitalInfo) -> List[str]:
    closed = text(tracker, "hours_closed")
    shown = {day: (closed if value == "closed" else value) for day, value in hospital.hours.items()}
    lines = [text(tracker, "hours_header", hospital=name(tracker, "hospital", hospital.id)),
             text(tracker, "hours_lines", **shown)]
    if hospital.emergency_department:
        lines.append(text(tracker, "hours_emergency_department"))
    return lines


class _HospitalAnswer(Action, metaclass=abc.ABCMeta):
    """An answer about one hospital: the one named now, else the one in context, else ask which."""

    intent = ""  # re-sent by the "which hospital?" buttons

    @abc.abstractmethod  # abstract: rasa-sdk registers every concrete Action subclass
    def lines(self, tracker: Tracker, hospital: HospitalInfo) -> List[str]:
        ...

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        hospital = known_hospital(tracker)
        if hospital is None:
            ask_which_hospital(dispatcher, tracker, self.intent)
            return []
        lines = self.lines(tracker, hospital)
        lines += [note for note in [status_note(tracker, hospital)] if note]
        lines.append(text(tracker, "sample_notice"))
        dispatcher.utter_message(text="\n".join(lines))
        return [SlotSet("hospital", hospital.id)]


class ActionDirections(_HospitalAnswer):
    intent = "ask_directions"

    def name(self) -> Text:
        return "action_directions"

    def lines(self, tracker: Tracker, hospital: HospitalInfo) -> List[str]:
        return directions_lines(tracker, hospital)


class ActionHours(_HospitalAnswer):
    intent = "ask_hours"

    def name(self) -> Text:
        return "action_hours"

    def lines(self, tracker: Tracker, hospital: HospitalInfo) -> List[str]:
        return hours_lines(tracker, hospital)


class ActionHospitalDetails(_HospitalAnswer):
    """After the patient picks a hospital from a list: where it is, how to get there, when it is open."""

    intent = "ask_directions"

    def name(self) -> Text:
        return "action_hospital_details"

    def lines(self, tracker: Tracker, hospital: HospitalInfo) -> List[str]:
        return [hospital_line(tracker, hospital)] + directions_lines(tracker, hospital) + hours_lines(tracker, hospital)


class ActionInsurance(Action):
    def name(self) -> Text:
        return "action_insurance"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        insurer = latest_entity(tracker, "insurer")
        hospital = db().directory.hospital(latest_entity(tracker, "hospital") or "") if not insurer else None
        if not insurer and hospital is None:
            insurer = tracker.get_slot("insurer")
            hospital = None if insurer else known_hospital(tracker)
        if insurer:
            lines = self._by_insurer(tracker, insurer)
        elif hospital:
            lines = self._by_hospital(tracker, hospital)
        else:
            say(dispatcher, tracker, "insurance_ask")
            return []
        lines += [text(tracker, "insurance_confirm"), text(tracker, "sample_notice")]
        dispatcher.utter_message(text="\n".join(lines))
        return [SlotSet("insurer", insurer)] if insurer else [SlotSet("hospital", hospital.id)]

    @staticmethod
    def _by_insurer(tracker: Tracker, insurer: str) -> List[str]:
        insurer_name = name(tracker, "insurer", insurer)
        hospitals = db().directory.search(insurer=insurer)
        if not hospitals:
            return [text(tracker, "insurance_by_insurer_none", insurer=insurer_name)]
        lines = [text(tracker, "insurance_by_insurer", insurer=insurer_name)]
        lines += [hospital_line(tracker, h) for h in hospitals]
        lines += _billing_notes(tracker, hospitals)
        return lines

    @staticmethod
    def _by_hospital(tracker: Tracker, hospital: HospitalInfo) -> List[str]:
        hospital_name = name(tracker, "hospital", hospital.id)
        if not hospital.insurers:
            return [text(tracker, "insurance_by_hospital_none", hospital=hospital_name)]
        insurers = join(tracker, (name(tracker, "insurer", i) for i in hospital.insurers))
        return [text(tracker, "insurance_by_hospital", hospital=hospital_name, insurers=insurers)] + \
            _billing_notes(tracker, [hospital])


def _billing_notes(tracker: Tracker, hospitals: List[HospitalInfo]) -> List[str]:
    notes = []
    for hospital in hospitals:
        if hospital.direct_billing_note == "many":
            notes.append(text(tracker, "insurance_note_many", hospital=name(tracker, "hospital", hospital.id)))
        elif hospital.direct_billing_note == "pilot":
            notes.append(text(tracker, "insurance_note_pilot"))
    return notes
