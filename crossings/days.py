"""Day arithmetic: the one definition of every day count the product shows.

Rules (see README "How days are counted"):
- An interval [start_date, end_date) is half-open: end_date is the first day of the next
  status (the reopening day); an empty end_date means the interval is ongoing.
- The as-of date cuts the data: days after it are future and counted nowhere, so anything
  still running on the as-of date counts through the as-of date inclusive.
- A window [from, to] is inclusive at both ends, and is cut at the as-of date as well.
- Days that no interval covers are unknown, never assumed open.
- Adjacent intervals of one crossing with the same status form one run.

Everything here is pure: pandas DataFrames and dates in, DataFrames out. Internally a
date is a day number (days since 1970-01-01) so that the counting is vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from crossings.records import STATUSES, UNKNOWN

__all__ = [
    "INTERVAL_COLUMNS",
    "SUMMARY_COLUMNS",
    "Window",
    "current_status",
    "day_number",
    "days_between",
    "days_by_status",
    "default_window",
    "from_day_number",
    "interval_days",
    "last_closures",
    "status_runs",
    "summary_table",
]

INTERVAL_COLUMNS = ["interval_id", "crossing_id", "status", "start_date", "end_date"]
SUMMARY_COLUMNS = [
    "crossing_id",
    "crossing",
    "status",
    "status_since",
    "closures",
    "closed_days",
    "restricted_days",
    "open_days",
    "unknown_days",
    "longest_closure_days",
]
_EPOCH = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class Window:
    """A date window, inclusive at both ends."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the window starts {self.start}, after its end {self.end}")

    def days_until(self, as_of: date) -> int:
        """How many days of the window fall on or before the as-of date."""
        return max(0, (min(self.end, as_of) - self.start).days + 1)


def day_number(day: date) -> int:
    """Days since 1970-01-01."""
    return day.toordinal() - _EPOCH


def from_day_number(number: int) -> date:
    return date.fromordinal(int(number) + _EPOCH)


def days_between(start: date, end: date) -> int:
    """Length of the half-open span [start, end) in days."""
    return (end - start).days


def _day_numbers(values: pd.Series, missing: int) -> np.ndarray:
    """Day numbers of a column of dates; `missing` where the date is empty."""
    stamps = pd.to_datetime(values, errors="raise")
    numbers = stamps.to_numpy(dtype="datetime64[D]", na_value=np.datetime64("NaT")).astype("int64")
    return np.where(stamps.isna().to_numpy(), missing, numbers)


