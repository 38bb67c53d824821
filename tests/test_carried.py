"""Carried-forward days: the summary's carried_days and the timeline's lighter parts against a plain
day-by-day rule written here, and hand-checked facts of the curated data."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from crossings.core.days import NEVER, Window, day_number, summary_table
from crossings.core.sources import SourceDates
from crossings.core.traffic import for_traffic, with_access
from crossings.view.filters import Filters
from crossings.view.plan import ViewPlan, build_view, plan_view
from crossings.view.store import Content, interval_rows, read_store
from crossings.view.words import carried_text

BASE = date(2020, 1, 1)
D = date.fromisoformat
LISTS = ("moves", "limited", "barred")


def newest_on_or_before(reports: list[date], day: date) -> date | None:
    earlier = [r for r in reports if r <= day]
    return max(earlier) if earlier else None


def carried_on(reports: list[date], day: date) -> bool:
    """The rule as README states it: more than 30 days after the newest dated report on or before the day
    (or no such report at all)."""
    newest = newest_on_or_before(reports, day)
    return newest is None or (day - newest).days > 30


# --- the summary's carried_days -----------------------------------------------------------------

@st.composite
def scenarios(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, Window, date]:
    """Intervals of crossings a and b (gaps, ongoing ones, restricted rows that may or may not name trade),
    the sources their intervals cite (some undated, some cited by both), a window and an as-of date."""
    rows = []
    for crossing in ("a", "b"):
        day = draw(st.integers(0, 20))
        for _ in range(draw(st.integers(0, 6))):
            day += draw(st.integers(0, 15))
            length = draw(st.integers(1, 60))
            status = draw(st.sampled_from(["open", "closed", "restricted"]))
            lists: dict[str, list[str]] = {name: [] for name in LISTS}
            if status == "restricted" and draw(st.booleans()):
                lists[draw(st.sampled_from(LISTS))].append("trade")
            ongoing = draw(st.integers(0, 5)) == 0
            rows.append({"interval_id": f"{crossing}{len(rows)}", "crossing_id": crossing, "status": status,
                         "start_date": BASE + timedelta(day),
                         "end_date": None if ongoing else BASE + timedelta(day + length),
                         "source_ids": draw(st.lists(st.sampled_from([f"s{n}" for n in range(8)]), max_size=3,
                                                     unique=True)),
                         **lists})
            if ongoing:
                break
            day += length
    intervals = pd.DataFrame(rows, columns=["interval_id", "crossing_id", "status", "start_date", "end_date",
                                            "source_ids", *LISTS], dtype=object)
    published = draw(st.lists(st.one_of(st.none(), st.integers(-40, 300)), min_size=8, max_size=8))
    sources = pd.DataFrame({"source_id": [f"s{n}" for n in range(8)],
                            "published_on": [None if p is None else BASE + timedelta(p) for p in published]},
                           dtype=object)
    start = draw(st.integers(0, 250))
    window = Window(BASE + timedelta(start), BASE + timedelta(start + draw(st.integers(0, 200))))
    return intervals, sources, window, BASE + timedelta(draw(st.integers(0, 400)))


def known_days(intervals: pd.DataFrame, crossing: str, as_of: date, kind: str | None) -> set[date]:
    """The days up to the as-of date whose status (one kind's, with a kind) is known, walked one by one."""
    known = set()
    for row in intervals[intervals["crossing_id"] == crossing].to_dict("records"):
        if kind is not None and row["status"] == "restricted" and not any(kind in row[n] for n in LISTS):
            continue  # the row does not name the kind: unknown for it
        day = row["start_date"]
        while (row["end_date"] is None or day < row["end_date"]) and day <= as_of:
            known.add(day)
            day += timedelta(1)
    return known


@settings(max_examples=300, deadline=None)
@given(scenarios(), st.sampled_from([None, "trade"]))
def test_carried_days_equal_a_day_by_day_count(
        scenario: tuple[pd.DataFrame, pd.DataFrame, Window, date], kind: str | None) -> None:
    intervals, sources, window, as_of = scenario
    crossings = pd.DataFrame({"crossing_id": ["a", "b"], "name": ["A", "B"]}, dtype=object)
    counted = intervals if kind is None else for_traffic(with_access(intervals), kind)
    table = summary_table(crossings, counted, window, as_of, SourceDates.of_intervals(intervals, sources))
    dated = dict(zip(sources["source_id"], sources["published_on"], strict=True))
    for crossing, found in zip(table["crossing_id"], table["carried_days"], strict=True):
        # every dated source that any interval of the crossing cites, whatever the interval's status or kind
        reports = [dated[s] for ids in intervals[intervals["crossing_id"] == crossing]["source_ids"] for s in ids
                   if dated[s] is not None]
        known = known_days(intervals, crossing, as_of, kind)
        expected, day = 0, window.start
        while day <= window.end and day <= as_of:
            expected += day in known and carried_on(reports, day)
            day += timedelta(1)
        assert found == expected, (crossing, kind)


@pytest.mark.parametrize(("days_after", "carried"), [(-1, 1), (0, 0), (1, 0), (30, 0), (31, 1), (45, 1)])
def test_a_day_is_carried_from_the_31st_day_after_a_report_as_a_card_is_stale(days_after: int, carried: int) -> None:
    """Day 30 after the report is still reported, day 31 carried forward: is_stale's boundary. The day
    before the report has no report on or before it: carried forward too, as a card without one is stale."""
    from crossings.core.sources import is_stale

    report = BASE + timedelta(100)
    intervals = pd.DataFrame({"interval_id": ["i"], "crossing_id": ["a"], "status": ["open"],
                              "start_date": [BASE], "end_date": [None], "source_ids": [["s"]]}, dtype=object)
    sources = pd.DataFrame({"source_id": ["s"], "published_on": [report]}, dtype=object)
    day = report + timedelta(days_after)
    table = summary_table(pd.DataFrame({"crossing_id": ["a"], "name": ["A"]}), intervals, Window(day, day),
                          BASE + timedelta(400), SourceDates.of_intervals(intervals, sources))
    assert table["carried_days"].tolist() == [carried]
    assert bool(carried) == is_stale(report if days_after >= 0 else None, day)


# --- the split the timeline draws ------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(reports=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(-50, 200)), max_size=12),
       spans=st.lists(st.tuples(st.sampled_from(["a", "b", "c", "zz"]), st.integers(-20, 200), st.integers(0, 120)),
                      max_size=8))
