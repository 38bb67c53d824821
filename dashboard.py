"""Border Crossing Status: the page. Layout only; every number comes from crossings/."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from crossings.cards import Card, crossing_cards, urgency_order
from crossings.charts import MAX_BARS, chart_lanes, timeline_figure
from crossings.csvout import table_csv
from crossings.days import current_status, default_window, summary_table
from crossings.filters import STATUS_CHOICES, Filters, parse_query, to_query, window_for
from crossings.indexes import StoreIndexes, build_indexes
from crossings.records import TABLES, UNKNOWN
from crossings.tables import (
    commitment_table,
    event_table,
    export_file_name,
    interval_table,
    newest_source_date,
)
from crossings.textsafe import markdown_text as md
from db.engine import database_url, open_store
from db.load import LoadRejected
from db.migrate import SchemaMismatch
from db.queries import StoreEmpty, content_hash, interval_sources, interval_spans, read_table

st.set_page_config(page_title="Border Crossing Status", page_icon="🛂", layout="wide")

BADGES = {  # the word is always shown: colour is never the only cue
    "open": ("open", "green", ":material/check_circle:"),
    "restricted": ("restricted", "orange", ":material/warning:"),
    "closed": ("closed", "red", ":material/block:"),
    UNKNOWN: ("unknown", "gray", ":material/help:"),
}
CARDS_PER_ROW = 3
# A page of cards stays readable and light with hundreds of crossings selected.
MAX_CARDS = 50
# Agreements and moratoria listed on one card; the table below lists them all.
COMMITMENTS_PER_CARD = 5
# Rows a table shows; the download has them all. Their text is read on each rerun.
MAX_TABLE_ROWS = 1_000
DATE_LIMITS = {"min_value": date(1900, 1, 1), "max_value": date(2100, 12, 31)}


@st.cache_resource(show_spinner=False)
def store_engine(url: str) -> Engine:
    return open_store(url)


class StoreChanged(Exception):
    """A load committed since the page read the store's version: read again."""


@dataclass(frozen=True)
class Content:
    """One version of the store as the page holds it: every table but the intervals, whose
    numbers are in the indexes; the text of the intervals drawn is read on each rerun."""

    url: str
    version: str
    tables: dict[str, pd.DataFrame]
    indexes: StoreIndexes


# cache_resource, not cache_data: the content is shared and never changed by the page, and a
# million-interval store would otherwise be copied on every rerun.
@st.cache_resource(show_spinner=False, max_entries=2)
def store_content(url: str, version: str) -> Content:
    """The store's content, cached per version: a reload of the store shows at once."""
    with store_engine(url).connect() as connection:
        if content_hash(connection) != version:
            raise StoreChanged  # never cache one version's rows under another's key
        tables = {spec.name: read_table(connection, spec) for spec in TABLES if spec.name != "status_intervals"}
        spans, cited = interval_spans(connection), interval_sources(connection)
    return Content(url, version, tables, build_indexes(tables, spans, cited))


def interval_rows(content: Content, interval_ids: Sequence[str]) -> pd.DataFrame:
    """The full rows (text and sources) of these intervals, from the version the page shows."""
    with store_engine(content.url).connect() as connection:
        if content_hash(connection) != content.version:
            raise StoreChanged("the store was reloaded since this page was drawn: reload the page")
        return read_table(connection, "status_intervals", row_ids=interval_ids)


def read_store() -> Content:
    """The store's content for the version it holds now."""
    url = database_url()
    try:
        with st.spinner("Preparing the store (on the first run it is built from data/)…"):
            engine = store_engine(url)
            for _attempt in range(5):
                with engine.connect() as connection:
                    version = content_hash(connection)
                if version is None:
                    raise StoreEmpty("the store is empty: run `python -m crossings load` to load data/")
                try:
                    return store_content(url, version)
                except StoreChanged:
                    continue
            st.error("The store is being reloaded again and again; try again in a moment.")
            st.stop()
    except LoadRejected as exc:
        st.error("The data files break the contract, so the store could not be built:")
        st.code("\n".join(str(p) for p in exc.problems), language=None)
        st.stop()
    except (StoreEmpty, SchemaMismatch) as exc:
        st.error(md(str(exc)))
        st.stop()
    except SQLAlchemyError as exc:
        st.error(md(f"Cannot read the store: {str(getattr(exc, 'orig', exc)).splitlines()[0]}"))
        st.stop()
    raise AssertionError("unreachable")


