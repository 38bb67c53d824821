"""Where the record rests on a report: the newest source of each crossing, and when a status
is stale (carried forward too long without a new report)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from crossings.core.days import NEVER, Window, day_number, from_day_number

__all__ = ["REPORT_REACH", "STALE_AFTER_DAYS", "SourceDates", "carried_forward_days", "is_stale",
           "newest_source_date", "reports_in"]

# A status whose newest source is older than this is marked stale: a month without a
# report is long for a crossing that changes with the news.
STALE_AFTER_DAYS = 30
# The days a report vouches for: its own day and the STALE_AFTER_DAYS after it (is_stale's rule: a day is
# carried forward only when more days than that have passed), as a half-open span [day, day + REPORT_REACH).
REPORT_REACH = STALE_AFTER_DAYS + 1
# A crossing's code and a day as one sortable integer (code * _STRIDE + day + _CLIP), so that one binary
# search finds a day among every crossing's days at once. Days are clipped to +-_CLIP (about 188 million
# years; NO_END is later still), which leaves room for 2**25 crossings.
_CLIP = 2**36
_STRIDE = 2**38


class SourceDates:
    """For each crossing, the publication dates of the sources of its status intervals,
    sorted, built once per store version; `newest` is then a binary search per crossing.

    `cited` has one row per (crossing_id, source_id) that an interval of the crossing cites
    (db.queries.interval_sources); `of_intervals` derives it from the intervals' source lists.
    """

    def __init__(self, cited: pd.DataFrame, sources: pd.DataFrame) -> None:
        published = {s: day_number(d) for s, d in zip(sources["source_id"], sources["published_on"], strict=True)
                     if d is not None}
        # every dated (crossing, source) pair, for the reports a timeline marks, sorted by crossing, day and
        # source: as codes of the sorted ids (a few thousand distinct ones), not as strings row by row
        crossing, crossing_names = pd.factorize(np.asarray(cited["crossing_id"], dtype=object), sort=True)
        source, source_names = pd.factorize(np.asarray(cited["source_id"], dtype=object), sort=True)
        day_of = np.array([published.get(s, NEVER) for s in source_names], dtype="int64")
        day = day_of[source] if len(source_names) else np.zeros(len(source), dtype="int64")
        dated = np.flatnonzero(day != NEVER)
        dated = dated[np.lexsort((source[dated], day[dated], crossing[dated]))]
        self._index(pd.DataFrame({  # object columns: pandas would copy each id into a string array of its own
            "crossing_id": pd.Series(np.asarray(crossing_names, dtype=object)[crossing[dated]], dtype=object),
            "source_id": pd.Series(np.asarray(source_names, dtype=object)[source[dated]], dtype=object),
            "day": day[dated]}))

    def _index(self, reports: pd.DataFrame) -> None:
        """Everything else from the dated reports (crossing_id, source_id, day; sorted)."""
        self.reports = reports
        crossing_id, day = reports["crossing_id"].to_numpy(dtype=object), reports["day"].to_numpy(dtype="int64")
        # each (crossing, day) pair once: sorted, a pair's first row is where the crossing or the day changes
        first = np.r_[True, (crossing_id[1:] != crossing_id[:-1]) | (day[1:] != day[:-1])] if len(day) \
            else np.zeros(0, dtype=bool)
        self.crossing_id, self.day = crossing_id[first], day[first]
        # the crossings with a dated report, sorted, and each report's crossing as a place among them
        # (the pairs are sorted by crossing: a new crossing begins where the id changes)
        changes = np.r_[True, self.crossing_id[1:] != self.crossing_id[:-1]] if len(self.day) \
            else np.array([], dtype=bool)
        self._names = self.crossing_id[changes]
        code = np.cumsum(changes) - 1
        self._report_key = _key(code, self.day)
        # The days some report covers, per crossing: each report's [day, day + REPORT_REACH), merged where
        # they overlap or meet (a new span begins only after a day that no report covers). Stored as the
        # spans' edges in order, start, end, start, end...: a day is covered when an odd number of its
        # crossing's edges are on or before it.
        begins = np.r_[True, (code[1:] != code[:-1]) | (self.day[1:] > self.day[:-1] + REPORT_REACH)] \
            if len(code) else np.array([], dtype=bool)
        ends = np.r_[begins[1:], True] if len(code) else begins
        self._edge_day = np.column_stack([self.day[begins], self.day[ends] + REPORT_REACH]).ravel()
        self._edge_key = _key(np.repeat(code[begins], 2), self._edge_day)

    def published_by(self, known_by: date) -> SourceDates:
        """The same, with only the reports published on or before `known_by`."""
        cut = SourceDates.__new__(SourceDates)
        cut._index(self.reports[self.reports["day"] <= day_number(known_by)].reset_index(drop=True))
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

    def _codes(self, crossing_ids: np.ndarray) -> np.ndarray:
        """Each of these distinct crossing ids' place among the crossings with a report; len(self._names)
        (a crossing with no report) for the others."""
        wanted = np.asarray(crossing_ids, dtype=object)
        if not len(self._names) or not len(wanted):
            return np.full(len(wanted), len(self._names), dtype="int64")
        found = np.searchsorted(self._names, wanted)
        known = (found < len(self._names)) & (self._names[np.minimum(found, len(self._names) - 1)] == wanted)
        return np.where(known, found, len(self._names)).astype("int64")

    def split_by_reports(self, crossing_ids: np.ndarray, start: np.ndarray, end: np.ndarray) -> pd.DataFrame:
        """Each span [start, end) of a crossing's days (day numbers) cut where it passes between days a report
        covers and days carried forward, in order; spans with no days give no parts.

        Columns: span (the span's position in the input), start, end, carried (more than STALE_AFTER_DAYS
        after the newest dated report on or before the day, or no such report: is_stale's rule), report (the
        day of the newest report on or before the part's first day, NEVER when there is none; for a carried
        part the same for each of its days, since a newer one would cover them). tests/test_carried.py holds
        it to a day-by-day count.
        """
        codes, distinct = pd.factorize(np.asarray(crossing_ids, dtype=object))
        code = self._codes(distinct)[codes]
        span, part_start, part_end, carried = self._cut(code, np.asarray(start, dtype="int64"),
                                                        np.asarray(end, dtype="int64"))
        part_code = code[span]
        newest = np.searchsorted(self._report_key, _key(part_code, part_start), side="right") - 1
        report_codes = np.r_[self._report_key // _STRIDE, -1]  # the pad: newest == -1 (no report at all)
        days = np.r_[self.day, NEVER]
        has_report = report_codes[newest] == part_code
        return pd.DataFrame({"span": span, "start": part_start, "end": part_end, "carried": carried,
                             "report": np.where(has_report, days[newest], NEVER)})

    def _cut(self, code: np.ndarray, start: np.ndarray, end: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """split_by_reports for spans of crossings given by code (_codes): each part's span, start, end and
        whether it is carried forward."""
        rows = np.flatnonzero(start < end)
        code, first, stop = code[rows], start[rows], end[rows]
        # the crossing's edges strictly inside the span cut it: they are [lo, hi) among all edges
        lo = np.searchsorted(self._edge_key, _key(code, first), side="right")
        hi = np.searchsorted(self._edge_key, _key(code, stop), side="left")
        covered_first = (lo - np.searchsorted(self._edge_key, code * _STRIDE, side="left")) % 2 == 1
        count = hi - lo + 1
        if not (count > 1).any():  # no span is cut (the common case for short runs): one part each
            return rows, first, stop, ~covered_first
        nth = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)  # part's place in its span
        edge = np.repeat(lo, count) + nth
        edges = np.r_[self._edge_day, 0]  # a pad: the index below is computed, not used, at a span's ends
        part_start = np.where(nth == 0, np.repeat(first, count), edges[np.maximum(edge - 1, 0)])
        part_end = np.where(nth == np.repeat(count, count) - 1, np.repeat(stop, count), edges[edge])
        # each part alternates between covered and carried, starting as the span's first day is
        carried = np.repeat(~covered_first, count) ^ (nth % 2 == 1)
        return np.repeat(rows, count), part_start, part_end, carried

    def carried_days(self, runs: pd.DataFrame, crossing_ids: Sequence[str], window: Window, as_of: date
                     ) -> np.ndarray:
        """Per crossing, in the order given: the days of the window, through the as-of date, whose status is
        known (runs: StatusRuns.at cut at as-of, one kind's with a kind of traffic) and carried forward
        (split_by_reports). The summary's carried_days."""
        first, stop = window.day_span(as_of)
        start = np.maximum(runs["start"].to_numpy(dtype="int64"), first)
        end = np.minimum(runs["end"].to_numpy(dtype="int64"), stop)
        # by integer codes: many runs, few crossings
        codes, distinct = pd.factorize(runs["crossing_id"].to_numpy(dtype=object))
        span, part_start, part_end, carried = self._cut(self._codes(distinct)[codes], start, end)
        per_run = np.bincount(span[carried], weights=(part_end - part_start)[carried], minlength=len(runs))
        per_crossing = np.r_[np.bincount(codes, weights=per_run, minlength=len(distinct)), 0]
        at = pd.Index(distinct, dtype=object).get_indexer(pd.Index(list(crossing_ids), dtype=object))
        return per_crossing[at].round().astype("int64")  # at == -1 (no run) picks the 0


def _key(code: np.ndarray, day: np.ndarray) -> np.ndarray:
    """A crossing's code and a day as one integer that sorts by crossing, then day."""
    return np.asarray(code, dtype="int64") * _STRIDE + np.clip(day, -_CLIP, _CLIP) + _CLIP


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
