"""A table for what the page derives from each loaded content: the intervals' spans and the sources
they cite, packed by the load in the same transaction as the rows, so that the first viewer of a new
content reads one value instead of a million rows.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("derived",
                    sa.Column("name", sa.String(100), primary_key=True),
                    sa.Column("content", sa.LargeBinary, nullable=False))


def downgrade() -> None:
    op.drop_table("derived")
