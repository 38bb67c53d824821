"""Day arithmetic: a table of hand-worked cases, and a brute-force day-by-day reference."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import days_by_status, last_closures, no_reports, status_runs

from crossings.core.days import (
    INTERVAL_COLUMNS,
    StatusRuns,
    Window,
    current_from_runs,
    current_status,
    default_window,
    last_closures_from_runs,
    summary_table,
)

D = date.fromisoformat


def frame(*rows: tuple) -> pd.DataFrame:
    """Intervals from (crossing, status, start, end) with ISO strings; end may be None."""
    return pd.DataFrame(
        [(f"i{n}", c, s, D(a), D(b) if b else None) for n, (c, s, a, b) in enumerate(rows)],
        columns=INTERVAL_COLUMNS,
    )


TORKHAM_2025 = frame(
    ("torkham", "open", "2024-08-15", "2025-02-21"),
    ("torkham", "closed", "2025-02-21", "2025-03-19"),
    ("torkham", "restricted", "2025-03-19", "2025-03-22"),
    ("torkham", "open", "2025-03-22", "2025-10-12"),
    ("torkham", "closed", "2025-10-12", None),
)


@pytest.mark.parametrize(
    ("window", "as_of", "expected"),
    [
        # The closure [2025-02-21, 2025-03-19) is 26 days, not the reported 27.
        (("2025-02-21", "2025-03-18"), "2025-04-01", {"closed": 26, "restricted": 0, "open": 0, "unknown": 0}),
        # The reopening day is not a closed day.
        (("2025-03-19", "2025-03-19"), "2025-04-01", {"closed": 0, "restricted": 1, "open": 0, "unknown": 0}),
        # Inclusive window at both ends; clipping cuts the closure.
        (("2025-03-01", "2025-03-31"), "2025-04-01", {"closed": 18, "restricted": 3, "open": 10, "unknown": 0}),
        # Open since 2025-03-22 with as-of 2025-03-22 is one day.
        (("2025-03-22", "2025-03-22"), "2025-03-22", {"closed": 0, "restricted": 0, "open": 1, "unknown": 0}),
        # The as-of date cuts the window: later days are counted nowhere.
        (("2025-03-01", "2025-12-31"), "2025-03-20", {"closed": 18, "restricted": 2, "open": 0, "unknown": 0}),
        # Ongoing intervals count through the as-of date inclusive.
        (("2025-10-01", "2025-12-31"), "2025-10-20", {"closed": 9, "restricted": 0, "open": 11, "unknown": 0}),
        # Before the first record the days are unknown, not open.
        (("2024-08-01", "2024-08-31"), "2025-04-01", {"closed": 0, "restricted": 0, "open": 17, "unknown": 14}),
        # A window wholly after the as-of date has no days.
        (("2025-05-01", "2025-05-31"), "2025-04-01", {"closed": 0, "restricted": 0, "open": 0, "unknown": 0}),
        # The hand-computed 2025 totals of the curated Torkham data, as of year end.
        (("2025-01-01", "2025-12-31"), "2025-12-31", {"closed": 107, "restricted": 3, "open": 255, "unknown": 0}),
    ],
)
def test_days_by_status(window: tuple[str, str], as_of: str, expected: dict[str, int]) -> None:
    table = days_by_status(TORKHAM_2025, ["torkham"], Window(D(window[0]), D(window[1])), D(as_of))
    assert table.loc["torkham"].to_dict() == expected


def test_gaps_are_unknown_and_split_runs() -> None:
    intervals = frame(
        ("x", "closed", "2024-01-01", "2024-01-05"),
        # gap 01-05..01-10: unknown, and it separates two closures
        ("x", "closed", "2024-01-10", "2024-01-12"),
    )
    table = summary_table(pd.DataFrame({"crossing_id": ["x"], "name": ["X"]}), intervals,
                          Window(D("2024-01-01"), D("2024-01-31")), D("2024-01-31"), no_reports())
    row = table.iloc[0]
    assert (row.closed_days, row.unknown_days, row.closures, row.longest_closure_days) == (6, 25, 2, 4)
    assert (row.status, row.status_since) == ("unknown", "")


def test_adjacent_intervals_of_one_status_form_one_run() -> None:
    intervals = frame(
        ("x", "restricted", "2025-11-01", "2025-11-15"),
        ("x", "restricted", "2025-11-15", None),
        ("x", "closed", "2025-01-01", "2025-01-03"),  # out of order on purpose
        ("x", "closed", "2025-01-03", "2025-01-10"),
    )
    now = current_status(intervals, ["x"], D("2025-12-01")).iloc[0]
    assert (now.status, now.since, now.days) == ("restricted", D("2025-11-01"), 31)
    runs = status_runs(intervals, D("2025-12-01"))
    closed = runs[runs.status == "closed"].iloc[0]
    assert (closed.start_date, closed.end_date, closed.days) == (D("2025-01-01"), D("2025-01-10"), 9)
    summary = summary_table(pd.DataFrame({"crossing_id": ["x"], "name": ["X"]}), intervals,
                            Window(D("2025-01-05"), D("2025-12-01")), D("2025-12-01"), no_reports()).iloc[0]
    # One closure, counted at its full length although it began before the window.
    assert (summary.closures, summary.longest_closure_days, summary.closed_days) == (1, 9, 5)


def test_longest_closure_is_cut_at_as_of() -> None:
    summary = summary_table(pd.DataFrame({"crossing_id": ["torkham"], "name": ["Torkham"]}), TORKHAM_2025,
                            Window(D("2025-10-01"), D("2025-10-31")), D("2025-10-20"), no_reports()).iloc[0]
    assert (summary.status, summary.status_since, summary.closures, summary.longest_closure_days) == (
        "closed", "2025-10-12", 1, 9)


def test_last_closure_reopened_and_ongoing() -> None:
    before = last_closures(TORKHAM_2025, D("2025-04-01")).iloc[0]
    assert (before.start_date, before.end_date, before.days, before.ongoing, before.followed) == (
        D("2025-02-21"), D("2025-03-19"), 26, False, True)
    during = last_closures(TORKHAM_2025, D("2025-03-01")).iloc[0]
    assert (during.start_date, during.days, during.ongoing) == (D("2025-02-21"), 9, True)


def test_future_intervals_are_ignored() -> None:
    now = current_status(TORKHAM_2025, ["torkham"], D("2024-08-14")).iloc[0]
    assert (now.status, now.since, now.days) == ("unknown", None, 0)


def test_default_window_runs_from_first_record_to_as_of() -> None:
    assert default_window(TORKHAM_2025, D("2025-04-01")) == Window(D("2024-08-15"), D("2025-04-01"))
    assert default_window(TORKHAM_2025.iloc[0:0], D("2025-04-01")) == Window(D("2025-04-01"), D("2025-04-01"))


def test_window_rejects_end_before_start() -> None:
    with pytest.raises(ValueError, match="after its end"):
        Window(D("2025-02-02"), D("2025-02-01"))


# --- property: the counts agree with a day-by-day reference ---------------------------------

BASE = date(2020, 1, 1)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[pd.DataFrame, Window, date, list[str]]:
    ids = ["a", "b", "c"][: draw(st.integers(1, 3))]
    rows = []
    for crossing in ids:
        day = draw(st.integers(0, 20))
        for _ in range(draw(st.integers(0, 6))):
            day += draw(st.integers(0, 5))  # 0 makes adjacent intervals
            length = draw(st.integers(1, 15))
            ongoing = draw(st.booleans()) and draw(st.booleans())
            status = draw(st.sampled_from(["open", "closed", "restricted"]))
            rows.append((crossing, status, BASE + timedelta(day),
                         None if ongoing else BASE + timedelta(day + length)))
            if ongoing:
                break
            day += length
    # in any order: the counting must not rest on rows coming sorted (the store's reads do; other callers may not)
    rows = [rows[n] for n in draw(st.permutations(range(len(rows))))]
    intervals = pd.DataFrame(
        [(f"i{n}", c, s, a, b) for n, (c, s, a, b) in enumerate(rows)], columns=INTERVAL_COLUMNS)
    start = draw(st.integers(0, 120))
    window = Window(BASE + timedelta(start), BASE + timedelta(start + draw(st.integers(0, 120))))
    as_of = BASE + timedelta(draw(st.integers(0, 150)))
    # summaries are asked for a subset of the crossings too (the page's crossing filter)
    chosen = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    return intervals, window, as_of, chosen


def day_by_day(intervals: pd.DataFrame, crossing: str, as_of: date) -> dict[date, str]:
    days = {}
    for row in intervals[intervals.crossing_id == crossing].itertuples():
        end = row.end_date or as_of + timedelta(1)
        day = row.start_date
        while day < end and day <= as_of:
            days[day] = row.status
            day += timedelta(1)
    return days


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_counts_match_brute_force(scenario: tuple[pd.DataFrame, Window, date, list[str]]) -> None:
    intervals, window, as_of, ids = scenario
    crossings = pd.DataFrame({"crossing_id": ids, "name": [i.upper() for i in ids]})
    table = summary_table(crossings, intervals, window, as_of, no_reports()).set_index("crossing_id")
    assert list(table.index) == ids  # exactly the crossings asked for, in their order
    # the window's counted days, by walking it (not the product's Window.days_until)
    in_window, day = [], window.start
    while day <= window.end and day <= as_of:
        in_window.append(day)
        day += timedelta(1)
    window_days = len(in_window)
    for crossing in ids:
        status_by_day = day_by_day(intervals, crossing, as_of)
        row = table.loc[crossing]
        expected = {s: sum(status_by_day.get(d) == s for d in in_window) for s in ("open", "closed", "restricted")}
        assert row.open_days == expected["open"]
        assert row.closed_days == expected["closed"]
        assert row.restricted_days == expected["restricted"]
        assert row.unknown_days == window_days - sum(expected.values())
        assert row.open_days + row.closed_days + row.restricted_days + row.unknown_days == window_days
        # Runs of consecutive closed days; a closure counts if any of its days is in the window.
        runs, current = [], None
        for d in sorted(status_by_day):
            if status_by_day[d] == "closed" and current and current[-1] == d - timedelta(1):
                current.append(d)
            elif status_by_day[d] == "closed":
                current = [d]
                runs.append(current)
            else:
                current = None
        hit = [r for r in runs if any(d in in_window for d in r)]
        assert row.closures == len(hit)
        assert row.longest_closure_days == max((len(r) for r in hit), default=0)
        # Status on the as-of date and the first day of its run.
        today = status_by_day.get(as_of)
        assert row.status == (today or "unknown")
        if today:
            since = as_of
            while status_by_day.get(since - timedelta(1)) == today:
                since -= timedelta(1)
            assert row.status_since == since.isoformat()
        else:
            assert row.status_since == ""


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_the_latest_runs_give_the_same_status_and_last_closure(
        scenario: tuple[pd.DataFrame, Window, date, list[str]]) -> None:
    """StatusRuns.at(latest=True), each crossing's last and last closed run only, gives the cards' and the map's
    current status and last closure exactly as every run up to the as-of date does."""
    intervals, _, as_of, chosen = scenario
    runs = StatusRuns(intervals)
    for ids in (chosen, ["a", "b", "c"]):
        every, latest = runs.at(as_of, ids), runs.at(as_of, ids, latest=True)
        assert len(latest) <= 2 * len(ids)
        pd.testing.assert_frame_equal(current_from_runs(latest, ids, as_of), current_from_runs(every, ids, as_of))
        pd.testing.assert_frame_equal(last_closures_from_runs(latest).reset_index(drop=True),
                                      last_closures_from_runs(every).reset_index(drop=True))
