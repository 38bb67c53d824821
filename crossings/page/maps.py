"""The map: each crossing where its gate (or the point a source gives) is, in its status on the as-of
date. Plotly scatter_geo over Natural Earth outlines served by the app; DataFrames in, a Figure out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from crossings.core.days import days_text
from crossings.core.records import STATUSES, UNKNOWN
from crossings.core.traffic import traffic_text
from crossings.core.wording import ENGLISH, N_, Words
from crossings.page.charts import STATUS_COLOURS
from crossings.page.textsafe import hover_text
from crossings.view.policy import MAX_LABELS
from crossings.view.words import STATUS_WORDS

__all__ = ["MAP_CONFIG", "MARKER_SYMBOLS", "map_figure"]

# plotly.js fetches outlines from this folder (static/topojson/, served by the app) instead of its CDN,
# so the map draws offline too. Relative: right under any baseUrlPath.
MAP_CONFIG = {"topojsonURL": "app/static/topojson/", "displaylogo": False}
# Shape as well as colour, so that colour is never the only cue.
MARKER_SYMBOLS = {"open": "circle", "restricted": "diamond", "closed": "x", UNKNOWN: "circle-open"}
UNKNOWN_COLOUR = "#888888"
# translated inside an f-string, where the extractor cannot see the call
FSTRING_MESSAGES = (N_("What moves:"),)


def _wide(low: float, high: float, at_least: float) -> list[float]:
    """A longitude range widened about its middle to at least `at_least` degrees: a map wider than tall."""
    middle, half = (low + high) / 2, max(high - low, at_least) / 2
    return [middle - half, middle + half]


def map_figure(points: pd.DataFrame, words: Words = ENGLISH) -> go.Figure:
    """points: crossing_id, name, latitude, longitude, status, since, days, traffic (kind -> status),
    newest (date or None); one marker each, grouped (legend, colour, shape) by status. Its words in the language
    of `words`; the names as the data gives them."""
    figure = go.Figure()
    labelled = len(points) <= MAX_LABELS
    for status in (*STATUSES, UNKNOWN):
        rows = points[points["status"] == status]
        if rows.empty:
            continue
        hovers = []
        for row in rows.to_dict("records"):
            since = (words._("since {day} ({days})", day=words.date(row["since"]),
                             days=days_text(int(row["days"]), words)) if row["since"] is not None
                     else words._("no report covers this date"))
            newest = (words._("newest source {day}", day=words.date(row["newest"])) if row["newest"] is not None
                      else words._("no dated source"))
            hovers.append(f"<b>{hover_text(row['name'])}</b>: {hover_text(words._(STATUS_WORDS[status]))} "
                          f"{hover_text(since)}<br>{hover_text(words._('What moves:'))} "
                          f"{hover_text(traffic_text(row['traffic'], words))}<br>{hover_text(newest)}")
        figure.add_trace(go.Scattergeo(
            name=words._(STATUS_WORDS[status]), lat=rows["latitude"].tolist(), lon=rows["longitude"].tolist(),
            mode="markers+text" if labelled else "markers",
            text=[hover_text(n, limit=30) for n in rows["name"]] if labelled else None, textposition="top center",
            marker={"size": 13, "color": STATUS_COLOURS.get(status, UNKNOWN_COLOUR),
                    "symbol": MARKER_SYMBOLS[status], "line": {"color": "#333333", "width": 1}},
            customdata=[[cid, h] for cid, h in zip(rows["crossing_id"], hovers, strict=True)],
            hovertemplate="%{customdata[1]}<extra></extra>"))
    # fitted to the markers with a margin around them (plotly's own fit leaves none)
    lat, lon = points["latitude"].astype(float), points["longitude"].astype(float)
    pad = max(1.0, 0.25 * max(lat.max() - lat.min(), lon.max() - lon.min())) if len(points) else 1.0
    figure.update_geos(
        scope="asia", resolution=50, showcountries=True, countrycolor="#555555", showland=True,
        landcolor="#f3f1ea", showocean=False, showlakes=False, showcoastlines=True,
        projection={"type": "mercator"},
        lataxis={"range": [lat.min() - pad, lat.max() + pad]} if len(points) else {},
        lonaxis={"range": _wide(lon.min() - pad, lon.max() + pad, 1.8 * (lat.max() - lat.min() + 2 * pad))}
        if len(points) else {})
    figure.update_layout(height=460, margin={"l": 0, "r": 0, "t": 10, "b": 0}, dragmode="select",
                         clickmode="event+select",
                         legend={"orientation": "h", "yanchor": "bottom", "y": 0.0, "x": 0.0,
                                 "bgcolor": "rgba(255,255,255,0.8)"})
    return figure
