"""Replacing the store's content with checked data files, all in one transaction.

The files are read once: each row is checked and, while no problem has been found, written
in the same pass; any problem rolls the whole transaction back, so the store is left exactly
as it was. Writing goes straight to the driver's executemany with bound parameters.

On SQLite the secondary indexes and the triggers are dropped inside the transaction before the rows go
in and created again from the store's own catalogue after them (transactional DDL: a reader never sees
the store without them); maintaining them row by row weighs heavily on a large load. Their rules still
hold for the loaded rows: the checks have run on every row, and `rule_breaches` checks the triggers'
rules once more, set-based, before the commit.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import Connection, Engine, delete, insert, text
from sqlalchemy.exc import IntegrityError

from crossings.core.records import ACCESS_LISTS, DATE, TABLES, TRAFFIC_KINDS, TableSpec
from crossings.core.traffic import access_by_kind
from crossings.core.validation import Batch, LoadRejected, Opener, check_dataset
from db.engine import load_cache
from db.load_time_spans import CITED, SPANS, SpanCollector
from db.load_time_tables import TABLES_PACKED, TableCollector
from db.models import LINK_TABLES, Base, Derived, Meta

__all__ = ["LoadRejected", "StoreRuleBroken", "data_size", "deferred_schema", "directory_opener", "load_directory",
           "replace_content", "rule_breaches"]

# Reports progress: how many bytes of the data files have been read so far.
Progress = Callable[[int], None]


def directory_opener(data_dir: Path) -> Opener:
    def open_file(name: str) -> IO[bytes] | None:
        path = data_dir / name
        return path.open("rb") if path.is_file() else None

    return open_file


class _Counting:
    """A binary stream that reports how much has been read."""

    def __init__(self, stream: IO[bytes], on_read: Callable[[int], None]) -> None:
        self._stream, self._on_read = stream, on_read

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self._on_read(len(chunk))
        return chunk

    def __enter__(self) -> _Counting:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()


def _insert_sql(connection: Connection, table: str, columns: list[str]) -> str:
    """INSERT with one placeholder per column. Table and column names are this module's
    constants; every value is a bound parameter."""
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}[connection.dialect.paramstyle]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"  # noqa: S608


class _Writer:
    """The sink that writes checked rows; remembers a database refusal instead of raising it,
    so that the checks can go on and name the row that caused it."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.counts = {spec.name: 0 for spec in TABLES}
        self.digest = hashlib.sha256()
        self.error: IntegrityError | None = None
        self._sql: dict[str, str] = {}
        self.spans = SpanCollector()  # what readers derive from the intervals, gathered as they go in
        self.tables = TableCollector()  # and the other tables, as a reader reads them whole
        self._access_of: dict[tuple[str, ...], tuple[str | None, ...]] = {}

    def _statement(self, key: str, table: str, columns: list[str]) -> str:
        if key not in self._sql:
            self._sql[key] = _insert_sql(self.connection, table, columns)
        return self._sql[key]

    def write(self, spec: TableSpec, batch: Batch) -> None:
        if self.error is not None:
            return
        size = len(batch.rows)
        # the content hash: each row's fields as read, joined by unit separators, rows ended by record separators
        self.digest.update(("\x1e".join(map("\x1f".join, batch.rows)) + "\x1e").encode())
        plain = [c for c in spec.columns if c.kind not in ("refs", "kinds")]
        # Dates go in as their checked ISO text: the driver binds it to a DATE column on both stores.
        columns: list[Sequence[Any]] = [[text or None for text in batch.texts[c.name]] if c.kind == DATE
                                        else batch.values[c.name] for c in plain]
        if spec.traffic_columns:  # the moves, limited and barred lists: a column per kind
            access = self._access(batch)
            columns.extend(zip(*access, strict=True) if size else [[] for _ in TRAFFIC_KINDS])
            self.spans.add(batch.values, access)
        else:
            self.tables.add(spec, {**batch.values, **{c.name: values for c, values in zip(plain, columns,
                                                                                        strict=True)}})
        position = self.counts[spec.name]
        rows = list(zip(*columns, range(position, position + size), strict=True))
        owners = batch.values[spec.id_column]
        links = {name: [(owner, target, i) for owner, items in zip(owners, batch.values[name], strict=True)
                        for i, target in enumerate(items)] for name in (c.name for c in spec.list_columns)}
        try:
            names = [c.name for c in plain] + (list(TRAFFIC_KINDS) if spec.traffic_columns else []) + ["position"]
            self.connection.exec_driver_sql(self._statement(spec.name, spec.name, names), rows)
            for name, pairs in links.items():
                if pairs:
                    link = LINK_TABLES[(spec.name, name)]
                    self.connection.exec_driver_sql(
                        self._statement(link.name, link.name, ["owner_id", "target_id", "position"]), pairs)
        except IntegrityError as exc:
            self.error = exc
            return
        self.counts[spec.name] = position + size

    def _access(self, batch: Batch) -> list[tuple[str | None, ...]]:
        """Each row's {kind: list naming it} as a tuple in TRAFFIC_KINDS order, worked out once per distinct
        moves, limited and barred texts."""
        keys = list(zip(*(batch.texts[name] for name in ACCESS_LISTS), strict=True))
        one_row_each = dict(zip(keys, range(len(keys)), strict=True))
        for key in one_row_each.keys() - self._access_of.keys():
            row = one_row_each[key]
            self._access_of[key] = tuple(access_by_kind({name: batch.values[name][row] for name in ACCESS_LISTS})
                                         .values())
        return list(map(self._access_of.__getitem__, keys))


