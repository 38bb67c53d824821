"""Plotly figures: DataFrames in, a Figure out; no Streamlit, no SQL."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from crossings.core.commitments import COMMITMENT_LABELS, IN_FORCE
from crossings.core.days import NO_END, Window, day_numbers, days_text, from_day_number
from crossings.core.records import STATUSES, UNKNOWN
from crossings.core.wording import ENGLISH, N_, Words
from crossings.page.textsafe import hover_text
from crossings.view.policy import MAX_BARS, MAX_COMMITMENT_LANES, MAX_EVENT_MARKERS, draws_bars
from crossings.view.words import STATUS_WORDS, carried_text

__all__ = [
    "CARRIED_KEY",
    "CARRIED_OPACITY",
    "EVENTS_LANE",
    "ONGOING_PATTERN",
    "STATUS_COLOURS",
    "lane_label",
    "timeline_figure",
]

# Okabe–Ito colours, chosen to stay distinct for the common forms of colour blindness.
# Every bar also says its status in the legend and the hover, so colour is never the only cue.
STATUS_COLOURS = {"open": "#009E73", "restricted": "#F0E442", "closed": "#D55E00"}
AGREEMENT_COLOUR = "#56B4E9"
MORATORIUM_COLOUR = "#CC79A7"
EVENT_COLOUR = "#0072B2"
REPORT_COLOUR = "#000000"
ONGOING_PATTERN = "/"
# A status carried forward more than 30 days past its newest report is drawn in its colour, lighter: the same
# status, resting on an older report (the hover says since when). Colour is not the only cue: the hover says so.
CARRIED_OPACITY = 0.4
CARRIED_KEY = N_("carried forward over 30 days since a report (lighter)")
EVENTS_LANE = N_("Events")
# translated inside f-strings, where the extractor cannot see the call
FSTRING_MESSAGES = (N_("Detail:"), N_("Cause:"), N_("Source:"), N_("Covers:"), N_("Report of {day}"))
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


def _interval_hover(row: dict, as_of: date, words: Words) -> str:
    lines = [f"<b>{hover_text(row['crossing'])}: {hover_text(words._(STATUS_WORDS[row['status']]))}</b>"]
    if row.get("carried"):
        said = carried_text(row["report"], row["carried_for"], row["part_start"],
                            row["part_end"] - timedelta(days=1), words)
        lines.append(f"<i>{hover_text(said)}</i>")
    days = days_text(row["days"], words)
    if row["ongoing"]:
        lines.append(hover_text(words._("from {start}, ongoing on {as_of} ({days} to then)",
                                        start=words.date(row["start_date"]), as_of=words.date(as_of), days=days)))
    else:
        lines.append(hover_text(words._("from {start} until {end} ({days}; {end} is the next status's first day)",
                                        start=words.date(row["start_date"]), end=words.date(row["end_date"]),
                                        days=days)))
    if row["detail"]:
        lines.append(f"{hover_text(words._('Detail:'))} {hover_text(row['detail'])}")
    if row["cause"]:
        lines.append(f"{hover_text(words._('Cause:'))} {hover_text(row['cause'])}")
    lines.append(f"{hover_text(words._('Source:'))} {hover_text(row['sources'])}")
    if row.get("quotes"):
        lines.append(hover_text(row["quotes"]))
    return "<br>".join(lines)


def _bucket_shares(figure: go.Figure, intervals: pd.DataFrame, lanes: list[str], window: Window, as_of: date,
                   budget: int, words: Words) -> str:
    """Bars per lane and period showing the period's open, restricted and closed days side by side.

    Used when one bar per interval would exceed the budget: per-lane totals per status are exactly
    those of the intervals, only their order inside a period is lost, and so is which days were carried
    forward (the summary's carried_days counts them). Returns the note to show.
    """
    first, stop = window.day_span(as_of)
    span = max(stop - first, 1)
    periods = max(1, min(span, budget // (len(STATUSES) * max(len(lanes), 1))))
    edges = np.unique(np.linspace(0, span, periods + 1).round().astype("int64"))
    lane_of = {name: i for i, name in enumerate(lanes)}
    lane = intervals["crossing"].map(lane_of).to_numpy()
    # the days of each row: a part's own when the rows are parts of bars (they add up to their intervals)
    starts, ends = ("part_start", "part_end") if "part_start" in intervals else ("start_date", "end_date")
    start = np.clip(day_numbers(intervals[starts], NO_END) - first, 0, span)
    end = np.clip(np.minimum(day_numbers(intervals[ends], NO_END), stop) - first, 0, span)
    days = {}
    for status in STATUSES:
        pick = (intervals["status"] == status).to_numpy()
        diff = np.zeros((len(lanes), span + 1), dtype="int64")
        np.add.at(diff, (lane[pick], start[pick]), 1)
        np.add.at(diff, (lane[pick], end[pick]), -1)
        daily = np.cumsum(diff[:, :-1], axis=1)
        days[status] = np.add.reduceat(daily, edges[:-1], axis=1)
    offset = np.zeros((len(lanes), len(edges) - 1), dtype="int64")
    labels = [lane_label(name) for name in lanes]
    totals = np.sum(list(days.values()), axis=0)
    for status in STATUSES:
        counts = days[status]
        lanes_at, periods_at = np.nonzero(counts)
        bases, widths, hovers = [], [], []
        for li, pi in zip(lanes_at, periods_at, strict=True):
            period_start = first + edges[pi]
            bases.append(from_day_number(period_start + offset[li, pi]).isoformat())
            widths.append(int(counts[li, pi]) * MS_PER_DAY)
            length = int(edges[pi + 1] - edges[pi])
            shares = {**{k: int(days[k][li, pi]) for k in STATUSES}, UNKNOWN: length - int(totals[li, pi])}
            hovers.append(f"<b>{labels[li]}</b><br>" + hover_text(words._(
                "{start} to {end}: {shares}", start=words.date(from_day_number(period_start)),
                end=words.date(from_day_number(period_start + length - 1)),
                shares=words._(", ").join(words._("{status} {count} d", status=words._(STATUS_WORDS[k]),
                                                  count=words.number(n)) for k, n in shares.items()))))
        offset += counts
        if bases:
            figure.add_trace(go.Bar(
                orientation="h", name=words._(STATUS_WORDS[status]), y=[labels[li] for li in lanes_at], base=bases,
                x=widths,
                marker={"color": STATUS_COLOURS[status], "line": {"width": 0}},
                customdata=hovers, hovertemplate="%{customdata}<extra></extra>"))
    period_days = round(span / (len(edges) - 1))
    count = intervals["interval_id"].nunique() if "interval_id" in intervals else len(intervals)
    return words._("aggregated: {count} intervals drawn as the open, restricted and closed days of each "
                   "{days}-day period, side by side (totals are exact)", count=words.number(count),
                   days=words.number(period_days))


def timeline_figure(intervals: pd.DataFrame, lanes: list[str], commitments: pd.DataFrame, events: pd.DataFrame,
                    window: Window, as_of: date, notes: list[str] | None = None,
                    reports: pd.DataFrame | None = None, aggregated: bool = False, words: Words = ENGLISH
                    ) -> go.Figure:
    """One lane per crossing with bars by status, then a lane per agreement or moratorium, then events.

    intervals, commitments and events are the view's tables (crossings.view.tables); lanes are
    the crossing names in display order (intervals of other crossings are left out). A row of
    `intervals` is one mark: a part of a bar (View.bars: its part_start, part_end and carried, the
    carried parts drawn lighter) or, in a table without those columns, a whole bar. Ongoing
    bars are drawn up to the as-of date and hatched. What a screen can show bounds the figure:
    `aggregated` (the view found more than MAX_BARS marks) or more than MAX_BARS rows make the bars
    per-period shares; beyond MAX_COMMITMENT_LANES and MAX_EVENT_MARKERS the rest are left to the
    tables; each time the figure says so. Its words (legend, hovers, notes) in the language of `words`; the
    time axis runs left to right in every language.
    """
    figure = go.Figure()
    notes = list(notes or [])
    crossing_lanes = [lane_label(name) for name in lanes]
    intervals = intervals[intervals["crossing"].isin(set(lanes))]
    if aggregated or not draws_bars(len(intervals)):
        notes.append(_bucket_shares(figure, intervals, list(lanes), window, as_of, MAX_BARS, words))
        intervals = intervals.iloc[0:0]
    _add_status_bars(figure, intervals, window, as_of, words)
    if reports is not None and not reports.empty:
        _add_report_ticks(figure, reports[reports["crossing"].isin(set(lanes))], words)
    if intervals["ongoing"].any():
        _add_ongoing_key(figure, crossing_lanes[0], as_of, words)
    if "carried" in intervals and intervals["carried"].any():
        _add_carried_key(figure, crossing_lanes[0], as_of, words)
    commitments, events = _within_budget(commitments, events, notes, words)
    commitment_lanes = _add_commitment_bands(figure, commitments, window, as_of, words)
    event_lanes = _add_event_markers(figure, events, words)
    _lay_out(figure, crossing_lanes + commitment_lanes + event_lanes, window, as_of, notes, words)
    return figure


def _add_status_bars(figure: go.Figure, intervals: pd.DataFrame, window: Window, as_of: date, words: Words) -> None:
    """A mark per row, coloured by status, hatched while ongoing on the as-of date: a trace per status of the
    reported parts, and one of the parts carried forward, lighter, that the status's legend entry also toggles."""
    carried = (intervals["carried"].to_numpy(dtype=bool) if "carried" in intervals
               else np.zeros(len(intervals), dtype=bool))
    for status in STATUSES:
        of_status = (intervals["status"] == status).to_numpy(dtype=bool)
        reported_rows, carried_rows = intervals[of_status & ~carried], intervals[of_status & carried]
        for rows, lighter in ((reported_rows, False), (carried_rows, True)):
            if rows.empty:
                continue
            spans = (list(zip(rows["part_start"], rows["part_days"], strict=True)) if "part_start" in rows else
                     [_bar_span(r.start_date, r.end_date, window, as_of) for r in rows.itertuples(index=False)])
            figure.add_trace(go.Bar(
                orientation="h",
                name=words._(STATUS_WORDS[status]),
                legendgroup=status,
                # one legend entry per status: the carried parts' only when the status has no reported part
                showlegend=not lighter or reported_rows.empty,
                y=[lane_label(c) for c in rows["crossing"]],
                base=[s[0].isoformat() for s in spans],
                x=[s[1] * MS_PER_DAY for s in spans],
                marker={"color": STATUS_COLOURS[status], "line": {"color": "#333333", "width": 0.5},
                        "opacity": CARRIED_OPACITY if lighter else 1.0,
                        # overlay: the hatching is drawn over the status colour, not instead of it
                        "pattern": {"shape": [ONGOING_PATTERN if o else "" for o in rows["ongoing"]],
                                    "fillmode": "overlay", "fgcolor": "#333333", "solidity": 0.3}},
                customdata=[_interval_hover(r, as_of, words) for r in rows.to_dict("records")],
                hovertemplate="%{customdata}<extra></extra>",
            ))


def _add_report_ticks(figure: go.Figure, shown: pd.DataFrame, words: Words) -> None:
    """A tick where a source reports on the crossing: between ticks a status is carried forward."""
    if shown.empty:
        return
    figure.add_trace(go.Scatter(
        mode="markers", name=words._("dated report (source)"), x=[d.isoformat() for d in shown["date"]],
        y=[lane_label(c) for c in shown["crossing"]],
        marker={"symbol": "line-ns-open", "size": 14, "color": REPORT_COLOUR, "line": {"width": 2}},
        customdata=[f"<b>{hover_text(words._('Report of {day}', day=words.date(d)))}</b><br>{hover_text(s)}" for d, s in
                    zip(shown["date"], shown["source"], strict=True)],
        hovertemplate="%{customdata}<extra></extra>"))


def _add_ongoing_key(figure: go.Figure, lane: str, as_of: date, words: Words) -> None:
    """A legend key for the hatching; it draws nothing."""
    figure.add_trace(go.Bar(orientation="h", name=words._("ongoing on the as-of date (hatched)"), y=[lane],
                            base=[as_of.isoformat()], x=[0], hoverinfo="skip",
                            marker={"color": "#ffffff", "line": {"color": "#333333", "width": 0.5},
                                    "pattern": {"shape": ONGOING_PATTERN, "fgcolor": "#333333"}}))


def _add_carried_key(figure: go.Figure, lane: str, as_of: date, words: Words) -> None:
    """A legend key for the lighter parts; it draws nothing."""
    figure.add_trace(go.Bar(orientation="h", name=words._(CARRIED_KEY), y=[lane], base=[as_of.isoformat()], x=[0],
                            hoverinfo="skip", marker={"color": "#999999", "opacity": CARRIED_OPACITY,
                                                      "line": {"color": "#333333", "width": 0.5}}))


def _within_budget(commitments: pd.DataFrame, events: pd.DataFrame, notes: list[str], words: Words
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """At most MAX_COMMITMENT_LANES bands (those in force first) and MAX_EVENT_MARKERS markers (the latest),
    each cut said in `notes`."""
    if len(commitments) > MAX_COMMITMENT_LANES:
        # the structured state, never the display text ("not yet in force" contains "in force")
        in_force = (commitments["standing"] == IN_FORCE).to_numpy(dtype=bool)
        commitments = pd.concat([commitments[in_force], commitments[~in_force]]).head(MAX_COMMITMENT_LANES)
        notes.append(words._("{count} agreements and moratoria drawn (those in force first); the table lists them "
                             "all", count=words.number(MAX_COMMITMENT_LANES)))
    if len(events) > MAX_EVENT_MARKERS:
        events = events.sort_values("date", ascending=False, kind="stable").head(MAX_EVENT_MARKERS)
        notes.append(words._("the latest {count} events drawn; the table lists them all",
                             count=words.number(MAX_EVENT_MARKERS)))
    return commitments, events


def _add_commitment_bands(figure: go.Figure, commitments: pd.DataFrame, window: Window, as_of: date, words: Words
                          ) -> list[str]:
    """A band per agreement (one trace) and per moratorium (another); returns their lanes in order."""
    lanes: list[str] = []
    for label, colour, moratoria in ((N_("agreements"), AGREEMENT_COLOUR, False),
                                     (N_("moratoria"), MORATORIUM_COLOUR, True)):
        rows = commitments[(commitments["kind"] == "moratorium") == moratoria]
        if rows.empty:
            continue
        names = [lane_label(words._("{kind}: {title}", kind=words._(COMMITMENT_LABELS.get(r.kind, r.kind)),
                                    title=r.title)) for r in rows.itertuples(index=False)]
        lanes.extend(names)
        records = rows.to_dict("records")
        spans = [_bar_span(r["from"], _band_end(r), window, as_of, cut=False) for r in records]
        figure.add_trace(go.Bar(
            orientation="h", name=words._(label), y=names,
            base=[s[0].isoformat() for s in spans], x=[s[1] * MS_PER_DAY for s in spans],
            marker={"color": colour, "line": {"color": "#333333", "width": 0.5}},
            customdata=[
                f"<b>{hover_text(r['title'])}</b><br>{hover_text(r['state'])}<br>"
                f"{hover_text(words._('Covers:'))} {hover_text(r['crossings'])}<br>"
                f"{hover_text(words._('Source:'))} {hover_text(r['sources'])}"
                + (f"<br>{hover_text(r['quotes'])}" if r.get("quotes") else "")
                for r in records
            ],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    return lanes


def _band_end(row: dict) -> date | None:
    """Where an agreement's band stops (exclusive): a reported end known by the as-of date, else the day after
    its term's last day, else the as-of date."""
    if row.get("ended") is not None:
        return row["ended"]
    return row["until"] + timedelta(days=1) if row["until"] else None


def _add_event_markers(figure: go.Figure, events: pd.DataFrame, words: Words) -> list[str]:
    """A marker per event on one lane; returns that lane, or none."""
    if events.empty:
        return []
    figure.add_trace(go.Scatter(
        mode="markers", name=words._("events"), x=[d.isoformat() for d in events["date"]],
        y=[words._(EVENTS_LANE)] * len(events),
        marker={"color": EVENT_COLOUR, "symbol": "diamond", "size": 11, "line": {"color": "#ffffff", "width": 1}},
        customdata=[
            f"<b>{hover_text(r['title'])}</b><br>{r['when']} · {r['kind']}"
            + (f" · {hover_text(r['place'])}" if r["place"] else "")
            + f"<br>{hover_text(words._('Source:'))} {hover_text(r['sources'])}"
            for r in events.to_dict("records")
        ],
        hovertemplate="%{customdata}<extra></extra>",
    ))
    return [words._(EVENTS_LANE)]


def _lay_out(figure: go.Figure, order: list[str], window: Window, as_of: date, notes: list[str], words: Words
            ) -> None:
    """Every lane on the axis in order, the as-of line, and the notes as the title."""
    # Keep every lane on the axis, also one with nothing in the window: an empty lane is
    # information ("no report"), not something to hide.
    figure.add_trace(go.Scatter(x=[window.start.isoformat()] * len(order), y=order, mode="markers",
                                marker={"opacity": 0}, showlegend=False, hoverinfo="skip"))
    figure.add_shape(type="line", x0=as_of.isoformat(), x1=as_of.isoformat(), yref="paper", y0=0, y1=1,
                     line={"color": "#000000", "width": 1.5, "dash": "dash"})
    figure.add_annotation(x=as_of.isoformat(), yref="paper", y=1.0, yanchor="bottom", xanchor="right",
                          showarrow=False, text=hover_text(words._("as of {day}", day=words.date(as_of))),
                          font={"size": 11})
    figure.update_layout(
        barmode="overlay",
        height=140 + LANE_HEIGHT * len(order),
        margin={"l": 10, "r": 10, "t": 60, "b": 30},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.04, "x": 0},
        # ISO dates on the time axis, left to right, in every language: Plotly's own month names are English only
        xaxis={"type": "date", "range": [window.start.isoformat(), (window.end + timedelta(days=1)).isoformat()],
               "tickformat": "%Y-%m-%d"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": order, "autorange": "reversed"},
        hoverlabel={"align": "left"},
    )
    if notes:
        figure.update_layout(title={"text": hover_text("; ".join(notes), limit=400), "font": {"size": 12},
                                    "x": 0, "xanchor": "left", "y": 0.995, "yanchor": "top"},
                             margin={"t": 90})
