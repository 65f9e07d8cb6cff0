"""Loads the reviewed data files into the database.

The directory is replaced wholesale at every start-up, so the data file stays
the single source of truth; referrals are seeded only into an empty table,
and bookings are never touched.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict

import yaml
from sqlalchemy.orm import Session

from actions.db import tables

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DIRECTORY_FILE = DATA_DIR / "directory.yml"
REFERRALS_FILE = DATA_DIR / "referrals.yml"
_DIRECTORY_TABLES = (
    tables.hospital_departments, tables.hospital_insurers, tables.StaffLanguage.__table__,
    tables.Address.__table__, tables.Direction.__table__, tables.Hospital.__table__,
    tables.Name.__table__, tables.Department.__table__, tables.Insurer.__table__, tables.Place.__table__,
)


def read_directory(path: Path = DIRECTORY_FILE) -> Dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_directory(session: Session, data: Dict[str, Any]) -> None:
    for table in _DIRECTORY_TABLES:
        session.execute(table.delete())

    def names(kind: str, item_id: str, by_language: Dict[str, str]) -> None:
        session.add_all(tables.Name(kind=kind, item_id=item_id, language=tag, text=text)
                        for tag, text in by_language.items())

    for place_id, place in data["places"].items():
        session.add(tables.Place(id=place_id, region=place["region"], within=place.get("within")))
        names("place", place_id, place["names"])
    departments = {}
    for dept_id, by_language in data["departments"].items():
        departments[dept_id] = tables.Department(id=dept_id)
        names("department", dept_id, by_language)
    insurers = {}
    for insurer_id, by_language in data["insurers"].items():
        insurers[insurer_id] = tables.Insurer(id=insurer_id)
        names("insurer", insurer_id, by_language)
    session.add_all([*departments.values(), *insurers.values()])
    session.flush()

    for entry in data["hospitals"]:
        hours = entry["hours"]
        hospital = tables.Hospital(
            id=entry["id"], place_id=entry["place"], status=entry["status"], opening=entry.get("opening"),
            emergency_department=bool(entry.get("emergency_department")),
            direct_billing_note=entry.get("direct_billing_note"),
            hours_weekdays=hours["weekdays"], hours_saturday=hours["saturday"], hours_sunday=hours["sunday"],
            phone=entry.get("phone"), sample_fields=",".join(entry.get("sample_fields", [])),
        )
        hospital.departments = [departments[d] for d in entry.get("departments", [])]
        hospital.insurers = [insurers[i] for i in entry.get("direct_billing", [])]
        hospital.staff_languages = [tables.StaffLanguage(language=tag) for tag in entry.get("staff_languages", [])]
        hospital.addresses = [tables.Address(language=tag, text=text) for tag, text in entry["address"].items()]
        hospital.directions = [
            tables.Direction(origin=d["from"], mode=d["mode"], minutes=d["minutes"], after=d.get("after"),
                             from_article=d.get("source") == "article")
            for d in entry.get("directions", [])
        ]
        session.add(hospital)
        names("hospital", entry["id"], entry["names"])


def seed_referrals(session: Session, path: Path = REFERRALS_FILE) -> None:
    if session.query(tables.Referral).first() is not None:
        return
    for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["referrals"]:
        session.add(tables.Referral(
            id=entry["id"], birth_date=_date(entry["birth_date"]), status=entry["status"],
            hospital_id=entry["hospital"], department_id=entry.get("department"),
            appointment_date=_date(entry["appointment_date"]) if entry.get("appointment_date") else None,
        ))


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