class StoreRuleBroken(RuntimeError):
    """The loaded rows break a rule of the store that the checks should have caught: a bug."""


def deferred_schema(connection: Connection) -> list[tuple[str, str]]:
    """The secondary indexes and triggers of the content tables, as (DROP statement, CREATE statement),
    read from the store's catalogue, so that the migrations stay their only definition; SQLite only (in
    WAL mode readers keep their snapshot, schema included). Indexes that back a key stay."""
    if connection.dialect.name == "sqlite":
        rows = connection.execute(text(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
            "ORDER BY type, name")).all()
        return [(f'DROP {kind.upper()} "{name}"', sql) for kind, name, sql in rows]
    # PostgreSQL: DROP INDEX and DROP TRIGGER take an ACCESS EXCLUSIVE lock, which would block (and can
    # deadlock) the readers that a load must leave reading the old content; there everything stays.
    return []


# The triggers' rules, set-based. Overlaps: an interval starting before the previous one of its crossing
# ends (the first overlap in start order always shows against its predecessor). The first pass reads only
# the runs index (crossing, start, end), so it never touches the table; the second names the intervals, and
# runs only for a crossing the first pass found, which a correct load never has. Then a restricted interval
# naming no kind of traffic. All are constants.
_OVERLAPPING_CROSSINGS = """
SELECT DISTINCT crossing_id FROM (
  SELECT crossing_id, start_date, ROW_NUMBER() OVER w AS n, LAG(end_date) OVER w AS previous_end
  FROM status_intervals WINDOW w AS (PARTITION BY crossing_id ORDER BY start_date)
) AS ordered
WHERE n > 1 AND (previous_end IS NULL OR previous_end > start_date)
ORDER BY crossing_id"""
_OVERLAPS = """
SELECT previous_id, interval_id FROM (
  SELECT interval_id, start_date,
         LAG(interval_id) OVER w AS previous_id, LAG(end_date) OVER w AS previous_end
  FROM status_intervals WHERE crossing_id = :crossing WINDOW w AS (ORDER BY start_date, interval_id)
) AS ordered
WHERE previous_id IS NOT NULL AND (previous_end IS NULL OR previous_end > start_date)
ORDER BY start_date"""
_RESTRICTED_NAMING_NOTHING = """
SELECT interval_id FROM status_intervals WHERE status = 'restricted' AND """ + " AND ".join(
    f"{kind} IS NULL" for kind in TRAFFIC_KINDS) + " ORDER BY interval_id"


