"""Reading the store: each query returns a pandas DataFrame or a plain value, never ORM objects."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, select

from crossings.records import TABLES, TableSpec, table
from db.models import LINK_TABLES, Base, Meta

__all__ = [
    "StoreEmpty",
    "content_hash",
    "read_all",
    "read_table",
    "read_versioned",
    "store_counts",
    "table_checksums",
]


class StoreEmpty(Exception):
    """The store has its schema but no data loaded."""


def content_hash(connection: Connection) -> str | None:
    """A fingerprint of the loaded content; it changes whenever a load changes anything."""
    return connection.execute(select(Meta.value).where(Meta.key == "content_hash")).scalar_one_or_none()


def store_counts(connection: Connection) -> dict[str, int]:
    return {
        spec.name: connection.execute(select(func.count()).select_from(Base.metadata.tables[spec.name])).scalar_one()
        for spec in TABLES
    }


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