def test_split_by_reports_equals_a_day_by_day_walk(reports: list[tuple[str, int]],
                                                   spans: list[tuple[str, int, int]]) -> None:
    sources = pd.DataFrame({"source_id": [f"s{n}" for n in range(len(reports))],
                            "published_on": [BASE + timedelta(d) for _, d in reports]}, dtype=object)
    cited = pd.DataFrame({"crossing_id": [c for c, _ in reports], "source_id": list(sources["source_id"])},
                         dtype=object)
    first = np.array([day_number(BASE + timedelta(s)) for _, s, _ in spans], dtype="int64")
    parts = SourceDates(cited, sources).split_by_reports(np.array([c for c, _, _ in spans], dtype=object),
                                                         first, first + np.array([n for _, _, n in spans]))
    for n, (crossing, start, length) in enumerate(spans):
        mine = parts[parts["span"] == n]
        dates = [BASE + timedelta(d) for c, d in reports if c == crossing]
        days = [BASE + timedelta(start + k) for k in range(length)]
        # the parts tile the span in order, and no two neighbours are alike (each cut is a change)
        assert list(mine["start"]) == sorted(mine["start"])
        assert sum(mine["end"] - mine["start"]) == length
        assert all(mine["start"].iloc[1:].to_numpy() == mine["end"].iloc[:-1].to_numpy())
        assert not any(mine["carried"].iloc[1:].to_numpy() == mine["carried"].iloc[:-1].to_numpy())
        by_day = [(carried, report) for p_start, p_end, carried, report in mine[["start", "end", "carried", "report"]]
                  .itertuples(index=False) for _ in range(p_end - p_start)]
        for day, (carried, report) in zip(days, by_day, strict=True):
            assert carried == carried_on(dates, day), day
            if carried:  # the report a carried part is carried forward from, for each of its days
                newest = newest_on_or_before(dates, day)
                assert report == (NEVER if newest is None else day_number(newest)), day


# --- the curated data, checked by hand ------------------------------------------------------------

def test_torkhams_months_without_a_report_in_2024(curated_store: str) -> None:
    # Torkham was open from 2024-08-15 to 2025-02-21 (data/status_intervals.csv). The sources its intervals
    # cite (their published_on in data/sources.csv) around then are midday-2024-08-03, nation-2024-08-16
    # and then dailypakistan-2025-02-22: nothing between 16 August 2024 and 22 February 2025. In the window
    # 2024-09-01..2025-01-31 (153 days, all open) the report of 16 August covers the days through
    # 15 September (30 days after it), so 1-15 September are reported and the rest carried forward:
    # 15 (16-30 Sep) + 31 + 30 + 31 + 31 = 138.
    code, out, err = run_cli(["summary", "--from", "2024-09-01", "--to", "2025-01-31", "--crossing", "torkham",
                              "--as-of", "2025-04-01", "--db", curated_store])
    assert code == 0, err
    assert out.splitlines()[1] == "torkham,Torkham,open,2025-03-22,0,0,0,153,0,0,138"


@pytest.fixture
def content(curated_store: str) -> Content:
    return read_store(curated_store)


def torkham_plan(content: Content) -> ViewPlan:
    filters = Filters(crossing_ids=("torkham",), window_from=D("2024-08-01"), window_to=D("2025-03-31"),
                      as_of=D("2025-04-01"))
    return plan_view(content.tables, content.indexes, filters, D("2025-04-01"))


