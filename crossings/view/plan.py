"""The view plan: from the filters and the indexes of a store version, what to show (window, summary, which
cards in which order, which lanes) and which interval rows to read for their text; then, from those rows,
everything the sections draw. For any screen or route: no Streamlit, no Plotly, no SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from crossings.core.borders import chosen_crossings
from crossings.core.commitments import Commitment
from crossings.core.days import Window, current_status, default_window, summary_table
from crossings.core.sources import newest_source_date, reports_in
from crossings.core.wording import ENGLISH, Words
from crossings.view.cards import Card, RowReader, border_wide, covering_ids, crossing_cards, urgency_order
from crossings.view.filters import STATUS_CHOICES, Filters, window_for
from crossings.view.indexes import StoreIndexes
from crossings.view.policy import (
    MAX_CARDS,
    MAX_MARKERS,
    MAX_REPORT_TICKS,
    MAX_TABLE_ROWS,
    chart_lanes,
    draws_bars,
    unplaced_reason,
)
from crossings.view.tables import (
    bar_parts,
    bare_interval_table,
    commitment_table,
    event_table,
    interval_table,
    report_table,
)

__all__ = ["View", "ViewPlan", "all_interval_ids", "build_view", "cards_page", "interval_rows_table", "map_points",
           "plan_cards", "plan_view", "timeline_commitments"]


@dataclass(frozen=True)
class ViewPlan:
    """What one rerun shows, decided before any text is read."""

    as_of: date
    window: Window
    warnings: list[str]
    crossing_ids: list[str]  # the crossings chosen (all when the filter is empty)
    statuses: list[str]
    traffic: str | None  # the kind of traffic the statuses and counts are for (None: the whole crossing)
    known_by: date | None  # only what had been reported by this day (None: everything known today)
    summary: pd.DataFrame  # summary_table of the chosen crossings: the cards' numbers and the download
    newest: dict[str, date | None]
    shown_by_urgency: list[str]  # chosen crossings whose status the filter shows, most urgent first
    data_updated: date | None  # the newest source published on or before the as-of date (and known_by)
    border_wide: list[Commitment]  # a whole border's agreements and moratoria standing then (cards.border_wide)
    matches: np.ndarray  # positions (IntervalIndex) of the interval rows the filters show
    lane_ids: list[str]  # the crossings the chart draws a lane for (policy.chart_lanes; lanes_note says so)
    lane_matches: np.ndarray  # the matches on the chart's lanes
    drawn_bars: np.ndarray  # those drawn bar by bar (empty when the chart aggregates)
    # their marks: each bar cut into reported and carried-forward parts (tables.bar_parts), one row a mark
    bar_parts: pd.DataFrame


def plan_view(tables: dict[str, pd.DataFrame], indexes: StoreIndexes, filters: Filters, today: date,
              warnings: Sequence[str] = ()) -> ViewPlan:
    """The plan for these filters; `today` is the as-of date when the filters leave it empty."""
    crossings = tables["crossings"]
    as_of = filters.as_of or today
    selected = chosen_crossings(crossings, filters.crossing_ids, filters.countries)
    statuses = list(filters.statuses) or list(STATUS_CHOICES)
    runs = indexes.runs_for(filters.traffic)
    window, _ = window_for(filters, default_window(runs, as_of).start, as_of)  # its warning: the page's own
    chosen = crossings[crossings["crossing_id"].isin(selected)]
    summary = summary_table(chosen, runs, window, as_of, indexes.source_dates)
    newest = indexes.source_dates.newest(selected, as_of)
    urgent = urgency_order(list(summary["crossing_id"]), list(summary["status"]), newest, as_of)
    shown_status = dict(zip(summary["crossing_id"], summary["status"], strict=True))
    matches = indexes.intervals.matching(window, as_of, selected, statuses, filters.traffic)
    lane_ids, _ = chart_lanes(summary)  # its note: policy.lanes_note, in the page's language
    lane_matches = indexes.intervals.of_crossings(matches, lane_ids)
    # A bar is a mark per part (reported, carried forward), so the budget counts parts; a bar has one at least,
    # so past MAX_BARS bars there is no need to cut them. Beyond the budget each lane shows per-period shares,
    # which do not tell reported days from carried ones (the summary's carried_days counts them).
    drawn = lane_matches if draws_bars(len(lane_matches)) else lane_matches[:0]
    parts = bar_parts(indexes.intervals, drawn, indexes.source_dates, as_of)
    if not draws_bars(len(parts)):
        drawn, parts = drawn[:0], parts.iloc[:0]
    return ViewPlan(
        as_of=as_of, window=window, warnings=list(warnings),
        crossing_ids=selected, statuses=statuses, traffic=filters.traffic, known_by=filters.known_by,
        summary=summary, newest=newest,
        shown_by_urgency=[c for c in urgent if shown_status[c] in statuses],
        data_updated=newest_source_date(tables["sources"], min(as_of, filters.known_by or as_of)),
        border_wide=border_wide(indexes.commitments, as_of, selected),
        matches=matches, lane_ids=lane_ids, lane_matches=lane_matches,
        drawn_bars=drawn, bar_parts=parts,
    )


def cards_page(order: list[str], names: dict[str, str], needle: str, page: int) -> tuple[list[str], int, int]:
    """The cards of one page: those whose name contains `needle`, MAX_CARDS a page.
    Returns the crossing ids to draw, how many matched and how many pages there are."""
    if needle.strip():
        wanted = needle.strip().casefold()
        order = [c for c in order if wanted in names[c].casefold()]
    pages = max(1, -(-len(order) // MAX_CARDS))
    page = min(max(page, 1), pages)
    return order[(page - 1) * MAX_CARDS:page * MAX_CARDS], len(order), pages


@dataclass(frozen=True)
class View:
    """Everything the sections draw, for the cards chosen."""

    cards: list[Card]
    intervals: pd.DataFrame  # the interval table's first MAX_TABLE_ROWS rows
    # the chart's marks: a row per part of a bar (interval_table's columns and tables.BAR_PART_COLUMNS), or,
    # when it aggregates (bars_aggregated), a row per interval with its numbers only
    bars: pd.DataFrame
    bars_aggregated: bool
    commitments: pd.DataFrame  # the first MAX_TABLE_ROWS agreements and moratoria of the chosen crossings
    commitments_total: int  # how many there are in all
    events: pd.DataFrame
    lane_names: list[str]
    reports: pd.DataFrame  # the dated reports of the lanes' crossings in the window (ticks)


def build_view(plan: ViewPlan, tables: dict[str, pd.DataFrame], indexes: StoreIndexes, drawn: list[str],
               read_rows: RowReader, words: Words = ENGLISH) -> View:
    """The sections' content, reading from the store (read_rows) only the text of what is drawn: the
    cards' current intervals, the table's first rows and, unless the chart aggregates, its bars. The cards' last
    closure and the agreements' states in the language of `words`."""
    crossings, sources = tables["crossings"], tables["sources"]
    as_of, window = plan.as_of, plan.window
    # the intervals covering the as-of date (crossing-wide): their detail, cause and traffic lists
    current_ids = covering_ids(indexes.intervals, drawn, as_of)
    table_ids = list(indexes.intervals.interval_id[plan.matches[:MAX_TABLE_ROWS]])
    bar_ids = list(indexes.intervals.interval_id[plan.drawn_bars])
    texts = read_rows([*current_ids, *table_ids, *bar_ids])
    cards = _cards(plan, tables, indexes, drawn, texts, words)
    rows = interval_rows_table(plan, tables, texts[texts["interval_id"].isin(set(table_ids))])
    aggregated = not len(plan.drawn_bars) and len(plan.lane_matches) > 0
    if not aggregated:
        # each bar's row once per part, in the table's order
        bars = interval_rows_table(plan, tables, texts[texts["interval_id"].isin(set(bar_ids))]).merge(
            plan.bar_parts, on="interval_id", how="inner", validate="one_to_many")
    else:
        bars = bare_interval_table(indexes.intervals, plan.lane_matches, crossings, as_of, plan.traffic)
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    found, total = indexes.commitments.overlapping(window, as_of, plan.crossing_ids, limit=MAX_TABLE_ROWS)
    return View(
        cards=cards, intervals=rows, bars=bars, bars_aggregated=aggregated,
        commitments=commitment_table(found, crossings, sources, words),
        commitments_total=total,
        events=event_table(tables["events"], crossings, sources, window, as_of, plan.crossing_ids),
        lane_names=[names[c] for c in plan.lane_ids],
        reports=report_table(reports_in(indexes.source_dates, plan.lane_ids, window.start, window.through(as_of),
                                        MAX_REPORT_TICKS), crossings, sources),
    )


