"""Reading the store: each query returns a pandas DataFrame or a plain value, never ORM objects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, select, text
from sqlalchemy.engine.interfaces import DBAPICursor, Dialect

from crossings.core.days import run_continues
from crossings.core.records import ACCESS_LISTS, DATE, TABLES, TRAFFIC_KINDS, TableSpec, table
from crossings.core.traffic import check_traffic, kind_status, lists_of
from db.fixed_width import fixed_width_spans_sql, unpack_fixed_width_spans

# db.models (SQLAlchemy's ORM) is imported by the functions that build queries from it, not here:
# `summary` and `content_hash` need none of it, and a command line starts faster without.

__all__ = [
    "StoreEmpty",
    "content_hash",
    "content_version",
    "crossing_names",
    "interval_reports",
    "interval_sources",
    "interval_spans",
    "read_all",
    "read_table",
    "read_versioned",
]


class StoreEmpty(Exception):
    """The store has its schema but no data loaded."""

    def __init__(self, message: str = "the store is empty: run `python -m crossings load` to load data/") -> None:
        super().__init__(message)


def content_hash(connection: Connection) -> str | None:
    """A fingerprint of the loaded content; it changes whenever a load changes anything."""
    return connection.execute(text("SELECT value FROM meta WHERE key = :key"),
                              {"key": "content_hash"}).scalar_one_or_none()


def content_version(connection: Connection) -> str:
    """The content hash of a loaded store; raises StoreEmpty when nothing has been loaded."""
    version = content_hash(connection)
    if version is None:
        raise StoreEmpty
    return version


def crossing_names(connection: Connection) -> pd.DataFrame:
    """crossing_id, name and both countries of every crossing, in file order (all that `summary` and
    `status` need of them)."""
    rows = connection.execute(
        text("SELECT crossing_id, name, country_a, country_b FROM crossings ORDER BY position")).all()
    return pd.DataFrame({name: pd.Series([r[i] for r in rows], dtype=object)
                         for i, name in enumerate(["crossing_id", "name", "country_a", "country_b"])})


def read_table(
    connection: Connection, spec: TableSpec | str, crossing_ids: Sequence[str] | None = None,
    row_ids: Sequence[str] | None = None,
) -> pd.DataFrame:
    """All rows of one table in file order, with the spec's columns; ';' lists as Python lists.

    crossing_ids (status_intervals only) keeps the intervals of those crossings; row_ids keeps
    the rows with those ids (read ROW_IDS_PER_QUERY at a time; each batch in file order).
    """
    spec = table(spec) if isinstance(spec, str) else spec
    if crossing_ids is not None and spec.name != "status_intervals":
        raise ValueError("crossing_ids filters status_intervals only")
    if row_ids is None:
        return _read_rows(connection, spec, crossing_ids, None)
    ids = list(dict.fromkeys(row_ids))
    batches = [_read_rows(connection, spec, crossing_ids, ids[i:i + ROW_IDS_PER_QUERY])
               for i in range(0, len(ids), ROW_IDS_PER_QUERY)]
    return pd.concat(batches, ignore_index=True) if len(batches) > 1 else (
        batches[0] if batches else _read_rows(connection, spec, crossing_ids, []))


# Bound parameters in one IN list: well under every backend's limit (SQLite's is 32,766).
ROW_IDS_PER_QUERY = 5_000


def _all_rows(connection: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """A query without parameters, run on the driver's own cursor inside the connection's transaction:
    plain tuples, without a Row object per row (a whole table's read for the page)."""
    sql = str(query.compile(dialect=connection.dialect))
    if not connection.in_transaction():
        connection.begin()  # one snapshot with the other reads (see db.engine)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _read_rows(connection: Connection, spec: TableSpec, crossing_ids: Sequence[str] | None,
               row_ids: list[str] | None) -> pd.DataFrame:
    from db.models import LINK_TABLES, Base

    stored = Base.metadata.tables[spec.name]
    key = stored.c[spec.id_column]
    plain = [c.name for c in spec.columns if c.kind not in ("refs", "kinds")]
    kinds = list(TRAFFIC_KINDS) if spec.traffic_columns else []
    query = select(*(stored.c[name] for name in [*plain, *kinds])).order_by(stored.c.position)
    chosen = []
    if crossing_ids is not None:
        chosen.append(stored.c.crossing_id.in_(list(crossing_ids)))
    if row_ids is not None:
        chosen.append(key.in_(row_ids))  # an expanding bound parameter: the ids are never SQL text
    query = query.where(*chosen)
    raw = not chosen  # a whole table: the driver's tuples, dates as the driver gives them
    rows = _all_rows(connection, query) if raw else connection.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=[*plain, *kinds], dtype=object)
    if raw:
        for column in spec.columns:
            if column.kind == DATE:  # SQLite gives ISO text (SQLAlchemy's Date would parse it), PostgreSQL dates
                frame[column.name] = pd.Series([date.fromisoformat(v) if isinstance(v, str) else v
                                                for v in frame[column.name]], dtype=object)
    if kinds:  # the lists back from one column per kind, in vocabulary order (as the files have them)
        traffic = [lists_of(dict(zip(kinds, r, strict=True))) for r in frame[kinds].itertuples(index=False)]
        for name in ACCESS_LISTS:
            frame[name] = [row[name] for row in traffic]
    for column in spec.list_columns:
        link = LINK_TABLES[(spec.name, column.name)]
        link_query = select(link.c.owner_id, link.c.target_id).order_by(link.c.owner_id, link.c.position)
        if chosen:
            link_query = link_query.where(link.c.owner_id.in_(select(key).where(*chosen)))
        lists: dict[Any, list[str]] = {}
        for owner, target in (_all_rows(connection, link_query) if not chosen else connection.execute(link_query)):
            lists.setdefault(owner, []).append(target)
        frame[column.name] = [lists.get(owner, []) for owner in frame[spec.id_column]]
    return frame[spec.header]


