"""Referral status, released only against a second factor (the patient's date of birth).

Wrong dates of birth are counted in the database per referral id, not per
conversation: a new conversation, `/restart` or another channel gets no fresh
attempts. MAX_FAILURES wrong dates for one referral within FAILURE_WINDOW lock
it until a coordinator unlocks it (`python -m actions.db.referrals unlock RF-12345`);
one client (conversation) guessing across many referral ids is stopped after
MAX_CLIENT_FAILURES within the window.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable, Optional

from sqlalchemy import func
from sqlalchemy.orm import Session, sessionmaker

from actions.db import tables

REFERRAL_PATTERN = re.compile(r"(?<![A-Za-z0-9])RF[-‐ ]?(\d{5})(?!\d)", re.IGNORECASE)
MAX_FAILURES = 3
MAX_CLIENT_FAILURES = 10
FAILURE_WINDOW = dt.timedelta(hours=24)


def normalise_referral_id(text: str) -> Optional[str]:
    """'rf 20831' -> 'RF-20831'; None when malformed."""
    match = REFERRAL_PATTERN.search(text or "")
    return f"RF-{match.group(1)}" if match else None


@dataclass(frozen=True)
class ReferralStatus:
    id: str
    status: str
    hospital: str
    department: Optional[str]
    appointment_date: Optional[dt.date]


@dataclass(frozen=True)
class CheckResult:
    status: Optional[ReferralStatus]  # only when id and date of birth match and nothing is locked
    locked: bool = False
    attempts_left: int = MAX_FAILURES


class Referrals:
    def __init__(self, sessions: sessionmaker, client_key: Callable[[str], str]) -> None:
        self._sessions = sessions
        self._client_key = client_key

    def status(self, referral_id: str, birth_date: dt.date) -> Optional[ReferralStatus]:
        """The status when id and date of birth match; None otherwise (the two are not told apart)."""
        with self._sessions() as session:
            return _matching(session, referral_id, birth_date)

    def check(self, referral_id: str, birth_date: dt.date, sender_id: str,
              now: Optional[dt.datetime] = None) -> CheckResult:
        """One attempt: counted before the answer is known, so parallel guesses cannot pass the limit."""
        now = now or dt.datetime.utcnow()
        client = self._client_key(sender_id)
        with self._sessions.begin() as session:
            if session.get(tables.ReferralLock, referral_id) is not None or \
                    _failures(session, now, client=client) >= MAX_CLIENT_FAILURES:
                return CheckResult(None, locked=True, attempts_left=0)
            status = _matching(session, referral_id, birth_date)
            if status is not None:
                return CheckResult(status)
            session.add(tables.ReferralFailure(referral_id=referral_id, client=client, failed_at=now))
            session.flush()
            failures = _failures(session, now, referral_id=referral_id)
            if failures >= MAX_FAILURES:
                session.merge(tables.ReferralLock(referral_id=referral_id, locked_at=now))
                return CheckResult(None, locked=True, attempts_left=0)
            return CheckResult(None, attempts_left=MAX_FAILURES - failures)

    def is_locked(self, referral_id: str) -> bool:
        with self._sessions() as session:
            return session.get(tables.ReferralLock, referral_id) is not None

    def unlock(self, referral_id: str) -> bool:
        """A coordinator's decision after checking the patient's identity; clears the failures too."""
        with self._sessions.begin() as session:
            session.query(tables.ReferralFailure).filter_by(referral_id=referral_id).delete()
            return session.query(tables.ReferralLock).filter_by(referral_id=referral_id).delete() > 0


def _matching(session: Session, referral_id: str, birth_date: dt.date) -> Optional[ReferralStatus]:
    row = session.get(tables.Referral, referral_id)
    if row is None or row.birth_date != birth_date:
        return None
    return ReferralStatus(row.id, row.status, row.hospital_id, row.department_id, row.appointment_date)


def _failures(session: Session, now: dt.datetime, **where: str) -> int:
    return session.query(func.count(tables.ReferralFailure.id)).filter_by(**where).filter(
        tables.ReferralFailure.failed_at > now - FAILURE_WINDOW).scalar()


def main() -> None:
    parser = argparse.ArgumentParser(description="Unlock a referral locked after wrong dates of birth.")
    parser.add_argument("command", choices=["unlock"])
    parser.add_argument("referral_id")
    args = parser.parse_args()
    from actions.db import database

    referral_id = normalise_referral_id(args.referral_id)
    if referral_id is None:
        parser.error("not a referral id (RF-12345)")
    print(f"{referral_id}: {'unlocked' if database().referrals.unlock(referral_id) else 'was not locked'}")


if __name__ == "__main__":
    main()
