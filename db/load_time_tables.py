"""Every table but the intervals, packed by the load into one stored value for the page's first read.

A reader of a new content reads each of these tables whole (crossings, sources, agreements, moratoria, events):
row by row, with a second query per list column, that is most of a second for the 70,000 rows of a million-interval
store: about half the queries, half the Python that builds the rows and gathers the lists from the link tables.
The load has every row in hand as it writes it, so it also writes them once, a column at a time: each column's
values as one text
(db.load_time_spans' packing), which one split turns back into the column (a JSON parse of the same rows took
seven times as long: it builds each value as it goes). `read_table` stays the plain path: a store without this
value (loaded before it existed, or written by other means) is read that way, to the same frames
(tests/test_load_time_spans.py holds the two equal).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from crossings.core.records import DATE, FLOAT, REFS, TABLES, TableSpec
from db.load_time_spans import pack_text, save_arrays, unpack_text
from db.models import Derived

__all__ = ["PACKED_TABLES", "TABLES_PACKED", "TableCollector", "read_stored_tables"]

TABLES_PACKED = "tables"  # the name of the packed value in the derived table
# The tables packed: all but the intervals, which the page never reads whole (their numbers are the packed spans).
PACKED_TABLES = tuple(spec for spec in TABLES if spec.name != "status_intervals")
# No checked field holds a control character (the contract refuses them): one marks an empty value, another
# separates the ids of a list.
_NONE = "\x1d"
_ITEM = "\x1e"


def _header(spec: TableSpec) -> str:
    return f"{spec.name}:{','.join(spec.header)}"  # a store packed with other columns is read row by row


class TableCollector:
    """Gathers the packed tables' values as the load writes them, column by column, in file order."""

    def __init__(self) -> None:
        self.columns: dict[str, dict[str, list[Any]]] = {spec.name: {name: [] for name in spec.header}
                                                         for spec in PACKED_TABLES}

    def add(self, spec: TableSpec, columns: dict[str, Sequence[Any]]) -> None:
        """A batch: each column's values as the store gets them (dates as ISO text or None, lists as lists)."""
        if spec.name in self.columns:
            for name, values in self.columns[spec.name].items():
                values.extend(columns[name])

    def blob(self) -> bytes:
        arrays = {"header": pack_text([_header(spec) for spec in PACKED_TABLES])}
        for spec in PACKED_TABLES:
            stored = self.columns[spec.name]
            arrays[f"{spec.name}.count"] = np.array([len(stored[spec.id_column])])
            for column in spec.columns:
                arrays[f"{spec.name}.{column.name}"] = pack_text([_as_text(column.kind, v)
                                                                  for v in stored[column.name]])
        return save_arrays(arrays)


def _as_text(kind: str, value: Any) -> str:
    if value is None:
        return _NONE
    if kind == REFS:
        return _ITEM.join(value)
    return repr(value) if kind == FLOAT else str(value)


def read_stored_tables(connection: Connection) -> dict[str, pd.DataFrame] | None:
    """The packed tables of the content in this connection's snapshot, as read_table gives them; None when the
    store has none, or packed other columns than the specs name now."""
    packed = connection.execute(select(Derived.content).where(Derived.name == TABLES_PACKED)).scalar()
    if packed is None:
        return None
    with np.load(io.BytesIO(packed), allow_pickle=False) as arrays:
        if list(unpack_text(arrays["header"], len(PACKED_TABLES))) != [_header(spec) for spec in PACKED_TABLES]:
            return None
        return {spec.name: _frame(spec, arrays) for spec in PACKED_TABLES}


def _frame(spec: TableSpec, arrays: Any) -> pd.DataFrame:
    count = int(arrays[f"{spec.name}.count"][0])
    frame = {}
    for column in spec.columns:
        texts = unpack_text(arrays[f"{spec.name}.{column.name}"], count)
        if column.kind == REFS:
            values: list[Any] = [t.split(_ITEM) if t else [] for t in texts]
        else:
            read = date.fromisoformat if column.kind == DATE else float if column.kind == FLOAT else None
            values = [None if t == _NONE else t if read is None else read(t) for t in texts]
        frame[column.name] = pd.Series(values, dtype=object)
    return pd.DataFrame(frame)
