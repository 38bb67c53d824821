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

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from crossings.core.records import STATUSES, TRAFFIC_KINDS, UNKNOWN
from crossings.core.wording import ENGLISH, Words

if TYPE_CHECKING:  # sources builds on this module's day numbers; the summary only calls its methods
    from crossings.core.sources import SourceDates

__all__ = [
    "INTERVAL_COLUMNS",
    "NEVER",
    "NO_END",
    "SUMMARY_COLUMNS",
    "SpanColumns",
    "StatusRuns",
    "Window",
    "current_from_runs",
    "current_status",
    "day_number",
    "day_numbers",
    "days_cut",
    "days_text",
    "default_window",
    "from_day_number",
    "in_order",
    "interval_days",
    "parse_date",
    "run_continues",
    "status_codes",
    "summary_from_runs",
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
    "carried_days",
]
_EPOCH = date(1970, 1, 1).toordinal()
# "No end" as a day number: an ongoing interval, an agreement with no end date. Far enough that
# adding a day to it never overflows, and later than every real day.
NO_END = int(np.iinfo("int64").max // 2)
# "No start reported" as a day number (an agreement whose start no source gives).
NEVER = int(np.iinfo("int64").min // 2)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Window:
    """A date window, inclusive at both ends."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the window starts {self.start}, after its end {self.end}")

    def through(self, as_of: date) -> date:
        """The window's last counted day: its end, or the as-of date if that comes first."""
        return min(self.end, as_of)

    def day_span(self, as_of: date) -> tuple[int, int]:
        """The counted days as day numbers [first, stop): the window cut at the as-of date."""
        return day_number(self.start), day_number(self.through(as_of)) + 1

    def days_until(self, as_of: date) -> int:
        """How many days of the window fall on or before the as-of date."""
        first, stop = self.day_span(as_of)
        return max(0, stop - first)


def day_number(day: date) -> int:
    """Days since 1970-01-01."""
    return day.toordinal() - _EPOCH


def from_day_number(number: int) -> date:
    return date.fromordinal(int(number) + _EPOCH)


def parse_date(text: str) -> date:
    """An ISO date YYYY-MM-DD, strictly (no week dates, no compact forms)."""
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


def days_text(days: int, words: Words = ENGLISH) -> str:
    """A count of days in words: '1 day', '26 days' (in the language of `words`)."""
    return words.n_("{count} day", "{count} days", days)


def days_cut(start: np.ndarray, end: np.ndarray, as_of: date) -> np.ndarray:
    """How many days each span [start, end) lasts, cut at the as-of date (later days are future;
    0 for a span that starts after it). Day numbers in; NO_END for no end."""
    return np.maximum(np.minimum(end, day_number(as_of) + 1) - start, 0)


def day_numbers(values: pd.Series, missing: int) -> np.ndarray:
    """Day numbers of a column of dates; `missing` where the date is empty."""
    stamps = pd.to_datetime(values, errors="raise")
    numbers = stamps.to_numpy(dtype="datetime64[D]", na_value=np.datetime64("NaT")).astype("int64")
    return np.where(stamps.isna().to_numpy(), missing, numbers)


def run_continues(prev_status: np.ndarray, prev_end: np.ndarray, status: np.ndarray, start: np.ndarray
                  ) -> np.ndarray:
    """Whether each interval continues the run of the interval before it in the same crossing: the same
    status, starting on the day that one ends. The one rule of "adjacent intervals with the same status
    form one run", for StatusRuns and for the store's read that follows runs back (db.queries)."""
    return (np.asarray(status) == np.asarray(prev_status)) & (np.asarray(start) == np.asarray(prev_end))


@dataclass(frozen=True)
class SpanColumns:
    """The intervals' spans as arrays (no text but the ids): what StatusRuns and the page's interval index are
    built from. `from_frame` makes them from interval_spans' frame (the plain path); the load's packed copy is
    unpacked straight into them (db.load_time_spans), without a frame of a million rows on the way.

    Crossings are codes into `crossing_ids`, sorted, each named by some row; statuses codes into STATUSES;
    dates day numbers (NO_END: no end); the list each kind is in (moves, limited, barred) as codes into names,
    -1 where the row does not name the kind. Rows in any order."""

    interval_id: np.ndarray  # object: the ids (None for each row when the frame had none)
    crossing_ids: np.ndarray
    crossing: np.ndarray
    status: np.ndarray
    start: np.ndarray
    end: np.ndarray
    access: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.start)

    @classmethod
    def from_frame(cls, intervals: pd.DataFrame) -> SpanColumns:
        """From a frame with crossing_id, status, start_date and end_date, and interval_id and the kinds'
        columns (TRAFFIC_KINDS) where it has them."""
        codes, names = pd.factorize(np.asarray(intervals["crossing_id"], dtype=object), sort=True)
        ids = (np.asarray(intervals["interval_id"], dtype=object) if "interval_id" in intervals
               else np.full(len(intervals), None, dtype=object))
        access = {}
        for kind in TRAFFIC_KINDS:
            if kind in intervals:
                lists, list_names = pd.factorize(np.asarray(intervals[kind], dtype=object))
                access[kind] = lists, np.asarray(list_names, dtype=object)
        return cls(ids, np.asarray(names, dtype=object), codes.astype("int64"), status_codes(intervals["status"]),
                   day_numbers(intervals["start_date"], NO_END), day_numbers(intervals["end_date"], NO_END), access)

    @staticmethod
    def sorted_names(names: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Names and codes into them renumbered so that the names are sorted and each is used."""
        used = np.flatnonzero(np.bincount(codes, minlength=len(names)) > 0) if len(codes) else \
            np.array([], dtype="int64")
        order = used[np.argsort(np.asarray(names, dtype=object)[used], kind="stable")]
        rank = np.full(len(names), -1, dtype="int32")  # a few thousand crossings: four bytes a row, not eight
        rank[order] = np.arange(len(order))
        return np.asarray(names, dtype=object)[order], rank[codes]

    def frame(self) -> pd.DataFrame:
        """As interval_spans gives them (for checking one path against the other)."""
        def dates(numbers: np.ndarray) -> pd.Series:
            return pd.Series(np.where(numbers == NO_END, np.datetime64("NaT"), numbers.astype("datetime64[D]"))
                             .astype("datetime64[s]"))

        def named(codes: np.ndarray, names: np.ndarray) -> pd.Series:
            return pd.Series(np.r_[names, np.array([None], dtype=object)][codes], dtype=object)

        return pd.DataFrame({"interval_id": pd.Series(self.interval_id, dtype=object),
                             "crossing_id": pd.Series(self.crossing_ids[self.crossing], dtype=object),
                             "status": pd.Series(_STATUS_WORDS[self.status], dtype=object),
                             "start_date": dates(self.start), "end_date": dates(self.end),
                             **{kind: named(*self.access[kind]) for kind in TRAFFIC_KINDS if kind in self.access}})


class StatusRuns:
    """Every crossing's runs of one status, as day numbers, before any as-of cut.

    Built once per store version (the page caches it): merging adjacent intervals does not
    depend on the as-of date, because cutting a run at as-of is the same as merging the cut
    intervals. Crossings and statuses are held as integer codes and the runs of each crossing
    are contiguous (`bounds`), so `at(as_of)` is a few vectorised steps over integers, and for a
    few crossings it touches only their runs, even with a million intervals.

    `intervals` needs crossing_id, status, start_date and end_date; interval_id is optional
    (the runs' first and last interval ids are None without it).
    """

    def __init__(self, intervals: pd.DataFrame | SpanColumns) -> None:
        spans = intervals if isinstance(intervals, SpanColumns) else SpanColumns.from_frame(intervals)
        names, codes = spans.crossing_ids, spans.crossing
        status, start, end, ids = spans.status, spans.start, spans.end, spans.interval_id
        if not in_order(codes, start):  # the load's packed spans are already in this order
            order = np.lexsort((start, codes))
            codes, status, start, end, ids = codes[order], status[order], start[order], end[order], ids[order]
        continues = (codes[1:] == codes[:-1]) & run_continues(status[:-1], end[:-1], status[1:], start[1:])
        firsts = np.flatnonzero(np.r_[True, ~continues]) if len(codes) else np.array([], dtype="int64")
        lasts = np.r_[firsts[1:] - 1, len(codes) - 1] if len(codes) else np.array([], dtype="int64")
        self.names = np.asarray(names, dtype=object)  # crossing ids, sorted; a run's code indexes them
        self.code = codes[firsts].astype("int64")
        self.status_code = status[firsts].astype("int8")
        self.start = start[firsts]
        self.end = end[lasts]
        self.first_interval_id = ids[firsts]
        self.last_interval_id = ids[lasts]
        # runs of crossing k are [bounds[k], bounds[k + 1])
        self.bounds = np.searchsorted(self.code, np.arange(len(self.names) + 1))
        # Whether the crossing's next recorded run begins on this run's end day: only then is
        # the end a reported change (a reopening) rather than the last day a source confirms.
        self.next_starts_at_end = np.r_[(self.code[1:] == self.code[:-1]) & (self.start[1:] == self.end[:-1]),
                                        False] if len(firsts) else np.array([], dtype=bool)

    def __len__(self) -> int:
        return len(self.start)

    def _rows_of(self, crossing_ids: list[str]) -> np.ndarray:
        """Indexes of the runs of these crossings (unknown ids have none), crossing by crossing."""
        wanted = np.unique(np.asarray(list(crossing_ids), dtype=object))
        if not len(self.names) or not len(wanted):
            return np.array([], dtype="int64")
        found = np.searchsorted(self.names, wanted)
        found = found[(found < len(self.names)) & (self.names[np.minimum(found, len(self.names) - 1)] == wanted)]
        lo, hi = self.bounds[found], self.bounds[found + 1]
        lengths = hi - lo
        # run i of the result belongs to crossing g: lo[g] + (i - where g's runs begin in the result)
        return np.repeat(lo - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(int(lengths.sum()))

    def at(self, as_of: date, crossing_ids: list[str] | None = None, window: Window | None = None,
           latest: bool = False) -> pd.DataFrame:
        """Runs cut at the as-of date (ints): crossing_id, status, start, end, days, ongoing, followed,
        first_interval_id, last_interval_id; runs that start after as-of are dropped.

        With a window, only the runs that matter for it are kept: those overlapping the window
        (up to as-of) and those covering the as-of date. With `latest`, only each crossing's last run (the
        ongoing one, if it covers the as-of date) and its last closed run: all that its current status
        (current_from_runs) and last closure (last_closures_from_runs) read, without a frame of every run
        of its history.
        """
        last = day_number(as_of)
        rows = (self._rows_of(crossing_ids) if crossing_ids is not None and len(crossing_ids) < len(self.names)
                else np.arange(len(self.start)))
        start, end = self.start[rows], self.end[rows]
        keep = start <= last
        if window is not None:
            first, stop = window.day_span(as_of)
            keep &= ((start < stop) & (end > first)) | (end > last)
        rows, start = rows[keep], start[keep]
        if latest:  # rows are in crossing order, then by start: a crossing's last row is where the next differs
            code, closed = self.code[rows], self.status_code[rows] == STATUSES.index("closed")
            last_closed = np.zeros(len(rows), dtype=bool)
            last_closed[np.flatnonzero(closed)[_last_of_each(code[closed])]] = True
            keep = _last_of_each(code) | last_closed
            rows, start = rows[keep], start[keep]
            end = self.end[rows]
        else:
            end = end[keep]
        end = np.minimum(end, last + 1)
        ongoing = end == last + 1
        # object columns stated as such: pandas would otherwise convert every string it is given
        return pd.DataFrame({
            "crossing_id": pd.Series(self.names[self.code[rows]], dtype=object, copy=False),
            "status": pd.Series(_STATUS_WORDS[self.status_code[rows]], dtype=object, copy=False),
            "start": start, "end": end, "days": end - start, "ongoing": ongoing,
            "followed": self.next_starts_at_end[rows] & ~ongoing,
            "first_interval_id": pd.Series(self.first_interval_id[rows], dtype=object, copy=False),
            "last_interval_id": pd.Series(self.last_interval_id[rows], dtype=object, copy=False),
        })


_STATUS_WORDS = np.array(list(STATUSES), dtype=object)


def _last_of_each(codes: np.ndarray) -> np.ndarray:
    """Where each run of equal codes ends (codes grouped, as a crossing's rows are)."""
    return np.r_[codes[1:] != codes[:-1], True] if len(codes) else np.zeros(0, dtype=bool)


def in_order(codes: np.ndarray, start: np.ndarray) -> bool:
    """Whether rows are already in crossing order, then by start (what np.lexsort((start, codes)) gives)."""
    step = np.diff(codes)
    return bool(np.all((step > 0) | ((step == 0) & (np.diff(start) >= 0))))


def status_codes(values: pd.Series) -> np.ndarray:
    """Each status as its index in STATUSES (factorising first: a few distinct words, many rows)."""
    codes, words = pd.factorize(np.asarray(values, dtype=object))
    return np.array([STATUSES.index(w) for w in words], dtype="int64")[codes] if len(words) else codes


def _as_runs(intervals: pd.DataFrame | StatusRuns) -> StatusRuns:
    return intervals if isinstance(intervals, StatusRuns) else StatusRuns(intervals)


def _with_dates(runs: pd.DataFrame) -> pd.DataFrame:
    dated = runs.copy()
    dated["start_date"] = [from_day_number(n) for n in runs["start"]]
    dated["end_date"] = [from_day_number(n) for n in runs["end"]]
    return dated[["crossing_id", "status", "start_date", "end_date", "days", "ongoing", "followed",
                  "first_interval_id", "last_interval_id"]]


def _status_days(runs: pd.DataFrame, crossing_ids: list[str], window: Window, as_of: date) -> pd.DataFrame:
    w_start, w_end = window.day_span(as_of)
    overlap = np.maximum(np.minimum(runs["end"].to_numpy(), w_end) - np.maximum(runs["start"].to_numpy(), w_start), 0)
    # a sum per (crossing, status) pair, by integer codes: a groupby on strings costs far more
    codes, ids = pd.factorize(runs["crossing_id"].to_numpy(dtype=object))
    status = status_codes(runs["status"])
    sums = np.bincount(codes * len(STATUSES) + status, weights=overlap, minlength=len(ids) * len(STATUSES))
    counted = pd.DataFrame(sums.reshape(len(ids), len(STATUSES)).round().astype("int64"),
                           index=pd.Index(ids, dtype=object), columns=list(STATUSES))
    table = counted.reindex(index=pd.Index(crossing_ids, dtype=object), fill_value=0)
    table[UNKNOWN] = window.days_until(as_of) - table.sum(axis=1)
    table.index.name = "crossing_id"
    return table


def current_from_runs(runs: pd.DataFrame, crossing_ids: list[str], as_of: date) -> pd.DataFrame:
    """current_status from runs already cut at the as-of date."""
    now = runs[runs["ongoing"]].drop_duplicates("crossing_id").set_index("crossing_id")
    now = now.reindex(pd.Index(crossing_ids, dtype=object))
    known = now["status"].notna().to_numpy()
    since_days = now["start"].to_numpy()
    table = pd.DataFrame({
        "crossing_id": np.asarray(crossing_ids, dtype=object),
        "status": np.where(known, now["status"].to_numpy(dtype=object), UNKNOWN).astype(object),
        "since": [from_day_number(d) if k else None for d, k in zip(since_days, known, strict=True)],
        "days": np.where(known, day_number(as_of) - np.nan_to_num(since_days.astype(float)) + 1, 0).astype("int64"),
        "interval_id": [i if k else None for i, k in zip(now["last_interval_id"], known, strict=True)],
    }, dtype=object)
    table["days"] = table["days"].astype("int64")
    return table


def current_status(intervals: pd.DataFrame | StatusRuns, crossing_ids: list[str], as_of: date) -> pd.DataFrame:
    """Each crossing's status on the as-of date and since when (the start of its run).

    Columns: crossing_id, status ("unknown" when no interval covers the date),
    since (date or None), days (since..as_of inclusive, 0 when unknown), interval_id (the run's last
    interval, which may begin after the as-of date: view.indexes.IntervalIndex.covering gives the one covering it).
    """
    return current_from_runs(_as_runs(intervals).at(as_of, crossing_ids, latest=True), crossing_ids, as_of)


def _closed_in_window(runs: pd.DataFrame, window: Window, as_of: date) -> pd.DataFrame:
    if window.days_until(as_of) == 0:
        return runs.iloc[0:0]
    w_start, w_end = window.day_span(as_of)
    return runs[(runs["status"] == "closed") & (runs["start"] < w_end) & (runs["end"] > w_start)]


def last_closures_from_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """The latest closed run of each crossing, from runs already cut at the as-of date (StatusRuns.at).

    Columns: crossing_id, status, start_date, end_date (exclusive; the day after the as-of date when
    the run still goes on then), days, ongoing (the crossing is still closed on the as-of date),
    followed (the next recorded interval starts on end_date), first_interval_id, last_interval_id.
    """
    closed = runs[runs["status"] == "closed"]
    return _with_dates(closed.groupby("crossing_id", sort=False).tail(1).reset_index(drop=True))


def summary_table(
    crossings: pd.DataFrame, intervals: pd.DataFrame | StatusRuns, window: Window, as_of: date,
    reports: SourceDates,
) -> pd.DataFrame:
    """One row per crossing with the columns of SUMMARY_COLUMNS (the `summary` CSV).

    closures counts closed runs that overlap the window; longest_closure_days is the full
    length of the longest of them, including days before the window, cut at as-of;
    carried_days counts the known days of the window that are more than STALE_AFTER_DAYS after
    the crossing's newest dated report on or before them (core.sources.SourceDates.carried_days).
    """
    ids = list(crossings["crossing_id"])
    return summary_from_runs(crossings, _as_runs(intervals).at(as_of, ids, window), window, as_of, reports)


def summary_from_runs(crossings: pd.DataFrame, runs: pd.DataFrame, window: Window, as_of: date,
                      reports: SourceDates) -> pd.DataFrame:
    """summary_table from runs already cut at the as-of date (StatusRuns.at) for these crossings."""
    ids = list(crossings["crossing_id"])
    days = _status_days(runs, ids, window, as_of)
    now = current_from_runs(runs, ids, as_of).set_index("crossing_id")
    closed = _closed_in_window(runs, window, as_of)
    # per crossing, by integer codes (a groupby on strings costs far more with thousands of crossings)
    codes, found = pd.factorize(closed["crossing_id"].to_numpy(dtype=object))
    at = pd.Index(found, dtype=object).get_indexer(pd.Index(ids, dtype=object))
    counts = np.r_[np.bincount(codes, minlength=len(found)), 0]
    maxima = np.zeros(len(found) + 1, dtype="int64")
    np.maximum.at(maxima, codes, closed["days"].to_numpy(dtype="int64"))
    closures, longest = pd.Series(counts[at]), pd.Series(maxima[at])  # at = -1 (no closure) picks the 0
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
            "carried_days": reports.carried_days(runs, ids, window, as_of),
        },
        columns=SUMMARY_COLUMNS,
    )


def default_window(intervals: pd.DataFrame | StatusRuns, as_of: date) -> Window:
    """From the first recorded day to the as-of date (the page's and the CLI's default)."""
    last = day_number(as_of)
    # A run starts where its first interval does, so the runs give the same first day.
    starts = intervals.start if isinstance(intervals, StatusRuns) else day_numbers(intervals["start_date"], last + 1)
    first = int(starts.min()) if len(starts) else last + 1
    return Window(from_day_number(first), as_of) if first <= last else Window(as_of, as_of)


def interval_days(intervals: pd.DataFrame, as_of: date) -> pd.Series:
    """Days each interval lasts, cut at the as-of date (0 for intervals that start later)."""
    if intervals.empty:
        return pd.Series([], dtype="int64", index=intervals.index)
    start = day_numbers(intervals["start_date"], NO_END)
    end = day_numbers(intervals["end_date"], NO_END)
    return pd.Series(days_cut(start, end, as_of), index=intervals.index, dtype="int64")
