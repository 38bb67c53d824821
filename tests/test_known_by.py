"""What was known when: `known_by` keeps only what a source had reported by that day, the same on the page, the
API, the CLI and the feed; held to a plain day-by-day reference on random data (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from crossings.core.days import StatusRuns, Window, summary_table
from crossings.core.records import STATUSES, UNKNOWN
from crossings.core.sources import SourceDates
from crossings.core.traffic import with_access
from crossings.view.indexes import IntervalIndex

BASE = date(2020, 1, 1)
IDS = ["a", "b"]
CROSSINGS = pd.DataFrame({"crossing_id": IDS, "name": ["A", "B"]})


@st.composite
def reported_intervals(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Chains of intervals per crossing, each with the day it was reported (maybe never) and the day its end was."""
    rows, reports = [], []
    for cid in IDS:
        day = draw(st.integers(0, 5))
        for n in range(draw(st.integers(0, 6))):
            length = draw(st.integers(1, 15))
            ongoing = draw(st.integers(0, 5)) == 0
            reported = draw(st.one_of(st.none(), st.integers(day - 5, day + 20)))
            end_reported = None if ongoing or reported is None else reported + draw(st.integers(0, 25))
            rows.append({"interval_id": f"{cid}{n}", "crossing_id": cid, "status": draw(st.sampled_from(STATUSES)),
                         "start_date": BASE + timedelta(day), "end_date": None if ongoing else BASE + timedelta(
                             day + length), "moves": ["trade"], "limited": [], "barred": []})
            reports.append({"interval_id": f"{cid}{n}",
                            "reported_on": None if reported is None else BASE + timedelta(reported),
                            "end_reported_on": None if end_reported is None else BASE + timedelta(end_reported)})
            if ongoing:
                break
            day += length + draw(st.integers(0, 3))
    columns = ["interval_id", "crossing_id", "status", "start_date", "end_date", "moves", "limited", "barred"]
    return (pd.DataFrame(rows, columns=columns, dtype=object),
            pd.DataFrame(reports, columns=["interval_id", "reported_on", "end_reported_on"], dtype=object))


def status_known_on(rows: pd.DataFrame, reports: pd.DataFrame, crossing: str, day: date, known_by: date) -> str:
    """The rule, day by day: of the rows of the crossing reported by known_by that began on or before the day,
    the latest; its status, unless its end had been reported by known_by and the day is on or after it."""
    known = rows.merge(reports, on="interval_id")
    known = known[(known["crossing_id"] == crossing)
                  & known["reported_on"].map(lambda d: d is not None and d <= known_by)
                  & (known["start_date"] <= day)]
    if known.empty:
        return UNKNOWN
    latest = known.sort_values("start_date").iloc[-1]
    end_known = latest["end_reported_on"] is not None and latest["end_reported_on"] <= known_by
    if end_known and latest["end_date"] is not None and day >= latest["end_date"]:
        return UNKNOWN
    return str(latest["status"])


@settings(max_examples=200, deadline=None)
@given(data=reported_intervals(), known_by=st.integers(-5, 100), day=st.integers(0, 100))
def test_the_status_under_known_by_equals_a_day_by_day_reference(data: tuple[pd.DataFrame, pd.DataFrame],
                                                                 known_by: int, day: int) -> None:
    rows, reports = data
    index = IntervalIndex(with_access(rows), CROSSINGS).as_known_by(reports, BASE + timedelta(known_by))
    on = BASE + timedelta(day)
    runs = StatusRuns(index.spans()).at(on, IDS)
    now = {r["crossing_id"]: r["status"] for r in runs.groupby("crossing_id").tail(1).to_dict("records")
           if r["start"] <= (on - date(1970, 1, 1)).days < r["end"]}
    for cid in IDS:
        assert now.get(cid, UNKNOWN) == status_known_on(rows, reports, cid, on, BASE + timedelta(known_by)), cid


@settings(max_examples=100, deadline=None)
@given(data=reported_intervals(), as_of=st.integers(0, 100))
def test_known_by_after_every_report_gives_the_numbers_without_it(data: tuple[pd.DataFrame, pd.DataFrame],
                                                                   as_of: int) -> None:
    rows, reports = data
    reports = reports.assign(reported_on=[BASE] * len(reports),
                             end_reported_on=[BASE if e is not None else None for e in rows["end_date"]])
    full = IntervalIndex(with_access(rows), CROSSINGS)
    known = full.as_known_by(reports, BASE + timedelta(200))
    window, day = Window(BASE, BASE + timedelta(as_of)), BASE + timedelta(as_of)
    none = SourceDates(pd.DataFrame({"crossing_id": [], "source_id": []}),
                       pd.DataFrame({"source_id": [], "published_on": []}))
    pd.testing.assert_frame_equal(summary_table(CROSSINGS, StatusRuns(known.spans()), window, day, none),
                                  summary_table(CROSSINGS, StatusRuns(full.spans()), window, day, none))


