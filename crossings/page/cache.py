"""The page's caches: what one rerun reuses from another, and from other sessions. The only module under
crossings/ that imports Streamlit. A view (its plan, cards, tables and figures) is worked out once per store
version, day, filter and cards drawn, and shared by every session that asks for it; the store's content is
the view layer's own (crossings.view.store), shared with the HTTP routes of the same process."""

from __future__ import annotations

from dataclasses import astuple, replace
from datetime import date
from typing import NamedTuple

import plotly.graph_objects as go
import streamlit as st

from crossings.page.charts import timeline_figure
from crossings.page.maps import map_figure
from crossings.view.board import Board, plan_board
from crossings.view.filters import Filters
from crossings.view.i18n import translator
from crossings.view.plan import View, ViewPlan, build_view, map_points, plan_view, timeline_commitments
from crossings.view.policy import MAX_MARKERS, MAX_TABLE_ROWS, lanes_note
from crossings.view.store import Content, interval_rows

__all__ = ["VIEWS_KEPT", "Shown", "board_for", "clear", "map_for", "plan_for", "shown_for"]

# Views kept per process: each a plan, its cards and tables and a figure; what is kept is what the sections
# draw (BENCHMARKS.md has what a default view of a million intervals built on the way).
VIEWS_KEPT = 8


class Shown(NamedTuple):
    view: View  # its events cut to the rows the table shows, its bars to none (the figure has drawn them)
    events: int  # how many events the view has in all
    timeline: go.Figure | None


def clear() -> None:
    """Forget every kept view (tests that run the page against several stores)."""
    st.cache_resource.clear()


# The cached functions below take the filters as a tuple (astuple(filters), made here from the same object,
# so the key is every field of Filters) and the objects they work on, unhashed (leading underscore): each
# key names everything the value depends on.

@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def _plan(_content: Content, _filters: Filters, version: str, key: tuple[object, ...], today: date) -> ViewPlan:
    return plan_view(_content.tables, _content.indexes, _filters, today)


def plan_for(content: Content, filters: Filters, today: date, warnings: list[str]) -> ViewPlan:
    """plan_view for these filters, shared by sessions; the URL's warnings are this session's own."""
    shared = _plan(content, filters, content.version, astuple(filters), today)
    return replace(shared, warnings=[*warnings, *shared.warnings])


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def _shown(_plan: ViewPlan, _content: Content, version: str, key: tuple[object, ...], today: date,
           drawn: tuple[str, ...], lang: str) -> Shown:
    words = translator(lang)
    view = build_view(_plan, _content.tables, _content.indexes, list(drawn),
                      lambda ids: interval_rows(_content, ids), words)
    commitments = timeline_commitments(view)
    timeline = (timeline_figure(view.bars, view.lane_names, commitments, view.events, _plan.window, _plan.as_of,
                                notes=[note] if (note := lanes_note(len(_plan.lane_ids), len(_plan.summary), words))
                                else None, reports=view.reports,
                                aggregated=view.bars_aggregated, words=words)
                if len(_plan.matches) or not commitments.empty or not view.events.empty else None)
    return Shown(replace(view, bars=view.bars.iloc[:0], events=view.events.head(MAX_TABLE_ROWS)),
                 len(view.events), timeline)


def shown_for(plan: ViewPlan, content: Content, filters: Filters, today: date, drawn: list[str],
              lang: str = "en") -> Shown:
    """build_view and the timeline for the plan of (version, filters, today) and the cards drawn, in a language.
    A store reloaded meanwhile raises StoreChanged, which is not kept."""
    return _shown(plan, content, content.version, astuple(filters), today, tuple(drawn), lang)


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def _board(_plan: ViewPlan, _content: Content, version: str, as_of: date, traffic: str | None,
           shown: tuple[str, ...], known_by: date | None, lang: str) -> Board:
    return plan_board(_plan, _content.tables, _content.indexes, lambda ids: interval_rows(_content, ids),
                      tr=translator(lang))


def board_for(plan: ViewPlan, content: Content, lang: str = "en") -> Board:
    """The status board of the plan in a language, shared by sessions, built once per store version, as-of date,
    kind of traffic and crossings shown (most urgent first), as known by a day: what its rows say (each one's
    status on the as-of date, since when, what moves, whether stale). A change of the window reuses it, as the
    map does. A store reloaded meanwhile raises StoreChanged, which is not kept."""
    return _board(plan, content, content.version, plan.as_of, plan.traffic, tuple(plan.shown_by_urgency),
                  plan.known_by, lang)


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def _map(_plan: ViewPlan, _content: Content, version: str, as_of: date, traffic: str | None,
         shown: tuple[str, ...], known_by: date | None, lang: str
         ) -> tuple[go.Figure | None, list[tuple[str, str]]]:
    points, unplaced = map_points(_plan, _content.tables, _content.indexes)
    return (None if points.empty else map_figure(points, translator(lang))), unplaced


def map_for(plan: ViewPlan, content: Content, lang: str = "en") -> tuple[go.Figure | None, list[tuple[str, str]]]:
    """The map and the crossings not placed, built once per store version, as-of date, kind of traffic and
    crossings shown (most urgent first), as known by a day, and language: what the markers depend on. A change of
    the window reuses it."""
    return _map(plan, content, content.version, plan.as_of, plan.traffic,
                tuple(plan.shown_by_urgency[:MAX_MARKERS]), plan.known_by, lang)
