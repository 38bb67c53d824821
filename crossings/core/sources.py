"""Where the record rests on a report: the newest source of each crossing, and when a status
is stale (carried forward too long without a new report)."""

from __future__ import annotations

import copy
from datetime import date

import numpy as np
import pandas as pd

from crossings.core.days import day_number, from_day_number

__all__ = ["STALE_AFTER_DAYS", "SourceDates", "carried_forward_days", "is_stale", "newest_source_date",
           "reports_in"]

# A status whose newest source is older than this is marked stale: a month without a
# report is long for a crossing that changes with the news.
STALE_AFTER_DAYS = 30


class SourceDates:
    """For each crossing, the publication dates of the sources of its status intervals,
    sorted, built once per store version; `newest` is then a binary search per crossing.

    `cited` has one row per (crossing_id, source_id) that an interval of the crossing cites
    (db.queries.interval_sources); `of_intervals` derives it from the intervals' source lists.
    """

    def __init__(self, cited: pd.DataFrame, sources: pd.DataFrame) -> None:
        published = {s: day_number(d) for s, d in zip(sources["source_id"], sources["published_on"], strict=True)
                     if d is not None}
        days = cited["source_id"].map(published)
        # every dated (crossing, source) pair, for the reports a timeline marks
        reports = pd.DataFrame({"crossing_id": cited["crossing_id"].to_numpy(dtype=object),
                                "source_id": cited["source_id"].to_numpy(dtype=object),
                                "day": days.to_numpy(dtype=float)}).dropna()
        self.reports = reports.assign(day=reports["day"].astype("int64")).sort_values(
            ["crossing_id", "day", "source_id"], kind="stable").reset_index(drop=True)
        pairs = reports[["crossing_id", "day"]].drop_duplicates()
        pairs = pairs.sort_values(["crossing_id", "day"], kind="stable")
        self.crossing_id = pairs["crossing_id"].to_numpy(dtype=object)
        self.day = pairs["day"].to_numpy(dtype="int64")

    def published_by(self, known_by: date) -> SourceDates:
        """The same, with only the reports published on or before `known_by`."""
        cut = copy.copy(self)
        cut.reports = self.reports[self.reports["day"] <= day_number(known_by)].reset_index(drop=True)
        keep = self.day <= day_number(known_by)
        cut.crossing_id, cut.day = self.crossing_id[keep], self.day[keep]
        return cut

    @classmethod
    def of_intervals(cls, intervals: pd.DataFrame, sources: pd.DataFrame) -> SourceDates:
        pairs = intervals[["crossing_id", "source_ids"]].explode("source_ids")
        return cls(pd.DataFrame({"crossing_id": pairs["crossing_id"].to_numpy(dtype=object),
                                 "source_id": pairs["source_ids"].to_numpy(dtype=object)}).dropna(), sources)

    def newest(self, crossing_ids: list[str], as_of: date) -> dict[str, date | None]:
        """The newest date on or before the as-of date per crossing (None when there is none)."""
        wanted = np.asarray(crossing_ids, dtype=object)
        lo = np.searchsorted(self.crossing_id, wanted, side="left")
        hi = np.searchsorted(self.crossing_id, wanted, side="right")
        # Days are sorted within a crossing: its newest usable day is the last one on or before
        # as-of, i.e. the count of such days past its first row, minus one.
        usable = np.r_[0, np.cumsum(self.day <= day_number(as_of))]
        count = usable[hi] - usable[lo]
        last = self.day[np.maximum(lo + count - 1, 0)] if len(self.day) else np.zeros(len(wanted), dtype="int64")
        return {cid: from_day_number(d) if n > 0 else None
                for cid, d, n in zip(crossing_ids, last, count, strict=True)}


def reports_in(source_dates: SourceDates, crossing_ids: list[str], first: date, last: date, limit: int
               ) -> pd.DataFrame:
    """The dated reports (crossing_id, source_id, date) of these crossings between two dates inclusive,
    newest first, at most `limit`: where the record rests on a report rather than on a status carried
    forward."""
    found = source_dates.reports
    found = found[found["crossing_id"].isin(list(crossing_ids)) & (found["day"] >= day_number(first))
                  & (found["day"] <= day_number(last))]
    found = found.sort_values("day", ascending=False, kind="stable").head(limit)
    return pd.DataFrame({"crossing_id": found["crossing_id"].to_numpy(dtype=object),
                         "source_id": found["source_id"].to_numpy(dtype=object),
                         "date": [from_day_number(d) for d in found["day"]]}, dtype=object)


def carried_forward_days(newest: date | None, as_of: date) -> int | None:
    """Days from the newest report to the as-of date: how long a status has been carried forward
    without a new report (None when no report is dated)."""
    return None if newest is None else max((as_of - newest).days, 0)


def is_stale(newest: date | None, as_of: date) -> bool:
    return newest is None or (as_of - newest).days > STALE_AFTER_DAYS


def newest_source_date(sources: pd.DataFrame, as_of: date | None = None) -> date | None:
    """When the data was last updated: the newest publication date among the sources."""
    days = [d for d in sources["published_on"] if d is not None and (as_of is None or d <= as_of)]
    return max(days) if days else None
