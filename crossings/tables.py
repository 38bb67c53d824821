"""The page's tables and the CSV downloads, built from the store's DataFrames.

One function per download, used by the page and the CLI alike, so that the two files are
the same bytes for the same filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from crossings.cards import Commitment
from crossings.csvout import table_csv
from crossings.days import (
    StatusRuns,
    Window,
    day_number,
    day_numbers,
    from_day_number,
    interval_days,
    status_codes,
    summary_table,
)
from crossings.records import STATUSES
from crossings.textsafe import safe_link

__all__ = [
    "INTERVAL_TABLE_COLUMNS",
    "IntervalIndex",
    "commitment_table",
    "event_table",
    "export_file_name",
    "interval_table",
    "newest_source_date",
    "source_labels",
    "summary_csv",
]

PRECISION_FORMAT = {"day": "%Y-%m-%d", "month": "%B %Y", "year": "%Y"}


def export_file_name(kind: str, window: Window) -> str:
    """e.g. crossing-summary_2024-01-01_2024-06-30.csv"""
    return f"crossing-{kind}_{window.start}_{window.end}.csv"


def summary_csv(crossings: pd.DataFrame, intervals: pd.DataFrame | StatusRuns, crossing_ids: Sequence[str],
                window: Window, as_of: date) -> str:
    """The summary CSV: `python -m crossings summary` and the page's download."""
    selected = crossings[crossings["crossing_id"].isin(list(crossing_ids))]
    return table_csv(summary_table(selected, intervals, window, as_of))


def newest_source_date(sources: pd.DataFrame, as_of: date | None = None) -> date | None:
    """When the data was last updated: the newest publication date among the sources."""
    days = [d for d in sources["published_on"] if d is not None and (as_of is None or d <= as_of)]
    return max(days) if days else None


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


class IntervalIndex:
    """Every interval's crossing, status and dates as arrays, in the tables' order (crossings in
    the order of their file, then by start), built once per store version from the interval
    spans (db.queries.interval_spans): `matching` finds the rows a filter shows without any
    text, so that only the rows drawn need their text read from the store."""

    def __init__(self, spans: pd.DataFrame, crossings: pd.DataFrame) -> None:
        far = np.iinfo("int64").max // 2
        self.crossing_ids = crossings["crossing_id"].to_numpy(dtype=object)
        rank = {cid: n for n, cid in enumerate(self.crossing_ids)}
        crossing = np.fromiter((rank[c] for c in spans["crossing_id"]), dtype="int64", count=len(spans))
        start = day_numbers(spans["start_date"], far)
        order = np.lexsort((start, crossing))
        self.interval_id = spans["interval_id"].to_numpy(dtype=object)[order]
        self.crossing = crossing[order]  # index into crossing_ids
        self.status = status_codes(spans["status"])[order]  # index into STATUSES
        self.start = start[order]
        self.end = day_numbers(spans["end_date"], far)[order]

    def __len__(self) -> int:
        return len(self.start)

    def matching(self, window: Window, as_of: date, crossing_ids: Sequence[str], statuses: Sequence[str]
                 ) -> np.ndarray:
        """Positions of the intervals of these crossings and statuses that overlap the window (cut
        at as-of), in the tables' order: the same rows as interval_table."""
        mask = (self.start <= day_number(min(window.end, as_of))) & (self.end > day_number(window.start))
        mask &= np.isin(self.status, [STATUSES.index(s) for s in statuses if s in STATUSES])  # no "unknown" rows
        if len(set(crossing_ids)) < len(self.crossing_ids):
            wanted = np.zeros(len(self.crossing_ids), dtype=bool)
            wanted[[n for n, cid in enumerate(self.crossing_ids) if cid in set(crossing_ids)]] = True
            mask &= wanted[self.crossing]
        return np.flatnonzero(mask)

    def of_crossings(self, positions: np.ndarray, crossing_ids: Sequence[str]) -> np.ndarray:
        """The positions that belong to these crossings."""
        wanted = np.isin(self.crossing_ids, np.asarray(list(crossing_ids), dtype=object))
        return positions[wanted[self.crossing[positions]]]

    def bare_table(self, positions: np.ndarray, crossings: pd.DataFrame, as_of: date) -> pd.DataFrame:
        """interval_table's rows for these positions with their numbers only: no detail, cause,
        sources or notes (for the chart's per-period shares, which show none of them)."""
        far = np.iinfo("int64").max // 2
        names = crossings["name"].to_numpy(dtype=object)
        start, end = self.start[positions], self.end[positions]
        last = day_number(as_of) + 1
        table = pd.DataFrame({
            "interval_id": self.interval_id[positions],
            "crossing_id": self.crossing_ids[self.crossing[positions]],
            "crossing": names[self.crossing[positions]],
            "status": np.asarray(STATUSES, dtype=object)[self.status[positions]],
            "start_date": [from_day_number(d) for d in start],
            "end_date": [None if d == far else from_day_number(d) for d in end],
            "ongoing": end > last - 1,
            "days": np.maximum(np.minimum(end, last) - start, 0),
        }, dtype=object)
        for column in ("detail", "cause", "sources", "source_url", "notes"):
            table[column] = None
        table["ongoing"] = table["ongoing"].astype(bool)
        table["days"] = table["days"].astype("int64")
        return table[INTERVAL_TABLE_COLUMNS]


