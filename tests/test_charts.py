"""The timeline figure: lanes, colours, ongoing marks, bands and markers for given tables."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from crossings.core.days import Window
from crossings.page.charts import EVENTS_LANE, ONGOING_PATTERN, STATUS_COLOURS, timeline_figure

D = date.fromisoformat
INTERVALS = pd.DataFrame(
    [
        ("torkham", "Torkham", "closed", D("2025-02-21"), D("2025-03-19"), False, 26, None, "checkpost dispute",
         "PTI via The Week: report"),
        ("torkham", "Torkham", "open", D("2025-03-22"), None, True, 11, "pedestrians and cargo", None, "Amu TV"),
        ("chaman", "Chaman / Spin Boldak", "restricted", D("2025-03-01"), D("2025-03-05"), False, 4, "cargo only",
         None, "x"),
    ],
    columns=["crossing_id", "crossing", "status", "start_date", "end_date", "ongoing", "days", "detail", "cause",
             "sources"],
    dtype=object,
)
COMMITMENTS = pd.DataFrame(
    [("c1", "ceasefire", "Flag meeting", "ceasefire in force until 2025-04-15, 14 days left", D("2025-03-19"),
      D("2025-04-15"), "Torkham", "PTI", None),
     ("m1", "moratorium", "new checkposts", "moratorium in force since 2025-03-19, no end date", D("2025-03-19"),
      None, "whole border", "PTI", None)],
    columns=["id", "kind", "title", "state", "from", "until", "crossings", "sources", "source_url"], dtype=object)
EVENTS = pd.DataFrame(
    [("e1", D("2025-03-17"), "2025-03-17", "meeting", "Joint jirga", "Torkham", "Torkham", "The Nation", None, None)],
    columns=["id", "date", "when", "kind", "title", "place", "crossings", "sources", "source_url", "notes"],
    dtype=object)
WINDOW = Window(D("2025-02-01"), D("2025-04-30"))
AS_OF = D("2025-04-01")


@pytest.fixture
def figure():
    return timeline_figure(INTERVALS, ["Torkham", "Chaman / Spin Boldak"], COMMITMENTS, EVENTS, WINDOW, AS_OF)


def trace(figure, name: str):
    return next(t for t in figure.data if t.name == name)


def test_one_lane_per_crossing_then_bands_then_events(figure) -> None:
    assert list(figure.layout.yaxis.categoryarray) == [
        "Torkham", "Chaman / Spin Boldak", "ceasefire: Flag meeting", "moratorium: new checkposts", EVENTS_LANE]
    assert figure.layout.yaxis.autorange == "reversed"


def test_bars_coloured_by_status_with_a_legend(figure) -> None:
    for status in ("closed", "open", "restricted"):
        bar = trace(figure, status)
        assert bar.marker.color == STATUS_COLOURS[status] and bar.showlegend is not False
    closed = trace(figure, "closed")
    assert closed.base == ("2025-02-21",) and closed.x == (26 * 86_400_000,)


def test_ongoing_bars_run_to_the_as_of_date_and_are_hatched(figure) -> None:
    bar = trace(figure, "open")
    assert bar.base == ("2025-03-22",) and bar.x == (11 * 86_400_000,)  # 22 March .. 1 April inclusive
    assert bar.marker.pattern.shape == (ONGOING_PATTERN,)
    assert trace(figure, "closed").marker.pattern.shape == ("",)
    assert "ongoing" in trace(figure, "ongoing on the as-of date (hatched)").name


def test_agreements_and_moratoria_are_bands(figure) -> None:
    agreements, moratoria = trace(figure, "agreements"), trace(figure, "moratoria")
    assert agreements.base == ("2025-03-19",) and agreements.x == (28 * 86_400_000,)  # 19 Mar..15 Apr inclusive
    assert moratoria.x == (14 * 86_400_000,)  # open-ended: drawn to the as-of date
    assert "14 days left" in agreements.customdata[0]


def test_events_are_markers_and_hover_names_dates_days_cause_source(figure) -> None:
    events = trace(figure, "events")
    assert events.mode == "markers" and events.x == ("2025-03-17",)
    hover = trace(figure, "closed").customdata[0]
    assert "2025-02-21" in hover and "2025-03-19" in hover and "26 days" in hover
    assert "checkpost dispute" in hover and "PTI via The Week" in hover


def test_x_range_follows_the_window_and_a_line_marks_as_of(figure) -> None:
    assert tuple(figure.layout.xaxis.range) == ("2025-02-01", "2025-05-01")
    line = figure.layout.shapes[0]
    assert line.x0 == line.x1 == "2025-04-01"


def test_data_text_is_escaped_in_the_figure() -> None:
    hostile = INTERVALS.copy()
    hostile.loc[0, "cause"] = "<script>alert(1)</script>"
    hostile.loc[0, "crossing"] = "<img src=x onerror=alert(1)>"
    figure = timeline_figure(hostile, ["<img src=x onerror=alert(1)>", "Chaman / Spin Boldak"], COMMITMENTS,
                             EVENTS, WINDOW, AS_OF)
    text = figure.to_json()
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text


def test_reports_are_ticks_on_their_crossings_lane() -> None:
    reports = pd.DataFrame({"crossing_id": ["torkham", "torkham", "nawa-pass"],
                            "crossing": ["Torkham", "Torkham", "Nawa Pass"],
                            "date": [date(2025, 3, 19), date(2025, 2, 22), date(2025, 3, 1)],
                            "source": ["PTI via The Week: <b>x</b> (2025-03-19)", "Daily Pakistan", "Dawn"]},
                           dtype=object)
    figure = timeline_figure(INTERVALS, ["Torkham", "Chaman / Spin Boldak"], COMMITMENTS, EVENTS, WINDOW, AS_OF,
                             reports=reports)
    ticks = trace(figure, "dated report (source)")
    assert list(ticks.x) == ["2025-03-19", "2025-02-22"]  # Nawa Pass has no lane: no tick
    assert list(ticks.y) == ["Torkham", "Torkham"]
    assert "Report of 2025-03-19" in ticks.customdata[0] and "&lt;b&gt;x&lt;/b&gt;" in ticks.customdata[0]


def test_the_map_names_markers_beside_them_only_while_they_can_be_read() -> None:
    from crossings.core.records import TRAFFIC_KINDS
    from crossings.page.maps import map_figure
    from crossings.view.policy import MAX_LABELS

    def points(count: int) -> pd.DataFrame:
        return pd.DataFrame({"crossing_id": [f"c{n}" for n in range(count)], "name": [f"C {n}" for n in range(count)],
                             "latitude": [30 + n / 100 for n in range(count)], "longitude": [65.0] * count,
                             "status": ["open"] * count, "since": [None] * count, "days": [0] * count,
                             "traffic": [dict.fromkeys(TRAFFIC_KINDS, "open")] * count, "newest": [None] * count})

    few, many = map_figure(points(MAX_LABELS)), map_figure(points(MAX_LABELS + 1))
    assert few.data[0].mode == "markers+text" and list(few.data[0].text) == [f"C {n}" for n in range(MAX_LABELS)]
    assert many.data[0].mode == "markers" and many.data[0].text is None
    assert "C 50" in many.data[0].customdata[-1][1]  # the hover still names it


def test_the_chart_draws_agreements_in_force_first_by_their_state_not_their_words() -> None:
    """Past MAX_COMMITMENT_LANES bands, those in force are drawn first: 'not yet in force' contains the words
    'in force' but is not."""
    from datetime import date

    from crossings.core.days import Window
    from crossings.view.policy import MAX_COMMITMENT_LANES

    rows = [{"id": f"g{n}", "kind": "ceasefire", "title": f"Later {n}", "state": "ceasefire in force from 2026-01-01",
             "from": date(2026, 1, 1), "until": None, "crossings": "Torkham", "sources": "", "source_url": None,
             "standing": "not yet in force"} for n in range(MAX_COMMITMENT_LANES)]
    rows.append({"id": "now", "kind": "ceasefire", "title": "Standing now",
                 "state": "ceasefire in force since 2025-01-01, no end date", "from": date(2025, 1, 1),
                 "until": None, "crossings": "Torkham", "sources": "", "source_url": None, "standing": "in force"})
    commitments = pd.DataFrame(rows, dtype=object)
    empty = pd.DataFrame(columns=["crossing", "status", "ongoing", "start_date", "end_date"])
    events = pd.DataFrame(columns=["date", "title", "when", "kind", "place", "sources"])
    figure = timeline_figure(empty, [], commitments, events, Window(date(2025, 1, 1), date(2025, 6, 30)),
                             date(2025, 6, 30))
    drawn = [label for trace in figure.data if trace.name == "agreements" for label in trace.y]
    assert len(drawn) == MAX_COMMITMENT_LANES and "ceasefire: Standing now" in drawn
