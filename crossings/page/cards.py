"""What a status card says about one crossing: its sides, status, closures and commitments.

Pure: DataFrames and dates in, plain values out. The numbers come from crossings.core, so a
card, the `status` command and the summary CSV can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pandas as pd

from crossings.core.borders import COUNTRY_NAMES, country_name
from crossings.core.commitments import Commitment, CommitmentIndex
from crossings.core.days import (
    StatusRuns,
    Window,
    covering_intervals,
    current_from_runs,
    days_text,
    last_closures_from_runs,
    summary_from_runs,
)
from crossings.core.records import UNKNOWN
from crossings.core.sources import SourceDates, carried_forward_days, is_stale
from crossings.core.traffic import access_by_kind, for_traffic, traffic_statuses, with_access

__all__ = [
    "BORDER_WIDE_LISTED",
    "COUNTRY_NAMES",
    "Card",
    "border_wide",
    "closure_text",
    "counted",
    "coverage_text",
    "crossing_cards",
    "currency_text",
    "places_text",
    "sides_text",
    "soonest_first",
    "urgency_order",
]


def coverage_text(crossings: pd.DataFrame) -> str:
    """Which borders the data covers, from the crossings themselves: 'Afghanistan and Pakistan', or
    'Afghanistan and its neighbours Iran, Pakistan and Tajikistan' when one country is on every crossing."""
    pairs = list(zip(crossings["country_a"], crossings["country_b"], strict=True))
    if not pairs:
        return "no border yet"
    countries = list(dict.fromkeys(code for pair in pairs for code in pair))
    common = [c for c in countries if all(c in pair for pair in pairs)]
    name = country_name
    if common:
        others = sorted(name(c) for c in countries if c != common[0])
        if len(others) == 1:
            return f"{name(common[0])} and {others[0]}"
        return f"{name(common[0])} and its neighbours {', '.join(others[:-1])} and {others[-1]}"
    names = sorted(name(c) for c in countries)
    return ", ".join(names[:-1]) + f" and {names[-1]}"


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


def soonest_first(items: list[Commitment]) -> list[Commitment]:
    """In force first, by nearest end (what a convoy planner needs first), then the rest."""
    return sorted(items, key=lambda c: (c.state != "in force", c.days_left is None, c.days_left or 0))


# A whole border's agreements and moratoria listed above the cards, soonest end first; the table lists them all.
BORDER_WIDE_LISTED = 10


def border_wide(index: CommitmentIndex, as_of: date, crossing_ids: Sequence[str]) -> list[Commitment]:
    """The agreements and moratoria naming no crossing (a whole border's) that stand on the as-of date and
    cover one of these crossings, soonest end first."""
    return soonest_first(index.standing_on(as_of, list(crossing_ids), whole_border_only=True))


def currency_text(newest: date | None, as_of: date) -> str:
    """How current the record is: 'Newest report 2026-04-08, 234 days before the as-of date'."""
    if newest is None:
        return "No dated report on or before the as-of date."
    gap = (as_of - newest).days
    return (f"Newest report {newest}, " + ("the as-of date." if gap == 0 else f"{days_text(gap)} before the as-of "
                                          "date."))


def counted(count: int, noun: str) -> str:
    """'1 closure', '4 closures', '1 closed day', '26 closed days'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


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
    # each kind of traffic's status on the as-of date, from the interval covering it
    traffic: dict[str, str] = field(default_factory=dict)
    # the kind the status, since, days and closures are for (None: the crossing as a whole)
    kind: str | None = None
    # days from the newest report to the as-of date (core.sources.carried_forward_days)
    carried_forward: int | None = None

    @property
    def report_text(self) -> str:
        """Where the status rests on a report: 'last reported 2026-02-27; carried forward 274 days'."""
        if self.newest_source is None:
            return "no dated report"
        if self.status == UNKNOWN or self.carried_forward is None:
            return f"last reported {self.newest_source}"
        if self.carried_forward == 0:
            return f"last reported {self.newest_source}, the as-of date"
        return f"last reported {self.newest_source}; carried forward {days_text(self.carried_forward)}"

    @property
    def status_text(self) -> str:
        subject = f"{self.kind}: " if self.kind else ""
        if self.status == UNKNOWN:
            return subject + ("unknown: no report on this kind of traffic covers this date" if self.kind
                              else "unknown: no report covers this date")
        return f"{subject}{self.status} since {self.since} ({days_text(self.days)})"


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
    covering: dict[str, str | None] | None = None,
    traffic: str | None = None,
    source_dates: SourceDates | None = None,
    commitment_index: CommitmentIndex | None = None,
    summary: pd.DataFrame | None = None,
    newest: dict[str, date | None] | None = None,
    border_wide_apart: bool = False,
) -> list[Card]:
    """One card per crossing of `crossings`, in their order.

    A card lists the agreements and moratoria covering the crossing that are in force on the
    as-of date, and those that expired within RECENTLY_EXPIRED_DAYS before it. `intervals`
    needs only the rows of the intervals current on the as-of date (for their detail, cause and
    traffic lists) when `runs` and `source_dates`, built once per store version, are given. `summary`
    (summary_table for the same window and as-of date) and `newest` may cover more crossings.

    With a kind of traffic, `runs` are that kind's runs (status, since, days and closures are the
    kind's). `covering` names the interval covering the as-of date per crossing (its detail, cause
    and traffic lists are shown); without it, it is found in `intervals`. With `border_wide_apart`, a
    card lists only the commitments that name its crossing (the page shows the border-wide ones once).
    """
    ids = list(crossings["crossing_id"])
    if runs is None:
        runs = StatusRuns(for_traffic(with_access(intervals), traffic))
    covering = covering if covering is not None else covering_intervals(intervals, ids, as_of)
    cut = runs.at(as_of, ids)  # once for these crossings; every number below comes from it
    # The page passes the summary and newest source dates it has already computed for more crossings.
    summary = summary if summary is not None else summary_from_runs(crossings, cut, window, as_of)
    # plain dicts per crossing: 50 cards would spend more on pandas lookups than on the numbers
    counted = {row["crossing_id"]: row for row in summary[["crossing_id", "closures", "closed_days"]]
               .to_dict("records")}
    now = {row["crossing_id"]: row for row in current_from_runs(cut, ids, as_of).to_dict("records")}
    texts = ({row["interval_id"]: row for row in intervals.to_dict("records")} if not intervals.empty else {})
    closures = {row["crossing_id"]: row for row in last_closures_from_runs(cut).to_dict("records")}
    if newest is None:
        newest = (source_dates or SourceDates.of_intervals(intervals, sources)).newest(ids, as_of)
    standing = (commitment_index or CommitmentIndex(agreements, moratoria, crossings)).standing_on(as_of, ids)
    by_crossing: dict[str, list[Commitment]] = {}
    for item in standing:
        if item.crossing_ids or not border_wide_apart:  # a whole border's row is shown apart, once, if asked
            for cid in item.covered:
                by_crossing.setdefault(cid, []).append(item)
    cards = []
    for crossing in crossings.to_dict("records"):
        cid = crossing["crossing_id"]
        status = now[cid]
        interval_id = covering.get(cid)
        interval = texts.get(interval_id) if interval_id is not None else None
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
            carried_forward=carried_forward_days(source_day, as_of),
            commitments=soonest_first(by_crossing.get(cid, [])),
            traffic=traffic_statuses(None if interval is None else interval["status"],
                                     {} if interval is None else access_by_kind(interval)),
            kind=traffic,
        ))
    return cards
