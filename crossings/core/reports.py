"""Recording one report in the curated tables: a crossing, a day, what the report says (status and kinds) and
its source. The running interval is ended and a new one started, or, when the report says nothing changed, the
current one is confirmed (or extended to the day after the report). Pure: frames in, frames out; the caller
checks the result with the loader's rules before writing anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from crossings.core.records import ACCESS_LISTS, STATUSES, TRAFFIC_KINDS

__all__ = ["Report", "ReportRefused", "ReportSource", "record_report"]


class ReportRefused(Exception):
    """The report cannot be recorded as given; the message says why in one line."""


@dataclass(frozen=True)
class ReportSource:
    source_id: str
    title: str
    published_on: date
    publisher: str | None = None
    url: str | None = None
    quote: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Report:
    crossing_id: str
    day: date  # the day the report says the status holds (a change: its first day)
    status: str
    source: ReportSource
    lists: dict[str, list[str]] = field(default_factory=dict)  # moves, limited, barred
    detail: str | None = None
    cause: str | None = None
    notes: str | None = None


def record_report(tables: dict[str, pd.DataFrame], report: Report, today: date) -> tuple[dict[str, pd.DataFrame],
                                                                                       str]:
    """The tables with the report recorded, and what was done in words; ReportRefused when it cannot be."""
    _check(tables, report, today)
    tables = {name: frame.copy() for name, frame in tables.items()}
    tables["sources"], source_action = _with_source(tables["sources"], report.source)
    intervals = tables["status_intervals"]
    mine = intervals[intervals["crossing_id"] == report.crossing_id].sort_values("start_date")
    later = mine[mine["start_date"] > report.day]
    begun = mine[mine["start_date"] <= report.day]
    last = begun.iloc[-1] if len(begun) else None
    covering = last if last is not None and (last["end_date"] is None or last["end_date"] > report.day) else None
    sid = report.source.source_id
    if last is not None and _says_the_same(last, report) and (covering is not None or later.empty):
        position = last.name
        intervals.at[position, "source_ids"] = _with(last["source_ids"], sid)
        if covering is not None:
            action = f"confirmed {last['interval_id']}"
        else:  # the status is reported again after its last confirmation: it runs to the day after this report
            intervals.at[position, "end_date"] = report.day + timedelta(days=1)
            intervals.at[position, "end_reported_on"] = max(report.source.published_on, last["reported_on"]
                                                            or report.source.published_on)
            action = f"extended {last['interval_id']} to {report.day + timedelta(days=1)} (end not reported)"
        tables["status_intervals"] = intervals
        return tables, f"{source_action}; {action}"
    if not later.empty:
        first = later.iloc[0]
        raise ReportRefused(f"a new status from {report.day} would overlap {first['interval_id']}, which starts "
                            f"{first['start_date']}: record the report by editing the rows instead")
    action = ""
    if covering is not None:
        if covering["end_date"] is not None:
            raise ReportRefused(f"{report.day} falls inside {covering['interval_id']} ({covering['start_date']} to "
                                f"{covering['end_date']}): record the report by editing the rows instead")
        intervals.at[covering.name, "end_date"] = report.day
        intervals.at[covering.name, "end_reported_on"] = report.source.published_on
        action = f"ended {covering['interval_id']} on {report.day}; "
    new_id = _free_id(set(intervals["interval_id"]), f"{report.crossing_id}-{report.day.isoformat()}")
    row = {"interval_id": new_id, "crossing_id": report.crossing_id, "status": report.status,
           "start_date": report.day, "end_date": None, "reported_on": report.source.published_on,
           "end_reported_on": None,
           **{name: [k for k in TRAFFIC_KINDS if k in report.lists.get(name, [])] for name in ACCESS_LISTS},
           "detail": report.detail, "cause": report.cause, "source_ids": [sid], "notes": report.notes}
    tables["status_intervals"] = _insert_after(intervals, row, mine)
    return tables, f"{source_action}; {action}started {new_id}"


def _check(tables: dict[str, pd.DataFrame], report: Report, today: date) -> None:
    known = list(tables["crossings"]["crossing_id"])
    if report.crossing_id not in known:
        raise ReportRefused(f"unknown crossing {report.crossing_id!r}; known: {', '.join(known)}")
    if report.status not in STATUSES:
        raise ReportRefused(f"status {report.status!r}: one of {', '.join(STATUSES)}")
    for name in ACCESS_LISTS:
        strange = [k for k in report.lists.get(name, []) if k not in TRAFFIC_KINDS]
        if strange:
            raise ReportRefused(f"--{name} {strange[0]!r} is not a kind of traffic: {', '.join(TRAFFIC_KINDS)}")
    if report.day > today:
        raise ReportRefused(f"--on {report.day} is in the future (today is {today})")
    if report.source.published_on > today:
        raise ReportRefused(f"--published-on {report.source.published_on} is in the future (today is {today})")


def _with_source(sources: pd.DataFrame, source: ReportSource) -> tuple[pd.DataFrame, str]:
    row = {"source_id": source.source_id, "publisher": source.publisher, "title": source.title,
           "published_on": source.published_on, "url": source.url, "quote": source.quote, "notes": source.notes}
    found = sources[sources["source_id"] == source.source_id]
    if len(found):
        existing = found.iloc[0]
        differing = [k for k in ("publisher", "title", "published_on", "url") if row[k] is not None
                     and existing[k] != row[k]]
        if differing:
            raise ReportRefused(f"source {source.source_id!r} exists with another {differing[0]}: give a new id, "
                                "or the same details")
        return sources, f"cited source {source.source_id}"
    added = pd.concat([sources, pd.DataFrame([row], dtype=object)], ignore_index=True)
    return added, f"added source {source.source_id}"


def _says_the_same(row: pd.Series, report: Report) -> bool:
    return row["status"] == report.status and all(
        list(row[name]) == [k for k in TRAFFIC_KINDS if k in report.lists.get(name, [])] for name in ACCESS_LISTS)


def _with(ids: list[str], new: str) -> list[str]:
    return list(ids) if new in ids else [*ids, new]


def _free_id(taken: set[str], wanted: str) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def _insert_after(intervals: pd.DataFrame, row: dict, mine: pd.DataFrame) -> pd.DataFrame:
    """The new row after the crossing's last row (file order groups a crossing's rows), else at the end."""
    new = pd.DataFrame([row], dtype=object)
    if mine.empty:
        return pd.concat([intervals, new], ignore_index=True)
    at = intervals.index.get_loc(mine.index[-1]) + 1
    return pd.concat([intervals.iloc[:at], new, intervals.iloc[at:]], ignore_index=True)
