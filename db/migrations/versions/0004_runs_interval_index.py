"""Let the (crossing, start, end) index of status_intervals cover status too.

Counting days (`summary`, the page's runs) reads crossing, status, start and end of every
interval in a window, in crossing and start order; with status in the index that read is a
scan of the index alone, without a visit to each table row. It replaces the index of 0003,
which the overlap trigger uses through its (crossing_id, start_date) prefix just the same.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_status_intervals_runs", "status_intervals",
                    ["crossing_id", "start_date", "end_date", "status"])
    op.drop_index("ix_status_intervals_crossing_start_end", table_name="status_intervals")


def downgrade() -> None:
    op.create_index("ix_status_intervals_crossing_start_end", "status_intervals",
                    ["crossing_id", "start_date", "end_date"])
    op.drop_index("ix_status_intervals_runs", table_name="status_intervals")
