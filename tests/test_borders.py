"""A country filter narrows the crossings to one border: the same crossings on the page, in its URL,
in `summary --country`, in `status --country` and in the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from conftest import REPO, append_row, record_downloads, run_cli
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from crossings.core.borders import countries_of, on_borders


@pytest.fixture
def two_borders(data_copy: Path, tmp_path: Path) -> str:
    """The curated data plus one crossing on another border (test data, in tmp_path only)."""
    append_row(data_copy, "crossings", {"crossing_id": "test-iran-gate", "name": "Test Iran gate",
                                        "country_a": "IR", "side_a_name": "West", "country_b": "AF",
                                        "side_b_name": "East", "source_ids": "seed-article"})
    append_row(data_copy, "status_intervals", {"interval_id": "test-iran-gate-2025", "crossing_id": "test-iran-gate",
                                               "status": "closed", "start_date": "2025-03-01",
                                               "end_date": "2025-03-11", "source_ids": "seed-article"})
    url = f"sqlite:///{tmp_path / 'two.db'}"
    code, _, err = run_cli(["load", "--data", str(data_copy), "--db", url])
    assert code == 0, err
    return url


def test_on_borders_keeps_either_side() -> None:
    import pandas as pd

    crossings = pd.DataFrame({"crossing_id": ["a", "b", "c"], "country_a": ["PK", "IR", "AF"],
                              "country_b": ["AF", "AF", "TJ"]})
    assert countries_of(crossings) == ["AF", "IR", "PK", "TJ"]
    assert on_borders(crossings, ["IR"]) == ["b"]
    assert on_borders(crossings, ["TJ", "PK"]) == ["a", "c"]
    assert on_borders(crossings, ["AF"]) == ["a", "b", "c"]
    assert on_borders(crossings, []) == ["a", "b", "c"]


def test_summary_and_status_take_a_country(two_borders: str) -> None:
    code, out, _ = run_cli(["summary", "--country", "IR", "--from", "2025-03-01", "--to", "2025-03-31",
                            "--as-of", "2025-04-01", "--db", two_borders])
    assert code == 0 and out.splitlines()[1:] == ["test-iran-gate,Test Iran gate,unknown,,1,10,0,0,21,10"]
    code, out, _ = run_cli(["status", "--country", "IR", "--as-of", "2025-03-05", "--db", two_borders])
    assert code == 0 and [line.split()[0] for line in out.splitlines()[2:]] == ["test-iran-gate"]
    code, _, err = run_cli(["summary", "--country", "TM", "--db", two_borders])
    assert code == 2 and "no crossing has country 'TM'" in err and "known: AF, IR, PK" in err


@pytest.fixture
def page(two_borders: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("DATABASE_URL", two_borders)
    st.cache_resource.clear()
    yield AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    st.cache_resource.clear()


def test_country_in_the_url_restores_the_view_and_the_download_equals_the_cli(
        page: AppTest, two_borders: str, monkeypatch: pytest.MonkeyPatch) -> None:
    offered = record_downloads(monkeypatch)
    for name, value in {"country": "IR", "from": "2025-03-01", "to": "2025-03-31", "as_of": "2025-04-01"}.items():
        page.query_params[name] = value
    page.run()
    assert not page.exception
    assert page.session_state["f_countries"] == ["IR"]
    titles = [m.value.split("**")[1] for m in page.markdown if m.value.startswith("**") and "badge" in m.value]
    assert titles == ["Test Iran gate: West \\/ East"]  # Markdown-escaped
    code, expected, _ = run_cli(["summary", "--country", "IR", "--from", "2025-03-01", "--to", "2025-03-31",
                                 "--as-of", "2025-04-01", "--db", two_borders])
    summary = next(data for name, data in offered.items() if name and name.startswith("crossing-summary"))
    assert code == 0 and summary.decode() == expected


def test_a_bad_country_warns_on_the_page_and_is_a_400_in_the_api(page: AppTest, two_borders: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    page.query_params["country"] = "XX"
    page.run()
    assert any("Ignored unknown country" in w.value for w in page.warning)
    from app import app

    client = TestClient(app)
    answer = client.get("/api/v1/status", params={"country": "XX"})
    assert answer.status_code == 400 and "country" in answer.json()["error"]
    body = client.get("/api/v1/status", params={"country": "IR", "as_of": "2025-03-05"}).json()
    assert [c["crossing_id"] for c in body["crossings"]] == ["test-iran-gate"]
