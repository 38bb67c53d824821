"""Schema revisions with Alembic: create or upgrade a store, and refuse one that is behind."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

__all__ = ["SchemaMismatch", "check_revision", "current_revision", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaMismatch(Exception):
    """The store's schema revision is not the one this code needs; the message says what to do."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create the schema in an empty store, or bring an older one up to `revision`, in one transaction."""
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def check_revision(engine: Engine, shown_url: str) -> None:
    """Raise SchemaMismatch unless the store is at the head revision."""
    with engine.connect() as connection:
        current = current_revision(connection)
        has_tables = inspect(connection).has_table("status_intervals")
    head = head_revision()
    if current == head:
        return
    if current is None and has_tables:
        raise SchemaMismatch(f"the store {shown_url} has tables but no schema revision (it predates migrations); "
                             "rebuild it: load the data into an empty database")
    known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
    if current not in known:
        raise SchemaMismatch(f"the store {shown_url} is at schema revision {current}, which this version does not "
                             f"know (it needs {head}): use a newer version of Border Crossing Status")
    raise SchemaMismatch(f"the store {shown_url} is at schema revision {current or 'none'}, this version needs "
                         f"{head}: run `python -m crossings db upgrade --db {shown_url}`")