def interval_sources(connection: Connection) -> pd.DataFrame:
    """Which sources each crossing's status intervals cite: crossing_id, source_id, each pair once."""
    from db.models import LINK_TABLES, Base

    intervals = Base.metadata.tables["status_intervals"]
    link = LINK_TABLES[("status_intervals", "source_ids")]
    query = (select(intervals.c.crossing_id, link.c.target_id).distinct()
             .join_from(link, intervals, link.c.owner_id == intervals.c.interval_id))
    rows = connection.execute(query).all()
    return pd.DataFrame({"crossing_id": pd.Series([r[0] for r in rows], dtype=object),
                         "source_id": pd.Series([r[1] for r in rows], dtype=object)})


def interval_reports(connection: Connection) -> pd.DataFrame:
    """When each status interval, and its end, were first reported: interval_id, reported_on, end_reported_on
    (dates or None), for a view of what was known on a day."""
    from db.models import Base

    intervals = Base.metadata.tables["status_intervals"]
    rows = connection.execute(select(intervals.c.interval_id, intervals.c.reported_on,
                                     intervals.c.end_reported_on)).all()
    return pd.DataFrame({"interval_id": pd.Series([r[0] for r in rows], dtype=object),
                         "reported_on": pd.Series([_as_date(r[1]) for r in rows], dtype=object),
                         "end_reported_on": pd.Series([_as_date(r[2]) for r in rows], dtype=object)})


