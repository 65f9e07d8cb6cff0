"""Referral status, released only against a second factor (the patient's date of birth)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import sessionmaker

from actions.db import tables

REFERRAL_PATTERN = re.compile(r"(?<![A-Za-z0-9])RF[-‐ ]?(\d{5})(?!\d)", re.IGNORECASE)


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


class Referrals:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def status(self, referral_id: str, birth_date: dt.date) -> Optional[ReferralStatus]:
        """The status when id and date of birth match; None otherwise (the two are not told apart)."""
        with self._sessions() as session:
            row = session.get(tables.Referral, referral_id)
            if row is None or row.birth_date != birth_date:
                return None
            return ReferralStatus(row.id, row.status, row.hospital_id, row.department_id, row.appointment_date)
