"""What a status card says about one crossing, and where agreements and moratoria stand.

Pure: DataFrames and dates in, plain values out. The numbers come from crossings.days,
so a card, the `status` command and the summary CSV can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from crossings.days import (
    StatusRuns,
    Window,
    current_from_runs,
    day_number,
    from_day_number,
    last_closures_from_runs,
    summary_from_runs,
)
from crossings.records import UNKNOWN

__all__ = [
    "STALE_AFTER_DAYS",
    "Card",
    "Commitment",
    "CommitmentIndex",
    "SourceDates",
    "closure_text",
    "commitments",
    "covers",
    "crossing_cards",
    "days_text",
    "is_stale",
    "newest_source_dates",
    "places_text",
    "sides_text",
    "urgency_order",
]

# A status whose newest source is older than this is marked stale: a month without a
# report is long for a crossing that changes with the news.
STALE_AFTER_DAYS = 30
# A card keeps an expired agreement for this long, so that "expired 2025-04-15" is seen
# in the days after; older ones are in the agreements table only.
RECENTLY_EXPIRED_DAYS = 30


def days_text(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def sides_text(crossing: Mapping[str, Any]) -> str:
    """Both sides' names, e.g. 'Chaman / Spin Boldak'; one name when both sides share it."""
    a, b = crossing["side_a_name"], crossing["side_b_name"]
    return a if a == b else f"{a} / {b}"


def places_text(crossing: Mapping[str, Any]) -> str:
    """Each side with its country and region, e.g. 'PK: Chaman (Balochistan) · AF: Spin Boldak (Kandahar)'."""
    sides = []
    for side in ("a", "b"):
        region = crossing[f"side_{side}_region"]
        sides.append(f"{crossing[f'country_{side}']}: {crossing[f'side_{side}_name']}"
                     + (f" ({region})" if region else ""))
    return " · ".join(sides)


def covers(crossing_ids: list[str], crossing_id: str) -> bool:
    """An empty list of crossings means the whole border."""
    return not crossing_ids or crossing_id in crossing_ids


@dataclass(frozen=True)
class Commitment:
    """An agreement or a moratorium as it stands on the as-of date."""

    table: str  # "agreements" or "moratoria"
    item_id: str
    label: str  # the agreement's kind, or "moratorium"
    title: str
    crossing_ids: list[str]
    start: date | None
    until: date | None
    state: str  # "in force", "expired", "not yet in force", "start not reported"
    days_left: int | None
    text: str
    source_ids: list[str] = field(default_factory=list)


def _commitment_state(start: date | None, until: date | None, as_of: date) -> tuple[str, int | None]:
    if until is not None and until < as_of:
        return "expired", None
    if start is None:
        return "start not reported", None
    if start > as_of:
        return "not yet in force", None
    return "in force", None if until is None else (until - as_of).days


def _commitment_text(label: str, state: str, start: date | None, until: date | None,
                     days_left: int | None) -> str:
    if state == "expired":
        return f"{label} expired {until}"
    if state == "not yet in force":
        return f"{label} in force from {start}"
    if state == "start not reported":
        return f"{label}, start not reported" + (f", until {until}" if until else "")
    if until is None:
        return f"{label} in force since {start}, no end date"
    if days_left == 0:
        return f"{label} in force until {until}, last day"
    return f"{label} in force until {until}, {days_text(days_left or 0)} left"


