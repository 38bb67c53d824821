"""Structures derived from the store that every rerun of the page reuses: built once per
store version, they turn per-rerun work over a million intervals into vectorised filters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from crossings.cards import CommitmentIndex, SourceDates
from crossings.days import StatusRuns
from crossings.tables import interval_day_arrays

__all__ = ["StoreIndexes", "build_indexes"]


@dataclass(frozen=True)
class StoreIndexes:
    runs: StatusRuns
    source_dates: SourceDates
    commitments: CommitmentIndex
    interval_days: tuple[np.ndarray, np.ndarray]
    intervals_by_id: pd.DataFrame  # detail and cause by interval_id, for the cards drawn


def build_indexes(store: dict[str, pd.DataFrame]) -> StoreIndexes:
    intervals = store["status_intervals"]
    return StoreIndexes(
        runs=StatusRuns(intervals),
        source_dates=SourceDates(intervals, store["sources"]),
        commitments=CommitmentIndex(store["agreements"], store["moratoria"]),
        interval_days=interval_day_arrays(intervals),
        intervals_by_id=intervals[["interval_id", "detail", "cause"]].set_index("interval_id"),
    )
