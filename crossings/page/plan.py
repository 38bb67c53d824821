"""The view plan of one rerun of the page: from the filters and the cached indexes, what to show
(window, summary, which cards in which order, which lanes) and which interval rows to read for
their text; then, from those rows, everything the sections draw. Pure: no Streamlit, no SQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from crossings.core.borders import on_borders
from crossings.core.days import Window, current_status, default_window, summary_table
from crossings.core.sources import newest_source_date, reports_in
from crossings.page.cards import Card, crossing_cards, urgency_order
from crossings.page.charts import MAX_REPORT_TICKS, chart_lanes, draws_bars
from crossings.page.filters import STATUS_CHOICES, Filters, window_for
from crossings.page.indexes import StoreIndexes
from crossings.page.maps import MAX_MARKERS, unplaced_reason
from crossings.page.tables import commitment_table, event_table, interval_table, report_table

__all__ = ["MAX_CARDS", "MAX_TABLE_ROWS", "View", "ViewPlan", "all_interval_ids", "build_view", "cards_page",
           "interval_rows_table", "map_points", "plan_cards", "plan_view"]

# A page of cards stays readable and light with hundreds of crossings selected.
MAX_CARDS = 50
# Rows a table shows; the download has them all. Their text is read on each rerun.
MAX_TABLE_ROWS = 1_000

# Reads the full rows of these interval ids from the store version the page shows.
RowReader = Callable[[Sequence[str]], pd.DataFrame]


@dataclass(frozen=True)
class ViewPlan:
    """What one rerun shows, decided before any text is read."""

    as_of: date
    window: Window
    warnings: list[str]
    crossing_ids: list[str]  # the crossings chosen (all when the filter is empty)
    statuses: list[str]
    traffic: str | None  # the kind of traffic the statuses and counts are for (None: the whole crossing)
    summary: pd.DataFrame  # summary_table of the chosen crossings: the cards' numbers and the download
    newest: dict[str, date | None]
    urgent: list[str]  # chosen crossings whose status is shown, most urgent first
    updated: date | None  # the newest source on or before the as-of date
    matches: np.ndarray  # positions (IntervalIndex) of the interval rows the filters show
    lane_ids: list[str]
    lane_note: str | None
    lane_matches: np.ndarray  # the matches on the chart's lanes
    drawn_bars: np.ndarray  # those drawn one bar each (empty when the chart aggregates)


def plan_view(tables: dict[str, pd.DataFrame], indexes: StoreIndexes, filters: Filters, today: date,
              warnings: Sequence[str] = ()) -> ViewPlan:
    """The plan for these filters; `today` is the as-of date when the filters leave it empty."""
    crossings = tables["crossings"]
    all_ids = list(crossings["crossing_id"])
    as_of = filters.as_of or today
    on_border = set(on_borders(crossings, filters.countries))
    selected = [c for c in (list(filters.crossing_ids) or all_ids) if c in on_border]
    statuses = list(filters.statuses) or list(STATUS_CHOICES)
    runs = indexes.runs_for(filters.traffic)
    window, window_warning = window_for(filters, default_window(runs, as_of).start, as_of)
    chosen = crossings[crossings["crossing_id"].isin(selected)]
    summary = summary_table(chosen, runs, window, as_of)
    newest = indexes.source_dates.newest(selected, as_of)
    urgent = urgency_order(list(summary["crossing_id"]), list(summary["status"]), newest, as_of)
    shown_status = dict(zip(summary["crossing_id"], summary["status"], strict=True))
    matches = indexes.intervals.matching(window, as_of, selected, statuses, filters.traffic)
    lane_ids, lane_note = chart_lanes(summary)
    lane_matches = indexes.intervals.of_crossings(matches, lane_ids)
    return ViewPlan(
        as_of=as_of, window=window, warnings=[*warnings, *([window_warning] if window_warning else [])],
        crossing_ids=selected, statuses=statuses, traffic=filters.traffic, summary=summary, newest=newest,
        urgent=[c for c in urgent if shown_status[c] in statuses], updated=newest_source_date(tables["sources"], as_of),
        matches=matches, lane_ids=lane_ids, lane_note=lane_note, lane_matches=lane_matches,
        drawn_bars=lane_matches if draws_bars(len(lane_matches)) else lane_matches[:0],
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
    bars: pd.DataFrame  # the chart's bars (numbers only when it aggregates)
    commitments: pd.DataFrame
    events: pd.DataFrame
    lane_names: list[str]
    reports: pd.DataFrame  # the dated reports of the lanes' crossings in the window (ticks)


def build_view(plan: ViewPlan, tables: dict[str, pd.DataFrame], indexes: StoreIndexes, drawn: list[str],
               read_rows: RowReader) -> View:
    """The sections' content, reading from the store (read_rows) only the text of what is drawn: the
    cards' current intervals, the table's first rows and, unless the chart aggregates, its bars."""
    crossings, sources = tables["crossings"], tables["sources"]
    as_of, window = plan.as_of, plan.window
    # the intervals covering the as-of date (crossing-wide): their detail, cause and traffic lists
    covering = indexes.intervals.covering(drawn, as_of)
    current_ids = [i for i in covering.values() if i is not None]
    table_ids = list(indexes.intervals.interval_id[plan.matches[:MAX_TABLE_ROWS]])
    bar_ids = list(indexes.intervals.interval_id[plan.drawn_bars])
    texts = read_rows([*current_ids, *table_ids, *bar_ids])
    cards = _cards(plan, tables, indexes, drawn, covering, texts)
    rows = interval_rows_table(plan, tables, texts[texts["interval_id"].isin(set(table_ids))])
    if len(plan.drawn_bars) or not len(plan.lane_matches):
        bars = interval_rows_table(plan, tables, texts[texts["interval_id"].isin(set(bar_ids))])
    else:
        bars = indexes.intervals.bare_table(plan.lane_matches, crossings, as_of, plan.traffic)
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    return View(
        cards=cards, intervals=rows, bars=bars,
        commitments=commitment_table(indexes.commitments.overlapping(window, as_of, limit=MAX_TABLE_ROWS),
                                     crossings, sources, window, as_of, plan.crossing_ids),
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
    shown = plan.urgent[:MAX_MARKERS]
    # plain dicts: up to MAX_MARKERS lookups each, where .loc would cost a pandas call apiece
    about = tables["crossings"].set_index("crossing_id")[["name", "latitude", "longitude", "notes"]].to_dict("index")
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
    covering = indexes.intervals.covering(crossing_ids, plan.as_of)
    return _cards(plan, tables, indexes, crossing_ids, covering,
                  read_rows([i for i in covering.values() if i is not None]))


def _cards(plan: ViewPlan, tables: dict[str, pd.DataFrame], indexes: StoreIndexes, crossing_ids: list[str],
           covering: dict[str, str | None], texts: pd.DataFrame) -> list[Card]:
    current_ids = [i for i in covering.values() if i is not None]
    return crossing_cards(
        tables["crossings"].set_index("crossing_id").loc[crossing_ids].reset_index(),
        texts[texts["interval_id"].isin(current_ids)], tables["agreements"], tables["moratoria"], tables["sources"],
        plan.window, plan.as_of, runs=indexes.runs_for(plan.traffic), covering=covering, traffic=plan.traffic,
        source_dates=indexes.source_dates, commitment_index=indexes.commitments, summary=plan.summary,
        newest=plan.newest, border_wide_apart=True)


def interval_rows_table(plan: ViewPlan, tables: dict[str, pd.DataFrame], rows: pd.DataFrame) -> pd.DataFrame:
    """The interval table of these full rows under the plan's filters (the table, the bars, the download)."""
    return interval_table(rows, tables["crossings"], tables["sources"], plan.window, plan.as_of,
                          plan.crossing_ids, plan.statuses, plan.traffic)


def all_interval_ids(plan: ViewPlan, indexes: StoreIndexes) -> list[str]:
    """Every interval row the filters show (the intervals download)."""
    return list(indexes.intervals.interval_id[plan.matches])