def _cut(intervals: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Intervals as day numbers, cut at the as-of date; those that start later are dropped.

    Columns: crossing_id, interval_id, status, start, end (exclusive, at most as_of + 1),
    and raw_end (the recorded end, or a far-future number when ongoing).
    """
    last = day_number(as_of)
    far = np.iinfo("int64").max // 2
    frame = pd.DataFrame(
        {
            "crossing_id": intervals["crossing_id"].to_numpy(dtype=object),
            "interval_id": intervals["interval_id"].to_numpy(dtype=object),
            "status": intervals["status"].to_numpy(dtype=object),
            "start": _day_numbers(intervals["start_date"], far),
            "raw_end": _day_numbers(intervals["end_date"], far),
        }
    )
    frame = frame[frame["start"] <= last].copy()
    frame["end"] = np.minimum(frame["raw_end"], last + 1)
    return frame.sort_values(["crossing_id", "start"], kind="stable").reset_index(drop=True)


def _runs(cut: pd.DataFrame) -> pd.DataFrame:
    """Merge adjacent intervals of one crossing with the same status into runs."""
    if cut.empty:
        return pd.DataFrame(
            columns=["crossing_id", "status", "start", "end", "raw_end", "first_interval_id",
                     "last_interval_id", "followed"]
        )
    same_crossing = cut["crossing_id"].eq(cut["crossing_id"].shift())
    continues = (
        same_crossing
        & cut["status"].eq(cut["status"].shift())
        & cut["start"].eq(cut["end"].shift())
        # A cut interval ends at as_of + 1 only when nothing follows within the data we count.
    )
    run_id = (~continues).cumsum()
    runs = cut.groupby(run_id, sort=False).agg(
        crossing_id=("crossing_id", "first"),
        status=("status", "first"),
        start=("start", "first"),
        end=("end", "last"),
        raw_end=("raw_end", "last"),
        first_interval_id=("interval_id", "first"),
        last_interval_id=("interval_id", "last"),
    )
    runs = runs.reset_index(drop=True)
    # Whether the crossing's next recorded interval begins on the run's end day: only then
    # is the end a reported change (a reopening) rather than the last day a source confirms.
    next_start = runs["start"].shift(-1)
    next_same = runs["crossing_id"].eq(runs["crossing_id"].shift(-1))
    runs["followed"] = next_same & next_start.eq(runs["end"])
    return runs


def status_runs(intervals: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Runs of one status per crossing, cut at the as-of date, with dates.

    Columns: crossing_id, status, start_date, end_date (exclusive; the day after the
    as-of date when the run still goes on then), days, ongoing (the run covers the
    as-of date), followed (the next recorded interval starts on end_date),
    first_interval_id, last_interval_id.
    """
    runs = _runs(_cut(intervals, as_of))
    last = day_number(as_of)
    return pd.DataFrame(
        {
            "crossing_id": runs["crossing_id"].astype(object),
            "status": runs["status"].astype(object),
            "start_date": [from_day_number(n) for n in runs["start"]],
            "end_date": [from_day_number(n) for n in runs["end"]],
            "days": (runs["end"] - runs["start"]).astype("int64"),
            "ongoing": (runs["end"] == last + 1).astype(bool),
            "followed": runs["followed"].astype(bool),
            "first_interval_id": runs["first_interval_id"].astype(object),
            "last_interval_id": runs["last_interval_id"].astype(object),
        }
    )


def days_by_status(
    intervals: pd.DataFrame, crossing_ids: list[str], window: Window, as_of: date
) -> pd.DataFrame:
    """Days per status in the window up to the as-of date, one row per crossing.

    Columns open, closed, restricted, unknown; they add up to window.days_until(as_of).
    """
    cut = _cut(intervals, as_of)
    w_start = day_number(window.start)
    w_end = min(day_number(window.end), day_number(as_of)) + 1
    overlap = (np.minimum(cut["end"], w_end) - np.maximum(cut["start"], w_start)).clip(lower=0)
    counted = (
        overlap.groupby([cut["crossing_id"], cut["status"]]).sum().unstack(fill_value=0)
        if not cut.empty
        else pd.DataFrame()
    )
    table = counted.reindex(index=pd.Index(crossing_ids, dtype=object), columns=list(STATUSES),
                            fill_value=0).fillna(0).astype("int64")
    table[UNKNOWN] = window.days_until(as_of) - table.sum(axis=1)
    table.index.name = "crossing_id"
    return table


def current_status(intervals: pd.DataFrame, crossing_ids: list[str], as_of: date) -> pd.DataFrame:
    """Each crossing's status on the as-of date and since when (the start of its run).

    Columns: crossing_id, status ("unknown" when no interval covers the date),
    since (date or None), days (since..as_of inclusive, 0 when unknown), interval_id.
    """
    runs = status_runs(intervals, as_of)
    now = runs[runs["ongoing"]].set_index("crossing_id")
    rows = []
    for crossing_id in crossing_ids:
        if crossing_id in now.index:
            run = now.loc[crossing_id]
            rows.append((crossing_id, run["status"], run["start_date"],
                         (as_of - run["start_date"]).days + 1, run["last_interval_id"]))
        else:
            rows.append((crossing_id, UNKNOWN, None, 0, None))
    # object dtype keeps None as None (pandas would infer a string dtype and turn it into NaN).
    table = pd.DataFrame(rows, columns=["crossing_id", "status", "since", "days", "interval_id"], dtype=object)
    table["days"] = table["days"].astype("int64")
    return table


def _closed_runs_in_window(intervals: pd.DataFrame, window: Window, as_of: date) -> pd.DataFrame:
    runs = status_runs(intervals, as_of)
    w_end = min(window.end, as_of) + timedelta(days=1)
    if window.days_until(as_of) == 0:
        return runs.iloc[0:0]
    return runs[(runs["status"] == "closed") & (runs["start_date"] < w_end)
                & (runs["end_date"] > window.start)]


def last_closures(intervals: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The latest closed run of each crossing that began on or before the as-of date.

    Columns as status_runs; `ongoing` means the crossing is still closed on the as-of date.
    """
    runs = status_runs(intervals, as_of)
    closed = runs[runs["status"] == "closed"]
    return closed.groupby("crossing_id", sort=False).tail(1).reset_index(drop=True)


def summary_table(
    crossings: pd.DataFrame, intervals: pd.DataFrame, window: Window, as_of: date
) -> pd.DataFrame:
    """One row per crossing with the columns of SUMMARY_COLUMNS (the `summary` CSV).

    closures counts closed runs that overlap the window; longest_closure_days is the full
    length of the longest of them, including days before the window, cut at as-of.
    """
    ids = list(crossings["crossing_id"])
    days = days_by_status(intervals, ids, window, as_of)
    now = current_status(intervals, ids, as_of).set_index("crossing_id")
    closed = _closed_runs_in_window(intervals, window, as_of)
    closures = closed.groupby("crossing_id").size().reindex(ids, fill_value=0)
    longest = closed.groupby("crossing_id")["days"].max().reindex(ids, fill_value=0)
    return pd.DataFrame(
        {
            "crossing_id": ids,
            "crossing": list(crossings["name"]),
            "status": list(now.loc[ids, "status"]),
            "status_since": [d.isoformat() if d is not None else "" for d in now.loc[ids, "since"]],
            "closures": closures.to_numpy(dtype="int64"),
            "closed_days": days.loc[ids, "closed"].to_numpy(dtype="int64"),
            "restricted_days": days.loc[ids, "restricted"].to_numpy(dtype="int64"),
            "open_days": days.loc[ids, "open"].to_numpy(dtype="int64"),
            "unknown_days": days.loc[ids, UNKNOWN].to_numpy(dtype="int64"),
            "longest_closure_days": longest.fillna(0).to_numpy(dtype="int64"),
        },
        columns=SUMMARY_COLUMNS,
    )


def default_window(intervals: pd.DataFrame, as_of: date) -> Window:
    """From the first recorded day to the as-of date (the page's and the CLI's default)."""
    starts = [d for d in intervals["start_date"] if d is not None and d <= as_of]
    return Window(min(starts), as_of) if starts else Window(as_of, as_of)


def interval_days(intervals: pd.DataFrame, as_of: date) -> pd.Series:
    """Days each interval lasts, cut at the as-of date (0 for intervals that start later)."""
    if intervals.empty:
        return pd.Series([], dtype="int64", index=intervals.index)
    last = day_number(as_of)
    far = np.iinfo("int64").max // 2
    start = _day_numbers(intervals["start_date"], far)
    end = np.minimum(_day_numbers(intervals["end_date"], far), last + 1)
    return pd.Series(np.maximum(end - start, 0), index=intervals.index, dtype="int64")