def rule_breaches(connection: Connection) -> list[str]:
    """The store's trigger rules that the rows break, one line each (none after a correct load)."""
    found = [f"{crossing}: interval {later!r} overlaps {earlier!r}"
             for (crossing,) in connection.execute(text(_OVERLAPPING_CROSSINGS))
             for earlier, later in connection.execute(text(_OVERLAPS), {"crossing": crossing})]
    found += [f"restricted interval {interval!r} names no kind of traffic"
              for (interval,) in connection.execute(text(_RESTRICTED_NAMING_NOTHING))]
    return found


@contextmanager
def _cyclic_collection_paused() -> Iterator[None]:
    """A load makes millions of short-lived rows and tuples, none of them in a reference cycle, and reference
    counting frees each one; the cyclic collector, counting those allocations, would scan the growing heap
    again and again. It runs again, and collects, afterwards."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def replace_content(
    engine: Engine, open_file: Opener, display: Callable[[str], str] = str, progress: Progress | None = None
) -> dict[str, int]:
    """Check every file and replace the whole content with it in one transaction.

    Raises LoadRejected when the files break the contract; the transaction is then rolled back
    and the store is exactly as it was. Returns the number of rows loaded per table.
    """
    if progress is not None:
        open_file = _with_progress(open_file, progress)
    with _cyclic_collection_paused(), engine.begin() as connection, load_cache(connection):
        if connection.dialect.name == "postgresql":
            # this transaction writes `derived` itself: migration 0009's triggers, which empty it on writes around
            # the loader, skip its statements (SQLite's are dropped with the other triggers, below)
            connection.exec_driver_sql("SET LOCAL crossings.loading = 'on'")
        deferred = deferred_schema(connection)
        for drop, _ in deferred:
            connection.exec_driver_sql(drop)
        for link in LINK_TABLES.values():
            connection.execute(delete(link))
        for spec in reversed(TABLES):
            connection.execute(delete(Base.metadata.tables[spec.name]))
        connection.execute(delete(Meta))
        connection.execute(delete(Derived))
        writer = _Writer(connection)
        problems, total = check_dataset(open_file, display, sink=writer.write)
        if problems:
            raise LoadRejected(problems, total)
        if writer.error is not None:
            raise writer.error  # the store refused a row the checks let through: a bug, not bad data
        for _, create in deferred:
            connection.exec_driver_sql(create)
        # the rules the dropped triggers would have checked row by row (where nothing was dropped, as on
        # PostgreSQL, the triggers did)
        breaches = rule_breaches(connection) if deferred else []
        if breaches:
            raise StoreRuleBroken("; ".join(breaches[:5]))
        connection.execute(insert(Derived), [{"name": SPANS, "content": writer.spans.load_time_blob()},
                                             {"name": CITED, "content": writer.spans.cited_blob()},
                                             {"name": TABLES_PACKED, "content": writer.tables.blob()}])
        connection.execute(insert(Meta), [{"key": "content_hash", "value": writer.digest.hexdigest()}])
    return writer.counts


def _with_progress(open_file: Opener, progress: Progress) -> Opener:
    done = 0

    def counted(n: int) -> None:
        nonlocal done
        done += n
        progress(done)

    def open_counted(name: str) -> IO[bytes] | None:
        stream = open_file(name)
        return None if stream is None else cast(IO[bytes], _Counting(stream, counted))

    return open_counted


def data_size(data_dir: Path) -> int:
    """Bytes in the data files of a folder, for a progress bar."""
    return sum((data_dir / spec.file_name).stat().st_size for spec in TABLES
               if (data_dir / spec.file_name).is_file())


def load_directory(engine: Engine, data_dir: Path, progress: Progress | None = None) -> dict[str, int]:
    """replace_content from the files of a data directory; problems name the files by path."""
    return replace_content(engine, directory_opener(data_dir), lambda name: str(data_dir / name), progress)
