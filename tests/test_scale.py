"""What keeps the page light at scale: bounded marks with exact totals, capped lanes and cards,
and the windowed read of `summary` giving the same numbers as a full read."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DATA, clear_caches, run_cli
from oracles import matching_ids

from bench.synthetic import write_synthetic
from crossings.core.days import StatusRuns, Window, summary_table
from crossings.core.records import STATUSES
from crossings.core.sources import SourceDates
from crossings.page.charts import timeline_figure
from crossings.view.cards import urgency_order
from crossings.view.policy import MAX_BARS, MAX_TABLE_ROWS, chart_lanes
from crossings.view.tables import interval_table
from db.engine import make_engine
from db.queries import interval_spans, read_all

D = date.fromisoformat
CURATED_INTERVALS = (DATA / "status_intervals.csv").read_text().count("\n") - 1


def many_intervals(lanes: int, per_lane: int) -> pd.DataFrame:
    rows = []
    rng = np.random.default_rng(7)
    for lane in range(lanes):
        day = D("2000-01-01")
        for i in range(per_lane):
            status = STATUSES[i % 3]
            length = int(rng.integers(1, 20))
            end = day + timedelta(days=length)
            rows.append((f"c{lane}", f"Crossing {lane}", status, day, end, False, length, None, None, "s"))
            day = end + timedelta(days=int(rng.integers(0, 3)))
    return pd.DataFrame(rows, columns=["crossing_id", "crossing", "status", "start_date", "end_date", "ongoing",
                                       "days", "detail", "cause", "sources"], dtype=object)


EMPTY_COMMITMENTS = pd.DataFrame(columns=["id", "kind", "title", "state", "from", "until", "crossings", "sources",
                                          "source_url"], dtype=object)
EMPTY_EVENTS = pd.DataFrame(columns=["id", "date", "when", "kind", "title", "place", "crossings", "sources",
                                     "source_url", "notes"], dtype=object)


def test_many_intervals_become_bounded_shares_with_exact_totals() -> None:
    intervals = many_intervals(lanes=50, per_lane=400)  # 20,000 bars if drawn one by one
    window, as_of = Window(D("2000-01-01"), D("2030-12-31")), D("2030-12-31")
    lanes = [f"Crossing {i}" for i in range(50)]
    figure = timeline_figure(intervals, lanes, EMPTY_COMMITMENTS, EMPTY_EVENTS, window, as_of)
    marks = sum(len(t.x or []) for t in figure.data)
    assert marks <= 5_000
    assert len(figure.to_json()) <= 1_500_000
    assert "aggregated" in figure.layout.title.text
    for status in STATUSES:
        trace = next(t for t in figure.data if t.name == status)
        drawn = pd.Series(np.array(trace.x) // 86_400_000).groupby(np.array(trace.y)).sum()
        expected = intervals[intervals["status"] == status].groupby("crossing")["days"].sum()
        assert drawn.to_dict() == {k: int(v) for k, v in expected.items()}


def test_few_intervals_are_drawn_one_bar_each() -> None:
    intervals = many_intervals(lanes=3, per_lane=10)
    figure = timeline_figure(intervals, ["Crossing 0", "Crossing 1", "Crossing 2"], EMPTY_COMMITMENTS, EMPTY_EVENTS,
                             Window(D("2000-01-01"), D("2001-12-31")), D("2001-12-31"))
    assert sum(len(t.x or []) for t in figure.data if t.name in STATUSES) == 30 < MAX_BARS
    assert not figure.layout.title.text


def test_lanes_are_capped_to_those_with_most_closed_days() -> None:
    summary = pd.DataFrame({"crossing_id": [f"c{i}" for i in range(60)], "closed_days": list(range(60))})
    lanes, note = chart_lanes(summary, limit=50)
    assert lanes == [f"c{i}" for i in range(10, 60)] and "50 of 60" in note
    assert chart_lanes(summary.head(5))[1] is None


def test_urgency_order_closed_restricted_stale_rest() -> None:
    newest = {"a": D("2025-01-01"), "b": None, "c": D("2025-01-01"), "d": D("2025-01-01"), "e": D("2020-01-01")}
    order = urgency_order(["a", "b", "c", "d", "e"], ["open", "open", "restricted", "closed", "open"], newest,
                          D("2025-01-10"))
    assert order == ["d", "c", "b", "e", "a"]


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("synthetic")
    write_synthetic(folder / "data", crossings=120, intervals=12_000, agreements=300, moratoria=100, events=400)
    url = f"sqlite:///{folder / 'store.db'}"
    code, _, err = run_cli(["load", "--data", str(folder / "data"), "--db", url])
    assert code == 0, err
    return url


@pytest.mark.parametrize(("since", "until"), [("2012-01-01", "2022-01-01"), ("2021-01-01", "2022-01-01"),
                                              ("1990-01-01", "2030-01-01")])
def test_windowed_spans_give_the_same_summary_as_the_whole_store(synthetic_store: str, since: str, until: str
                                                                  ) -> None:
    with make_engine(synthetic_store).connect() as connection:
        store = read_all(connection)
        spans = interval_spans(connection, D(since), D(until))
        packed = interval_spans(connection, D(since), D(until), with_ids=False)
    window, as_of = Window(D(since), D(until) - timedelta(days=1)), D(until)
    reports = SourceDates.of_intervals(store["status_intervals"], store["sources"])
    whole = summary_table(store["crossings"], store["status_intervals"], window, as_of, reports)
    windowed = summary_table(store["crossings"], spans, window, as_of, reports)
    pd.testing.assert_frame_equal(whole, windowed)
    pd.testing.assert_frame_equal(spans.drop(columns="interval_id"), packed)
    pd.testing.assert_frame_equal(whole, summary_table(store["crossings"], packed, window, as_of, reports))


@pytest.mark.parametrize(("since", "until"), [(None, None), ("2017-03-01", "2025-04-01"), ("2025-03-19", "2026-11-27"),
                                              ("1990-01-01", "1991-01-01")])
def test_packed_spans_equal_the_row_by_row_read(store_url: str, since: str | None, until: str | None) -> None:
    """The fixed-width packed read (no interval ids) and the row read give the same intervals, on
    each backend: ongoing intervals, chains of adjacent intervals and empty windows included."""
    bounds = (D(since) if since else None, D(until) if until else None)
    with make_engine(store_url).connect() as connection:
        rows = interval_spans(connection, *bounds)
        packed = interval_spans(connection, *bounds, with_ids=False)
    assert list(packed.columns) == ["crossing_id", "status", "start_date", "end_date"]
    pd.testing.assert_frame_equal(rows.drop(columns="interval_id"), packed)
    if since is None:
        assert len(packed) == CURATED_INTERVALS and packed["end_date"].isna().sum() >= 1


def test_runs_of_a_few_crossings_equal_the_full_cut(synthetic_store: str) -> None:
    """StatusRuns.at for a subset reads only those crossings' runs: the same rows as cutting all."""
    with make_engine(synthetic_store).connect() as connection:
        runs = StatusRuns(interval_spans(connection))
    ids = list(runs.names)
    rng = np.random.default_rng(3)
    for size in (1, 7, 60):
        chosen = [str(c) for c in rng.choice(ids, size, replace=False)] + ["no-such-crossing"]
        for window in (None, Window(D("2020-01-01"), D("2021-06-30"))):
            everything = runs.at(D("2021-07-01"), None, window)
            subset = runs.at(D("2021-07-01"), chosen, window)
            expected = everything[everything["crossing_id"].isin(chosen)].reset_index(drop=True)
            assert len(subset) > 0
            pd.testing.assert_frame_equal(subset, expected)


