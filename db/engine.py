"""Engines for the store: which database, SQLite's pragmas, the schema, and the default store."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

__all__ = [
    "DEFAULT_DATA_DIR",
    "DEFAULT_SQLITE_PATH",
    "build_sqlite_file",
    "create_schema",
    "database_url",
    "is_empty",
    "load_cache",
    "make_engine",
    "open_store",
    "shown_url",
    "sqlite_path",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data"
# Built from data/ on first use and never committed (see .gitignore).
DEFAULT_SQLITE_PATH = REPO_ROOT / "crossings.db"
# How long a connection waits for another process's write to finish before giving up:
# a reload of the curated data takes well under this.
BUSY_TIMEOUT_MS = 30_000
_SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    # WAL: readers keep reading the last committed content while a load writes.
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
)
# A load's page cache (the default is 2 MiB): a million-interval load touches its indexes all over, and
# misses dominate its time. Only the load's connection has it (load_cache): a reader reads each table
# once per store version, and kept pages of its whole reads (a million intervals' packed spans) would
# stay in its process for as long as the connection is pooled.
LOAD_CACHE_KIB = 65_536
_SQLITE_DEFAULT_CACHE_KIB = 2_000


@contextlib.contextmanager
def load_cache(connection: Connection) -> Iterator[None]:
    """A load's larger page cache on this connection (SQLite) for the block, then the default again."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql(f"PRAGMA cache_size=-{int(LOAD_CACHE_KIB)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size=-{int(_SQLITE_DEFAULT_CACHE_KIB)}")


def database_url(explicit: str | None = None) -> str:
    """The store to use: an explicit URL, else DATABASE_URL, else the default SQLite file."""
    return explicit or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy decide where transactions begin (the "begin" listener below), so that
    # every read of one connection block sees one snapshot, and writes are atomic.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _sqlite_on_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`, with foreign keys, WAL and a busy timeout on SQLite.

    Every transaction reads one snapshot on both stores: SQLite's BEGIN in WAL mode does so,
    PostgreSQL needs REPEATABLE READ (its default, READ COMMITTED, lets each statement of a
    transaction see a load that committed in between: the page would mix old and new rows).
    """
    if make_url(url).get_backend_name() == "postgresql":
        return create_engine(url, isolation_level="REPEATABLE READ", pool_pre_ping=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def is_empty(engine: Engine) -> bool:
    """No tables at all: a new database that the schema may be created in."""
    return not inspect(engine).get_table_names()


def create_schema(engine: Engine) -> None:
    """The schema at the newest revision (db/migrations), through Alembic."""
    from db.migrate import upgrade

    upgrade(engine)


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def open_store(url: str | None = None, data_dir: Path = DEFAULT_DATA_DIR) -> Engine:
    """An engine on the store, creating it first where that is safe.

    A SQLite file that does not exist yet is built from `data_dir` in a temporary file
    beside it and moved into place only when complete, so that two processes starting at
    once, or a failed first load, never leave a half-built store behind.
    An empty database gets the schema; a store at an older schema revision is refused
    (SchemaMismatch, whose message names the command to run).
    """
    from db.migrate import check_revision

    url = database_url(url)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        build_sqlite_file(path, data_dir)
    engine = make_engine(url)
    if is_empty(engine):
        create_schema(engine)
    check_revision(engine, shown_url(url))
    return engine


def build_sqlite_file(path: Path, data_dir: Path, progress: Callable[[int], None] | None = None
                      ) -> dict[str, int]:
    """Create a SQLite store at `path` loaded from `data_dir`; returns the rows loaded per table.

    Raises LoadRejected, leaving no file behind, when the data breaks the contract.
    """
    from db.load import load_directory  # the loader needs the engine module

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".building", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private; the store gets the same permissions as any new file.
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)
    try:
        engine = make_engine(f"sqlite:///{tmp}")
        try:
            create_schema(engine)
            counts = load_directory(engine, data_dir, progress)
            with engine.connect() as connection:
                # Fold the write-ahead log into the file before it is linked under its
                # final name: the log belongs to the temporary name.
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        with contextlib.suppress(FileExistsError):  # another process finished first: keep theirs
            os.link(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    return counts
