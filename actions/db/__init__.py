"""The embedded database: SQLite through SQLAlchemy, opened once per action server.

`PATIENT_GUIDE_DB_URL` chooses the database (default: a SQLite file under
build/). A hospital replacing the sample directory implements
`actions.db.directory.Directory` over its own system instead. The directory
is read into memory and re-read every DIRECTORY_MAX_AGE_SECONDS (default
300): see actions/db/directory_snapshot.py.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.orm import sessionmaker

from actions.db import loader, tables
from actions.db.bookings import Bookings
from actions.db.directory import Directory
from actions.db.directory_snapshot import DEFAULT_MAX_AGE_SECONDS, CachedDirectory, Snapshot
from actions.db.referrals import Referrals

DEFAULT_URL = "sqlite:///" + str(Path(__file__).resolve().parents[2] / "build" / "patient-guide.sqlite")


@dataclass
class Database:
    directory: Directory
    bookings: Bookings
    referrals: Referrals


def open_database(url: str, directory_max_age: float = DEFAULT_MAX_AGE_SECONDS) -> Database:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys=ON"))
    tables.Base.metadata.create_all(engine)
    sessions = sessionmaker(engine, future=True, expire_on_commit=False)
    with sessions.begin() as session:
        loader.load_directory(session, loader.read_directory())
        loader.seed_referrals(session)
    directory = CachedDirectory(lambda: Snapshot.read(sessions), max_age=directory_max_age)
    bookings = Bookings(sessions)
    return Database(directory, bookings, Referrals(sessions, bookings.owner_key))


@lru_cache(maxsize=1)
def database() -> Database:
    """The action server's database, opened on first use."""
    return open_database(os.environ.get("PATIENT_GUIDE_DB_URL", DEFAULT_URL),
                         float(os.environ.get("DIRECTORY_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS)))
