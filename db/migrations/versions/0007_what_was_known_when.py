"""What was known when.

An agreement's or moratorium's end apart from its term: `ended_on`, the first day it no longer applied
because a source reports that it ended, broke down or was superseded, and the sources that report it
(`end_source_ids`, a link table like every other list). `valid_until` keeps only a term stated at signing or
extension, so that a countdown never counts down to an end that an event brought.

A status interval's `reported_on` (the publication date of the first source reporting the status) and
`end_reported_on` (of the first report of its end): what anyone could know on a given day. The loader checks
them against the sources' dates; the store checks their order.

A source's `quote`: the sentence or two, verbatim, that the rows citing it rely on.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OWNERS = {"agreements": "agreement_id", "moratoria": "moratorium_id"}
STARTS = {"agreements": "COALESCE(effective_from, signed_on, ended_on)", "moratoria": "start_date"}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute("ALTER TABLE sources ADD COLUMN quote TEXT")
    for name in ("reported_on", "end_reported_on"):
        checks = [f"{name} IS NULL OR date({name}, '+0 days') IS {name}"] if sqlite else []
        if name == "end_reported_on":
            checks.append("end_reported_on IS NULL OR (end_date IS NOT NULL AND reported_on IS NOT NULL "
                          "AND end_reported_on >= reported_on)")
        constraint = " ".join(f"CONSTRAINT ck_status_intervals_{name}_{n} CHECK ({c})" for n, c in enumerate(checks))
        op.execute(f"ALTER TABLE status_intervals ADD COLUMN {name} DATE {constraint}")
    for owner, key in OWNERS.items():
        checks = [f"ended_on IS NULL OR ended_on >= {STARTS[owner]}"]
        if sqlite:  # SQLite keeps dates as text: refuse an impossible day, as for every other date
            checks.append("ended_on IS NULL OR date(ended_on, '+0 days') IS ended_on")
        constraint = " ".join(f"CONSTRAINT ck_{owner}_ended_on_{n} CHECK ({c})" for n, c in enumerate(checks))
        op.execute(f"ALTER TABLE {owner} ADD COLUMN ended_on DATE {constraint}")
        op.create_table(
            f"{owner}_end_sources",
            sa.Column("owner_id", sa.String(length=200), nullable=False),
            sa.Column("target_id", sa.String(length=200), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["owner_id"], [f"{owner}.{key}"]),
            sa.ForeignKeyConstraint(["target_id"], ["sources.source_id"]),
            sa.PrimaryKeyConstraint("owner_id", "target_id"),
        )
        op.create_index(f"ix_{owner}_end_sources_target", f"{owner}_end_sources", ["target_id"], unique=False)


def downgrade() -> None:
    op.execute("ALTER TABLE sources DROP COLUMN quote")
    for name in ("end_reported_on", "reported_on"):
        op.execute(f"ALTER TABLE status_intervals DROP COLUMN {name}")
    for owner in OWNERS:
        op.drop_index(f"ix_{owner}_end_sources_target", table_name=f"{owner}_end_sources")
        op.drop_table(f"{owner}_end_sources")
        op.execute(f"ALTER TABLE {owner} DROP COLUMN ended_on")
