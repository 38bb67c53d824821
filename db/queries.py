"""Reading the store: each query returns a pandas DataFrame or a plain value, never ORM objects."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from crossings.records import TABLES, TableSpec, table
from db.models import LINK_TABLES, Base, Meta

__all__ = [
    "StoreEmpty",
    "content_hash",
    "interval_spans",
    "read_all",
    "read_table",
    "read_versioned",
    "table_checksums",
]


class StoreEmpty(Exception):
    """The store has its schema but no data loaded."""


def content_hash(connection: Connection) -> str | None:
    """A fingerprint of the loaded content; it changes whenever a load changes anything."""
    return connection.execute(select(Meta.value).where(Meta.key == "content_hash")).scalar_one_or_none()



def read_table(
    connection: Connection, spec: TableSpec | str, crossing_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """All rows of one table in file order, with the spec's columns; ';' lists as Python lists.

    crossing_ids (status_intervals only) keeps the intervals of those crossings.
    """
    spec = table(spec) if isinstance(spec, str) else spec
    stored = Base.metadata.tables[spec.name]
    key = stored.c[spec.id_column]
    plain = [c.name for c in spec.columns if c.name not in {lc.name for lc in spec.list_columns}]
    query = select(*(stored.c[name] for name in plain)).order_by(stored.c.position)
    if crossing_ids is not None:
        if spec.name != "status_intervals":
            raise ValueError("crossing_ids filters status_intervals only")
        query = query.where(stored.c.crossing_id.in_(list(crossing_ids)))
    rows = connection.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=plain, dtype=object)
    for column in spec.list_columns:
        link = LINK_TABLES[(spec.name, column.name)]
        link_query = select(link.c.owner_id, link.c.target_id).order_by(link.c.owner_id, link.c.position)
        if crossing_ids is not None:
            link_query = link_query.where(link.c.owner_id.in_(select(key).where(
                stored.c.crossing_id.in_(list(crossing_ids)))))
        lists: dict[Any, list[str]] = {}
        for owner, target in connection.execute(link_query):
            lists.setdefault(owner, []).append(target)
        frame[column.name] = [lists.get(owner, []) for owner in frame[spec.id_column]]
    return frame[spec.header]


def read_all(connection: Connection) -> dict[str, pd.DataFrame]:
    """Every table, by name. Raises StoreEmpty when nothing has been loaded."""
    return read_versioned(connection)[1]


def read_versioned(connection: Connection) -> tuple[str, dict[str, pd.DataFrame]]:
    """The content hash and every table, read in the connection's one transaction.

    The engine begins a transaction before the first read (see db.engine), so a load that
    commits meanwhile is seen either wholly or not at all: never one table old and one new.
    """
    version = content_hash(connection)
    if version is None:
        raise StoreEmpty("the store is empty: run `python -m crossings load` to load data/")
    return version, {spec.name: read_table(connection, spec) for spec in TABLES}


def table_checksums(connection: Connection) -> dict[str, str]:
    """A SHA-256 of every table's full content (all columns, rows in a fixed order).

    Two stores with equal checksums hold the same content; used to prove that a rejected
    load changed nothing.
    """
    sums = {}
    for name, stored in sorted(Base.metadata.tables.items()):
        digest = hashlib.sha256()
        columns = list(stored.columns)
        for row in connection.execute(select(*columns).order_by(*columns)):
            digest.update(repr(tuple(row)).encode())
        sums[name] = digest.hexdigest()
    return sums


SPAN_COLUMNS = ["interval_id", "crossing_id", "status", "start_date", "end_date"]


def interval_spans(connection: Connection, since: date | None = None, until: date | None = None) -> pd.DataFrame:
    """Only what day arithmetic needs of the intervals, fast: interval_id, crossing_id, status,
    start_date, end_date (datetime64 days; NaT when ongoing), ordered by crossing and start.

    No text, no link tables and no per-row type processing, so that `summary` need not read the
    whole store. With `since`/`until`, only the intervals that touch [since, until] are read, plus
    the chains of adjacent same-status intervals that lead into them, so that every run that
    reaches the range keeps its true start (for "since" and the full length of a closure).
    """
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    # Column and table names are constants; the two dates are bound parameters.
    sql = f"SELECT {', '.join(SPAN_COLUMNS)} FROM status_intervals"
    conditions, params = [], []
    if since is not None:
        conditions.append(f"(end_date IS NULL OR end_date >= {mark})")
        params.append(since.isoformat())
    if until is not None:
        conditions.append(f"start_date <= {mark}")
        params.append(until.isoformat())
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += " ORDER BY crossing_id, start_date"
    result = connection.exec_driver_sql(sql, tuple(params))
    rows = result.cursor.fetchall()  # plain tuples from the driver; Row objects cost ten times more here
    result.close()
    frame = _span_frame(rows)
    if since is None or frame.empty:
        return frame
    # A run can reach into the range from before it through intervals that end exactly where the
    # next begins. Follow each crossing's first interval back, one index probe per step.
    previous = (f"SELECT {', '.join(SPAN_COLUMNS)} FROM status_intervals "
                f"WHERE crossing_id = {mark} AND start_date < {mark} ORDER BY start_date DESC LIMIT 1")
    found = []
    for head in frame.drop_duplicates("crossing_id").itertuples(index=False):
        start, status = head.start_date.date().isoformat(), head.status
        while True:
            row = connection.exec_driver_sql(previous, (head.crossing_id, start)).fetchone()
            if row is None or row[2] != status or str(row[4]) != start:
                break
            found.append(tuple(row))
            start = str(row[3])
    if not found:
        return frame
    return (pd.concat([frame, _span_frame(found)], ignore_index=True)
            .sort_values(["crossing_id", "start_date"], kind="stable").reset_index(drop=True))


def _span_frame(rows: list) -> pd.DataFrame:  # type: ignore[type-arg]
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(SPAN_COLUMNS)
    frame = pd.DataFrame({name: np.array(values, dtype=object)
                          for name, values in zip(SPAN_COLUMNS, columns, strict=True)})
    # SQLite gives ISO text, PostgreSQL and SQLAlchemy give dates: one vectorised parse for both.
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column].astype(str).where(frame[column].notna()), format="%Y-%m-%d")
    return frame
