"""Make the (crossing, start) index of status_intervals cover end_date.

The overlap trigger and the page's lookups read end_date for the interval that starts last
before a day; with end_date in the index they no longer visit the table row (faster loads; see
BENCHMARKS.md).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_status_intervals_crossing_start_end", "status_intervals",
                    ["crossing_id", "start_date", "end_date"])
    op.drop_index("ix_status_intervals_crossing_start", table_name="status_intervals")


def downgrade() -> None:
    op.create_index("ix_status_intervals_crossing_start", "status_intervals", ["crossing_id", "start_date"])
    op.drop_index("ix_status_intervals_crossing_start_end", table_name="status_intervals")