def read_url_once(crossing_ids: list[str]) -> list[str]:
    """On a session's first run, put the URL's filters into the widgets; returns warnings."""
    if "f_crossings" in st.session_state:
        return []
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    filters, warnings = parse_query(params, crossing_ids)
    st.session_state["f_crossings"] = list(filters.crossing_ids or crossing_ids)
    st.session_state["f_from"] = filters.window_from
    st.session_state["f_to"] = filters.window_to
    st.session_state["f_as_of"] = filters.as_of
    st.session_state["f_statuses"] = list(filters.statuses or STATUS_CHOICES)
    return warnings


def sidebar_filters(crossings: pd.DataFrame) -> Filters:
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Crossings", options=list(names), format_func=lambda c: names[c], key="f_crossings",
                       help="Empty means all crossings.")
        st.date_input("From", key="f_from", help="Empty: the first recorded day.", **DATE_LIMITS)
        st.date_input("To", key="f_to", help="Empty: the as-of date.", **DATE_LIMITS)
        st.date_input("As of", key="f_as_of", help="The data is cut at this date. Empty: today.", **DATE_LIMITS)
        st.multiselect("Statuses", options=list(STATUS_CHOICES), key="f_statuses",
                       help="Which statuses the cards, timeline and interval table show. Empty means all.")
    state = st.session_state
    return Filters(tuple(state["f_crossings"]), state["f_from"], state["f_to"], state["f_as_of"],
                   tuple(state["f_statuses"]))


def write_url(filters: Filters, crossing_ids: list[str]) -> None:
    wanted = to_query(filters, crossing_ids)
    current = {name: st.query_params.get_all(name) for name in st.query_params}
    if wanted != current:
        st.query_params.from_dict(wanted)


def draw_card(card: Card) -> None:
    """One bordered card, written as one Markdown element: with 50 cards a page, every element
    a card adds costs the page a visible share of its rerun."""
    title = md(card.name) if card.sides == card.name else f"{md(card.name)}: {md(card.sides)}"
    word, colour, icon = BADGES[card.status]
    lines = [f"**{title}**", md(card.places), f":{colour}-badge[{icon} {word}]", md(card.status_text)]
    if card.detail:
        lines.append(f"What moves: {md(card.detail)}")
    lines.append(f"In the window: {card.closures} closure(s), {card.closed_days} closed day(s)")
    lines.append(f"Last closure: {md(card.last_closure)}" if card.last_closure else "No closure on record")
    source = f"Newest source: {card.newest_source}" if card.newest_source else "Newest source: none dated"
    if card.stale:
        source += " · :material/schedule: **stale** (older than 30 days)"
    lines.append(source)
    # In force first by nearest end: what a convoy planner needs first. The table has the rest.
    soonest = sorted(card.commitments, key=lambda c: (c.state != "in force", c.days_left is None,
                                                       c.days_left or 0))
    lines.extend(f":material/handshake: **{md(item.title)}**: {md(item.text)}"
                 for item in soonest[:COMMITMENTS_PER_CARD])
    if len(soonest) > COMMITMENTS_PER_CARD:
        lines.append(f"and {len(soonest) - COMMITMENTS_PER_CARD} more agreements or moratoria in the table below")
    with st.container(border=True):
        st.markdown("  \n".join(lines))