def test_the_timeline_draws_carried_days_lighter_and_says_since_when(content: Content) -> None:
    from crossings.page.charts import CARRIED_KEY, CARRIED_OPACITY, timeline_figure

    plan = torkham_plan(content)
    view = build_view(plan, content.tables, content.indexes, ["torkham"], lambda ids: interval_rows(content, ids))
    parts = view.bars[view.bars["interval_id"] == "torkham-2024-08-15"]
    # the open interval: reported through 15 September (the report of 16 August, and of 3 August before it),
    # then carried forward until its end, 188 days after the report by 20 February
    assert [(p.part_start, p.part_end, p.carried) for p in parts.itertuples()] == [
        (D("2024-08-15"), D("2024-09-16"), False), (D("2024-09-16"), D("2025-02-21"), True)]
    carried = parts[parts["carried"]].iloc[0]
    assert (carried.report, carried.carried_for) == (D("2024-08-16"), 188)
    said = carried_text(carried.report, carried.carried_for, carried.part_start,
                        carried.part_end - timedelta(days=1))
    assert said.startswith("carried forward 188 days since 2024-08-16")
    # the closure's first day, 21 February, is the last of those months; the report of 22 February covers the rest
    closure = view.bars[view.bars["interval_id"] == "torkham-2025-02-21"]
    assert [(p.part_start, p.carried) for p in closure.itertuples()] == [(D("2025-02-21"), True),
                                                                        (D("2025-02-22"), False)]
    figure = timeline_figure(view.bars, view.lane_names, view.commitments.iloc[:0], view.events.iloc[:0],
                             plan.window, plan.as_of, aggregated=view.bars_aggregated)
    lighter = [t for t in figure.data if t.marker.opacity == CARRIED_OPACITY and t.name != CARRIED_KEY]
    # and the restriction of 1-3 August 2024, whose own report (3 August) came on its last day: before it, the one
    # before is of 20 May, 74 days before 2 August
    restricted = view.bars[view.bars["interval_id"] == "torkham-2024-08-01"]
    assert [(p.part_start, p.part_end, p.carried, p.report, p.carried_for) for p in restricted.itertuples()] == [
        (D("2024-08-01"), D("2024-08-03"), True, D("2024-05-20"), 74),
        (D("2024-08-03"), D("2024-08-04"), False, D("2024-08-03"), 0)]
    assert {t.name for t in lighter} == {"open", "closed", "restricted"}
    hover = next(t for t in lighter if t.name == "open").customdata[0]
    assert "carried forward 188 days since 2024-08-16" in hover and "2024-08-15" in hover
    assert any(t.name == CARRIED_KEY for t in figure.data)
    # a mark per part, each status once in the legend
    status_marks = sum(len(t.x) for t in figure.data if t.name in ("open", "closed", "restricted"))
    assert status_marks == len(view.bars) == len(plan.bar_parts)
    assert sorted(t.name for t in figure.data if t.name in ("open", "closed", "restricted") and t.showlegend
                  is not False) == ["closed", "open", "restricted"]


def test_the_bar_budget_counts_the_parts(content: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    """A split bar is two marks: bars within MAX_BARS whose parts are not make the chart aggregate."""
    import crossings.view.policy as policy

    plan = torkham_plan(content)
    bars, marks = len(plan.drawn_bars), len(plan.bar_parts)
    assert 0 < bars < marks
    monkeypatch.setattr(policy, "MAX_BARS", marks)
    assert len(torkham_plan(content).bar_parts) == marks
    monkeypatch.setattr(policy, "MAX_BARS", bars)
    squeezed = torkham_plan(content)
    assert len(squeezed.drawn_bars) == 0 and squeezed.bar_parts.empty
    view = build_view(squeezed, content.tables, content.indexes, ["torkham"], lambda ids: interval_rows(content, ids))
    assert view.bars_aggregated and len(view.bars) == bars and "carried" not in view.bars


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.integers(-40, 300))
def test_reports_published_by_a_day_equal_reports_built_from_only_those(
        scenario: tuple[pd.DataFrame, pd.DataFrame, Window, date], cut: int) -> None:
    """known_by cuts the reports (SourceDates.published_by): the cut gives the carried parts and the newest
    report that a store holding only the sources published by then gives."""
    intervals, sources, window, as_of = scenario
    known_by = BASE + timedelta(cut)
    early = sources.assign(published_on=[d if d is not None and d <= known_by else None
                                         for d in sources["published_on"]])
    cut_down = SourceDates.of_intervals(intervals, sources).published_by(known_by)
    built = SourceDates.of_intervals(intervals, early)
    assert cut_down.newest(["a", "b"], as_of) == built.newest(["a", "b"], as_of)
    ids = np.array(["a", "b", "a"], dtype=object)
    start = np.array([day_number(window.start)] * 3, dtype="int64")
    end = np.array([day_number(window.end) + 1, day_number(window.end) + 1, day_number(window.start) + 5])
    pd.testing.assert_frame_equal(cut_down.split_by_reports(ids, start, end), built.split_by_reports(ids, start, end))