class CommitmentIndex:
    """Agreements and moratoria as arrays, built once per store version, so that finding
    those in force on a date is a vectorised filter rather than a loop over every row."""

    def __init__(self, agreements: pd.DataFrame, moratoria: pd.DataFrame) -> None:
        starts = [a if a is not None else b for a, b in zip(agreements["effective_from"], agreements["signed_on"],
                                                            strict=True)]
        self.frame = pd.DataFrame({
            "table": ["agreements"] * len(agreements) + ["moratoria"] * len(moratoria),
            "item_id": [*agreements["agreement_id"], *moratoria["moratorium_id"]],
            "label": [*agreements["kind"], *(["moratorium"] * len(moratoria))],
            "title": [*agreements["title"], *moratoria["subject"]],
            "crossing_ids": [*agreements["crossing_ids"], *moratoria["crossing_ids"]],
            "start": [*starts, *moratoria["start_date"]],
            "until": [*agreements["valid_until"], *moratoria["valid_until"]],
            "source_ids": [*agreements["source_ids"], *moratoria["source_ids"]],
        }, dtype=object)
        self.start_day = np.array([day_number(d) if d is not None else _NEVER for d in self.frame["start"]],
                                  dtype="int64")
        self.until_day = np.array([day_number(d) if d is not None else _FOREVER for d in self.frame["until"]],
                                  dtype="int64")
        # which rows cover each crossing; a row naming no crossing covers the whole border
        covering: dict[str, list[int]] = {}
        for row, ids in enumerate(self.frame["crossing_ids"]):
            for cid in ids:
                covering.setdefault(cid, []).append(row)
        self._covering = {cid: np.array(rows, dtype="int64") for cid, rows in covering.items()}
        self._whole_border = np.array([row for row, ids in enumerate(self.frame["crossing_ids"]) if not ids],
                                      dtype="int64")

    def select(self, mask: np.ndarray, as_of: date, limit: int | None = None) -> list[Commitment]:
        found = []
        for row in self.frame[mask].head(limit).itertuples(index=False):
            state, left = _commitment_state(row.start, row.until, as_of)
            found.append(Commitment(row.table, row.item_id, row.label, row.title, list(row.crossing_ids),
                                    row.start, row.until, state, left,
                                    _commitment_text(row.label, state, row.start, row.until, left),
                                    list(row.source_ids)))
        return found

    def all_on(self, as_of: date) -> list[Commitment]:
        return self.select(np.ones(len(self.frame), dtype=bool), as_of)

    def standing_on(self, as_of: date, crossing_ids: list[str] | None = None) -> list[Commitment]:
        """In force on the as-of date, or expired within RECENTLY_EXPIRED_DAYS before it; with
        crossing_ids, only those covering one of these crossings or the whole border."""
        day = day_number(as_of)
        in_force = (self.start_day <= day) & (self.until_day >= day) & (self.start_day != _NEVER)
        recently = (self.until_day < day) & (self.until_day >= day - RECENTLY_EXPIRED_DAYS)
        mask = in_force | recently
        if crossing_ids is not None:
            near = np.zeros(len(self.frame), dtype=bool)
            near[self._whole_border] = True
            for cid in crossing_ids:
                near[self._covering.get(cid, self._whole_border[:0])] = True
            mask &= near
        return self.select(mask, as_of)

    def overlapping(self, window: Window, as_of: date, limit: int | None = None) -> list[Commitment]:
        """Valid at some point of the window (up to as-of), the first `limit` in file order; a start
        no source gives counts as any time."""
        last = day_number(min(window.end, as_of))
        mask = ((self.start_day <= last) | (self.start_day == _NEVER)) & (self.until_day >= day_number(window.start))
        return self.select(mask, as_of, limit)


_NEVER = np.iinfo("int64").min // 2  # no start reported
_FOREVER = np.iinfo("int64").max // 2  # no end: open-ended


def commitments(agreements: pd.DataFrame, moratoria: pd.DataFrame, as_of: date) -> list[Commitment]:
    """Every agreement and moratorium with its state and countdown on the as-of date.

    valid_until is the last day in force, so days left = valid_until - as_of.
    """
    return CommitmentIndex(agreements, moratoria).all_on(as_of)


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
        pairs = pd.DataFrame({"crossing_id": cited["crossing_id"].to_numpy(dtype=object),
                              "day": days.to_numpy(dtype=float)}).dropna().drop_duplicates()
        pairs = pairs.sort_values(["crossing_id", "day"], kind="stable")
        self.crossing_id = pairs["crossing_id"].to_numpy(dtype=object)
        self.day = pairs["day"].to_numpy(dtype="int64")

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


def newest_source_dates(
    intervals: pd.DataFrame, sources: pd.DataFrame, crossing_ids: list[str], as_of: date
) -> dict[str, date | None]:
    """The newest publication date among the sources of each crossing's status intervals,
    counting only sources published on or before the as-of date."""
    return SourceDates.of_intervals(intervals, sources).newest(crossing_ids, as_of)


def is_stale(newest: date | None, as_of: date) -> bool:
    return newest is None or (as_of - newest).days > STALE_AFTER_DAYS


def urgency_order(crossing_ids: list[str], statuses: list[str], newest: dict[str, date | None], as_of: date
                  ) -> list[str]:
    """Crossings in the order a reader needs them: closed, then restricted, then stale, then the rest
    (each group in the given order)."""
    def rank(item: tuple[str, str]) -> int:
        cid, status = item
        if status == "closed":
            return 0
        if status == "restricted":
            return 1
        return 2 if is_stale(newest.get(cid), as_of) else 3

    return [cid for cid, _ in sorted(zip(crossing_ids, statuses, strict=True), key=rank)]


