"""Spans read at query time, packed by the database into fixed-width text per crossing (not the load's blob)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from crossings.core.records import STATUSES

__all__ = ["fixed_width_spans_sql", "unpack_fixed_width_spans"]

# A fast path for day counts kept apart from the plain read (db.queries.interval_spans with ids) behind
# one interface; tests/test_scale.py compares the two on the curated and on synthetic stores. Unlike
# db.load_time_spans it needs nothing written at load time, so it serves any store and any window.

# Without interval ids every interval is a fixed-width record: start date, end date (9999-12-31
# when ongoing) and the status's first letter, 21 characters. The database joins each crossing's
# records into one string and numpy reads them all at once, instead of Python building a tuple
# and four objects per interval.
_RECORD = np.dtype([("start_date", "S10"), ("end_date", "S10"), ("status", "S1")])
_ONGOING = "9999-12-31"
_STATUS_BY_LETTER = {s[0].encode(): s for s in STATUSES}
if len(_STATUS_BY_LETTER) != len(STATUSES):
    raise RuntimeError("statuses must differ in their first letter: the fixed-width read keeps only that letter")
_FIXED_WIDTH_SQL = {
    # SQLite's date columns hold ISO text (CHECK constraints make sure of it)
    "sqlite": "SELECT crossing_id, group_concat(start_date || coalesce(end_date, '9999-12-31') "
              "|| substr(status, 1, 1), '') FROM status_intervals",
    "postgresql": "SELECT crossing_id, string_agg(to_char(start_date, 'YYYY-MM-DD') "
                  "|| coalesce(to_char(end_date, 'YYYY-MM-DD'), '9999-12-31') || substr(status, 1, 1), '') "
                  "FROM status_intervals",
}


def unpack_fixed_width_spans(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """The fixed-width rows (crossing_id, records) as span columns, ordered by crossing and start."""
    rows = sorted(rows, key=lambda row: str(row[0]))
    texts = [row[1] for row in rows]
    records = np.frombuffer("".join(texts).encode("ascii"), dtype=_RECORD)
    counts = np.array([len(t) for t in texts], dtype="int64") // _RECORD.itemsize
    crossing = np.repeat(np.arange(len(rows)), counts)
    start = records["start_date"].astype("datetime64[D]")
    end = np.where(records["end_date"] == _ONGOING.encode(), np.datetime64("NaT", "D"),
                   records["end_date"].astype("datetime64[D]"))
    order = np.lexsort((start, crossing))  # a crossing's records come in no particular order
    codes, letters = pd.factorize(records["status"][order])
    words = np.array([_STATUS_BY_LETTER[letter] for letter in letters], dtype=object)
    return pd.DataFrame({
        "crossing_id": pd.Series(np.array([row[0] for row in rows], dtype=object)[crossing[order]], dtype=object),
        "status": pd.Series(words[codes], dtype=object),
        "start_date": pd.Series(start[order].astype("datetime64[s]")),
        "end_date": pd.Series(end[order].astype("datetime64[s]")),
    })


def fixed_width_spans_sql(dialect: str) -> str | None:
    """The fixed-width SELECT for this database (to be completed by WHERE and GROUP BY crossing_id), or None."""
    return _FIXED_WIDTH_SQL.get(dialect)
