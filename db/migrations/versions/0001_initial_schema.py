"""Initial schema: the tables, their constraints, and the triggers that refuse overlapping intervals.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Frozen: later changes go in new revisions. Dialect-specific rules (slug checks, SQLite's text
dates, the overlap trigger) are created only on the dialect they are written for.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _only(dialect: str, constraint: sa.CheckConstraint) -> list[sa.CheckConstraint]:
    return [constraint] if op.get_bind().dialect.name == dialect else []


# Intervals of one crossing never overlap. Given that stored rows obey this, a new row overlaps
# exactly when the interval starting last on or before it runs past its start, or another
# interval starts inside it: two index probes per row.
_SQLITE_NEW_OVERLAPS = """
    (SELECT COALESCE(o.end_date, '9999-12-31') > NEW.start_date
       FROM status_intervals o
      WHERE o.crossing_id = NEW.crossing_id AND o.start_date <= NEW.start_date {exclude}
      ORDER BY o.start_date DESC LIMIT 1)
    OR EXISTS (SELECT 1 FROM status_intervals o
      WHERE o.crossing_id = NEW.crossing_id AND o.start_date > NEW.start_date
        AND o.start_date < COALESCE(NEW.end_date, '9999-12-31') {exclude})
"""
_SQLITE_TRIGGERS = [
    "CREATE TRIGGER status_intervals_no_overlap_insert BEFORE INSERT ON status_intervals "
    f"WHEN {_SQLITE_NEW_OVERLAPS.format(exclude='')} "
    "BEGIN SELECT RAISE(ABORT, 'status interval overlaps another interval of the same crossing'); END",
    "CREATE TRIGGER status_intervals_no_overlap_update BEFORE UPDATE ON status_intervals "
    f"WHEN {_SQLITE_NEW_OVERLAPS.format(exclude='AND o.interval_id <> OLD.interval_id')} "
    "BEGIN SELECT RAISE(ABORT, 'status interval overlaps another interval of the same crossing'); END",
]
# PostgreSQL: the same two probes in PL/pgSQL, raised as a check violation (SQLSTATE 23514)
# so that both stores report an integrity error.
_POSTGRESQL_TRIGGERS = [
    """
    CREATE FUNCTION status_intervals_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (
           SELECT 1 FROM (
             SELECT o.end_date FROM status_intervals o
              WHERE o.crossing_id = NEW.crossing_id AND o.start_date <= NEW.start_date
                AND o.interval_id <> NEW.interval_id
                AND (TG_OP = 'INSERT' OR o.interval_id <> OLD.interval_id)
              ORDER BY o.start_date DESC LIMIT 1) latest
            WHERE COALESCE(latest.end_date, DATE '9999-12-31') > NEW.start_date)
         OR EXISTS (
           SELECT 1 FROM status_intervals o
            WHERE o.crossing_id = NEW.crossing_id AND o.start_date > NEW.start_date
              AND o.start_date < COALESCE(NEW.end_date, DATE '9999-12-31')
              AND o.interval_id <> NEW.interval_id
              AND (TG_OP = 'INSERT' OR o.interval_id <> OLD.interval_id)) THEN
        RAISE EXCEPTION 'status interval overlaps another interval of the same crossing'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER status_intervals_no_overlap BEFORE INSERT OR UPDATE ON status_intervals "
    "FOR EACH ROW EXECUTE FUNCTION status_intervals_no_overlap()",
]


