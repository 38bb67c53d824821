"""How much a screen shows: the limits of the cards, tables, timeline and map, and the choices that follow
from them (which crossings get a lane, whether bars are drawn one per interval, why a crossing has no
marker). Plain values and functions, read by the view plan and by the figures that draw it."""

from __future__ import annotations

import pandas as pd

from crossings.core.wording import ENGLISH, Words

__all__ = [
    "MAX_BARS",
    "MAX_CARDS",
    "MAX_COMMITMENT_LANES",
    "MAX_EVENT_MARKERS",
    "MAX_LABELS",
    "MAX_LANES",
    "MAX_MARKERS",
    "MAX_REPORT_TICKS",
    "MAX_TABLE_ROWS",
    "chart_lanes",
    "draws_bars",
    "lanes_note",
    "unplaced_reason",
]

# A page of cards stays readable and light with hundreds of crossings selected.
MAX_CARDS = 50
# Rows a table shows; the download has them all. Their text is read on each rerun.
MAX_TABLE_ROWS = 1_000
# What a browser can draw quickly is bounded by marks, not by data (BENCHMARKS.md): at most MAX_BARS status
# bar marks (a bar cut into a reported and a carried-forward part is two), MAX_LANES crossings,
# MAX_COMMITMENT_LANES bands and MAX_EVENT_MARKERS markers, so under 5,000 drawn marks whatever the filter.
MAX_BARS = 4_000
MAX_LANES = 50
MAX_COMMITMENT_LANES = 20
MAX_EVENT_MARKERS = 500
# Report ticks drawn at most (newest first); each is one mark.
MAX_REPORT_TICKS = 500
# One marker per crossing; beyond this many the map would be unreadable and heavy, the cards have the rest.
MAX_MARKERS = 2_000
# Names beside the markers up to this many; beyond, they would cover each other and cost the browser a
# text element each: every marker still names its crossing when hovered or selected.
MAX_LABELS = 50


def draws_bars(count: int) -> bool:
    """Whether this many marks (the parts of the bars: a bar cut into reported and carried-forward parts is a mark
    per part) are drawn one by one; beyond MAX_BARS a lane shows per-period shares."""
    return count <= MAX_BARS


def chart_lanes(summary: pd.DataFrame, limit: int = MAX_LANES) -> tuple[list[str], str | None]:
    """Which crossings get a lane: all of them up to `limit`, else the `limit` with the most closed
    days in the window (ties in the given order), with a note saying so."""
    if len(summary) <= limit:
        return list(summary["crossing_id"]), None
    top = summary.sort_values("closed_days", ascending=False, kind="stable").head(limit)
    chosen = set(top["crossing_id"])
    return [c for c in summary["crossing_id"] if c in chosen], lanes_note(limit, len(summary))


def lanes_note(shown: int, total: int, words: Words = ENGLISH) -> str | None:
    """What the chart says when it draws `shown` of `total` crossings' lanes (chart_lanes); None when all."""
    if shown >= total:
        return None
    return words._("showing the {shown} of {total} crossings with the most closed days in the window; choose fewer "
                   "crossings to see others", shown=words.number(shown), total=words.number(total))


def unplaced_reason(notes: str | None) -> str:
    """Why a crossing has no marker: the sentence of its notes about coordinates, else a plain reason."""
    for sentence in (notes or "").replace("; ", ". ").split(". "):
        if "coordinates" in sentence.lower():
            return sentence.strip().rstrip(".") + "."
    return "No sourced coordinates."
