"""What moves: per-kind status, days and summaries against a day-by-day reference, on the CLI and
on the page."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pandas as pd
import pytest
from conftest import record_downloads, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st_
from oracles import no_reports
from streamlit.testing.v1 import AppTest

from crossings.core.days import Window, summary_table
from crossings.core.traffic import for_traffic, with_access

BASE = date(2020, 1, 1)
KINDS = ["trade", "transit", "aid", "travellers", "returnees"]
# written out here, not taken from the product: a list's kinds have this status in a restricted row
LIST_MEANS = {"moves": "open", "limited": "restricted", "barred": "closed"}


@st_.composite
def intervals_with_lists(draw: st_.DrawFn) -> tuple[pd.DataFrame, Window, date, list[str]]:
    rows = []
    for crossing in ["a", "b"]:
        day = draw(st_.integers(0, 10))
        for _ in range(draw(st_.integers(0, 6))):
            day += draw(st_.integers(0, 4))
            length = draw(st_.integers(1, 12))
            status = draw(st_.sampled_from(["open", "closed", "restricted"]))
            lists = {"moves": [], "limited": [], "barred": []}
            if status == "restricted":
                named = draw(st_.lists(st_.sampled_from(KINDS), min_size=1, max_size=5, unique=True))
                for kind in named:
                    lists[draw(st_.sampled_from(["moves", "limited", "barred"]))].append(kind)
            ongoing = draw(st_.integers(0, 4)) == 0
            rows.append({"interval_id": f"{crossing}{len(rows)}", "crossing_id": crossing, "status": status,
                         "start_date": BASE + timedelta(day),
                         "end_date": None if ongoing else BASE + timedelta(day + length),
                         **{name: sorted(v, key=KINDS.index) for name, v in lists.items()}})
            if ongoing:
                break
            day += length
    frame = pd.DataFrame(rows, columns=["interval_id", "crossing_id", "status", "start_date", "end_date", "moves",
                                        "limited", "barred"], dtype=object)
    start = draw(st_.integers(0, 60))
    window = Window(BASE + timedelta(start), BASE + timedelta(start + draw(st_.integers(0, 60))))
    as_of = BASE + timedelta(draw(st_.integers(0, 80)))
    return frame, window, as_of, draw(st_.lists(st_.sampled_from(["a", "b"]), min_size=1, unique=True))


def status_of_kind(row: dict, kind: str) -> str | None:
    if row["status"] != "restricted":
        return row["status"]
    for name, status in LIST_MEANS.items():
        if kind in row[name]:
            return status
    return None  # the row does not name the kind: unknown


@settings(max_examples=120, deadline=None)
@given(intervals_with_lists())
def test_each_kinds_counts_equal_a_day_by_day_count(scenario: tuple[pd.DataFrame, Window, date, list[str]]) -> None:
    intervals, window, as_of, ids = scenario
    crossings = pd.DataFrame({"crossing_id": ids, "name": ids})
    days_in_window = []
    day = window.start
    while day <= window.end and day <= as_of:
        days_in_window.append(day)
        day += timedelta(1)
    for kind in KINDS:
        table = summary_table(crossings, for_traffic(with_access(intervals), kind), window, as_of, no_reports())
        table = table.set_index("crossing_id")
        for crossing in ids:
            by_day = {}
            for row in intervals[intervals["crossing_id"] == crossing].to_dict("records"):
                d = row["start_date"]
                while (row["end_date"] is None or d < row["end_date"]) and d <= as_of:
                    if status_of_kind(row, kind):
                        by_day[d] = status_of_kind(row, kind)
                    d += timedelta(1)
            counts = {s: sum(by_day.get(d) == s for d in days_in_window) for s in ("open", "closed", "restricted")}
            row = table.loc[crossing]
            assert (row.open_days, row.closed_days, row.restricted_days) == (
                counts["open"], counts["closed"], counts["restricted"]), (kind, crossing)
            assert row.unknown_days == len(days_in_window) - sum(counts.values())
            assert row.open_days + row.closed_days + row.restricted_days + row.unknown_days == len(days_in_window)
            today = by_day.get(as_of)
            assert row.status == (today or "unknown")
            if today:
                since = as_of
                while by_day.get(since - timedelta(1)) == today:
                    since -= timedelta(1)
                assert row.status_since == since.isoformat()


def summary_rows(out: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(out)))


@pytest.mark.parametrize(("kind", "expected"), [
    # trade: closed 26 days (21 Feb to the 19 March reopening for cargo), then open from 2025-03-19
    # carried forward: only 21 February, the last day before the report of 22 February (the one before
    # it is of 2024-08-16); the days unknown for a kind are not counted
    ("trade", "torkham,Torkham,open,2025-03-19,1,26,0,13,0,26,1"),
    ("transit", "torkham,Torkham,open,2025-03-19,1,26,0,13,0,26,1"),
    # travellers: closed until the 22 March reopening for pedestrians: 29 days
    ("travellers", "torkham,Torkham,open,2025-03-22,1,29,0,10,0,29,1"),
    # aid and returnees: the 19 March row does not name them
    ("aid", "torkham,Torkham,open,2025-03-22,1,26,0,10,3,26,1"),
    (None, "torkham,Torkham,open,2025-03-22,1,26,3,10,0,26,1"),
])
def test_torkhams_2025_reopening_per_kind(curated_store: str, kind: str | None, expected: str) -> None:
    argv = ["summary", "--from", "2025-02-21", "--to", "2025-03-31", "--crossing", "torkham", "--as-of",
            "2025-03-31", "--db", curated_store, *(["--traffic", kind] if kind else [])]
    code, out, err = run_cli(argv)
    assert code == 0, err
    assert out.splitlines()[1] == expected


def test_status_per_kind_on_the_day_cargo_resumed(curated_store: str) -> None:
    for kind, words in (("trade", ["open", "2025-03-19", "1"]), ("travellers", ["closed", "2025-02-21", "27"])):
        code, out, _ = run_cli(["status", "--as-of", "2025-03-19", "--traffic", kind, "--db", curated_store])
        assert code == 0 and out.splitlines()[0] == f"as of 2025-03-19, for {kind}"
        torkham = next(line for line in out.splitlines() if line.startswith("torkham "))
        assert torkham.split()[2:5] == words
        assert "trade open, transit open, aid unknown, travellers closed, returnees unknown" in torkham


@pytest.mark.parametrize("argv", [["summary", "--traffic", "cars"], ["status", "--traffic", "Trade"]])
def test_a_bad_kind_is_one_line_naming_the_kinds(curated_store: str, argv: list[str]) -> None:
    code, _, err = run_cli([*argv, "--db", curated_store])
    assert code == 2 and err.count("\n") == 1
    assert "the kinds are trade, transit, aid, travellers, returnees" in err


def test_without_traffic_the_summary_is_unchanged(curated_store: str) -> None:
    code, out, _ = run_cli(["summary", "--from", "2025-01-01", "--to", "2025-03-31", "--crossing", "torkham",
                            "--as-of", "2025-04-01", "--db", curated_store])
    assert code == 0 and out.splitlines()[1] == "torkham,Torkham,open,2025-03-22,1,26,3,61,0,26,52"


def test_traffic_in_the_url_restores_the_view_and_the_download_equals_the_cli(
        page: AppTest, curated_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    downloads = record_downloads(monkeypatch)
    for name, value in {"traffic": "trade", "crossing": "torkham", "from": "2025-02-21", "to": "2025-03-31",
                        "as_of": "2025-03-31"}.items():
        page.query_params[name] = value
    page.run()
    assert not page.exception
    assert page.session_state["f_traffic"] == "trade"
    assert page.query_params["traffic"] == ["trade"] or page.query_params["traffic"] == "trade"
    card = next(m.value for m in page.markdown if "Torkham" in m.value and "badge" in m.value)
    assert "trade\\: open since 2025\\-03\\-19" in card
    assert ":red-badge[travellers closed]" not in card  # on 31 March everything moves
    code, expected, _ = run_cli(["summary", "--from", "2025-02-21", "--to", "2025-03-31", "--crossing", "torkham",
                                 "--as-of", "2025-03-31", "--traffic", "trade", "--db", curated_store])
    summary = next(data for name, data in downloads.items() if name and name.startswith("crossing-summary"))
    assert code == 0 and summary.decode() == expected


def test_a_bad_traffic_value_warns_and_falls_back(page: AppTest) -> None:
    page.query_params["traffic"] = "cars"
    page.run()
    assert not page.exception
    assert any("Ignored traffic" in w.value and "cars" in w.value and "the kinds are trade" in w.value
               for w in page.warning), [w.value for w in page.warning]
    assert page.session_state["f_traffic"] == ""  # the whole crossing
