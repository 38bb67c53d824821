"""Names in their scripts.

A crossing's name as its readers write it: in Dari (`name_fa_af`, the Afghan side's and, for the crossings with
Iran, the Persian names), in Pashto (`name_ps`) and in Urdu (`name_ur`, the Pakistani side's), each as a source
the crossing cites writes it. Empty when no stored source gives it; the page then shows the name in Latin
letters.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = ("name_fa_af", "name_ps", "name_ur")


def upgrade() -> None:
    for name in COLUMNS:
        op.execute(f"ALTER TABLE crossings ADD COLUMN {name} TEXT")


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.execute(f"ALTER TABLE crossings DROP COLUMN {name}")
