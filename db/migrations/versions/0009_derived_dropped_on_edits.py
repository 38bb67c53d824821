"""What the load derived from a content is dropped when the content is written to by other means.

The load packs copies of what readers derive from the rows (the intervals' spans, the sources they cite, the other
tables as the page reads them) into `derived`, in the same transaction as the rows. A store edited around the
loader (raw SQL, an admin tool) would leave those copies stale, and the page would go on showing what the load
wrote. These triggers empty `derived` on any insert, update or delete of a content table; readers then read the
rows themselves (the plain path), until the next load packs the copies again.

SQLite: row triggers (a load drops the store's triggers for its writes and makes them again, db.load). PostgreSQL:
statement triggers, skipped while the transaction has set `crossings.loading` (the load does; it writes `derived`
itself, and a trigger per inserted row would cost it).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Every content table and every link table (frozen here: the tables of revision 0008).
CONTENT_TABLES = (
    "sources", "crossings", "crossings_sources", "status_intervals", "status_intervals_sources",
    "agreements", "agreements_crossings", "agreements_sources", "agreements_end_sources",
    "moratoria", "moratoria_crossings", "moratoria_sources", "moratoria_end_sources",
    "events", "events_crossings", "events_sources",
)
_OPERATIONS = ("insert", "update", "delete")
_FUNCTION = "crossings_derived_stale"  # the PostgreSQL function the triggers call


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION crossings_derived_stale() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM derived;
                RETURN NULL;
            END $$""")
        for table in CONTENT_TABLES:
            op.execute(f"CREATE TRIGGER {table}_derived_stale AFTER INSERT OR UPDATE OR DELETE ON {table} "
                       "FOR EACH STATEMENT WHEN (current_setting('crossings.loading', true) IS DISTINCT FROM 'on') "
                       f"EXECUTE FUNCTION {_FUNCTION}()")
        return
    for table in CONTENT_TABLES:
        for operation in _OPERATIONS:
            # names from the constants above, never from input
            op.execute(f"CREATE TRIGGER {table}_derived_stale_{operation} AFTER {operation.upper()} ON {table} "  # noqa: S608
                       "BEGIN DELETE FROM derived; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in CONTENT_TABLES:
            op.execute(f"DROP TRIGGER {table}_derived_stale ON {table}")
        op.execute(f"DROP FUNCTION {_FUNCTION}()")
        return
    for table in CONTENT_TABLES:
        for operation in _OPERATIONS:
            op.execute(f"DROP TRIGGER {table}_derived_stale_{operation}")
