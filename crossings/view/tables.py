"""The page's tables (intervals, agreements and moratoria, events) with their cited sources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from crossings.core.commitments import Commitment, commitment_text
from crossings.core.days import NEVER, NO_END, Window, day_number, days_cut, from_day_number, interval_days
from crossings.core.records import ACCESS_LISTS, LIST_SEPARATOR, STATUSES, UNKNOWN
from crossings.core.sources import SourceDates, carried_forward_days
from crossings.core.traffic import for_traffic, with_access
from crossings.core.wording import ENGLISH, Words
from crossings.view.indexes import IntervalIndex

__all__ = [
    "BAR_PART_COLUMNS",
    "COMMITMENT_TABLE_COLUMNS",
    "INTERVAL_TABLE_COLUMNS",
    "bar_parts",
    "bare_interval_table",
    "commitment_table",
    "event_table",
    "export_file_name",
    "for_display",
    "interval_table",
    "report_table",
    "safe_link",
    "source_labels",
    "source_quotes",
]

# ISO throughout: a month is 2025-11, a year 2025
PRECISION_FORMAT = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def export_file_name(kind: str, window: Window) -> str:
    """e.g. crossing-summary_2024-01-01_2024-06-30.csv"""
    return f"crossing-{kind}_{window.start}_{window.end}.csv"


def safe_link(url: str | None) -> str | None:
    """The URL if it is http(s) with a host, else None: only such URLs become links."""
    if not isinstance(url, str) or not url:
        return None
    parts = urlsplit(url.strip())
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def source_labels(sources: pd.DataFrame) -> dict[str, tuple[str, str | None]]:
    """source_id -> ("Publisher: Title (date)", http(s) URL or None)."""
    labels = {}
    for row in sources.itertuples(index=False):
        label = f"{row.publisher}: {row.title}" if row.publisher else row.title
        if row.published_on is not None:
            label += f" ({row.published_on})"
        labels[row.source_id] = (label, safe_link(row.url))
    return labels


def source_quotes(sources: pd.DataFrame) -> dict[str, str]:
    """source_id -> '“the quote” (Publisher)' for the sources that have a quote."""
    return {row.source_id: f"“{row.quote}” ({row.publisher or row.title})"
            for row in sources.itertuples(index=False) if row.quote}


def _quoted(source_ids: Sequence[str], quotes: dict[str, str]) -> str | None:
    return " · ".join(quotes[s] for s in source_ids if s in quotes) or None


def _cite(source_ids: Sequence[str], labels: dict[str, tuple[str, str | None]]) -> tuple[str, str | None]:
    texts = [labels[s][0] for s in source_ids if s in labels]
    links = [labels[s][1] for s in source_ids if s in labels and labels[s][1]]
    return "; ".join(texts), (links[0] if links else None)


# `status` is the row's own status, or with a kind of traffic chosen that kind's status; `interval_status`
# is always the row's own.
INTERVAL_TABLE_COLUMNS = ["interval_id", "crossing_id", "crossing", "status", "start_date", "end_date", "ongoing",
                          "days", "interval_status", "moves", "limited", "barred", "detail", "cause", "sources",
                          "source_url", "quotes", "notes"]


def interval_table(chosen: pd.DataFrame, crossings: pd.DataFrame, sources: pd.DataFrame, as_of: date,
                   traffic: str | None = None) -> pd.DataFrame:
    """The table of these full interval rows (chosen by IntervalIndex.matching: the filters are applied
    there, once), cut at the as-of date, crossings in file order then by start; with a kind of traffic,
    `status` is that kind's (the rows chosen for a kind all name it)."""
    chosen = chosen.assign(interval_status=chosen["status"])
    if traffic is not None:
        chosen = for_traffic(with_access(chosen), traffic)
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    labels, quotes = source_labels(sources), source_quotes(sources)
    cited = [_cite(ids, labels) for ids in chosen["source_ids"]]
    order = {cid: n for n, cid in enumerate(crossings["crossing_id"])}
    table = pd.DataFrame(
        {
            "interval_id": chosen["interval_id"].to_numpy(dtype=object),
            "crossing_id": chosen["crossing_id"].to_numpy(dtype=object),
            "crossing": [names[c] for c in chosen["crossing_id"]],
            "status": chosen["status"].to_numpy(dtype=object),
            "start_date": chosen["start_date"].to_numpy(dtype=object),
            "end_date": chosen["end_date"].to_numpy(dtype=object),
            "ongoing": [end is None or end > as_of for end in chosen["end_date"]],
            "days": interval_days(chosen, as_of).to_numpy(dtype="int64"),
            "interval_status": chosen["interval_status"].to_numpy(dtype=object),
            **{name: [LIST_SEPARATOR.join(v) for v in chosen[name]] for name in ACCESS_LISTS},
            "detail": chosen["detail"].to_numpy(dtype=object),
            "cause": chosen["cause"].to_numpy(dtype=object),
            "sources": [c[0] for c in cited],
            "source_url": [c[1] for c in cited],
            "quotes": [_quoted(ids, quotes) for ids in chosen["source_ids"]],
            "notes": chosen["notes"].to_numpy(dtype=object),
        },
        dtype=object,  # keep None as None: pandas would infer strings and turn it into NaN
    )
    table["days"] = table["days"].astype("int64")
    table["ongoing"] = table["ongoing"].astype(bool)
    # the as-of date cuts the data: an interval still running then has no end yet, whatever the store knows
    table["end_date"] = table["end_date"].where(~table["ongoing"], None)
    table["_order"] = table["crossing_id"].map(order)
    return table.sort_values(["_order", "start_date"], kind="stable").drop(columns="_order").reset_index(drop=True)


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """A table as the page shows it: missing values as empty cells, never 'None'; dates in ISO form."""
    shown = table.copy()
    for name in shown.columns:
        if shown[name].dtype == object:
            shown[name] = shown[name].map(_cell)
    return shown


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value.isoformat() if isinstance(value, date) else value