def test_a_closure_reported_days_after_it_began(client: TestClient, curated_store: str) -> None:
    """Torkham closed on 2023-09-06; the first source cited for it was published on 2023-09-15. On 2023-09-10,
    as known then, Torkham was still open; as known today, closed since 2023-09-06. API and CLI agree."""
    now = client.get("/api/v1/status", params={"crossing": "torkham", "as_of": "2023-09-10"}).json()
    then = client.get("/api/v1/status", params={"crossing": "torkham", "as_of": "2023-09-10",
                                                "known_by": "2023-09-10"}).json()
    assert (now["crossings"][0]["status"], now["crossings"][0]["status_since"]) == ("closed", "2023-09-06")
    assert (then["crossings"][0]["status"], then["crossings"][0]["status_since"]) == ("open", "2023-02-25")
    assert then["data_updated"] <= "2023-09-10"
    code, out, err = run_cli(["status", "--as-of", "2023-09-10", "--known-by", "2023-09-10", "--db", curated_store])
    assert code == 0, err
    torkham = next(line.split() for line in out.splitlines() if line.startswith("torkham "))
    assert torkham[2:4] == ["open", "2023-02-25"]
    summary = client.get("/api/v1/summary.csv", params={"crossing": "torkham", "from": "2023-09-01",
                                                         "to": "2023-09-10", "as_of": "2023-09-10",
                                                         "known_by": "2023-09-10"}).text
    code, out, err = run_cli(["summary", "--crossing", "torkham", "--from", "2023-09-01", "--to", "2023-09-10",
                              "--as-of", "2023-09-10", "--known-by", "2023-09-10", "--db", curated_store])
    assert code == 0 and out == summary and ",open,2023-02-25,0,0,0,10," in summary


def test_the_doha_ceasefire_as_known_then(client: TestClient) -> None:
    """No countdown and no end on 2025-12-20, with or without known_by; its end from 2026-02-27 on."""
    for params in ({}, {"known_by": "2025-12-20"}):
        body = client.get("/api/v1/status", params={"crossing": "torkham", "as_of": "2025-12-20", **params}).json()
        doha = next(c for c in body["crossings"][0]["commitments"] if c["id"] == "doha-ceasefire-2025-10-19")
        assert (doha["valid_until"], doha["days_left"]) == (None, None)
    body = client.get("/api/v1/status", params={"crossing": "torkham", "as_of": "2026-03-01",
                                                "known_by": "2026-03-01"}).json()
    assert "doha-ceasefire-2025-10-19" not in {c["id"] for c in body["crossings"][0]["commitments"]}
    feed = client.get("/feed.atom", params={"crossing": "torkham", "known_by": "2026-02-26"}).text
    assert "Doha ceasefire" in feed and "doha-ceasefire-2025-10-19/end" not in feed
    assert "doha-ceasefire-2025-10-19/end" in client.get("/feed.atom", params={"crossing": "torkham"}).text


def test_a_bad_known_by_is_refused_everywhere(client: TestClient, curated_store: str) -> None:
    answer = client.get("/api/v1/status", params={"known_by": "2025-02-30"})
    assert answer.status_code == 400
    assert answer.json() == {"error": "known_by: known_by='2025-02-30': not a date in the form YYYY-MM-DD."}
    code, _, err = run_cli(["status", "--known-by", "yesterday", "--db", curated_store])
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--known-by" in err


def test_a_report_more_than_a_month_before_the_start_is_refused() -> None:
    """A status may be announced ahead (PRE_ANNOUNCEMENT_DAYS), not reported long before it began."""
    from crossings.core.validation.fields import Known
    from crossings.core.validation.rules import PRE_ANNOUNCEMENT_DAYS, reported_problems

    known = Known(source_dates={"early": date(2025, 1, 1), "late": date(2025, 3, 20)})
    row = {"source_ids": ["early", "late"], "start_date": date(2025, 1, 1) + timedelta(PRE_ANNOUNCEMENT_DAYS + 1),
           "reported_on": date(2025, 1, 1), "end_reported_on": None, "end_date": None}
    assert reported_problems(row, known) == [("reported_on", f"2025-01-01 is more than {PRE_ANNOUNCEMENT_DAYS} days "
                                                             f"before start_date {row['start_date']}")]
    assert reported_problems({**row, "start_date": date(2025, 1, 1) + timedelta(PRE_ANNOUNCEMENT_DAYS)}, known) == []


def test_every_row_with_a_dated_source_has_reported_on(curated_store: str) -> None:
    """reported_on is filled wherever a source of the row is dated (from the start, or a month before it)."""
    from db.engine import make_engine
    from db.queries import read_all

    with make_engine(curated_store).connect() as connection:
        store = read_all(connection)
    dates = dict(zip(store["sources"]["source_id"], store["sources"]["published_on"], strict=True))
    for row in store["status_intervals"].to_dict("records"):
        dated = [dates[s] for s in row["source_ids"] if dates.get(s) and dates[s] >= row["start_date"] - timedelta(31)]
        assert (row["reported_on"] is not None) == bool(dated), row["interval_id"]
        if row["end_date"] is not None and row["reported_on"] is not None:
            assert row["end_reported_on"] is not None, row["interval_id"]
