"""Security: exports are safe to open in a spreadsheet, data text is inert on the page, the
page never writes. (SQL built by formatting is caught by ruff's S608 in the test command.)"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, append_row, checksums, clear_caches, edit_cell, run_cli
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from crossings.core.csvout import spreadsheet_safe, table_csv
from db.engine import make_engine

HOSTILE_CELLS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("cell", HOSTILE_CELLS)
def test_spreadsheet_safe_neutralises_formula_starts(cell: str) -> None:
    assert spreadsheet_safe(cell) == "'" + cell
    assert spreadsheet_safe("Torkham") == "Torkham"


def test_numbers_stay_numbers_in_downloads() -> None:
    import pandas as pd

    out = table_csv(pd.DataFrame({"name": ["-x"], "days": [-3], "share": [0.5]}))
    assert out.splitlines()[1] == "'-x,-3,0.5"


@pytest.fixture
def hostile_store(store_url: str) -> str:
    """Hostile text written around the loader (raw SQL), as an editor of a server store might."""
    engine = make_engine(store_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE crossings SET name = :v WHERE crossing_id = 'torkham'"),
                           {"v": HOSTILE_CELLS[0]})
        connection.execute(text("UPDATE crossings SET name = :v WHERE crossing_id = 'chaman'"), {"v": "@SUM(A1)"})
        connection.execute(text("UPDATE status_intervals SET notes = :v, cause = :c WHERE interval_id = "
                                "'torkham-2025-02-21'"), {"v": "-2+3", "c": "\tTAB"})
    return store_url


def test_cli_summary_and_export_neutralise_hostile_text(hostile_store: str, tmp_path: Path) -> None:
    code, out, _ = run_cli(["summary", "--from", "2025-01-01", "--to", "2025-03-31", "--as-of", "2025-04-01",
                            "--db", hostile_store])
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0
    assert rows[1][:2] == ["torkham", "'" + HOSTILE_CELLS[0]] and rows[2][1] == "'@SUM(A1)"
    assert rows[1][4:] == ["1", "26", "3", "61", "0", "26", "52"]  # numbers untouched
    code, _, _ = run_cli(["export", "--out", str(tmp_path / "out"), "--db", hostile_store])
    exported = (tmp_path / "out" / "status_intervals.csv").read_text()
    assert "'-2+3" in exported and "'\tTAB" in exported
    assert ",-2+3" not in exported


def test_the_apis_summary_csv_neutralises_hostile_text(hostile_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """/api/v1/summary.csv from a store edited around the loader: its cells open as text in a spreadsheet."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from crossings.serve.routes import ROUTES

    monkeypatch.setenv("DATABASE_URL", hostile_store)
    clear_caches()
    answer = TestClient(Starlette(routes=list(ROUTES))).get(
        "/api/v1/summary.csv", params={"from": "2025-01-01", "to": "2025-03-31", "as_of": "2025-04-01"})
    clear_caches()
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert answer.status_code == 200
    assert rows[1][:2] == ["torkham", "'" + HOSTILE_CELLS[0]] and rows[2][1] == "'@SUM(A1)"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t")) for row in rows[1:] for cell in row[:2])


def test_exported_neutralised_cells_load_back_as_text(hostile_store: str, tmp_path: Path) -> None:
    run_cli(["export", "--out", str(tmp_path / "out"), "--db", hostile_store])
    code, _, err = run_cli(["load", "--data", str(tmp_path / "out"), "--db", f"sqlite:///{tmp_path / 'b.db'}"])
    assert code == 0, err


@pytest.fixture
def hostile_page(data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AppTest, str]]:
    long = "A" * 15_000
    edit_cell(data_copy, "crossings", "torkham", "name", "<script>alert(1)</script>")
    edit_cell(data_copy, "crossings", "chaman", "side_b_name", "<img src=x onerror=alert(1)>")
    edit_cell(data_copy, "status_intervals", "torkham-2025-03-22", "detail", "[click me](javascript:alert(1))")
    edit_cell(data_copy, "status_intervals", "torkham-2025-02-21", "cause", "<img src=x onerror=alert(1)> " + long)
    edit_cell(data_copy, "agreements", "flag-meeting-ceasefire-2025-03-19", "title",
              "**bold** :red[red] $x^2$ <b>tag</b>")
    append_row(data_copy, "sources", {"source_id": "evil", "title": "<script>alert('src')</script>",
                                      "url": "https://example.org/?q=<script>", "published_on": "2025-03-22"})
    edit_cell(data_copy, "status_intervals", "torkham-2025-03-22", "source_ids", "evil")
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    code, _, err = run_cli(["load", "--data", str(data_copy), "--db", url])
    assert code == 0, err
    monkeypatch.setenv("DATABASE_URL", url)
    clear_caches()
    yield AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60), url
    clear_caches()


UNESCAPED_TAG = re.compile(r"(?<!\\)<")


def test_hostile_text_is_inert_on_the_page(hostile_page: tuple[AppTest, str]) -> None:
    at, _ = hostile_page
    at.query_params["as_of"] = "2025-04-01"
    at.run()
    assert not at.exception
    texts = [e.value for kind in ("markdown", "caption", "warning", "info", "error", "title", "subheader")
             for e in getattr(at, kind)]
    for value in texts:
        assert not UNESCAPED_TAG.search(value), value[:200]
        assert "](" not in value, value[:200]  # no live Markdown link from data
        assert ":red[" not in value and "$x^2$" not in value
    shown = "\n".join(re.sub(r"\\(.)", r"\1", v) for v in texts)
    assert "<script>alert(1)</script>" in shown  # visible, as text
    assert "[click me](javascript:alert(1))" in shown
    intervals = at.dataframe[0].value
    # only http(s) URLs reach the link column (empty cells are empty)
    assert all(not isinstance(u, str) or u == "" or u.startswith(("https://", "http://"))
               for u in intervals["source_url"])
    figure = "".join(c.proto.spec for c in at.get("plotly_chart"))
    assert "<script" not in figure and "<img" not in figure and "&lt;img" in figure
    assert "A" * 400 not in figure  # long text is cut in hovers
    board = at.get("html")[0].proto.body  # the status board: HTML, every data text escaped
    assert "<script" not in board and "<img" not in board
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in board


def test_hostile_query_parameters_change_nothing(hostile_page: tuple[AppTest, str]) -> None:
    _, url = hostile_page
    before = checksums(url)
    for value in ["'; DROP TABLE crossings; --", 'torkham" OR 1=1', "x" * 10_240, "тorkham ☃ \u202e", "%00"]:
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)  # a new visitor per URL
        at.query_params["crossing"] = value
        at.query_params["from"] = value
        at.query_params["status"] = value
        at.run()
        assert not at.exception
        assert at.warning
    assert checksums(url) == before



def test_hostile_text_is_inert_on_the_lite_page(hostile_page: tuple[AppTest, str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """/lite escapes every text from the data (links: only http(s) URLs, tests/test_board.py)."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from crossings.serve.routes import ROUTES

    _, url = hostile_page
    monkeypatch.setenv("DATABASE_URL", url)
    clear_caches()
    text = TestClient(Starlette(routes=list(ROUTES))).get("/lite", params={"as_of": "2025-04-01"}).text
    clear_caches()
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # Torkham's name, as text
    assert "javascript:" not in text
