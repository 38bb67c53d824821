"""Structures derived from the store that every rerun of the page reuses: built once per
store version from the intervals' numbers (no text), they turn per-rerun work over a million
intervals into vectorised filters; the page then reads the text of the rows it draws only."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from crossings.core.commitments import CommitmentIndex
from crossings.core.days import (
    NO_END,
    SpanColumns,
    StatusRuns,
    Window,
    day_number,
    day_numbers,
    from_day_number,
    in_order,
)
from crossings.core.records import STATUSES, TRAFFIC_KINDS, UNKNOWN
from crossings.core.sources import SourceDates
from crossings.core.traffic import ACCESS_STATUS

__all__ = ["IntervalIndex", "StoreIndexes", "build_indexes"]


class IntervalIndex:
    """Every interval's crossing, status and dates as arrays, in the tables' order (crossings in
    the order of their file, then by start), built once per store version from the interval
    spans (db.queries.interval_spans): `matching` finds the rows a filter shows without any
    text, so that only the rows drawn need their text read from the store."""

    def __init__(self, spans: pd.DataFrame | SpanColumns, crossings: pd.DataFrame) -> None:
        columns = spans if isinstance(spans, SpanColumns) else SpanColumns.from_frame(spans)
        self.crossing_ids = crossings["crossing_id"].to_numpy(dtype=object)
        # each interval's crossing as its place in file order (every crossing_id is a known crossing)
        place = pd.Index(self.crossing_ids).get_indexer(columns.crossing_ids).astype("int32")
        crossing = place[columns.crossing]
        # in file order, then by start; rows of one crossing that come in start order keep it (a stable sort)
        order = (np.argsort(crossing, kind="stable") if in_order(columns.crossing, columns.start)
                 else np.lexsort((columns.start, crossing)))
        self.interval_id = columns.interval_id[order]
        self.crossing = crossing[order]  # index into crossing_ids
        self.status = columns.status[order]  # index into STATUSES
        self.start = columns.start[order]
        self.end = columns.end[order]
        # each kind's status per interval (index into STATUSES, UNKNOWN_CODE where the row does not
        # name the kind), when the spans carry the traffic columns
        self.kind_status = {kind: kind_status_codes(columns.status, *columns.access[kind])[order]
                            for kind in TRAFFIC_KINDS if kind in columns.access}

    def status_of(self, traffic: str | None) -> np.ndarray:
        """Each interval's status code, crossing-wide or for one kind of traffic."""
        return self.status if traffic is None else self.kind_status[traffic]

    def spans(self, traffic: str | None = None) -> pd.DataFrame:
        """The intervals as spans (crossing_id, status, start_date, end_date, interval_id), for one kind
        of traffic as that kind sees them (rows where it is unknown left out)."""
        codes = self.status_of(traffic)
        keep = codes != UNKNOWN_CODE
        return pd.DataFrame({
            "interval_id": self.interval_id[keep],
            "crossing_id": self.crossing_ids[self.crossing[keep]],
            "status": np.asarray(STATUSES, dtype=object)[codes[keep]],
            "start_date": self.start[keep].astype("datetime64[D]"),
            "end_date": np.where(self.end[keep] == NO_END, np.datetime64("NaT"),
                                 self.end[keep].astype("datetime64[D]")),
        })

    def columns(self, traffic: str | None = None) -> SpanColumns:
        """The spans as columns (what StatusRuns is built from), for one kind of traffic as that kind sees
        them (rows where it is unknown left out); without the kinds' lists."""
        keep = self.status_of(traffic) != UNKNOWN_CODE
        names, crossing = SpanColumns.sorted_names(self.crossing_ids, self.crossing[keep])
        return SpanColumns(self.interval_id[keep], names, crossing, self.status_of(traffic)[keep].astype("int64"),
                           self.start[keep], self.end[keep])

    def runs(self, traffic: str | None = None) -> StatusRuns:
        """The runs crossing-wide, or of one kind of traffic."""
        return StatusRuns(self.columns(traffic))

    def __len__(self) -> int:
        return len(self.start)

    def as_known_by(self, reports: pd.DataFrame, known_by: date) -> IntervalIndex:
        """The intervals as they had been reported by `known_by` (reports: interval_id, reported_on,
        end_reported_on): a row counts only if reported_on <= known_by; its end counts only if end_reported_on
        <= known_by, otherwise it runs on, carried forward, until the next row of its crossing that counts
        (or without end). A row whose report date is not recorded counts under no known_by."""
        found = reports.set_index("interval_id").reindex(self.interval_id)
        reported = day_numbers(found["reported_on"], NO_END)
        end_reported = day_numbers(found["end_reported_on"], NO_END)
        day = day_number(known_by)
        keep = reported <= day
        known = copy.copy(self)
        known.interval_id, known.crossing, known.status = self.interval_id[keep], self.crossing[keep], self.status[keep]
        known.start = self.start[keep]
        known.kind_status = {kind: codes[keep] for kind, codes in self.kind_status.items()}
        end, end_known = self.end[keep], end_reported[keep] <= day
        # rows are in crossing order, then by start: a row's successor is the next one of the same crossing
        same_crossing = np.r_[known.crossing[1:] == known.crossing[:-1], False]
        successor = np.where(same_crossing, np.r_[known.start[1:], NO_END], NO_END)
        known.end = np.where((end == NO_END) | end_known, end, successor)
        return known

    def ends_of(self, interval_ids: Sequence[str]) -> dict[str, date | None]:
        """Each interval's end (None: runs on), as this index holds it."""
        ends = dict(zip(self.interval_id, self.end, strict=True))
        return {i: None if ends[i] == NO_END else from_day_number(int(ends[i])) for i in interval_ids if i in ends}

    def matching(self, window: Window, as_of: date, crossing_ids: Sequence[str], statuses: Sequence[str],
                 traffic: str | None = None) -> np.ndarray:
        """Positions of the intervals of these crossings and statuses (for one kind of traffic: that
        kind's, rows where it is unknown left out) that overlap the window (cut at as-of), in the
        tables' order: the same rows as interval_table."""
        first, stop = window.day_span(as_of)
        mask = (self.start < stop) & (self.end > first)
        mask &= np.isin(self.status_of(traffic), [STATUSES.index(s) for s in statuses if s in STATUSES])
        if len(set(crossing_ids)) < len(self.crossing_ids):
            wanted = np.zeros(len(self.crossing_ids), dtype=bool)
            wanted[[n for n, cid in enumerate(self.crossing_ids) if cid in set(crossing_ids)]] = True
            mask &= wanted[self.crossing]
        return np.flatnonzero(mask)

    def _covering_positions(self, as_of: date) -> np.ndarray:
        """Positions of the intervals whose days include the as-of date (one per crossing at most)."""
        day = day_number(as_of)
        return np.flatnonzero((self.start <= day) & (self.end > day))

    def covering(self, crossing_ids: Sequence[str], as_of: date) -> dict[str, str | None]:
        """The interval covering the as-of date per crossing (its id, or None): the row whose detail and traffic
        lists hold on that day. tests/oracles.py has the plain rule it is held to."""
        hit = self._covering_positions(as_of)
        found = dict(zip(self.crossing_ids[self.crossing[hit]], self.interval_id[hit], strict=True))
        return {cid: found.get(cid) for cid in crossing_ids}

    def traffic_on(self, crossing_ids: Sequence[str], as_of: date) -> dict[str, dict[str, str]]:
        """Each kind of traffic's status on the as-of date per crossing, from the interval covering it
        (every kind unknown where none does)."""
        hit = self._covering_positions(as_of)
        words = np.asarray([*STATUSES, UNKNOWN], dtype=object)
        found = {self.crossing_ids[self.crossing[p]]: {k: words[self.kind_status[k][p]] for k in self.kind_status}
                 for p in hit}
        unknown = dict.fromkeys(TRAFFIC_KINDS, UNKNOWN)
        return {cid: found.get(cid, unknown) for cid in crossing_ids}

    def newest_starts(self, crossing_ids: Sequence[str], today: date, limit: int) -> np.ndarray:
        """Positions of the `limit` intervals of these crossings that started last on or before today."""
        wanted = np.isin(self.crossing_ids, np.asarray(list(crossing_ids), dtype=object))
        found = np.flatnonzero(wanted[self.crossing] & (self.start <= day_number(today)))
        return found[np.argsort(-self.start[found], kind="stable")[:limit]]

    def of_crossings(self, positions: np.ndarray, crossing_ids: Sequence[str]) -> np.ndarray:
        """The positions that belong to these crossings."""
        wanted = np.isin(self.crossing_ids, np.asarray(list(crossing_ids), dtype=object))
        return positions[wanted[self.crossing[positions]]]