def upgrade() -> None:
    op.create_table(
        "agreements",
        sa.Column("agreement_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("parties", sa.Text(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("terms", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "agreement_id <> '' AND agreement_id NOT GLOB '*[^a-z0-9-]*'", name="ck_agreements_agreement_id_slug"
            ),
        ),
        *_only(
            "postgresql", sa.CheckConstraint("agreement_id ~ '^[a-z0-9-]+$'", name="ck_agreements_agreement_id_slug_pg")
        ),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "effective_from IS NULL OR date(effective_from, '+0 days') IS effective_from",
                name="ck_agreements_effective_from_date",
            ),
        ),
        sa.CheckConstraint(
            "kind IN ('ceasefire', 'trade', 'transit', 'security', 'border-management', 'other')",
            name="ck_agreements_kind",
        ),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "signed_on IS NULL OR date(signed_on, '+0 days') IS signed_on", name="ck_agreements_signed_on_date"
            ),
        ),
        sa.CheckConstraint("title <> ''", name="ck_agreements_title"),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "valid_until IS NULL OR date(valid_until, '+0 days') IS valid_until",
                name="ck_agreements_valid_until_date",
            ),
        ),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_until >= COALESCE(effective_from, signed_on, valid_until)",
            name="ck_agreements_dates",
        ),
        sa.PrimaryKeyConstraint("agreement_id"),
        sa.UniqueConstraint("position"),
    )
    op.create_table(
        "crossings",
        sa.Column("crossing_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country_a", sa.String(length=2), nullable=False),
        sa.Column("side_a_name", sa.Text(), nullable=False),
        sa.Column("side_a_region", sa.Text(), nullable=True),
        sa.Column("country_b", sa.String(length=2), nullable=False),
        sa.Column("side_b_name", sa.Text(), nullable=False),
        sa.Column("side_b_region", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "crossing_id <> '' AND crossing_id NOT GLOB '*[^a-z0-9-]*'", name="ck_crossings_crossing_id_slug"
            ),
        ),
        *_only(
            "postgresql", sa.CheckConstraint("crossing_id ~ '^[a-z0-9-]+$'", name="ck_crossings_crossing_id_slug_pg")
        ),
        sa.CheckConstraint("name <> ''", name="ck_crossings_name"),
        sa.CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="ck_crossings_coordinates"),
        sa.CheckConstraint("country_a <> country_b", name="ck_crossings_countries"),
        sa.CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="ck_crossings_latitude"),
        sa.CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="ck_crossings_longitude"),
        sa.PrimaryKeyConstraint("crossing_id"),
        sa.UniqueConstraint("position"),
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_only(
            "sqlite", sa.CheckConstraint("date IS NULL OR date(date, '+0 days') IS date", name="ck_events_date_date")
        ),
        sa.CheckConstraint("date_precision IN ('day', 'month', 'year')", name="ck_events_precision"),
        *_only(
            "sqlite",
            sa.CheckConstraint("event_id <> '' AND event_id NOT GLOB '*[^a-z0-9-]*'", name="ck_events_event_id_slug"),
        ),
        *_only("postgresql", sa.CheckConstraint("event_id ~ '^[a-z0-9-]+$'", name="ck_events_event_id_slug_pg")),
        sa.CheckConstraint("kind IN ('meeting', 'talks', 'incident', 'announcement', 'other')", name="ck_events_kind"),
        sa.CheckConstraint("title <> ''", name="ck_events_title"),
        sa.PrimaryKeyConstraint("event_id"),
        sa.UniqueConstraint("position"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_date", ["date"], unique=False)

    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "sources",
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "published_on IS NULL OR date(published_on, '+0 days') IS published_on",
                name="ck_sources_published_on_date",
            ),
        ),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "source_id <> '' AND source_id NOT GLOB '*[^a-z0-9-]*'", name="ck_sources_source_id_slug"
            ),
        ),
        *_only("postgresql", sa.CheckConstraint("source_id ~ '^[a-z0-9-]+$'", name="ck_sources_source_id_slug_pg")),
        sa.CheckConstraint("title <> ''", name="ck_sources_title"),
        sa.CheckConstraint("url IS NULL OR url LIKE 'http://%' OR url LIKE 'https://%'", name="ck_sources_url"),
        sa.PrimaryKeyConstraint("source_id"),
        sa.UniqueConstraint("position"),
    )
    op.create_table(
        "agreements_crossings",
        sa.Column("owner_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agreements.agreement_id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["crossings.crossing_id"],
        ),
        sa.PrimaryKeyConstraint("owner_id", "target_id"),
    )
    with op.batch_alter_table("agreements_crossings", schema=None) as batch_op:
        batch_op.create_index("ix_agreements_crossings_target", ["target_id"], unique=False)

    op.create_table(
        "agreements_sources",
        sa.Column("owner_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["agreements.agreement_id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["sources.source_id"],
        ),
        sa.PrimaryKeyConstraint("owner_id", "target_id"),
    )
    with op.batch_alter_table("agreements_sources", schema=None) as batch_op:
        batch_op.create_index("ix_agreements_sources_target", ["target_id"], unique=False)

    op.create_table(
        "crossings_sources",
        sa.Column("owner_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["crossings.crossing_id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["sources.source_id"],
        ),
        sa.PrimaryKeyConstraint("owner_id", "target_id"),
    )
    with op.batch_alter_table("crossings_sources", schema=None) as batch_op:
        batch_op.create_index("ix_crossings_sources_target", ["target_id"], unique=False)

    op.create_table(
        "events_crossings",
        sa.Column("owner_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["events.event_id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["crossings.crossing_id"],
        ),
        sa.PrimaryKeyConstraint("owner_id", "target_id"),
    )
    with op.batch_alter_table("events_crossings", schema=None) as batch_op:
        batch_op.create_index("ix_events_crossings_target", ["target_id"], unique=False)

    op.create_table(
        "events_sources",
        sa.Column("owner_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["events.event_id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["sources.source_id"],
        ),
        sa.PrimaryKeyConstraint("owner_id", "target_id"),
    )
    with op.batch_alter_table("events_sources", schema=None) as batch_op:
        batch_op.create_index("ix_events_sources_target", ["target_id"], unique=False)

    op.create_table(
        "moratoria",
        sa.Column("moratorium_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("agreement_id", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "moratorium_id <> '' AND moratorium_id NOT GLOB '*[^a-z0-9-]*'", name="ck_moratoria_moratorium_id_slug"
            ),
        ),
        *_only(
            "postgresql",
            sa.CheckConstraint("moratorium_id ~ '^[a-z0-9-]+$'", name="ck_moratoria_moratorium_id_slug_pg"),
        ),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "start_date IS NULL OR date(start_date, '+0 days') IS start_date", name="ck_moratoria_start_date_date"
            ),
        ),
        sa.CheckConstraint("subject <> ''", name="ck_moratoria_subject"),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "valid_until IS NULL OR date(valid_until, '+0 days') IS valid_until",
                name="ck_moratoria_valid_until_date",
            ),
        ),
        sa.CheckConstraint("valid_until IS NULL OR valid_until >= start_date", name="ck_moratoria_dates"),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.agreement_id"],
        ),
        sa.PrimaryKeyConstraint("moratorium_id"),
        sa.UniqueConstraint("position"),
    )
    op.create_table(
        "status_intervals",
        sa.Column("interval_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("crossing_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "end_date IS NULL OR date(end_date, '+0 days') IS end_date", name="ck_status_intervals_end_date_date"
            ),
        ),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "interval_id <> '' AND interval_id NOT GLOB '*[^a-z0-9-]*'", name="ck_status_intervals_interval_id_slug"
            ),
        ),
        *_only(
            "postgresql",
            sa.CheckConstraint("interval_id ~ '^[a-z0-9-]+$'", name="ck_status_intervals_interval_id_slug_pg"),
        ),
        *_only(
            "sqlite",
            sa.CheckConstraint(
                "start_date IS NULL OR date(start_date, '+0 days') IS start_date",
                name="ck_status_intervals_start_date_date",
            ),
        ),
        sa.CheckConstraint("status IN ('open', 'closed', 'restricted')", name="ck_status_intervals_status"),
        sa.CheckConstraint("end_date IS NULL OR end_date > start_date", name="ck_status_intervals_dates"),
        sa.ForeignKeyConstraint(
            ["crossing_id"],
            ["crossings.crossing_id"],
        ),
        sa.PrimaryKeyConstraint("interval_id"),
        sa.UniqueConstraint("position"),
    )
    with op.batch_alter_table("status_intervals", schema=None) as batch_op:
        batch_op.create_index("ix_status_intervals_crossing_start", ["crossing_id", "start_date"], unique=False)
        batch_op.create_index("ix_status_intervals_start_end", ["start_date", "end_date"], unique=False)

    op.create_table(
        "moratoria_crossings",
        sa.Column("owner_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["moratoria.moratorium_id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["crossings.crossing_id"],
        ),
        sa.PrimaryKeyConstraint("owner_id", "target_id"),
    )
    with op.batch_alter_table("moratoria_crossings", schema=None) as batch_op:
        batch_op.create_index("ix_moratoria_crossings_target", ["target_id"], unique=False)

    op.create_table(
        "moratoria_sources",
        sa.Column("owner_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["moratoria.moratorium_id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["sources.source_id"],
        ),
        sa.PrimaryKeyConstraint("owner_id", "target_id"),
    )
    with op.batch_alter_table("moratoria_sources", schema=None) as batch_op:
        batch_op.create_index("ix_moratoria_sources_target", ["target_id"], unique=False)

    op.create_table(
        "status_intervals_sources",
        sa.Column("owner_id", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["status_intervals.interval_id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["sources.source_id"],
        ),
        sa.PrimaryKeyConstraint("owner_id", "target_id"),
    )
    with op.batch_alter_table("status_intervals_sources", schema=None) as batch_op:
        batch_op.create_index("ix_status_intervals_sources_target", ["target_id"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRESQL_TRIGGERS}.get(dialect, []):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS status_intervals_no_overlap ON status_intervals")
        op.execute("DROP FUNCTION IF EXISTS status_intervals_no_overlap()")
    with op.batch_alter_table("status_intervals_sources", schema=None) as batch_op:
        batch_op.drop_index("ix_status_intervals_sources_target")

    op.drop_table("status_intervals_sources")
    with op.batch_alter_table("moratoria_sources", schema=None) as batch_op:
        batch_op.drop_index("ix_moratoria_sources_target")

    op.drop_table("moratoria_sources")
    with op.batch_alter_table("moratoria_crossings", schema=None) as batch_op:
        batch_op.drop_index("ix_moratoria_crossings_target")

    op.drop_table("moratoria_crossings")
    with op.batch_alter_table("status_intervals", schema=None) as batch_op:
        batch_op.drop_index("ix_status_intervals_start_end")
        batch_op.drop_index("ix_status_intervals_crossing_start")

    op.drop_table("status_intervals")
    op.drop_table("moratoria")
    with op.batch_alter_table("events_sources", schema=None) as batch_op:
        batch_op.drop_index("ix_events_sources_target")

    op.drop_table("events_sources")
    with op.batch_alter_table("events_crossings", schema=None) as batch_op:
        batch_op.drop_index("ix_events_crossings_target")

    op.drop_table("events_crossings")
    with op.batch_alter_table("crossings_sources", schema=None) as batch_op:
        batch_op.drop_index("ix_crossings_sources_target")

    op.drop_table("crossings_sources")
    with op.batch_alter_table("agreements_sources", schema=None) as batch_op:
        batch_op.drop_index("ix_agreements_sources_target")

    op.drop_table("agreements_sources")
    with op.batch_alter_table("agreements_crossings", schema=None) as batch_op:
        batch_op.drop_index("ix_agreements_crossings_target")

    op.drop_table("agreements_crossings")
    op.drop_table("sources")
    op.drop_table("meta")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_date")

    op.drop_table("events")
    op.drop_table("crossings")
    op.drop_table("agreements")
