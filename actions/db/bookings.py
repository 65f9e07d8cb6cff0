"""Appointment bookings: created after the patient's consent, cancelled only by their owner.

The owner is a keyed hash of the conversation id (the channel's sender id), so
the table never holds a raw WeChat/Telegram id and only the same conversation
can cancel a booking.
"""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy.orm import sessionmaker

from actions.db import tables

# no 0/O, 1/I/L: references are read out over the phone
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_PATTERN = re.compile(r"BK[-‐ ]?([A-HJ-KM-NP-Z2-9]{6})", re.IGNORECASE)


def normalise_reference(text: str) -> Optional[str]:
    """'bk 7q4m2x' -> 'BK-7Q4M2X'; None when the text holds no well-formed reference."""
    match = REFERENCE_PATTERN.search(text or "")
    return f"BK-{match.group(1).upper()}" if match else None


class RescheduleResult(enum.Enum):
    MOVED = "moved"
    NOT_FOUND = "not_found"  # as for cancelling: another conversation's booking is not told apart
    CANCELLED = "cancelled"


class CancelResult(enum.Enum):
    CANCELLED = "cancelled"
    NOT_FOUND = "not_found"  # no such reference, or not this patient's (not told apart: no probing)
    ALREADY_CANCELLED = "already_cancelled"


@dataclass(frozen=True)
class BookingInfo:
    reference: str
    hospital: str
    department: str
    date: dt.date
    time: str
    language: str
    cancelled: bool


def _info(row: tables.Booking) -> BookingInfo:
    return BookingInfo(row.reference, row.hospital_id, row.department_id, row.date, row.time, row.language,
                       row.cancelled_at is not None)


class Bookings:
    def __init__(self, sessions: sessionmaker, secret: Optional[bytes] = None) -> None:
        self._sessions = sessions
        self._secret = secret or os.environ.get("BOOKING_OWNER_SECRET", "patient-guide-dev").encode()

    def owner_key(self, sender_id: str) -> str:
        return hmac.new(self._secret, sender_id.encode(), hashlib.sha256).hexdigest()

    def create(self, sender_id: str, hospital: str, department: str, date: dt.date, time: str,
               patient_name: str, contact: str, language: str) -> str:
        with self._sessions.begin() as session:
            while True:
                reference = "BK-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
                if session.get(tables.Booking, reference) is None:
                    break
            session.add(tables.Booking(
                reference=reference, owner=self.owner_key(sender_id), hospital_id=hospital,
                department_id=department, date=date, time=time, patient_name=patient_name,
                contact=contact, language=language, created_at=dt.datetime.utcnow(),
            ))
        return reference

    def _owned(self, session, sender_id: str, reference: str) -> Optional[tables.Booking]:
        """The booking's row if it belongs to this conversation (another's is not told apart from none)."""
        row = session.get(tables.Booking, reference)
        return row if row is not None and hmac.compare_digest(row.owner, self.owner_key(sender_id)) else None

    def find(self, sender_id: str, reference: str) -> Optional[BookingInfo]:
        """The booking, only if it belongs to this conversation."""
        with self._sessions() as session:
            row = self._owned(session, sender_id, reference)
            if row is None:
                return None
            return _info(row)

    def cancel(self, sender_id: str, reference: str) -> CancelResult:
        with self._sessions.begin() as session:
            row = self._owned(session, sender_id, reference)
            if row is None:
                return CancelResult.NOT_FOUND
            if row.cancelled_at is not None:
                return CancelResult.ALREADY_CANCELLED
            row.cancelled_at = dt.datetime.utcnow()
            return CancelResult.CANCELLED

    def active_of(self, sender_id: str, today: dt.date) -> List[BookingInfo]:
        """This conversation's bookings that are neither cancelled nor past."""
        with self._sessions() as session:
            rows = session.query(tables.Booking).filter_by(owner=self.owner_key(sender_id), cancelled_at=None) \
                .filter(tables.Booking.date >= today).order_by(tables.Booking.date)
            return [_info(row) for row in rows]

    def reschedule(self, sender_id: str, reference: str, date: dt.date, time: str) -> RescheduleResult:
        """Moves the owner's booking; the reference stays."""
        with self._sessions.begin() as session:
            row = self._owned(session, sender_id, reference)
            if row is None:
                return RescheduleResult.NOT_FOUND
            if row.cancelled_at is not None:
                return RescheduleResult.CANCELLED
            row.date, row.time = date, time
            return RescheduleResult.MOVED

    def erase_owner(self, sender_id: str) -> int:
        """PIPL erasure: deletes every booking of this conversation; returns how many."""
        with self._sessions.begin() as session:
            return session.query(tables.Booking).filter_by(owner=self.owner_key(sender_id)).delete()