def test_the_page_draws_at_most_fifty_cards_most_urgent_first(synthetic_store: str, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    from conftest import REPO
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", synthetic_store)
    clear_caches()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.query_params["as_of"] = "2022-01-01"
    at.query_params["from"] = "2021-01-01"
    at.run()
    clear_caches()
    assert not at.exception
    cards = [m.value for m in at.markdown if "-badge[" in m.value]
    assert len(cards) == 50
    words = [("closed" if ":red-badge" in c else "restricted" if ":orange-badge" in c else "other") for c in cards]
    assert words == sorted(words, key=["closed", "restricted", "other"].index)
    assert at.number_input(key="f_card_page").max == 3  # 120 crossings, 50 a page
    spec = json.loads(next(c for c in at.get("plotly_chart") if "scattergeo" not in c.proto.spec).proto.spec)
    assert sum(len(t.get("x") or []) for t in spec["data"]) <= 5_000

    # The page keeps only the intervals' numbers and reads the text of the rows it shows: its
    # table is the first rows of the table built from the whole store, text and sources included.
    with make_engine(synthetic_store).connect() as connection:
        store = read_all(connection)
    every = store["status_intervals"]
    shown_ids = matching_ids(every, Window(D("2021-01-01"), D("2022-01-01")), D("2022-01-01"),
                             list(store["crossings"]["crossing_id"]), list(STATUSES))
    whole = interval_table(every[every["interval_id"].isin(shown_ids)], store["crossings"], store["sources"],
                           D("2022-01-01"))
    table_rows = MAX_TABLE_ROWS
    assert len(whole) > table_rows
    assert any(f"The first {table_rows:,} of {len(whole):,} rows" in c.value for c in at.caption)
    shown = at.dataframe[0].value
    expected = whole.head(table_rows).drop(columns=["crossing_id"])
    assert list(shown.columns) == list(expected.columns)
    for column in ("interval_id", "crossing", "status", "days", "detail", "cause", "sources", "source_url", "notes"):
        assert shown[column].fillna("").astype(str).tolist() == expected[column].fillna("").astype(str).tolist()


def test_summary_cli_reads_a_window_and_matches_the_page_numbers(synthetic_store: str, tmp_path: Path) -> None:
    code, out, err = run_cli(["summary", "--from", "2012-01-01", "--to", "2021-12-31", "--as-of", "2022-01-01",
                              "--db", synthetic_store])
    assert code == 0, err
    with make_engine(synthetic_store).connect() as connection:
        store = read_all(connection)
    from crossings.core.csvout import summary_csv

    expected = summary_csv(store["crossings"], store["status_intervals"], list(store["crossings"]["crossing_id"]),
                           Window(D("2012-01-01"), D("2021-12-31")), D("2022-01-01"),
                           SourceDates.of_intervals(store["status_intervals"], store["sources"]))
    assert out == expected


def what_moves(intervals: pd.DataFrame, interval_id: str | None) -> str:
    """The status column's words, written out here from the interval's lists."""
    if interval_id is None:
        return ", ".join(f"{k} unknown" for k in KINDS)
    row = intervals.set_index("interval_id").loc[interval_id]
    if row["status"] != "restricted":
        return ", ".join(f"{k} {row['status']}" for k in KINDS)
    word = {"moves": "open", "limited": "restricted", "barred": "closed"}
    found = {k: word[name] for name in ("moves", "limited", "barred") for k in row[name]}
    return ", ".join(f"{k} {found.get(k, 'unknown')}" for k in KINDS)


KINDS = ["trade", "transit", "aid", "travellers", "returnees"]
AS_OF = D("2021-07-01")


def covering(intervals: pd.DataFrame, crossing_id: str) -> str | None:
    """The interval of this crossing whose days include AS_OF, found row by row."""
    for row in intervals[intervals["crossing_id"] == crossing_id].itertuples():
        if row.start_date <= AS_OF and (row.end_date is None or row.end_date > AS_OF):
            return row.interval_id
    return None


def test_status_cli_reads_only_what_it_shows_and_agrees_with_the_whole_store(synthetic_store: str) -> None:
    code, out, err = run_cli(["status", "--as-of", "2021-07-01", "--db", synthetic_store])
    assert code == 0, err
    with make_engine(synthetic_store).connect() as connection:
        store = read_all(connection)
    from oracles import newest_source_dates

    from crossings.core.days import current_status

    ids = list(store["crossings"]["crossing_id"])
    now = current_status(store["status_intervals"], ids, D("2021-07-01")).set_index("crossing_id")
    newest = newest_source_dates(store["status_intervals"], store["sources"], ids, D("2021-07-01"))
    details = store["status_intervals"].set_index("interval_id")["detail"]
    header, lines = out.splitlines()[1], out.splitlines()[2:]
    names = ["crossing_id", "crossing", "status", "since", "days", "what moves", "newest source", "detail"]
    found = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", header)]
    assert [name for _, name in found] == names
    starts = [at for at, _ in found]
    assert len(lines) == len(ids)
    for line, cid in zip(lines, ids, strict=True):
        # the table is fixed-width: each column starts where its header does
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        row = now.loc[cid]
        day = newest[cid]
        stale = " (stale)" if day is None or (D("2021-07-01") - day).days > 30 else ""
        expected = [cid, store["crossings"].set_index("crossing_id").loc[cid, "name"], row["status"],
                    row["since"].isoformat() if row["since"] else "", str(row["days"]) if row["since"] else "",
                    what_moves(store["status_intervals"], covering(store["status_intervals"], cid)),
                    (day.isoformat() if day else "none") + stale,
                    (details.get(covering(store["status_intervals"], cid)) or "")
                    if covering(store["status_intervals"], cid) else ""]
        assert cells == expected, (cells, expected)


@pytest.mark.parametrize("kind", KINDS)
def test_summary_per_kind_equals_the_pages_runs_of_that_kind(synthetic_store: str, kind: str) -> None:
    """The CLI reads a window of spans with that kind's column and follows that kind's runs back;
    the page builds the kind's runs from its interval index: the same CSV for both."""
    from crossings.core.csvout import summary_csv
    from crossings.core.records import TRAFFIC_KINDS
    from crossings.core.traffic import for_traffic, with_access
    from crossings.view.indexes import build_indexes
    from db.queries import interval_sources

    code, out, err = run_cli(["summary", "--from", "2019-06-01", "--to", "2021-12-31", "--as-of", "2022-01-01",
                              "--traffic", kind, "--db", synthetic_store])
    assert code == 0, err
    with make_engine(synthetic_store).connect() as connection:
        store = read_all(connection)
        spans, cited = interval_spans(connection, traffic=TRAFFIC_KINDS), interval_sources(connection)
    indexes = build_indexes(store, spans, cited)
    ids = list(store["crossings"]["crossing_id"])
    window = Window(D("2019-06-01"), D("2021-12-31"))
    assert out == summary_csv(store["crossings"], indexes.runs_for(kind), ids, window, D("2022-01-01"),
                              indexes.source_dates)
    # and both equal the full rows seen by that kind
    assert out == summary_csv(store["crossings"], for_traffic(with_access(store["status_intervals"]), kind), ids,
                              window, D("2022-01-01"), SourceDates.of_intervals(store["status_intervals"],
                                                                                store["sources"]))
