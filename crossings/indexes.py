"""Structures derived from the store that every rerun of the page reuses: built once per
store version from the intervals' numbers (no text), they turn per-rerun work over a million
intervals into vectorised filters; the page then reads the text of the rows it draws only."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crossings.cards import CommitmentIndex, SourceDates
from crossings.days import StatusRuns
from crossings.tables import IntervalIndex

__all__ = ["StoreIndexes", "build_indexes"]


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
