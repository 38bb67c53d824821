"""What only tests need: plain implementations of the rules the product computes a faster way (each the rule
as the README states it, over whole DataFrames, so that a test can hold the product's path to it), answers
built from the product's public pieces, and helpers the product never calls."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from crossings.core.borders import border_of
from crossings.core.commitments import CommitmentIndex
from crossings.core.days import (
    NO_END,
    StatusRuns,
    Window,
    current_from_runs,
    day_number,
    day_numbers,
    from_day_number,
    last_closures_from_runs,
    summary_from_runs,
    summary_table,
)
from crossings.core.records import STATUSES, TRAFFIC_KINDS, UNKNOWN
from crossings.core.sources import SourceDates, carried_forward_days, is_stale
from crossings.core.traffic import access_by_kind, for_traffic, kind_status, with_access
from crossings.view.cards import Card, soonest_first
from crossings.view.words import closure_text, places_text, sides_text

# the load-time blob's own format: frames packed here must read back as the load's blob does
from db.load_time_spans import _category, pack_text, save_arrays
from db.models import Base


def status_runs(intervals: pd.DataFrame, as_of: date, crossing_ids: list[str] | None = None) -> pd.DataFrame:
    """Runs of one status per crossing, cut at the as-of date (StatusRuns.at), with start_date and end_date
    (exclusive; the day after the as-of date when the run still goes on then) as dates."""
    runs = StatusRuns(intervals).at(as_of, crossing_ids)
    return runs.assign(start_date=[from_day_number(n) for n in runs["start"]],
                       end_date=[from_day_number(n) for n in runs["end"]])


def no_reports() -> SourceDates:
    """No dated report at all: for summaries whose carried_days a test does not look at (every known day
    is then carried forward)."""
    return SourceDates(pd.DataFrame({"crossing_id": [], "source_id": []}, dtype=object),
                       pd.DataFrame({"source_id": [], "published_on": []}, dtype=object))


def days_by_status(intervals: pd.DataFrame, crossing_ids: list[str], window: Window, as_of: date) -> pd.DataFrame:
    """Days per status in the window up to the as-of date, one row per crossing (indexed by crossing_id):
    columns open, closed, restricted and unknown, as the summary table counts them."""
    crossings = pd.DataFrame({"crossing_id": crossing_ids, "name": crossing_ids}, dtype=object)
    table = summary_table(crossings, intervals, window, as_of, no_reports()).set_index("crossing_id")
    return pd.DataFrame({status: table[f"{status}_days"] for status in (*STATUSES, UNKNOWN)})


def last_closures(intervals: pd.DataFrame, as_of: date, crossing_ids: list[str] | None = None) -> pd.DataFrame:
    """The latest closed run of each crossing that began on or before the as-of date."""
    return last_closures_from_runs(StatusRuns(intervals).at(as_of, crossing_ids))


def newest_source_dates(intervals: pd.DataFrame, sources: pd.DataFrame, crossing_ids: list[str], as_of: date
                        ) -> dict[str, date | None]:
    """The newest publication date among the sources of each crossing's status intervals,
    counting only sources published on or before the as-of date."""
    return SourceDates.of_intervals(intervals, sources).newest(crossing_ids, as_of)


def coverage(crossings: pd.DataFrame, intervals: pd.DataFrame, reports: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                                             pd.DataFrame]:
    """What the record covers, per crossing and per border: intervals, and the first and newest dated
    report (the publication dates of the sources its intervals cite; `reports` has crossing_id and date,
    as SourceDates.reports with `day` read as a date). Crossings in file order, borders by name."""
    counts = intervals.groupby("crossing_id").size() if len(intervals) else pd.Series(dtype="int64")
    dates = reports.groupby("crossing_id")["date"] if len(reports) else None
    first = dates.min() if dates is not None else pd.Series(dtype=object)
    newest = dates.max() if dates is not None else pd.Series(dtype=object)
    rows = [{"border": border_of(c), "crossing_id": c["crossing_id"], "crossing": c["name"],
             "intervals": int(counts.get(c["crossing_id"], 0)), "first_report": first.get(c["crossing_id"]),
             "newest_report": newest.get(c["crossing_id"])} for c in crossings.to_dict("records")]
    per_crossing = pd.DataFrame(rows, columns=["border", "crossing_id", "crossing", "intervals", "first_report",
                                               "newest_report"], dtype=object)
    per_border = pd.DataFrame([{
        "border": border, "crossings": len(group), "intervals": int(group["intervals"].sum()),
        "first_report": min((d for d in group["first_report"] if d is not None), default=None),
        "newest_report": max((d for d in group["newest_report"] if d is not None), default=None),
    } for border, group in per_crossing.groupby("border", sort=True)],
        columns=["border", "crossings", "intervals", "first_report", "newest_report"], dtype=object)
    return per_crossing, per_border


def pack_stored_spans(spans: pd.DataFrame, cited: pd.DataFrame) -> bytes:
    """A load-time blob packed from frames: spans as interval_spans(traffic=TRAFFIC_KINDS) gives them, and
    cited as interval_sources does (what SpanCollector.load_time_blob packs from the rows it writes)."""
    arrays: dict[str, np.ndarray] = {
        "interval_id": pack_text(list(spans["interval_id"])), "count": np.array([len(spans)]),
        "start_date": spans["start_date"].to_numpy(dtype="datetime64[D]").astype("int64"),
        "end_date": spans["end_date"].to_numpy(dtype="datetime64[D]").astype("int64"),
    }
    for name in ("crossing_id", "status", *TRAFFIC_KINDS):
        arrays[f"{name}.codes"], arrays[f"{name}.values"], arrays[f"{name}.count"] = _category(spans[name])
    for name in ("crossing_id", "source_id"):
        arrays[f"cited.{name}.codes"], arrays[f"cited.{name}.values"], arrays[f"cited.{name}.count"] = \
            _category(cited[name])
    return save_arrays(arrays)


def table_checksums(connection: Connection) -> dict[str, str]:
    """A SHA-256 of every table's full content (all columns, rows in a fixed order).

    Two stores with equal checksums hold the same content; used to prove that a rejected
    load changed nothing.
    """
    sums = {}
    for name, stored in sorted(Base.metadata.tables.items()):
        digest = hashlib.sha256()
        columns = list(stored.columns)
        for row in connection.execute(select(*columns).order_by(*columns)):
            digest.update(repr(tuple(row)).encode())
        sums[name] = digest.hexdigest()
    return sums


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
    return set(rows["interval_id"][pd.Series(keep, index=rows.index, dtype=bool)])


def plain_cards(store: dict[str, pd.DataFrame], window: Window, as_of: date, traffic: str | None = None
                ) -> list[Card]:
    """Every crossing's card from the whole store, row by row (no indexes, no packed reads)."""
    crossings, intervals = store["crossings"], store["status_intervals"]
    ids = list(crossings["crossing_id"])
    cut = StatusRuns(for_traffic(with_access(intervals), traffic)).at(as_of, ids)
    summary = summary_from_runs(crossings, cut, window, as_of,
                                SourceDates.of_intervals(intervals, store["sources"])).set_index("crossing_id")
    now = current_from_runs(cut, ids, as_of).set_index("crossing_id")
    closures = last_closures_from_runs(cut).set_index("crossing_id")
    covering = covering_intervals(intervals, ids, as_of)
    rows = intervals.set_index("interval_id")
    newest = SourceDates.of_intervals(intervals, store["sources"]).newest(ids, as_of)
    standing = CommitmentIndex(store["agreements"], store["moratoria"], crossings, store["sources"]).standing_on(
        as_of, ids)
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
