"""Schema revisions with Alembic: create or upgrade a store, and refuse one that is behind."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["HEAD_REVISION", "SchemaMismatch", "check_revision", "current_revision", "downgrade", "head_revision",
           "script_head", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The revision this code needs: the newest file in migrations/versions (a test checks they agree).
# A constant, so that reading a store does not import Alembic (a large part of a CLI call's start-up).
HEAD_REVISION = "0009"


class SchemaMismatch(Exception):
    """The store's schema revision is not the one this code needs; the message says what to do."""


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return HEAD_REVISION


def script_head() -> str | None:
    """The newest revision among the migration scripts, as Alembic reads them."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """The store's revision as Alembic records it (its alembic_version table); None when absent."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create the schema in an empty store, or bring an older one up to `revision`, in one transaction."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to an older revision in one transaction (rows are kept where the older
    schema has room for them); for tests of upgrades and for undoing a migration by hand."""
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


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
    if current not in _known_revisions():
        raise SchemaMismatch(f"the store {shown_url} is at schema revision {current}, which this version does not "
                             f"know (it needs {head}): use a newer version of Border Crossing Status")
    raise SchemaMismatch(f"the store {shown_url} is at schema revision {current or 'none'}, this version needs "
                         f"{head}: run `python -m crossings db upgrade --db {shown_url}`")