def _as_date(value: Any) -> date | None:
    """A DATE as read from either store (SQLite may hand back text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def read_all(connection: Connection) -> dict[str, pd.DataFrame]:
    """Every table, by name. Raises StoreEmpty when nothing has been loaded."""
    return read_versioned(connection)[1]


def read_versioned(connection: Connection) -> tuple[str, dict[str, pd.DataFrame]]:
    """The content hash and every table, read in the connection's one transaction.

    The engine begins a transaction before the first read (see db.engine), so a load that
    commits meanwhile is seen either wholly or not at all: never one table old and one new.
    """
    return content_version(connection), {spec.name: read_table(connection, spec) for spec in TABLES}


SPAN_COLUMNS = ["interval_id", "crossing_id", "status", "start_date", "end_date"]
SPAN_CHUNK_ROWS = 100_000


def interval_spans(connection: Connection, since: date | None = None, until: date | None = None,
                   with_ids: bool = True, traffic: Sequence[str] = ()) -> pd.DataFrame:
    """Only what day arithmetic needs of the intervals, fast: interval_id (unless with_ids is
    False), crossing_id, status, start_date, end_date (datetime64 days; NaT when ongoing),
    ordered by crossing and start.

    No text, no link tables and no per-row type processing, so that `summary` need not read the
    whole store; rows arrive in chunks turned into arrays at once, so a million intervals never
    exist as Python rows all at the same time. With `since`/`until`, only the intervals that
    touch [since, until] are read, plus the chains of adjacent same-status intervals that lead
    into them, so that every run that reaches the range keeps its true start (for "since" and
    the full length of a closure).

    `traffic` adds a column per kind named (the list the interval puts it in, or None); with
    `since` it names one kind at most, and the chains followed are then those of that kind's status.
    """
    traffic = [str(check_traffic(kind)) for kind in traffic]
    if since is not None and len(traffic) > 1:
        raise ValueError("a windowed read follows the runs of one kind of traffic at most")
    # the kinds are checked against the vocabulary above: column names, never text from outside
    columns = (SPAN_COLUMNS if with_ids else SPAN_COLUMNS[1:]) + list(traffic)
    if not connection.in_transaction():
        connection.begin()  # every read below sees one snapshot (see db.engine)
    # The driver's own cursor, inside the connection's transaction: plain tuples, no Row objects.
    cursor = connection.connection.cursor()
    shared: dict[str, str] = {}  # one str object per distinct crossing id and status
    try:
        frame = _select_spans(cursor, connection.dialect, columns, since, until, shared)
        if since is None or frame.empty:
            return frame
        found = _follow_runs_back(cursor, connection.dialect, frame, columns, traffic[0] if traffic else None)
    finally:
        cursor.close()
    if not found:
        return frame
    return (pd.concat([frame, _span_frame([_span_chunk(found, columns, shared)], columns)], ignore_index=True)
            .sort_values(["crossing_id", "start_date"], kind="stable").reset_index(drop=True))


def _mark(dialect: Dialect) -> str:
    """The driver's placeholder for one bound parameter."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _select_spans(cursor: DBAPICursor, dialect: Dialect, columns: list[str], since: date | None,
                  until: date | None, shared: dict[str, str]) -> pd.DataFrame:
    """The columns named of the intervals that touch [since, until] (no bound when None), ordered by
    crossing and start.

    Without interval ids and traffic columns, the database packs them into fixed-width text when it
    can (db.fixed_width); otherwise rows are read in chunks of SPAN_CHUNK_ROWS.
    """
    mark = _mark(dialect)
    # Column and table names are constants; the two dates are bound parameters.
    conditions, params = [], []
    if since is not None:
        conditions.append(f"(end_date IS NULL OR end_date >= {mark})")
        params.append(since.isoformat())
    if until is not None:
        conditions.append(f"start_date <= {mark}")
        params.append(until.isoformat())
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    fixed_width = fixed_width_spans_sql(dialect.name) if columns == SPAN_COLUMNS[1:] else None
    if fixed_width is not None:
        cursor.execute(fixed_width + where + " GROUP BY crossing_id", tuple(params))
        return unpack_fixed_width_spans(cursor.fetchall())
    cursor.execute(f"SELECT {', '.join(columns)} FROM status_intervals{where} "  # noqa: S608
                   "ORDER BY crossing_id, start_date", tuple(params))
    chunks = []
    while rows := cursor.fetchmany(SPAN_CHUNK_ROWS):
        chunks.append(_span_chunk(rows, columns, shared))
    return _span_frame(chunks, columns)