def closure_text(run: Mapping[str, Any]) -> str:
    """The last closure in words, with the closing and reopening dates beside the count."""
    if run["ongoing"]:
        return f"closed since {run['start_date']} ({days_text(run['days'])} so far)"
    if run["followed"]:
        return f"closed {run['start_date']}, reopened {run['end_date']} ({days_text(run['days'])})"
    last_day = run["end_date"] - timedelta(days=1)
    return (f"closed {run['start_date']}, last reported closed {last_day} "
            f"({days_text(run['days'])} on record; reopening not reported)")


@dataclass(frozen=True)
class Card:
    """Everything a status card shows about one crossing."""

    crossing_id: str
    name: str
    sides: str
    places: str
    status: str
    detail: str | None
    cause: str | None
    since: date | None
    days: int
    closures: int
    closed_days: int
    last_closure: str | None
    newest_source: date | None
    stale: bool
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def status_text(self) -> str:
        if self.status == UNKNOWN:
            return "unknown: no report covers this date"
        return f"{self.status} since {self.since} ({days_text(self.days)})"


def crossing_cards(
    crossings: pd.DataFrame,
    intervals: pd.DataFrame,
    agreements: pd.DataFrame,
    moratoria: pd.DataFrame,
    sources: pd.DataFrame,
    window: Window,
    as_of: date,
    *,
    runs: StatusRuns | None = None,
    source_dates: SourceDates | None = None,
    commitment_index: CommitmentIndex | None = None,
    summary: pd.DataFrame | None = None,
    newest: dict[str, date | None] | None = None,
) -> list[Card]:
    """One card per crossing of `crossings`, in their order.

    A card lists the agreements and moratoria covering the crossing that are in force on the
    as-of date, and those that expired within RECENTLY_EXPIRED_DAYS before it. `intervals`
    needs only the rows of the intervals current on the as-of date (for their detail and
    cause) when `runs` and `source_dates`, built once per store version, are given. `summary`
    (summary_table for the same window and as-of date) and `newest` may cover more crossings.
    """
    ids = list(crossings["crossing_id"])
    runs = runs if runs is not None else StatusRuns(intervals)
    cut = runs.at(as_of, ids)  # once for these crossings; every number below comes from it
    # The page passes the summary and newest source dates it has already computed for more crossings.
    summary = summary if summary is not None else summary_from_runs(crossings, cut, window, as_of)
    # plain dicts per crossing: 50 cards would spend more on pandas lookups than on the numbers
    counted = {row["crossing_id"]: row for row in summary[["crossing_id", "closures", "closed_days"]]
               .to_dict("records")}
    now = {row["crossing_id"]: row for row in current_from_runs(cut, ids, as_of).to_dict("records")}
    texts = ({row["interval_id"]: row for row in intervals[["interval_id", "detail", "cause"]].to_dict("records")}
             if not intervals.empty else {})
    closures = {row["crossing_id"]: row for row in last_closures_from_runs(cut).to_dict("records")}
    if newest is None:
        newest = (source_dates or SourceDates.of_intervals(intervals, sources)).newest(ids, as_of)
    standing = (commitment_index or CommitmentIndex(agreements, moratoria)).standing_on(as_of, ids)
    whole_border = [c for c in standing if not c.crossing_ids]
    by_crossing: dict[str, list[Commitment]] = {}
    for item in standing:
        for cid in item.crossing_ids:
            by_crossing.setdefault(cid, []).append(item)
    cards = []
    for crossing in crossings.to_dict("records"):
        cid = crossing["crossing_id"]
        status = now[cid]
        interval = texts.get(status["interval_id"]) if status["interval_id"] is not None else None
        source_day = newest[cid]
        cards.append(Card(
            crossing_id=cid,
            name=crossing["name"],
            sides=sides_text(crossing),
            places=places_text(crossing),
            status=status["status"],
            detail=None if interval is None else interval["detail"],
            cause=None if interval is None else interval["cause"],
            since=status["since"],
            days=int(status["days"]),
            closures=int(counted[cid]["closures"]),
            closed_days=int(counted[cid]["closed_days"]),
            last_closure=closure_text(closures[cid]) if cid in closures else None,
            newest_source=source_day,
            stale=is_stale(source_day, as_of),
            commitments=[*by_crossing.get(cid, []), *whole_border],
        ))
    return cards
