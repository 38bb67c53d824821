"""What moves: one column per kind of traffic on status_intervals, saying whether it moves, is
limited or is barred during a restricted interval (NULL: the row does not name it).

Why columns and not link tables like the other ';' lists: the kinds are a closed vocabulary of
five, each in one list at most, so one column per kind holds exactly the three lists, makes "a
kind in two lists" impossible by construction, and lets plain CHECK constraints and one trigger
state every rule; reading an interval's traffic is then no join. The files keep the three lists
(moves, limited, barred) in vocabulary order, so export writes them back byte for byte.

Rules, as in the loader (crossings/core/validation/rules.py):
- each column is NULL or one of moves, limited, barred, and only a restricted row names any;
- not every kind moves (that is open) and not every kind is barred (that is closed): CHECKs;
- a restricted row names at least one kind: a trigger, so that rows of a store written before
  this revision (restricted, naming none: every kind unknown) are kept by the upgrade.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KINDS = ("trade", "transit", "aid", "travellers", "returnees")  # frozen with this revision
_NONE_NAMED = " AND ".join(f"NEW.{k} IS NULL" for k in KINDS)
_MESSAGE = "a restricted status interval names at least one kind of traffic"


def _all(value: str) -> str:
    return " AND ".join(f"{k} = '{value}'" for k in KINDS)


def upgrade() -> None:
    for kind in KINDS:
        checks = [f"CONSTRAINT ck_status_intervals_{kind} CHECK ({kind} IS NULL OR "
                  f"({kind} IN ('moves', 'limited', 'barred') AND status = 'restricted'))"]
        if kind == KINDS[-1]:  # the whole-row rules, on the last column added (SQLite adds no table constraint)
            checks.append(f"CONSTRAINT ck_status_intervals_not_all_move CHECK (NOT ({_all('moves')}))")
            checks.append(f"CONSTRAINT ck_status_intervals_not_all_barred CHECK (NOT ({_all('barred')}))")
        op.execute(f"ALTER TABLE status_intervals ADD COLUMN {kind} VARCHAR(10) {' '.join(checks)}")
    if op.get_bind().dialect.name == "sqlite":
        for event in ("INSERT", "UPDATE"):
            op.execute(f"CREATE TRIGGER status_intervals_restricted_names_traffic_{event.lower()} "
                       f"BEFORE {event} ON status_intervals WHEN NEW.status = 'restricted' AND {_NONE_NAMED} "
                       f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END")
    else:
        op.execute(f"""
            CREATE FUNCTION status_intervals_restricted_names_traffic() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.status = 'restricted' AND {_NONE_NAMED} THEN
                RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'check_violation';
              END IF;
              RETURN NEW;
            END $$""")
        op.execute("CREATE TRIGGER status_intervals_restricted_names_traffic BEFORE INSERT OR UPDATE "
                   "ON status_intervals FOR EACH ROW EXECUTE FUNCTION status_intervals_restricted_names_traffic()")


def downgrade() -> None:
    # The last column first: its whole-row CHECKs name the others. SQLite (3.35+) drops a column in
    # place, keeping the table's other triggers, which a rebuilt table would lose.
    if op.get_bind().dialect.name == "sqlite":
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER status_intervals_restricted_names_traffic_{event}")
    else:
        op.execute("DROP TRIGGER status_intervals_restricted_names_traffic ON status_intervals")
        op.execute("DROP FUNCTION status_intervals_restricted_names_traffic()")
    for kind in reversed(KINDS):
        op.execute(f"ALTER TABLE status_intervals DROP COLUMN {kind}")
