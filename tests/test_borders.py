"""A country filter narrows the crossings to one border: the same crossings on the page, in its URL,
in `summary --country`, in `status --country` and in the API, on the curated data of five borders.
An agreement naming no crossing covers the border between its parties, not every border."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import REPO, record_downloads, run_cli
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from crossings.core.borders import countries_of, on_borders


def test_on_borders_keeps_either_side() -> None:
    import pandas as pd

    crossings = pd.DataFrame({"crossing_id": ["a", "b", "c"], "country_a": ["PK", "IR", "AF"],
                              "country_b": ["AF", "AF", "TJ"]})
    assert countries_of(crossings) == ["AF", "IR", "PK", "TJ"]
    assert on_borders(crossings, ["IR"]) == ["b"]
    assert on_borders(crossings, ["TJ", "PK"]) == ["a", "c"]
    assert on_borders(crossings, ["AF"]) == ["a", "b", "c"]
    assert on_borders(crossings, []) == ["a", "b", "c"]


IRAN = ["islam-qala", "zaranj-milak", "abu-nasr-farahi", "khaf-herat-railway"]


def test_summary_and_status_take_a_country(curated_store: str) -> None:
    code, out, _ = run_cli(["summary", "--country", "IR", "--from", "2021-07-01", "--to", "2021-07-31",
                            "--as-of", "2021-08-01", "--db", curated_store])
    rows = {line.split(",")[0]: line.split(",") for line in out.splitlines()[1:]}
    assert code == 0 and list(rows) == IRAN
    # Islam Qala, July 2021: closed for Eid 19-23 July (5 days); trade halted 8-12 July and trade only
    # from 24 July (5 + 8 restricted days)
    assert out.splitlines()[0].split(",")[4:7] == ["closures", "closed_days", "restricted_days"]
    assert rows["islam-qala"][4:7] == ["1", "5", "13"]
    code, out, _ = run_cli(["status", "--country", "UZ", "--as-of", "2023-06-01", "--db", curated_store])
    assert code == 0 and [line.split()[0] for line in out.splitlines()[2:]] == ["hairatan"]
    code, out, _ = run_cli(["status", "--country", "TM", "--country", "TJ", "--as-of", "2023-06-01",
                            "--db", curated_store])
    assert [line.split()[0] for line in out.splitlines()[2:]] == [
        "torghundi", "aqina", "sher-khan-bandar", "kokul", "shohon", "ruzvai", "tem", "ishkashim", "khumrogi"]
    code, _, err = run_cli(["summary", "--country", "XX", "--db", curated_store])
    assert code == 2 and "no crossing has country 'XX'" in err and "known: AF, IR, PK, TJ, TM, UZ" in err


def test_an_agreement_naming_no_crossing_covers_its_parties_border_only(curated_store: str) -> None:
    from crossings.core.commitments import CommitmentIndex
    from db.engine import make_engine
    from db.queries import read_all

    with make_engine(curated_store).connect() as connection:
        store = read_all(connection)
    index = CommitmentIndex(store["agreements"], store["moratoria"], store["crossings"])
    on = date(2025, 10, 20)
    # the Doha ceasefire (Pakistan;Afghanistan) names no crossing: every Pakistan crossing, no Iran one
    assert "doha-ceasefire-2025-10-19" in {c.item_id for c in index.standing_on(on, ["nawa-pass"])}
    assert "doha-ceasefire-2025-10-19" not in {c.item_id for c in index.standing_on(on, IRAN)}
    # Chabahar (Iran;India;Afghanistan) covers the Iran border; Lapis Lazuli the Turkmen border only
    chabahar = next(c for c in index.standing_on(on, ["zaranj-milak"]) if c.item_id == "chabahar-agreement-2016")
    assert sorted(chabahar.covered) == sorted(IRAN) and chabahar.scope == "the whole Afghanistan–Iran border"
    lapis = next(c for c in index.standing_on(on, ["aqina"]) if c.item_id == "lapis-lazuli-2017")
    assert lapis.covered == ["torghundi", "aqina"]
    assert "lapis-lazuli-2017" not in {c.item_id for c in index.standing_on(on, ["hairatan", "torkham"])}
    # a one-party agreement covers that country's crossings; a moratorium its agreement's border
    one_document = next(c for c in index.all_on(on) if c.item_id == "one-document-regime")
    assert one_document.scope == "the whole Afghanistan–Pakistan border" and len(one_document.covered) == 8
    moratorium = next(c for c in index.all_on(on) if c.item_id == "new-checkposts-2025-03-19")
    assert moratorium.covered == one_document.covered


def test_country_in_the_url_restores_the_view_and_the_download_equals_the_cli(
        page: AppTest, curated_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    offered = record_downloads(monkeypatch)
    view = {"country": "IR", "from": "2022-01-01", "to": "2022-12-31", "as_of": "2023-01-01"}
    for name, value in view.items():
        page.query_params[name] = value
    page.run()
    assert not page.exception
    assert page.session_state["f_countries"] == ["IR"]
    titles = {m.value.split("**")[1].split(":")[0] for m in page.markdown
              if m.value.startswith("**") and "badge" in m.value}
    assert titles == {"Islam Qala \\/ Dogharoun", "Zaranj \\/ Milak", "Abu Nasr Farahi \\/ Mahirud",
                      "Khaf–Herat railway"}  # Markdown-escaped; a name then its sides when they differ
    assert dict(page.query_params) == view  # nothing else creeps into the URL
    code, expected, _ = run_cli(["summary", "--country", "IR", "--from", "2022-01-01", "--to", "2022-12-31",
                                 "--as-of", "2023-01-01", "--db", curated_store])
    summary = next(data for name, data in offered.items() if name and name.startswith("crossing-summary"))
    assert code == 0 and summary.decode() == expected


def test_a_bad_country_warns_on_the_page_and_is_a_400_in_the_api(page: AppTest) -> None:
    page.query_params["country"] = "XX"
    page.run()
    assert any("Ignored unknown country" in w.value for w in page.warning)
    from app import app

    client = TestClient(app)
    answer = client.get("/api/v1/status", params={"country": "XX"})
    assert answer.status_code == 400 and "country" in answer.json()["error"]
    body = client.get("/api/v1/status", params={"country": "UZ", "as_of": "2023-06-01"}).json()
    assert [c["crossing_id"] for c in body["crossings"]] == ["hairatan"]
    (hairatan,) = body["crossings"]
    assert hairatan["traffic"]["travellers"] == "closed" and hairatan["traffic"]["trade"] == "open"
    # the Pakistan border's agreements are not Hairatan's
    assert "one-document-regime" not in {c["id"] for c in hairatan["commitments"]}


def markdown_table(text: str, heading: str, first_column: str) -> list[list[str]]:
    """The rows of the Markdown table under a heading whose header starts with first_column."""
    section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows, inside = [], False
    for line in section.splitlines():
        if line.startswith(f"| {first_column} |"):
            inside = True
        elif inside and line.startswith("|") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif inside and not line.startswith("|"):
            break
    return rows


def test_the_coverage_tables_say_what_the_data_holds(curated_store: str) -> None:
    """data/README.md's coverage tables, per border and per crossing, are what the store computes: the
    intervals and the first and newest dated report the page uses (SourceDates)."""
    from oracles import coverage

    from crossings.core.days import from_day_number
    from crossings.core.sources import SourceDates
    from db.engine import make_engine
    from db.queries import read_all

    with make_engine(curated_store).connect() as connection:
        store = read_all(connection)
    dates = SourceDates.of_intervals(store["status_intervals"], store["sources"])
    reports = dates.reports.assign(date=[from_day_number(d) for d in dates.reports["day"]])
    per_crossing, per_border = coverage(store["crossings"], store["status_intervals"], reports)

    def text(day: date | None) -> str:
        return day.isoformat() if day is not None else "—"

    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert markdown_table(readme, "Coverage", "border") == [
        [r["border"], str(r["crossings"]), str(r["intervals"]), text(r["first_report"]), text(r["newest_report"])]
        for r in per_border.to_dict("records")]
    assert markdown_table(readme, "Coverage", "crossing") == [
        [f"`{r['crossing_id']}` {r['crossing']}", r["border"], str(r["intervals"]), text(r["first_report"]),
         text(r["newest_report"])] for r in per_crossing.to_dict("records")]
    # each crossing's newest report is the one its card shows
    newest = dates.newest(list(store["crossings"]["crossing_id"]), date(2026, 11, 28))
    assert {r["crossing_id"]: r["newest_report"] for r in per_crossing.to_dict("records")} == newest
    assert len(per_border) == 5 and per_border["crossings"].sum() == 22


def test_the_checking_table_says_what_the_data_holds() -> None:
    """data/README.md's record of the checking: per border the status intervals and how many cite a source with a
    quote, then the agreements and moratoria; counted here from the files."""
    import csv

    def rows(name: str) -> list[dict[str, str]]:
        with (REPO / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    quoted = {r["source_id"] for r in rows("sources") if r["quote"]}
    names = {"IR": "Iran", "PK": "Pakistan", "TJ": "Tajikistan", "TM": "Turkmenistan", "UZ": "Uzbekistan"}
    crossings = {r["crossing_id"]: r for r in rows("crossings")}
    counts: dict[str, list[int]] = {}
    for row in rows("status_intervals"):
        crossing = crossings[row["crossing_id"]]
        other = crossing["country_b"] if crossing["country_a"] == "AF" else crossing["country_a"]
        count = counts.setdefault(f"Afghanistan–{names[other]}", [0, 0])
        count[0] += 1
        count[1] += bool(quoted.intersection(row["source_ids"].split(";")))
    counts = dict(sorted(counts.items()))
    commitments = counts.setdefault("agreements and moratoria", [0, 0])
    for row in rows("agreements") + rows("moratoria"):
        commitments[0] += 1
        commitments[1] += bool(quoted.intersection(row["source_ids"].split(";")))
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    table = markdown_table(readme, "How current the record is", "border")
    assert [row[:3] for row in table] == [[name, str(n), str(q)] for name, (n, q) in counts.items()]
    assert all(row[3] for row in table)  # when