def report_table(found: pd.DataFrame, crossings: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The dated reports of core.sources.reports_in with their crossing's name and the source cited."""
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    labels = source_labels(sources)
    return pd.DataFrame({
        "crossing_id": found["crossing_id"].to_numpy(dtype=object),
        "crossing": [names.get(c, c) for c in found["crossing_id"]],
        "date": found["date"].to_numpy(dtype=object),
        "source": [labels[s][0] if s in labels else s for s in found["source_id"]],
    }, dtype=object)


def commitment_table(found: Sequence[Commitment], crossings: pd.DataFrame, sources: pd.DataFrame,
                     words: Words = ENGLISH) -> pd.DataFrame:
    """These agreements and moratoria (chosen by CommitmentIndex.overlapping) as the table shows them, with
    `standing` the structured state (IN_FORCE ...) beside its words in `state`."""
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    labels, quotes = source_labels(sources), source_quotes(sources)
    rows = []
    for item in found:
        cited, link = _cite([*item.source_ids, *item.end_source_ids], labels)
        rows.append({
            "id": item.item_id, "kind": item.label, "title": item.title, "state": commitment_text(item, words),
            "from": item.start, "until": item.until, "ended": item.ended,
            "crossings": ", ".join(names.get(c, c) for c in item.crossing_ids) or words.border_scope(item.scope),
            "sources": cited, "source_url": link, "quotes": _quoted([*item.source_ids, *item.end_source_ids], quotes),
            "standing": item.state,
        })
    return pd.DataFrame(rows, columns=COMMITMENT_TABLE_COLUMNS, dtype=object)


# `standing` is for the code (ordering, filtering), `state` for the reader; the page does not show `standing`.
# `until` is a term agreed at signing (a countdown counts to it); `ended` a reported end, known by the as-of date.
COMMITMENT_TABLE_COLUMNS = ["id", "kind", "title", "state", "from", "until", "ended", "crossings", "sources",
                            "source_url", "quotes", "standing"]


def event_table(events: pd.DataFrame, crossings: pd.DataFrame, sources: pd.DataFrame, window: Window, as_of: date,
                crossing_ids: Sequence[str]) -> pd.DataFrame:
    """Events in the window (up to as-of) that concern a chosen crossing or name none (talks, strikes: dated
    context, shown whatever crossings are chosen)."""
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    labels = source_labels(sources)
    last = window.through(as_of)
    rows = []
    selected = set(crossing_ids)
    dates = events["date"]
    for row in events[((dates >= window.start) & (dates <= last)).to_numpy(dtype=bool)].itertuples(index=False):
        if row.crossing_ids and selected.isdisjoint(row.crossing_ids):
            continue
        cited, link = _cite(row.source_ids, labels)
        rows.append({
            "id": row.event_id, "date": row.date, "when": row.date.strftime(PRECISION_FORMAT[row.date_precision]),
            "kind": row.kind, "title": row.title, "place": row.place,
            "crossings": ", ".join(names.get(c, c) for c in row.crossing_ids) or "no crossing named",
            "sources": cited, "source_url": link, "notes": row.notes,
        })
    return pd.DataFrame(rows, columns=["id", "date", "when", "kind", "title", "place", "crossings", "sources",
                                       "source_url", "notes"], dtype=object)


def bare_interval_table(intervals: IntervalIndex, positions: np.ndarray, crossings: pd.DataFrame, as_of: date,
                        traffic: str | None = None) -> pd.DataFrame:
    """interval_table's rows for these positions with their numbers only: no lists, detail, cause,
    sources or notes (for the chart's per-period shares, which show none of them)."""
    names = crossings["name"].to_numpy(dtype=object)
    start, end = intervals.start[positions], intervals.end[positions]
    crossing = intervals.crossing[positions]
    table = pd.DataFrame({
        "interval_id": intervals.interval_id[positions],
        "crossing_id": intervals.crossing_ids[crossing],
        "crossing": names[crossing],
        "status": np.asarray([*STATUSES, UNKNOWN], dtype=object)[intervals.status_of(traffic)[positions]],
        "interval_status": np.asarray(STATUSES, dtype=object)[intervals.status[positions]],
        "start_date": [from_day_number(d) for d in start],
        "end_date": [None if d == NO_END or d > day_number(as_of) else from_day_number(d) for d in end],
        "ongoing": end > day_number(as_of),
        "days": days_cut(start, end, as_of),
    }, dtype=object)
    for column in ("moves", "limited", "barred", "detail", "cause", "sources", "source_url", "quotes", "notes"):
        table[column] = None
    table["ongoing"] = table["ongoing"].astype(bool)
    table["days"] = table["days"].astype("int64")
    return table[INTERVAL_TABLE_COLUMNS]


# What bar_parts adds to an interval's row for each mark the timeline draws of it.
BAR_PART_COLUMNS = ["interval_id", "part_start", "part_end", "part_days", "carried", "report", "carried_for"]


def bar_parts(intervals: IntervalIndex, positions: np.ndarray, reports: SourceDates, as_of: date) -> pd.DataFrame:
    """The timeline's marks for the intervals at these positions: each bar (the interval up to the as-of date) cut
    where its status passes between reported and carried forward (core.sources.SourceDates.split_by_reports), in
    order, one row per part: interval_id, part_start, part_end (exclusive), part_days, carried, report (the
    newest dated report on or before the part, or None) and carried_for (days from that report to the part's last
    day, as a card counts them); words.carried_text says a carried part in words.

    Numbers only, from the index: the plan counts the marks with it before any text is read.
    """
    start = intervals.start[positions]
    end = np.minimum(intervals.end[positions], day_number(as_of) + 1)
    parts = reports.split_by_reports(intervals.crossing_ids[intervals.crossing[positions]], start, end)
    first = [from_day_number(d) for d in parts["start"]]
    last = [from_day_number(d - 1) for d in parts["end"]]
    report = [None if d == NEVER else from_day_number(d) for d in parts["report"]]
    carried = parts["carried"].to_numpy(dtype=bool)
    carried_for = [carried_forward_days(r, day) if r is not None else None for r, day in zip(report, last, strict=True)]
    table = pd.DataFrame({
        "interval_id": intervals.interval_id[positions][parts["span"].to_numpy()],
        "part_start": first,
        "part_end": [from_day_number(d) for d in parts["end"]],
        "part_days": (parts["end"] - parts["start"]).to_numpy(dtype="int64"),
        "carried": carried,
        "report": report,
        "carried_for": carried_for,
    }, columns=BAR_PART_COLUMNS, dtype=object)
    table["carried"] = table["carried"].astype(bool)
    table["part_days"] = table["part_days"].astype("int64")
    return table