def map_points(plan: ViewPlan, tables: dict[str, pd.DataFrame], indexes: StoreIndexes
               ) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The map's markers: the crossings the cards show (the status filter applied), most urgent first, at
    most MAX_MARKERS, those with coordinates; and the others as (name, why it is not placed). Numbers only:
    no per-interval data goes into the map."""
    shown = plan.shown_by_urgency[:MAX_MARKERS]
    # plain dicts: up to MAX_MARKERS lookups each, where .loc would cost a pandas call apiece (and built by zip:
    # pandas' to_dict("index") took 30 ms for 2,000 crossings)
    crossings = tables["crossings"]
    fields = ("name", "latitude", "longitude", "notes")
    about = {cid: dict(zip(fields, values, strict=True)) for cid, *values in
             zip(crossings["crossing_id"], *(crossings[f] for f in fields), strict=True)}
    status = dict(zip(plan.summary["crossing_id"], plan.summary["status"], strict=True))
    now = {r["crossing_id"]: r for r in current_status(indexes.runs_for(plan.traffic), shown, plan.as_of)
           .to_dict("records")}
    traffic = indexes.intervals.traffic_on(shown, plan.as_of)
    placed = [c for c in shown if pd.notna(about[c]["latitude"])]
    points = pd.DataFrame({
        "crossing_id": placed,
        "name": [about[c]["name"] for c in placed],
        "latitude": [float(about[c]["latitude"]) for c in placed],
        "longitude": [float(about[c]["longitude"]) for c in placed],
        "status": [status[c] for c in placed],
        "since": [now[c]["since"] for c in placed],
        "days": [int(now[c]["days"]) for c in placed],
        "traffic": [traffic[c] for c in placed],
        "newest": [plan.newest.get(c) for c in placed],
    }, dtype=object)
    placed_set = set(placed)
    unplaced = [(about[c]["name"], unplaced_reason(about[c]["notes"])) for c in shown if c not in placed_set]
    return points, unplaced


def plan_cards(plan: ViewPlan, tables: dict[str, pd.DataFrame], indexes: StoreIndexes, crossing_ids: list[str],
               read_rows: RowReader) -> list[Card]:
    """The cards of these crossings under the plan (the page's cards, the API's status), reading from
    the store only the intervals covering the as-of date."""
    return _cards(plan, tables, indexes, crossing_ids,
                  read_rows(covering_ids(indexes.intervals, crossing_ids, plan.as_of)))


def _cards(plan: ViewPlan, tables: dict[str, pd.DataFrame], indexes: StoreIndexes, crossing_ids: list[str],
           texts: pd.DataFrame, words: Words = ENGLISH) -> list[Card]:
    return crossing_cards(tables["crossings"].set_index("crossing_id").loc[crossing_ids].reset_index(), texts,
                          indexes, plan.window, plan.as_of, plan.summary, plan.newest, plan.traffic,
                          border_wide_apart=True, words=words)


def interval_rows_table(plan: ViewPlan, tables: dict[str, pd.DataFrame], rows: pd.DataFrame) -> pd.DataFrame:
    """The interval table of these full rows under the plan's filters (the table, the bars, the download)."""
    return interval_table(rows, tables["crossings"], tables["sources"], plan.as_of, plan.traffic)


def all_interval_ids(plan: ViewPlan, indexes: StoreIndexes) -> list[str]:
    """Every interval row the filters show (the intervals download)."""
    return list(indexes.intervals.interval_id[plan.matches])


def timeline_commitments(view: View) -> pd.DataFrame:
    """The agreements and moratoria the timeline draws: those with a start (one whose start no source gives has
    no place on a time axis; the table lists it)."""
    return view.commitments[view.commitments["from"].notna()]
