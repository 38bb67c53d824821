"""Plotly figures: DataFrames in, a Figure out; no Streamlit, no SQL."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from crossings.cards import days_text
from crossings.days import Window
from crossings.records import STATUSES
from crossings.textsafe import hover_text

__all__ = ["EVENTS_LANE", "ONGOING_PATTERN", "STATUS_COLOURS", "lane_label", "timeline_figure"]

# Okabe–Ito colours, chosen to stay distinct for the common forms of colour blindness.
# Every bar also says its status in the legend and the hover, so colour is never the only cue.
STATUS_COLOURS = {"open": "#009E73", "restricted": "#F0E442", "closed": "#D55E00"}
AGREEMENT_COLOUR = "#56B4E9"
MORATORIUM_COLOUR = "#CC79A7"
EVENT_COLOUR = "#0072B2"
ONGOING_PATTERN = "/"
EVENTS_LANE = "Events"
MS_PER_DAY = 86_400_000
LANE_CHARS = 45  # a lane label longer than this is cut: the hover has the full title
LANE_HEIGHT = 30


def lane_label(text: str) -> str:
    """A y-axis label from data: escaped (Plotly reads some HTML in labels) and cut to fit."""
    return hover_text(text, limit=LANE_CHARS)


def _bar_span(start: date | None, end_exclusive: date | None, window: Window, as_of: date,
              cut: bool = True) -> tuple[date, int]:
    """Where a bar starts and how many days it spans; open ends run to the as-of date.

    Status bars are cut at the as-of date (later days are future). An agreement's band runs to
    its last day in force even past the as-of date: that end is a term agreed, not a later fact.
    """
    first = start or window.start
    cap = as_of + timedelta(days=1)
    end = end_exclusive or cap
    if cut:
        end = min(end, cap)
    return first, max((end - first).days, 0)


def _interval_hover(row: dict, as_of: date) -> str:
    lines = [f"<b>{hover_text(row['crossing'])}: {row['status']}</b>"]
    if row["ongoing"]:
        lines.append(f"from {row['start_date']}, ongoing on {as_of} ({days_text(row['days'])} to then)")
    else:
        lines.append(f"from {row['start_date']} until {row['end_date']} ({days_text(row['days'])}; "
                     f"{row['end_date']} is the next status's first day)")
    if row["detail"]:
        lines.append(f"Detail: {hover_text(row['detail'])}")
    if row["cause"]:
        lines.append(f"Cause: {hover_text(row['cause'])}")
    lines.append(f"Source: {hover_text(row['sources'])}")
    return "<br>".join(lines)


def timeline_figure(intervals: pd.DataFrame, lanes: list[str], commitments: pd.DataFrame, events: pd.DataFrame,
                    window: Window, as_of: date) -> go.Figure:
    """One lane per crossing with bars by status, then a lane per agreement or moratorium, then events.

    intervals, commitments and events are the page's tables (crossings.tables); lanes are
    the crossing names in display order. Ongoing bars are drawn up to the as-of date and hatched.
    """
    figure = go.Figure()
    crossing_lanes = [lane_label(name) for name in lanes]
    for status in STATUSES:
        rows = intervals[intervals["status"] == status]
        if rows.empty:
            continue
        spans = [_bar_span(r.start_date, r.end_date, window, as_of) for r in rows.itertuples(index=False)]
        figure.add_trace(go.Bar(
            orientation="h",
            name=status,
            y=[lane_label(c) for c in rows["crossing"]],
            base=[s[0].isoformat() for s in spans],
            x=[s[1] * MS_PER_DAY for s in spans],
            marker={"color": STATUS_COLOURS[status], "line": {"color": "#333333", "width": 0.5},
                    # overlay: the hatching is drawn over the status colour, not instead of it
                    "pattern": {"shape": [ONGOING_PATTERN if o else "" for o in rows["ongoing"]],
                                "fillmode": "overlay", "fgcolor": "#333333", "solidity": 0.3}},
            customdata=[_interval_hover(r, as_of) for r in rows.to_dict("records")],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    if intervals["ongoing"].any():
        # A legend key for the hatching; it draws nothing.
        figure.add_trace(go.Bar(orientation="h", name="ongoing on the as-of date (hatched)", y=[crossing_lanes[0]],
                                base=[as_of.isoformat()], x=[0], hoverinfo="skip",
                                marker={"color": "#ffffff", "line": {"color": "#333333", "width": 0.5},
                                        "pattern": {"shape": ONGOING_PATTERN, "fgcolor": "#333333"}}))
    commitment_lanes = []
    for label, colour, kinds in (("agreements", AGREEMENT_COLOUR, None), ("moratoria", MORATORIUM_COLOUR, True)):
        rows = commitments[(commitments["kind"] == "moratorium") == bool(kinds)]
        if rows.empty:
            continue
        names = [lane_label(f"{r.kind}: {r.title}") for r in rows.itertuples(index=False)]
        commitment_lanes.extend(names)
        records = rows.to_dict("records")
        spans = [_bar_span(r["from"], r["until"] + timedelta(days=1) if r["until"] else None, window, as_of,
                           cut=False) for r in records]
        figure.add_trace(go.Bar(
            orientation="h", name=label, y=names,
            base=[s[0].isoformat() for s in spans], x=[s[1] * MS_PER_DAY for s in spans],
            marker={"color": colour, "line": {"color": "#333333", "width": 0.5}},
            customdata=[
                f"<b>{hover_text(r['title'])}</b><br>{hover_text(r['state'])}<br>"
                f"Covers: {hover_text(r['crossings'])}<br>Source: {hover_text(r['sources'])}"
                for r in records
            ],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    event_lanes = []
    if not events.empty:
        event_lanes = [EVENTS_LANE]
        figure.add_trace(go.Scatter(
            mode="markers", name="events", x=[d.isoformat() for d in events["date"]], y=[EVENTS_LANE] * len(events),
            marker={"color": EVENT_COLOUR, "symbol": "diamond", "size": 11, "line": {"color": "#ffffff", "width": 1}},
            customdata=[
                f"<b>{hover_text(r['title'])}</b><br>{r['when']} · {r['kind']}"
                + (f" · {hover_text(r['place'])}" if r["place"] else "")
                + f"<br>Source: {hover_text(r['sources'])}"
                for r in events.to_dict("records")
            ],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    order = crossing_lanes + commitment_lanes + event_lanes
    # Keep every lane on the axis, also one with nothing in the window: an empty lane is
    # information ("no report"), not something to hide.
    figure.add_trace(go.Scatter(x=[window.start.isoformat()] * len(order), y=order, mode="markers",
                                marker={"opacity": 0}, showlegend=False, hoverinfo="skip"))
    figure.add_shape(type="line", x0=as_of.isoformat(), x1=as_of.isoformat(), yref="paper", y0=0, y1=1,
                     line={"color": "#000000", "width": 1.5, "dash": "dash"})
    figure.add_annotation(x=as_of.isoformat(), yref="paper", y=1.0, yanchor="bottom", xanchor="right",
                          showarrow=False,
                          text=f"as of {as_of}", font={"size": 11})
    figure.update_layout(
        barmode="overlay",
        height=140 + LANE_HEIGHT * len(order),
        margin={"l": 10, "r": 10, "t": 60, "b": 30},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.04, "x": 0},
        xaxis={"type": "date", "range": [window.start.isoformat(), (window.end + timedelta(days=1)).isoformat()]},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": order, "autorange": "reversed"},
        hoverlabel={"align": "left"},
    )
    return figure
