"""SQLite tables (SQLAlchemy 1.4, which Rasa already brings) behind the repositories.

The directory tables are rebuilt from actions/data/directory.yml at start-up;
bookings and referrals keep their rows across restarts.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Place(Base):
    __tablename__ = "places"
    id = Column(String, primary_key=True)
    region = Column(String, nullable=False)  # key of `regions` in the data file
    within = Column(String, ForeignKey("places.id"))


class Name(Base):
    """A display name of a place, department, insurer or hospital in one language."""
    __tablename__ = "names"
    kind = Column(String, primary_key=True)  # place | department | insurer | hospital
    item_id = Column(String, primary_key=True)
    language = Column(String, primary_key=True)
    text = Column(Text, nullable=False)


class Department(Base):
    __tablename__ = "departments"
    id = Column(String, primary_key=True)


class Insurer(Base):
    __tablename__ = "insurers"
    id = Column(String, primary_key=True)


hospital_departments = Table(
    "hospital_departments", Base.metadata,
    Column("hospital_id", ForeignKey("hospitals.id"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)
hospital_insurers = Table(
    "hospital_insurers", Base.metadata,
    Column("hospital_id", ForeignKey("hospitals.id"), primary_key=True),
    Column("insurer_id", ForeignKey("insurers.id"), primary_key=True),
)


class StaffLanguage(Base):
    __tablename__ = "hospital_languages"
    hospital_id = Column(ForeignKey("hospitals.id"), primary_key=True)
    language = Column(String, primary_key=True)


class Address(Base):
    __tablename__ = "hospital_addresses"
    hospital_id = Column(ForeignKey("hospitals.id"), primary_key=True)
    language = Column(String, primary_key=True)
    text = Column(Text, nullable=False)


class Direction(Base):
    __tablename__ = "directions"
    id = Column(Integer, primary_key=True, autoincrement=True)
    hospital_id = Column(ForeignKey("hospitals.id"), nullable=False)
    origin = Column(ForeignKey("places.id"), nullable=False)
    mode = Column(String, nullable=False)  # car | taxi | walk | metro
    minutes = Column(Integer, nullable=False)
    after = Column(String)  # e.g. "customs": counted after clearing customs
    from_article = Column(Boolean, default=False, nullable=False)


class Hospital(Base):
    __tablename__ = "hospitals"
    id = Column(String, primary_key=True)
    place_id = Column(ForeignKey("places.id"), nullable=False)
    status = Column(String, nullable=False)  # open | opening
    opening = Column(String)  # "2025-09" as reported, when status is opening
    emergency_department = Column(Boolean, nullable=False, default=False)
    direct_billing_note = Column(String)  # many | pilot
    hours_weekdays = Column(String, nullable=False)
    hours_saturday = Column(String, nullable=False)
    hours_sunday = Column(String, nullable=False)
    phone = Column(String)  # only a real number supplied by the hospital; never sample
    sample_fields = Column(Text, nullable=False, default="")  # comma-separated
    departments = relationship(Department, secondary=hospital_departments, lazy="selectin")
    insurers = relationship(Insurer, secondary=hospital_insurers, lazy="selectin")
    staff_languages = relationship(StaffLanguage, lazy="selectin", cascade="all, delete-orphan")
    addresses = relationship(Address, lazy="selectin", cascade="all, delete-orphan")
    directions = relationship(Direction, lazy="selectin", cascade="all, delete-orphan")


# Referrals and bookings name hospitals and departments by id without foreign
# keys: the directory is reloaded from its data file at every start, and a
# booking must outlive a hospital leaving the directory.
class Referral(Base):
    """A referral between institutions; its status is shown only after a second factor."""
    __tablename__ = "referrals"
    id = Column(String, primary_key=True)  # RF-12345
    birth_date = Column(Date, nullable=False)
    status = Column(String, nullable=False)  # received | under_review | accepted | scheduled | completed | declined
    hospital_id = Column(String, nullable=False)
    department_id = Column(String)
    appointment_date = Column(Date)


class ReferralFailure(Base):
    """A wrong date of birth given for a referral id: counted per referral and per client."""
    __tablename__ = "referral_failures"
    id = Column(Integer, primary_key=True, autoincrement=True)
    referral_id = Column(String, nullable=False, index=True)  # as asked, whether it exists or not
    client = Column(String, nullable=False, index=True)  # keyed hash of the conversation id
    failed_at = Column(DateTime, nullable=False, index=True)


class ReferralLock(Base):
    """A referral locked after too many wrong dates of birth; only a coordinator removes it."""
    __tablename__ = "referral_locks"
    referral_id = Column(String, primary_key=True)
    locked_at = Column(DateTime, nullable=False)


class Booking(Base):
    __tablename__ = "bookings"
    reference = Column(String, primary_key=True)  # BK-7Q4M2X
    owner = Column(String, nullable=False, index=True)  # hash of the conversation id, never the raw id
    hospital_id = Column(String, nullable=False)
    department_id = Column(String, nullable=False)
    date = Column(Date, nullable=False)
    time = Column(String, nullable=False)  # "15:00"
    patient_name = Column(Text, nullable=False)
    contact = Column(Text, nullable=False)
    language = Column(String, nullable=False)
    created_at = Column(DateTime, nullable=False)
    cancelled_at = Column(DateTime)