def draw_cards(cards: list[Card]) -> None:
    if not cards:
        st.info("No crossing matches these filters.")
        return
    for first in range(0, len(cards), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, card in zip(columns, cards[first:first + CARDS_PER_ROW], strict=False):
            with column:
                draw_card(card)


LINK = st.column_config.LinkColumn("Source link", display_text=r"https?://(?:www\.)?([^/]+)")

HOW_TO_READ = """
- **Days are counted from the closing day up to, not including, the reopening day.** A closure from
  2025-02-21 with a reopening on 2025-03-19 lasts 26 days; news reports often say 27 because they count
  both days. Every count is shown beside its two dates so that you can check it.
- **The as-of date cuts the data.** Whatever the store says about later days is future and counted nowhere;
  a status still running on the as-of date counts through that day. The window is inclusive at both ends.
- **Unknown means no report**, not open. A status whose end no source gives ends the day after the last
  report; "stale" marks a crossing whose newest source is more than 30 days older than the as-of date.
- **Adjacent intervals with the same status count as one run** for "since", closures and durations.
- **Where the data comes from:** curated CSV files in `data/`, each row naming its sources; where sources
  disagree, both are cited and the row's notes say how. To cite a row, give its id and its sources, e.g.
  "Border Crossing Status, status_intervals `torkham-2025-02-21` (PTI via The Week, 19 Mar 2025)".
"""


def select_cards(names: dict[str, str], order: list[str]) -> list[str]:
    """The cards to draw: those matching the search box, MAX_CARDS a page."""
    found = st.text_input("Find a crossing", key="f_find", placeholder="name, e.g. Torkham",
                          help="Shows only the crossings whose name contains this text.")
    if found.strip():
        needle = found.strip().casefold()
        order = [c for c in order if needle in names[c].casefold()]
    pages = max(1, -(-len(order) // MAX_CARDS))
    if pages > 1:
        page = st.number_input(f"{len(order)} crossings, {MAX_CARDS} a page, most urgent first: page", 1, pages,
                               key="f_card_page")
        return order[(int(page) - 1) * MAX_CARDS:int(page) * MAX_CARDS]
    return order


def main() -> None:
    content = read_store()
    store, indexes = content.tables, content.indexes
    crossings = store["crossings"]
    crossing_ids = list(crossings["crossing_id"])
    names = dict(zip(crossings["crossing_id"], crossings["name"], strict=True))
    warnings = read_url_once(crossing_ids)
    filters = sidebar_filters(crossings)
    write_url(filters, crossing_ids)

    as_of = filters.as_of or date.today()
    selected = list(filters.crossing_ids) or crossing_ids
    statuses = list(filters.statuses) or list(STATUS_CHOICES)
    window, window_warning = window_for(filters, default_window(indexes.runs, as_of).start, as_of)

    st.title("Border Crossing Status")
    updated = newest_source_date(store["sources"])
    st.markdown(
        "When the land crossings between Pakistan and Afghanistan were open, closed or restricted, which "
        "agreements and moratoria applied, and where every fact comes from.  \n"
        f"**As of {as_of}** · window {window.start} to {window.end} · data last updated "
        f"{updated or 'unknown'} (the newest source in the store)"
    )
    for warning in [*warnings, *([window_warning] if window_warning else [])]:
        st.warning(md(warning), icon=":material/link_off:")

    chosen = crossings[crossings["crossing_id"].isin(selected)]
    summary = summary_table(chosen, indexes.runs, window, as_of)
    newest = indexes.source_dates.newest(selected, as_of)
    urgent = urgency_order(list(summary["crossing_id"]), list(summary["status"]), newest, as_of)
    shown_status = dict(zip(summary["crossing_id"], summary["status"], strict=True))
    st.subheader("Status on the as-of date")
    drawn = select_cards(names, [c for c in urgent if shown_status[c] in statuses])

    # Only the text of what is drawn is read: the cards' current intervals, the table's first
    # rows and, unless the chart aggregates them, the bars of its lanes.
    matches = indexes.intervals.matching(window, as_of, selected, statuses)
    lane_ids, lane_note = chart_lanes(summary)
    lane_matches = indexes.intervals.of_crossings(matches, lane_ids)
    drawn_bars = lane_matches if len(lane_matches) <= MAX_BARS else lane_matches[:0]
    current_ids = [i for i in current_status(indexes.runs, drawn, as_of)["interval_id"] if i is not None]
    table_ids = indexes.intervals.interval_id[matches[:MAX_TABLE_ROWS]]
    try:
        texts = interval_rows(content, [*current_ids, *table_ids, *indexes.intervals.interval_id[drawn_bars]])
    except StoreChanged:
        st.rerun()
    cards = crossing_cards(
        crossings.set_index("crossing_id").loc[drawn].reset_index(), texts[texts["interval_id"].isin(current_ids)],
        store["agreements"], store["moratoria"], store["sources"], window, as_of, runs=indexes.runs,
        source_dates=indexes.source_dates, commitment_index=indexes.commitments, summary=summary, newest=newest)
    draw_cards(cards)

    def rows_of(interval_ids: np.ndarray, found: pd.DataFrame) -> pd.DataFrame:
        return interval_table(found[found["interval_id"].isin(set(interval_ids))], crossings, store["sources"],
                              window, as_of, selected, statuses)

    rows = rows_of(table_ids, texts)
    bars = (rows_of(indexes.intervals.interval_id[drawn_bars], texts) if len(drawn_bars) or not len(lane_matches)
            else indexes.intervals.bare_table(lane_matches, crossings, as_of))
    commitment_rows = commitment_table(indexes.commitments.overlapping(window, as_of, limit=MAX_TABLE_ROWS),
                                       crossings, store["sources"], window, as_of, selected)
    event_rows = event_table(store["events"], crossings, store["sources"], window, as_of, selected)

    # An agreement whose start no source gives has no place on a time axis: it is in the table.
    drawn_commitments = commitment_rows[commitment_rows["from"].notna()]
    st.subheader("Timeline")
    if not len(matches) and drawn_commitments.empty and event_rows.empty:
        st.info(f"Nothing is recorded for these crossings and statuses between {window.start} and {window.end}. "
                "Widen the window or choose other crossings.")
    else:
        if not len(matches):
            st.info("No status interval in this window; agreements and events are shown.")
        st.plotly_chart(timeline_figure(bars, [names[c] for c in lane_ids], drawn_commitments, event_rows, window,
                                        as_of, notes=[lane_note] if lane_note else None),
                        key="timeline", config={"displaylogo": False})

    for title, table, total, drop in (("Status intervals", rows, len(matches), ["crossing_id"]),
                                      ("Agreements and moratoria", commitment_rows, len(commitment_rows), []),
                                      ("Events", event_rows, len(event_rows), ["date"])):
        st.subheader(title)
        if total > MAX_TABLE_ROWS:
            st.caption(f"The first {MAX_TABLE_ROWS:,} of {total:,} rows; narrow the filters to see others"
                       + (", or download them all below." if title == "Status intervals" else "."))
        st.dataframe(table.head(MAX_TABLE_ROWS).drop(columns=drop), hide_index=True,
                     column_config={"source_url": LINK})

    with st.expander("How to read this"):
        st.markdown(HOW_TO_READ)

    st.subheader("Downloads")
    left, right = st.columns(2)
    left.download_button(
        # table_csv(summary) is summary_csv() for this selection, already computed for the cards.
        "Download summary (CSV)", data=table_csv(summary),
        file_name=export_file_name("summary", window), mime="text/csv", on_click="ignore", key="download_summary",
        help="The same file as `python -m crossings summary` for this filter and as-of date.")
    # Written only when clicked: with many crossings and years the file is large.
    right.download_button(
        "Download intervals (CSV)",
        data=lambda: table_csv(rows_of(indexes.intervals.interval_id[matches],
                                       interval_rows(content, indexes.intervals.interval_id[matches]))),
        file_name=export_file_name("intervals", window), mime="text/csv", on_click="ignore",
        key="download_intervals")


main()
