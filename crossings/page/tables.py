"""The page's tables (intervals, agreements and moratoria, events) with their cited sources."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from crossings.core.commitments import Commitment
from crossings.core.days import NO_END, Window, day_numbers, interval_days
from crossings.core.records import ACCESS_LISTS, LIST_SEPARATOR
from crossings.core.traffic import for_traffic, with_access
from crossings.page.textsafe import safe_link

__all__ = [
    "INTERVAL_TABLE_COLUMNS",
    "commitment_table",
    "event_table",
    "export_file_name",
    "for_display",
    "interval_table",
    "report_table",
    "source_labels",
]

# ISO throughout: a month is 2025-11, a year 2025
PRECISION_FORMAT = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def export_file_name(kind: str, window: Window) -> str:
    """e.g. crossing-summary_2024-01-01_2024-06-30.csv"""
    return f"crossing-{kind}_{window.start}_{window.end}.csv"


def source_labels(sources: pd.DataFrame) -> dict[str, tuple[str, str | None]]:
    """source_id -> ("Publisher: Title (date)", http(s) URL or None)."""
    labels = {}
    for row in sources.itertuples(index=False):
        label = f"{row.publisher}: {row.title}" if row.publisher else row.title
        if row.published_on is not None:
            label += f" ({row.published_on})"
        labels[row.source_id] = (label, safe_link(row.url))
    return labels


def _cite(source_ids: Sequence[str], labels: dict[str, tuple[str, str | None]]) -> tuple[str, str | None]:
    texts = [labels[s][0] for s in source_ids if s in labels]
    links = [labels[s][1] for s in source_ids if s in labels and labels[s][1]]
    return "; ".join(texts), (links[0] if links else None)


# `status` is the row's own status, or with a kind of traffic chosen that kind's status; `interval_status`
# is always the row's own.
INTERVAL_TABLE_COLUMNS = ["interval_id", "crossing_id", "crossing", "status", "start_date", "end_date", "ongoing",
                          "days", "interval_status", "moves", "limited", "barred", "detail", "cause", "sources",
                          "source_url", "notes"]


def interval_table(intervals: pd.DataFrame, crossings: pd.DataFrame, sources: pd.DataFrame, window: Window,
                   as_of: date, crossing_ids: Sequence[str], statuses: Sequence[str], traffic: str | None = None
                   ) -> pd.DataFrame:
    """Intervals of the chosen crossings and statuses that overlap the window (cut at as-of); with a
    kind of traffic, statuses are that kind's and the rows that do not name it are left out."""
    intervals = intervals.assign(interval_status=intervals["status"])
    if traffic is not None:
        intervals = for_traffic(with_access(intervals), traffic)
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    first, stop = window.day_span(as_of)
    starts, ends = day_numbers(intervals["start_date"], NO_END), day_numbers(intervals["end_date"], NO_END)
    mask = ((starts < stop) & (ends > first)
            & intervals["status"].isin(list(statuses)).to_numpy())
    if len(crossing_ids) < len(names):
        mask &= intervals["crossing_id"].isin(list(crossing_ids)).to_numpy()
    chosen = intervals[mask]
    labels = source_labels(sources)
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


def commitment_table(found: Sequence[Commitment], crossings: pd.DataFrame, sources: pd.DataFrame, window: Window,
                     as_of: date, crossing_ids: Sequence[str]) -> pd.DataFrame:
    """Agreements and moratoria covering a chosen crossing whose validity overlaps the window."""
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    labels = source_labels(sources)
    last = window.through(as_of)
    rows = []
    selected = set(crossing_ids)
    for item in found:
        if selected.isdisjoint(item.covered):
            continue
        if (item.start is not None and item.start > last) or (item.until is not None and item.until < window.start):
            continue
        cited, link = _cite(item.source_ids, labels)
        rows.append({
            "id": item.item_id, "kind": item.label, "title": item.title, "state": item.text,
            "from": item.start, "until": item.until,
            "crossings": ", ".join(names.get(c, c) for c in item.crossing_ids) or item.scope,
            "sources": cited, "source_url": link,
        })
    return pd.DataFrame(rows, columns=["id", "kind", "title", "state", "from", "until", "crossings", "sources",
                                       "source_url"], dtype=object)


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
