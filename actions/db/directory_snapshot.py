"""The directory held in memory and re-read from its source every few minutes.

A directory answer ("hospitals in Pudong with English-speaking staff", with
each hospital's name, address and routes) took dozens of SQL queries through
SQLAlchemy's ORM: under `make bench` the action server spent most of its time
there, on the same two cores as the Rasa server. The directory is small and
changes rarely, so the action server reads all of it at once and answers from
memory; a change in the database is seen after at most `max_age` seconds
(DIRECTORY_MAX_AGE_SECONDS, README). Bookings and referrals are not cached:
they change with every conversation.

`Snapshot` answers exactly as `SqlDirectory` does (tests/test_directory.py
compares the two on every criterion and name).
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple

from sqlalchemy.orm import sessionmaker

from actions.db import tables
from actions.db.directory import HospitalInfo, SqlDirectory, best_name_match, places_within, similar_name_ids

DEFAULT_MAX_AGE_SECONDS = 300.0


@dataclass(frozen=True)
class Place:
    region: str
    within: Optional[str]


class Snapshot:
    """The whole directory at one moment; implements the `Directory` protocol."""

    def __init__(self, hospitals: List[HospitalInfo], places: Dict[str, Place],
                 names: List[Tuple[str, str, str, str]]) -> None:
        self._hospitals = hospitals  # in SqlDirectory.search's order, which searches keep
        self._by_id = {h.id: h for h in self._hospitals}
        self._places = places
        self._names: Dict[Tuple[str, str], Dict[str, str]] = {}
        self._names_by_kind: Dict[str, List[Tuple[str, str]]] = {}
        for kind, item_id, language, text in sorted(names):  # the order of the names' primary key
            self._names.setdefault((kind, item_id), {})[language] = text
            self._names_by_kind.setdefault(kind, []).append((item_id, text))

    @classmethod
    def read(cls, sessions: sessionmaker) -> "Snapshot":
        with sessions() as session:
            places = {p.id: Place(p.region, p.within) for p in session.query(tables.Place)}
            names = [(n.kind, n.item_id, n.language, n.text) for n in session.query(tables.Name)]
        return cls(SqlDirectory(sessions).search(), places, names)

    def hospital(self, hospital_id: str) -> Optional[HospitalInfo]:
        return self._by_id.get(hospital_id)

    def search(self, place: Optional[str] = None, department: Optional[str] = None,
               language: Optional[str] = None, insurer: Optional[str] = None) -> List[HospitalInfo]:
        within = self._places_within(place) if place else None
        return [h for h in self._hospitals
                if (within is None or h.place in within)
                and (not department or department in h.departments)
                and (not language or language in h.staff_languages)
                and (not insurer or insurer in h.insurers)]

    def name(self, kind: str, item_id: str, language: str) -> str:
        names = self._names.get((kind, item_id), {})
        return names.get(language) or names.get("en") or item_id

    def region_of(self, place: str) -> Optional[str]:
        found = self._places.get(place)
        return found.region if found else None

    def parent_of(self, place: str) -> Optional[str]:
        found = self._places.get(place)
        return found.within if found else None

    def match_name(self, kind: str, text: str) -> Optional[str]:
        return best_name_match(self._names_by_kind.get(kind, []), text)

    def similar_names(self, kind: str, text: str) -> List[str]:
        return similar_name_ids(self._names_by_kind.get(kind, []), text)

    def _places_within(self, place: str) -> set:
        return set(places_within(place, lambda parents: [p for p, info in self._places.items()
                                                         if info.within in parents]))


class CachedDirectory:
    """A `Directory` answering from a `Snapshot` no older than `max_age` seconds."""

    def __init__(self, read: Callable[[], Snapshot], max_age: float = DEFAULT_MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._read, self._max_age, self._clock = read, max_age, clock
        self._snapshot: Optional[Snapshot] = None
        self._read_at = 0.0

    def current(self) -> Snapshot:
        if self._snapshot is None or self._clock() - self._read_at >= self._max_age:
            self._snapshot, self._read_at = self._read(), self._clock()
        return self._snapshot

    def hospital(self, hospital_id: str) -> Optional[HospitalInfo]:
        return self.current().hospital(hospital_id)

    def search(self, place: Optional[str] = None, department: Optional[str] = None,
               language: Optional[str] = None, insurer: Optional[str] = None) -> List[HospitalInfo]:
        return self.current().search(place=place, department=department, language=language, insurer=insurer)

    def name(self, kind: str, item_id: str, language: str) -> str:
        return self.current().name(kind, item_id, language)

    def region_of(self, place: str) -> Optional[str]:
        return self.current().region_of(place)

    def parent_of(self, place: str) -> Optional[str]:
        return self.current().parent_of(place)

    def match_name(self, kind: str, text: str) -> Optional[str]:
        return self.current().match_name(kind, text)

    def similar_names(self, kind: str, text: str) -> List[str]:
        return self.current().similar_names(kind, text)