INTERVAL_TABLE_COLUMNS = ["interval_id", "crossing_id", "crossing", "status", "start_date", "end_date", "ongoing",
                          "days", "detail", "cause", "sources", "source_url", "notes"]


def interval_table(intervals: pd.DataFrame, crossings: pd.DataFrame, sources: pd.DataFrame, window: Window,
                   as_of: date, crossing_ids: Sequence[str], statuses: Sequence[str]) -> pd.DataFrame:
    """Intervals of the chosen crossings and statuses that overlap the window (cut at as-of)."""
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    far = np.iinfo("int64").max // 2
    starts, ends = day_numbers(intervals["start_date"], far), day_numbers(intervals["end_date"], far)
    mask = ((starts <= day_number(min(window.end, as_of))) & (ends > day_number(window.start))
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
    table["_order"] = table["crossing_id"].map(order)
    return table.sort_values(["_order", "start_date"], kind="stable").drop(columns="_order").reset_index(drop=True)


def commitment_table(found: Sequence[Commitment], crossings: pd.DataFrame, sources: pd.DataFrame, window: Window,
                     as_of: date, crossing_ids: Sequence[str]) -> pd.DataFrame:
    """Agreements and moratoria covering a chosen crossing whose validity overlaps the window."""
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    labels = source_labels(sources)
    last = min(window.end, as_of)
    rows = []
    selected = set(crossing_ids)
    for item in found:
        if item.crossing_ids and selected.isdisjoint(item.crossing_ids):
            continue
        if (item.start is not None and item.start > last) or (item.until is not None and item.until < window.start):
            continue
        cited, link = _cite(item.source_ids, labels)
        rows.append({
            "id": item.item_id, "kind": item.label, "title": item.title, "state": item.text,
            "from": item.start, "until": item.until,
            "crossings": ", ".join(names.get(c, c) for c in item.crossing_ids) or "whole border",
            "sources": cited, "source_url": link,
        })
    return pd.DataFrame(rows, columns=["id", "kind", "title", "state", "from", "until", "crossings", "sources",
                                       "source_url"], dtype=object)


def event_table(events: pd.DataFrame, crossings: pd.DataFrame, sources: pd.DataFrame, window: Window, as_of: date,
                crossing_ids: Sequence[str]) -> pd.DataFrame:
    """Events in the window (up to as-of) that concern a chosen crossing or the whole border."""
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    labels = source_labels(sources)
    last = min(window.end, as_of)
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
            "crossings": ", ".join(names.get(c, c) for c in row.crossing_ids) or "whole border",
            "sources": cited, "source_url": link, "notes": row.notes,
        })
    return pd.DataFrame(rows, columns=["id", "date", "when", "kind", "title", "place", "crossings", "sources",
                                       "source_url", "notes"], dtype=object)
