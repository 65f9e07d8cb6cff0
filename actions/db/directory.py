"""The hospital directory behind a small interface, so a hospital can plug in its own system.

Actions only see `HospitalInfo` values and the `Directory` protocol; the SQL
implementation below reads the SQLite tables that actions/db/loader.py fills.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Protocol, Tuple

from sqlalchemy.orm import Session, sessionmaker

from actions.db import tables


@dataclass(frozen=True)
class Route:
    origin: str  # place id
    mode: str  # car | taxi | walk | metro
    minutes: int
    after: Optional[str]  # "customs": counted after clearing customs
    from_article: bool  # reported by the source articles, not sample


@dataclass(frozen=True)
class HospitalInfo:
    id: str
    names: Dict[str, str]
    place: str
    region: str  # mainland | hong_kong
    status: str  # open | opening
    opening: Optional[str]
    emergency_department: bool
    departments: Tuple[str, ...]
    staff_languages: Tuple[str, ...]
    insurers: Tuple[str, ...]
    direct_billing_note: Optional[str]
    hours: Dict[str, str]  # weekdays / saturday / sunday -> "08:00-17:00" or "closed"
    addresses: Dict[str, str]
    routes: Tuple[Route, ...]
    phone: Optional[str]
    sample_fields: frozenset = field(default_factory=frozenset)

    def is_sample(self, field_name: str) -> bool:
        return field_name in self.sample_fields


class Directory(Protocol):
    def hospital(self, hospital_id: str) -> Optional[HospitalInfo]: ...

    def search(self, place: Optional[str] = None, department: Optional[str] = None,
               language: Optional[str] = None, insurer: Optional[str] = None) -> List[HospitalInfo]: ...

    def name(self, kind: str, item_id: str, language: str) -> str: ...

    def region_of(self, place: str) -> Optional[str]: ...

    def parent_of(self, place: str) -> Optional[str]: ...

    def match_name(self, kind: str, text: str) -> Optional[str]: ...

    def similar_names(self, kind: str, text: str) -> List[str]: ...


def best_name_match(names: Iterable[Tuple[str, str]], text: str) -> Optional[str]:
    """The id whose name (in any language) the text contains or is part of: 'Renji Hospital' -> renji.

    Used for free-text form answers the NLU found no entity in; `names` are
    (id, name) pairs, the longest matching name wins (the first of equals),
    and texts under two characters match nothing.
    """
    wanted = " ".join(text.casefold().split())
    if len(wanted) < 2:
        return None
    best: Optional[Tuple[int, str]] = None
    for item_id, name_text in names:
        name = name_text.casefold()
        core = name.split("(")[0].split("（")[0].strip()
        if core and (core in wanted or wanted in name):
            score = len(core) if core in wanted else len(wanted)
            if best is None or score > best[0]:
                best = (score, item_id)
    return best[1] if best else None


def similar_name_ids(names: Iterable[Tuple[str, str]], text: str, limit: int = 3) -> List[str]:
    """Ids whose name (in any language) is close to a mistyped one ('Renjii', 'Rui jin'), closest first.

    For "did you mean …?" after best_name_match found nothing: difflib's ratio on the
    name without its parenthesised part and on each of its words.
    """
    wanted = " ".join(text.casefold().split())[:80]
    if len(wanted) < 2:
        return []
    scores: Dict[str, float] = {}
    for item_id, name_text in names:
        core = name_text.casefold().split("(")[0].split("（")[0].strip()
        candidates = [core, *core.split()]
        score = max(difflib.SequenceMatcher(None, wanted, candidate).ratio() for candidate in candidates if candidate)
        scores[item_id] = max(score, scores.get(item_id, 0.0))
    close = sorted((item for item in scores.items() if item[1] >= SIMILAR_NAME_RATIO), key=lambda item: -item[1])
    return [item_id for item_id, _ in close[:limit]]


SIMILAR_NAME_RATIO = 0.6


def places_within(place: str, children_of: Callable[[List[str]], Iterable[str]]) -> List[str]:
    """The place and every place inside it, at any depth, sorted; `children_of` lists the direct children of places."""
    found, frontier = {place}, [place]
    while frontier:
        frontier = [child for child in children_of(frontier) if child not in found]
        found.update(frontier)
    return sorted(found)


class SqlDirectory:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def hospital(self, hospital_id: str) -> Optional[HospitalInfo]:
        with self._sessions() as session:
            row = session.get(tables.Hospital, hospital_id)
            return self._info(session, row) if row else None

    def search(self, place: Optional[str] = None, department: Optional[str] = None,
               language: Optional[str] = None, insurer: Optional[str] = None) -> List[HospitalInfo]:
        """Hospitals matching every given criterion; a place matches the places inside it."""
        with self._sessions() as session:
            query = session.query(tables.Hospital)
            if place:
                query = query.filter(tables.Hospital.place_id.in_(self._places_within(session, place)))
            if department:
                query = query.filter(tables.Hospital.departments.any(tables.Department.id == department))
            if language:
                query = query.filter(tables.Hospital.staff_languages.any(tables.StaffLanguage.language == language))
            if insurer:
                query = query.filter(tables.Hospital.insurers.any(tables.Insurer.id == insurer))
            # open hospitals first, then by id for a stable order
            rows = sorted(query.all(), key=lambda h: (h.status != "open", h.id))
            return [self._info(session, row) for row in rows]

    def name(self, kind: str, item_id: str, language: str) -> str:
        """The name in a language, else English, else the id itself."""
        with self._sessions() as session:
            for tag in (language, "en"):
                row = session.get(tables.Name, (kind, item_id, tag))
                if row:
                    return row.text
        return item_id

    def region_of(self, place: str) -> Optional[str]:
        with self._sessions() as session:
            row = session.get(tables.Place, place)
            return row.region if row else None

    def match_name(self, kind: str, text: str) -> Optional[str]:
        with self._sessions() as session:
            rows = session.query(tables.Name).filter_by(kind=kind)
            return best_name_match(((row.item_id, row.text) for row in rows), text)

    def similar_names(self, kind: str, text: str) -> List[str]:
        with self._sessions() as session:
            rows = session.query(tables.Name).filter_by(kind=kind)
            return similar_name_ids(((row.item_id, row.text) for row in rows), text)

    def parent_of(self, place: str) -> Optional[str]:
        with self._sessions() as session:
            row = session.get(tables.Place, place)
            return row.within if row else None

    @staticmethod
    def _places_within(session: Session, place: str) -> List[str]:
        return places_within(place, lambda parents: [p.id for p in session.query(tables.Place)
                                                     .filter(tables.Place.within.in_(parents))])

    @staticmethod
    def _info(session: Session, row: tables.Hospital) -> HospitalInfo:
        names = {n.language: n.text for n in session.query(tables.Name).filter_by(kind="hospital", item_id=row.id)}
        return HospitalInfo(
            id=row.id, names=names, place=row.place_id, region=session.get(tables.Place, row.place_id).region,
            status=row.status, opening=row.opening, emergency_department=row.emergency_department,
            departments=tuple(sorted(d.id for d in row.departments)),
            staff_languages=tuple(sorted(s.language for s in row.staff_languages)),
            insurers=tuple(sorted(i.id for i in row.insurers)), direct_billing_note=row.direct_billing_note,
            hours={"weekdays": row.hours_weekdays, "saturday": row.hours_saturday, "sunday": row.hours_sunday},
            addresses={a.language: a.text for a in row.addresses},
            routes=tuple(Route(d.origin, d.mode, d.minutes, d.after, d.from_article) for d in row.directions),
            phone=row.phone, sample_fields=frozenset(filter(None, row.sample_fields.split(","))),
        )
