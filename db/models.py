"""The store's tables as typed models, for building queries: columns, keys, indexes and the link
tables of the ';' lists.

The schema has one source of truth, the Alembic revisions in db/migrations: they create these
tables with the rules that refuse invalid rows even when written with raw SQL (CHECK constraints
per dialect and the overlap trigger). The models declare no CHECK constraint and no trigger, so no
second copy can drift; tests/test_migrations.py checks that the models declare none and that their
tables, columns, keys and indexes are what the migrations build."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "LINK_TABLES",
    "Agreement",
    "Base",
    "Crossing",
    "Derived",
    "Event",
    "Meta",
    "Moratorium",
    "Source",
    "StatusInterval",
]

ID_LENGTH = 200


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Facts about the store itself, such as the hash of the loaded content."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Derived(Base):
    """What the load derives from the content for readers (db.load_time_spans), replaced with it."""

    __tablename__ = "derived"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Source(Base):
    __tablename__ = "sources"
    source_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    publisher: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Source({self.source_id!r}, {self.title!r})"


class Crossing(Base):
    __tablename__ = "crossings"
    crossing_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(Text)
    country_a: Mapped[str] = mapped_column(String(2))
    side_a_name: Mapped[str] = mapped_column(Text)
    side_a_region: Mapped[str | None] = mapped_column(Text)
    country_b: Mapped[str] = mapped_column(String(2))
    side_b_name: Mapped[str] = mapped_column(Text)
    side_b_region: Mapped[str | None] = mapped_column(Text)
    name_fa_af: Mapped[str | None] = mapped_column(Text)
    name_ps: Mapped[str | None] = mapped_column(Text)
    name_ur: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Crossing({self.crossing_id!r})"


class StatusInterval(Base):
    __tablename__ = "status_intervals"
    __table_args__ = (
        Index("ix_status_intervals_runs", "crossing_id", "start_date", "end_date", "status"),
        Index("ix_status_intervals_start_end", "start_date", "end_date"),
    )
    interval_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    crossing_id: Mapped[str] = mapped_column(ForeignKey("crossings.crossing_id"))
    status: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    # when the status, and its end, were first reported (migration 0007): what was known on a day
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reported_on: Mapped[dt.date | None] = mapped_column(Date)
    # one column per kind of traffic (crossings.core.records.TRAFFIC_KINDS): moves, limited,
    # barred, or NULL when the row does not name it (migration 0005 says why)
    trade: Mapped[str | None] = mapped_column(String(10))
    transit: Mapped[str | None] = mapped_column(String(10))
    aid: Mapped[str | None] = mapped_column(String(10))
    travellers: Mapped[str | None] = mapped_column(String(10))
    returnees: Mapped[str | None] = mapped_column(String(10))
    detail: Mapped[str | None] = mapped_column(Text)
    cause: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"StatusInterval({self.interval_id!r}, {self.status!r}, {self.start_date}, {self.end_date})"


class Agreement(Base):
    __tablename__ = "agreements"
    __table_args__ = (
        Index("ix_agreements_valid_until", "valid_until"),
    )
    agreement_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    parties: Mapped[str | None] = mapped_column(Text)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    terms: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Agreement({self.agreement_id!r}, {self.kind!r})"


class Moratorium(Base):
    __tablename__ = "moratoria"
    __table_args__ = (
        Index("ix_moratoria_valid_until", "valid_until"),
        Index("ix_moratoria_start_date", "start_date"),
    )
    moratorium_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, unique=True)
    subject: Mapped[str] = mapped_column(Text)
    start_date: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    agreement_id: Mapped[str | None] = mapped_column(ForeignKey("agreements.agreement_id"))
    notes: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Moratorium({self.moratorium_id!r}, {self.subject!r})"


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_date", "date"),
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
    ("agreements", "end_source_ids"): _link_table(
        "agreements", "agreement_id", "end_source_ids", "sources", "source_id"),
    ("moratoria", "crossing_ids"): _link_table(
        "moratoria", "moratorium_id", "crossing_ids", "crossings", "crossing_id"),
    ("moratoria", "source_ids"): _link_table("moratoria", "moratorium_id", "source_ids", "sources", "source_id"),
    ("moratoria", "end_source_ids"): _link_table(
        "moratoria", "moratorium_id", "end_source_ids", "sources", "source_id"),
    ("events", "crossing_ids"): _link_table("events", "event_id", "crossing_ids", "crossings", "crossing_id"),
    ("events", "source_ids"): _link_table("events", "event_id", "source_ids", "sources", "source_id"),
}

# The trigger that refuses overlapping intervals of one crossing is created by the migrations
# (db/migrations), per dialect: it is part of the schema's history, not of these models.
