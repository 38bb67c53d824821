"""Plain implementations of the rules the product computes a faster way, written for the tests only: each is
the rule as the README states it, over whole DataFrames, so that a test can hold the product's path to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from crossings.core.commitments import CommitmentIndex
from crossings.core.days import (
    NO_END,
    StatusRuns,
    Window,
    current_from_runs,
    day_number,
    day_numbers,
    last_closures_from_runs,
    summary_from_runs,
)
from crossings.core.records import TRAFFIC_KINDS
from crossings.core.sources import SourceDates, carried_forward_days, is_stale
from crossings.core.traffic import access_by_kind, for_traffic, kind_status, with_access
from crossings.view.cards import Card, soonest_first
from crossings.view.words import closure_text, places_text, sides_text


def covering_intervals(intervals: pd.DataFrame, crossing_ids: Sequence[str], as_of: date) -> dict[str, str | None]:
    """The interval covering the as-of date per crossing: start <= as_of < end (an empty end runs on)."""
    day = day_number(as_of)
    start = day_numbers(intervals["start_date"], NO_END)
    end = day_numbers(intervals["end_date"], NO_END)
    hit = intervals[(start <= day) & (end > day)]
    found = dict(zip(hit["crossing_id"], hit["interval_id"], strict=True))
    return {cid: found.get(cid) for cid in crossing_ids}


def traffic_statuses(status: str | None, access: Mapping[str, str | None]) -> dict[str, str]:
    """Every kind's status under one interval (or under none: status None), kind by kind."""
    return {kind: kind_status(status, access.get(kind)) for kind in TRAFFIC_KINDS}


def matching_ids(intervals: pd.DataFrame, window: Window, as_of: date, crossing_ids: Sequence[str],
                 statuses: Sequence[str], traffic: str | None = None) -> set[str]:
    """The interval rows a filter shows: of these crossings and statuses (a kind's status, rows not naming
    the kind left out), overlapping the window cut at the as-of date."""
    rows = intervals if traffic is None else for_traffic(with_access(intervals), traffic)
    last = window.through(as_of)
    keep = [(s <= last) and (e is None or e > window.start) and status in statuses and cid in set(crossing_ids)
            for s, e, status, cid in zip(rows["start_date"], rows["end_date"], rows["status"], rows["crossing_id"],
                                         strict=True)]
    return set(rows[keep]["interval_id"])


def plain_cards(store: dict[str, pd.DataFrame], window: Window, as_of: date, traffic: str | None = None
                ) -> list[Card]:
    """Every crossing's card from the whole store, row by row (no indexes, no packed reads)."""
    crossings, intervals = store["crossings"], store["status_intervals"]
    ids = list(crossings["crossing_id"])
    cut = StatusRuns(for_traffic(with_access(intervals), traffic)).at(as_of, ids)
    summary = summary_from_runs(crossings, cut, window, as_of).set_index("crossing_id")
    now = current_from_runs(cut, ids, as_of).set_index("crossing_id")
    closures = last_closures_from_runs(cut).set_index("crossing_id")
    covering = covering_intervals(intervals, ids, as_of)
    rows = intervals.set_index("interval_id")
    newest = SourceDates.of_intervals(intervals, store["sources"]).newest(ids, as_of)
    standing = CommitmentIndex(store["agreements"], store["moratoria"], crossings).standing_on(as_of, ids)
    cards = []
    for crossing in crossings.to_dict("records"):
        cid = crossing["crossing_id"]
        row = rows.loc[covering[cid]] if covering[cid] is not None else None
        cards.append(Card(
            crossing_id=cid, name=crossing["name"], status=now.loc[cid, "status"], since=now.loc[cid, "since"],
            days=int(now.loc[cid, "days"]), detail=None if row is None else row["detail"],
            cause=None if row is None else row["cause"],
            kind_statuses=traffic_statuses(None if row is None else row["status"],
                                           {} if row is None else access_by_kind(row)),
            kind=traffic, newest_source=newest[cid], stale=is_stale(newest[cid], as_of),
            carried_forward=carried_forward_days(newest[cid], as_of),
            sides=sides_text(crossing), places=places_text(crossing),
            closures=int(summary.loc[cid, "closures"]), closed_days=int(summary.loc[cid, "closed_days"]),
            last_closure=closure_text(closures.loc[cid].to_dict()) if cid in closures.index else None,
            commitments=soonest_first([c for c in standing if cid in c.covered]),
        ))
    return cards
