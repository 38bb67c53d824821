"""Structures derived from the store that every rerun of the page reuses: built once per
store version from the intervals' numbers (no text), they turn per-rerun work over a million
intervals into vectorised filters; the page then reads the text of the rows it draws only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from crossings.core.commitments import CommitmentIndex
from crossings.core.days import (
    NO_END,
    StatusRuns,
    Window,
    day_number,
    day_numbers,
    days_cut,
    from_day_number,
    status_codes,
)
from crossings.core.records import STATUSES
from crossings.core.sources import SourceDates
from crossings.page.tables import INTERVAL_TABLE_COLUMNS

__all__ = ["IntervalIndex", "StoreIndexes", "build_indexes"]


class IntervalIndex:
    """Every interval's crossing, status and dates as arrays, in the tables' order (crossings in
    the order of their file, then by start), built once per store version from the interval
    spans (db.queries.interval_spans): `matching` finds the rows a filter shows without any
    text, so that only the rows drawn need their text read from the store."""

    def __init__(self, spans: pd.DataFrame, crossings: pd.DataFrame) -> None:
        self.crossing_ids = crossings["crossing_id"].to_numpy(dtype=object)
        rank = {cid: n for n, cid in enumerate(self.crossing_ids)}
        crossing = np.fromiter((rank[c] for c in spans["crossing_id"]), dtype="int64", count=len(spans))
        start = day_numbers(spans["start_date"], NO_END)
        order = np.lexsort((start, crossing))
        self.interval_id = spans["interval_id"].to_numpy(dtype=object)[order]
        self.crossing = crossing[order]  # index into crossing_ids
        self.status = status_codes(spans["status"])[order]  # index into STATUSES
        self.start = start[order]
        self.end = day_numbers(spans["end_date"], NO_END)[order]

    def __len__(self) -> int:
        return len(self.start)

    def matching(self, window: Window, as_of: date, crossing_ids: Sequence[str], statuses: Sequence[str]
                 ) -> np.ndarray:
        """Positions of the intervals of these crossings and statuses that overlap the window (cut
        at as-of), in the tables' order: the same rows as interval_table."""
        first, stop = window.day_span(as_of)
        mask = (self.start < stop) & (self.end > first)
        mask &= np.isin(self.status, [STATUSES.index(s) for s in statuses if s in STATUSES])  # no "unknown" rows
        if len(set(crossing_ids)) < len(self.crossing_ids):
            wanted = np.zeros(len(self.crossing_ids), dtype=bool)
            wanted[[n for n, cid in enumerate(self.crossing_ids) if cid in set(crossing_ids)]] = True
            mask &= wanted[self.crossing]
        return np.flatnonzero(mask)

    def of_crossings(self, positions: np.ndarray, crossing_ids: Sequence[str]) -> np.ndarray:
        """The positions that belong to these crossings."""
        wanted = np.isin(self.crossing_ids, np.asarray(list(crossing_ids), dtype=object))
        return positions[wanted[self.crossing[positions]]]

    def bare_table(self, positions: np.ndarray, crossings: pd.DataFrame, as_of: date) -> pd.DataFrame:
        """interval_table's rows for these positions with their numbers only: no detail, cause,
        sources or notes (for the chart's per-period shares, which show none of them)."""
        names = crossings["name"].to_numpy(dtype=object)
        start, end = self.start[positions], self.end[positions]
        table = pd.DataFrame({
            "interval_id": self.interval_id[positions],
            "crossing_id": self.crossing_ids[self.crossing[positions]],
            "crossing": names[self.crossing[positions]],
            "status": np.asarray(STATUSES, dtype=object)[self.status[positions]],
            "start_date": [from_day_number(d) for d in start],
            "end_date": [None if d == NO_END else from_day_number(d) for d in end],
            "ongoing": end > day_number(as_of),
            "days": days_cut(start, end, as_of),
        }, dtype=object)
        for column in ("detail", "cause", "sources", "source_url", "notes"):
            table[column] = None
        table["ongoing"] = table["ongoing"].astype(bool)
        table["days"] = table["days"].astype("int64")
        return table[INTERVAL_TABLE_COLUMNS]




@dataclass(frozen=True)
class StoreIndexes:
    runs: StatusRuns
    source_dates: SourceDates
    commitments: CommitmentIndex
    intervals: IntervalIndex


def build_indexes(store: dict[str, pd.DataFrame], spans: pd.DataFrame, cited: pd.DataFrame) -> StoreIndexes:
    """store: every table but the intervals; spans: db.queries.interval_spans of the whole store;
    cited: db.queries.interval_sources."""
    return StoreIndexes(
        runs=StatusRuns(spans),
        source_dates=SourceDates(cited, store["sources"]),
        commitments=CommitmentIndex(store["agreements"], store["moratoria"]),
        intervals=IntervalIndex(spans, store["crossings"]),
    )
