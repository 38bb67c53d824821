"""The store's schema: typed ORM models, link tables for the ';' lists, and the rules
(foreign keys, CHECK constraints, an overlap trigger) that refuse invalid rows even
when they are written with raw SQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crossings.core.records import AGREEMENT_KINDS, DATE_PRECISIONS, EVENT_KINDS, STATUSES

__all__ = [
    "LINK_TABLES",
    "Agreement",
    "Base",
    "Crossing",
    "Event",
    "Meta",
    "Moratorium",
    "Source",
    "StatusInterval",
]

ID_LENGTH = 200


def _one_of(column: str, choices: tuple[str, ...]) -> str:
    # The choices are constants of this module, never user input.
    return f"{column} IN ({', '.join(repr(c) for c in choices)})"


def _slug_checks(table: str, *columns: str) -> list[CheckConstraint]:
    """Ids are slugs [a-z0-9-]+; SQLite spells the test with GLOB, PostgreSQL with ~."""
    checks = []
    for column in columns:
        checks.append(CheckConstraint(f"{column} <> '' AND {column} NOT GLOB '*[^a-z0-9-]*'",
                                      name=f"ck_{table}_{column}_slug").ddl_if(dialect="sqlite"))
        checks.append(CheckConstraint(f"{column} ~ '^[a-z0-9-]+$'",
                                      name=f"ck_{table}_{column}_slug_pg").ddl_if(dialect="postgresql"))
    return checks


def _date_checks(table: str, *columns: str) -> list[CheckConstraint]:
    """SQLite stores dates as text: refuse anything that is not a real YYYY-MM-DD day.

    date(x, "+0 days") normalises an impossible day such as 2024-02-30 to 2024-03-01, so
    comparing it with x catches what a plain date(x) lets through.
    """
    return [
        CheckConstraint(f"{column} IS NULL OR date({column}, '+0 days') IS {column}",
                        name=f"ck_{table}_{column}_date").ddl_if(dialect="sqlite")
        for column in columns
    ]


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Facts about the store itself, such as the hash of the loaded content."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint("title <> ''", name="ck_sources_title"),
        CheckConstraint("url IS NULL OR url LIKE 'http://%' OR url LIKE 'https://%'",
                        name="ck_sources_url"),
        *_slug_checks("sources", "source_id"),
        *_date_checks("sources", "published_on"),
    )
    source_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    publisher: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Source({self.source_id!r}, {self.title!r})"


class Crossing(Base):
    __tablename__ = "crossings"
    __table_args__ = (
        CheckConstraint("name <> ''", name="ck_crossings_name"),
        CheckConstraint("country_a <> country_b", name="ck_crossings_countries"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="ck_crossings_latitude"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180",
                        name="ck_crossings_longitude"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="ck_crossings_coordinates"),
        *_slug_checks("crossings", "crossing_id"),
    )
    crossing_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(Text)
    country_a: Mapped[str] = mapped_column(String(2))
    side_a_name: Mapped[str] = mapped_column(Text)
    side_a_region: Mapped[str | None] = mapped_column(Text)
    country_b: Mapped[str] = mapped_column(String(2))
    side_b_name: Mapped[str] = mapped_column(Text)
    side_b_region: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Crossing({self.crossing_id!r})"


class StatusInterval(Base):
    __tablename__ = "status_intervals"
    __table_args__ = (
        CheckConstraint(_one_of("status", STATUSES), name="ck_status_intervals_status"),
        CheckConstraint("end_date IS NULL OR end_date > start_date", name="ck_status_intervals_dates"),
        Index("ix_status_intervals_runs", "crossing_id", "start_date", "end_date", "status"),
        Index("ix_status_intervals_start_end", "start_date", "end_date"),
        *_slug_checks("status_intervals", "interval_id"),
        *_date_checks("status_intervals", "start_date", "end_date"),
    )
    interval_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossings.crossing_id"))
    status: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    detail: Mapped[str | None] = mapped_column(Text)
    cause: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"StatusInterval({self.interval_id!r}, {self.status!r}, {self.start_date}, {self.end_date})"


class Agreement(Base):
    __tablename__ = "agreements"
    __table_args__ = (
        CheckConstraint("title <> ''", name="ck_agreements_title"),
        CheckConstraint(_one_of("kind", AGREEMENT_KINDS), name="ck_agreements_kind"),
        Index("ix_agreements_valid_until", "valid_until"),
        CheckConstraint(
            "valid_until IS NULL OR valid_until >= COALESCE(effective_from, signed_on, valid_until)",
            name="ck_agreements_dates",
        ),
        *_slug_checks("agreements", "agreement_id"),
        *_date_checks("agreements", "signed_on", "effective_from", "valid_until"),
    )
    agreement_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    parties: Mapped[str | None] = mapped_column(Text)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    terms: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Agreement({self.agreement_id!r}, {self.kind!r})"


class Moratorium(Base):
    __tablename__ = "moratoria"
    __table_args__ = (
        CheckConstraint("subject <> ''", name="ck_moratoria_subject"),
        CheckConstraint("valid_until IS NULL OR valid_until >= start_date", name="ck_moratoria_dates"),
        Index("ix_moratoria_valid_until", "valid_until"),
        Index("ix_moratoria_start_date", "start_date"),
        *_slug_checks("moratoria", "moratorium_id"),
        *_date_checks("moratoria", "start_date", "valid_until"),
    )
    moratorium_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    subject: Mapped[str] = mapped_column(Text)
    start_date: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    agreement_id: Mapped[str | None] = mapped_column(ForeignKey("agreements.agreement_id"))
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Moratorium({self.moratorium_id!r}, {self.subject!r})"


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("title <> ''", name="ck_events_title"),
        CheckConstraint(_one_of("kind", EVENT_KINDS), name="ck_events_kind"),
        CheckConstraint(_one_of("date_precision", DATE_PRECISIONS), name="ck_events_precision"),
        Index("ix_events_date", "date"),
        *_slug_checks("events", "event_id"),
        *_date_checks("events", "date"),
    )
    event_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    date: Mapped[dt.date] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Event({self.event_id!r}, {self.date}, {self.kind!r})"


def _link_table(owner: str, owner_key: str, column: str, target: str, target_key: str) -> Table:
    """A ';'-list column as rows (owner, target, position), position keeping the list's order."""
    name = f"{owner}_{column.removesuffix('_ids')}s" if column != "source_ids" else f"{owner}_sources"
    return Table(
        name,
        Base.metadata,
        Column("owner_id", ForeignKey(f"{owner}.{owner_key}"), primary_key=True),
        Column("target_id", ForeignKey(f"{target}.{target_key}"), primary_key=True),
        Column("position", Integer, nullable=False),
        Index(f"ix_{name}_target", "target_id"),
    )


# (table, list column) -> link table
LINK_TABLES: dict[tuple[str, str], Table] = {
    ("crossings", "source_ids"): _link_table("crossings", "crossing_id", "source_ids", "sources", "source_id"),
    ("status_intervals", "source_ids"): _link_table(
        "status_intervals", "interval_id", "source_ids", "sources", "source_id"),
    ("agreements", "crossing_ids"): _link_table(
        "agreements", "agreement_id", "crossing_ids", "crossings", "crossing_id"),
    ("agreements", "source_ids"): _link_table("agreements", "agreement_id", "source_ids", "sources", "source_id"),
    ("moratoria", "crossing_ids"): _link_table(
        "moratoria", "moratorium_id", "crossing_ids", "crossings", "crossing_id"),
    ("moratoria", "source_ids"): _link_table("moratoria", "moratorium_id", "source_ids", "sources", "source_id"),
    ("events", "crossing_ids"): _link_table("events", "event_id", "crossing_ids", "crossings", "crossing_id"),
    ("events", "source_ids"): _link_table("events", "event_id", "source_ids", "sources", "source_id"),
}

# The trigger that refuses overlapping intervals of one crossing is created by the migrations
# (db/migrations), per dialect: it is part of the schema's history, not of these models.