def _follow_runs_back(cursor: DBAPICursor, dialect: Dialect, frame: pd.DataFrame, columns: list[str],
                      kind: str | None) -> list[Sequence[Any]]:
    """The rows (in `columns`) of the intervals before `frame` whose runs lead into it: for every crossing,
    back from its earliest interval in `frame` to the start of that interval's run (with `kind`, the runs
    of that kind's status)."""
    # One query per step back for every crossing at once: the interval before a crossing's earliest one
    # is the one that starts last before it (intervals of a crossing never overlap), and run_continues,
    # the rule StatusRuns merges by, says whether the run goes on through it.
    at = {name: i for i, name in enumerate(columns)}
    mark = _mark(dialect)
    day_mark = "CAST(%s AS DATE)" if dialect.name == "postgresql" else mark

    def seen_as(status: str, access: str | None) -> str:  # the status the runs are made of
        return kind_status(status, access) if kind else status

    heads = frame.drop_duplicates("crossing_id")
    # crossing -> (the day its earliest interval read starts, the status the run is made of)
    reaching = {crossing: (first.date().isoformat(), seen_as(status, access))
                for crossing, status, access, first in zip(
                    heads["crossing_id"], heads["status"], heads[kind] if kind else heads["status"],
                    heads["start_date"], strict=True)}
    found: list[Sequence[Any]] = []
    while reaching:
        reached: dict[str, tuple[str, str]] = {}
        pairs = list(reaching.items())
        for first in range(0, len(pairs), ROW_IDS_PER_QUERY):
            batch = pairs[first:first + ROW_IDS_PER_QUERY]
            # constants and one pair of bound parameters per crossing: no value is SQL text
            values = ", ".join([f"({mark}, {day_mark})"] * len(batch))
            before = (f"WITH head (crossing_id, day) AS (VALUES {values}) "  # noqa: S608
                      f"SELECT {', '.join('s.' + c for c in columns)} FROM head JOIN status_intervals AS s "
                      "ON s.crossing_id = head.crossing_id AND s.start_date = "
                      "(SELECT MAX(p.start_date) FROM status_intervals AS p "
                      "WHERE p.crossing_id = head.crossing_id AND p.start_date < head.day)")
            cursor.execute(before, tuple(value for crossing, (day, _) in batch for value in (crossing, day)))
            rows = cursor.fetchall()
            crossings = [row[at["crossing_id"]] for row in rows]
            # dates as numpy parses both drivers' (ISO text, dates); an ongoing interval's NaT continues nothing
            goes_on = run_continues(
                np.array([seen_as(row[at["status"]], row[at[kind]] if kind else None) for row in rows], dtype=object),
                np.array([row[at["end_date"]] for row in rows], dtype="datetime64[D]"),
                np.array([reaching[crossing][1] for crossing in crossings], dtype=object),
                np.array([reaching[crossing][0] for crossing in crossings], dtype="datetime64[D]"))
            for row, crossing, on in zip(rows, crossings, goes_on, strict=True):
                if on:
                    found.append(row)
                    reached[crossing] = (str(row[at["start_date"]]), reaching[crossing][1])
        reaching = reached
    return found


def _span_chunk(rows: Sequence[Sequence[Any]], columns: list[str], shared: dict[str, str]) -> dict[str, np.ndarray]:
    values = dict(zip(columns, zip(*rows, strict=True), strict=True))
    chunk = {}
    for name, column in values.items():
        if name in ("start_date", "end_date"):
            # SQLite gives ISO text, PostgreSQL gives dates: numpy parses both, None becomes NaT.
            chunk[name] = np.array(column, dtype="datetime64[D]")
        elif name in ("crossing_id", "status"):
            # few distinct values in many rows: keep one str object per value
            codes, uniques = pd.factorize(np.array(column, dtype=object))
            chunk[name] = np.array([shared.setdefault(u, u) for u in uniques], dtype=object)[codes]
        else:
            chunk[name] = np.array(column, dtype=object)
    return chunk


def _span_frame(chunks: list[dict[str, np.ndarray]], columns: list[str]) -> pd.DataFrame:
    if not chunks:
        chunks = [{name: np.array([], dtype="datetime64[D]" if name.endswith("_date") else object)
                   for name in columns}]
    return pd.DataFrame({
        name: (pd.Series(np.concatenate([c[name] for c in chunks]).astype("datetime64[s]")) if name.endswith("_date")
               else pd.Series(np.concatenate([c[name] for c in chunks]), dtype=object))
        for name in columns
    })