UNKNOWN_CODE = len(STATUSES)  # a kind's status where the row does not name it


def kind_status_codes(status: np.ndarray, codes: np.ndarray, lists: np.ndarray) -> np.ndarray:
    """kind_statuses as codes (index into STATUSES, UNKNOWN_CODE), vectorised, from the list each row puts
    the kind in (codes into `lists`, -1 where the row does not name it): a restricted row gives the status
    of the list the kind is in, any other row its own status. Equal to core.traffic's kind_statuses, word
    for word (tests/test_reference.py)."""
    by_list = np.array([[*STATUSES, UNKNOWN].index(ACCESS_STATUS.get(name, UNKNOWN)) for name in lists]
                       + [UNKNOWN_CODE], dtype="int8")  # the last: not named
    named = by_list[codes]  # codes == -1 picks the last entry
    return np.where(status == STATUSES.index("restricted"), named, status).astype("int8")


@dataclass(frozen=True)
class StoreIndexes:
    runs: StatusRuns
    source_dates: SourceDates
    commitments: CommitmentIndex
    intervals: IntervalIndex
    # each kind's runs, built on first use (a dict shared by every session of this store version;
    # two sessions building the same kind at once build the same thing)
    kind_runs: dict[str, StatusRuns] = field(default_factory=dict)

    def runs_for(self, traffic: str | None) -> StatusRuns:
        """The runs crossing-wide, or of one kind of traffic."""
        if traffic is None:
            return self.runs
        if traffic not in self.kind_runs:
            self.kind_runs[traffic] = self.intervals.runs(traffic)
        return self.kind_runs[traffic]


def build_indexes(store: dict[str, pd.DataFrame], spans: SpanColumns, cited: pd.DataFrame) -> StoreIndexes:
    """store: every table but the intervals; spans: the whole store's, with ids and every kind's lists
    (db.queries.interval_spans, or the load's packed copy); cited: db.queries.interval_sources."""
    return StoreIndexes(
        runs=StatusRuns(spans),
        source_dates=SourceDates(cited, store["sources"]),
        commitments=CommitmentIndex(store["agreements"], store["moratoria"], store["crossings"], store["sources"]),
        intervals=IntervalIndex(spans, store["crossings"]),
    )
