"""Indexes for the page's "in force on the as-of date" lookups of agreements and moratoria.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_agreements_valid_until", "agreements", ["valid_until"])
    op.create_index("ix_moratoria_valid_until", "moratoria", ["valid_until"])
    op.create_index("ix_moratoria_start_date", "moratoria", ["start_date"])


def downgrade() -> None:
    op.drop_index("ix_moratoria_start_date", table_name="moratoria")
    op.drop_index("ix_moratoria_valid_until", table_name="moratoria")
    op.drop_index("ix_agreements_valid_until", table_name="agreements")
