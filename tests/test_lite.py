"""/lite, the page without JavaScript (crossings/serve/lite.py), through Starlette's test client on a real
store: small, no script and nothing from elsewhere; the API's numbers for the same parameters; the API's
validation, ETag and cache headers; a link to the full page that restores the same filter."""

from __future__ import annotations

import html
import re
from datetime import date
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from conftest import DATA, REPO, board_rows
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

# The bound for the curated data: one small response on a slow connection.
MAX_BYTES = 30 * 1024
CROSSINGS = (DATA / "crossings.csv").read_text(encoding="utf-8").count("\n") - 1


PARAMS = [{}, {"as_of": "2025-12-20"}, {"as_of": "2025-12-20", "traffic": "aid"}, {"as_of": "2025-04-01",
          "traffic": "trade"}, {"as_of": "2026-03-01", "country": "IR"}, {"as_of": "2017-03-08"},
          {"as_of": "2025-12-20", "crossing": ["torkham", "hairatan"]},
          {"as_of": "2023-09-10", "known_by": "2023-09-10"}]


@pytest.mark.parametrize("params", PARAMS)
def test_lite_is_small_plain_html_with_the_apis_status_and_kinds(client: TestClient, params: dict) -> None:
    """Every crossing of /api/v1/status for the same parameters is on the page, with the same status word and the
    same status for each kind of traffic; the page is under 30 KB, runs no script and loads nothing."""
    answer = client.get("/lite", params=params)
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/html; charset=utf-8"
    assert len(answer.content) < MAX_BYTES, len(answer.content)
    text = answer.text
    assert "<script" not in text.lower() and "javascript:" not in text.lower()
    assert not re.search(r"<(img|iframe|link|object|embed|video|audio|source)\b|\bsrc=|@import|url\(", text, re.I)
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    api = client.get("/api/v1/status", params=params).json()
    rows = board_rows(text)
    assert sorted(rows) == sorted(c["crossing_id"] for c in api["crossings"])
    for crossing in api["crossings"]:
        row = rows[crossing["crossing_id"]]
        assert (row.name, row.status, row.kinds, row.stale) == (crossing["name"], crossing["status"],
                                                                crossing["traffic"], crossing["stale"])
    assert f"As of <strong>{api['as_of']}</strong>" in text
    if api["data_updated"]:
        assert f"Newest report {api['data_updated']}" in text


def test_the_curated_data_on_one_screen_every_crossing(client: TestClient) -> None:
    text = client.get("/lite").text
    assert len(board_rows(text)) == CROSSINGS
    assert "Afghanistan–Pakistan · 8 crossings" in text and "Afghanistan–Tajikistan · 7 crossings" in text


def test_a_row_shows_since_the_stale_mark_and_the_last_report_with_its_link(client: TestClient) -> None:
    text = client.get("/lite", params={"as_of": "2025-12-20"}).text
    torkham = re.search(r'<tr class="xb-row[^"]*" data-crossing="torkham">.*?</tr>', text)
    assert torkham is not None
    row = torkham.group(0)
    assert "since 2025-11-01, 50 days" in row and "stale" not in row
    assert ('2025-12-05: <a href="https://navhindtimes.in/pakistan-to-allow-un-to-send-relief-to-afghanistan-through-'
            '2-key-border-crossings/"') in row
    badini = re.search(r'data-crossing="badini">.*?</tr>', text)
    assert badini is not None and '<span class="xb-stale">stale</span>' in badini.group(0)
    assert "no report covers this date" in badini.group(0)


def test_with_a_kind_it_answers_for_that_kind_first(client: TestClient) -> None:
    text = client.get("/lite", params={"as_of": "2025-12-20", "traffic": "aid"}).text
    assert ('<p class="answer"><strong>Aid can cross at: Torkham, Chaman / Spin Boldak, Hairatan / Termez.</strong>'
            "<br>Barred at: Ghulam Khan, Angoor Adda, Kharlachi, Nawa Pass.<br>No report on aid at 15 crossings.</p>"
            ) in text
    assert text.index('class="answer"') < text.index('class="xb-row')


def whole_border(text: str) -> list[str]:
    """The titles listed under the whole border's agreements and moratoria in force."""
    section = text.split("Agreements and moratoria of a whole border in force</h2>")[1]
    return re.findall(r"<li><strong><bdi>(.*?)</bdi></strong>", section.split("</ul>")[0])


def test_the_whole_borders_commitments_in_force_as_the_api_counts_them(client: TestClient) -> None:
    """Those in force on the as-of date only (an ended one is gone the day its end is reported), for the borders
    of the crossings chosen; each is one the API lists for a crossing it covers."""
    on = whole_border(client.get("/lite", params={"as_of": "2025-12-20"}).text)
    assert "Doha ceasefire" in on and len(on) == 8
    assert "Doha ceasefire" not in whole_border(client.get("/lite", params={"as_of": "2026-03-01"}).text)
    iran = whole_border(client.get("/lite", params={"as_of": "2025-12-20", "country": "IR"}).text)
    assert iran and "Doha ceasefire" not in iran
    api = client.get("/api/v1/status", params={"as_of": "2025-12-20", "country": "IR"}).json()
    listed = {c["title"] for crossing in api["crossings"] for c in crossing["commitments"]}
    assert set(iran) <= listed


@pytest.mark.parametrize(("query", "name"), [
    ("as_of=2025-13-01", "as_of"),
    ("crossing=atlantis", "crossing"),
    ("country=XX", "country"),
    ("traffic=cars", "traffic"),
    ("from=2025-01-01", "from"),
    ("crossing=%3Cscript%3Ealert(1)%3C/script%3E", "crossing"),
])
def test_a_bad_parameter_is_a_400_page_naming_it(client: TestClient, query: str, name: str) -> None:
    answer = client.get(f"/lite?{query}")
    assert answer.status_code == 400 and answer.headers["content-type"].startswith("text/html")
    assert name in answer.text and "Traceback" not in answer.text
    assert "<script" not in answer.text and "default-src 'none'" in answer.headers["content-security-policy"]
    api = client.get(f"/api/v1/status?{query}")
    assert api.status_code == 400  # the API refuses the same
    # in the same words, escaped
    assert html.escape(api.json()["error"].replace("/api/v1/status", "/lite")) in answer.text


def test_the_forms_empty_choices_mean_the_defaults(client: TestClient) -> None:
    """The page's form sends every field, empty when nothing is chosen: as the URL's empty values, the defaults."""
    empty = client.get("/lite?as_of=&country=&traffic=")
    assert empty.status_code == 200
    assert board_rows(empty.text) == board_rows(client.get("/lite").text)
    assert '<form method="get" action="lite">' in empty.text
    chosen = client.get("/lite?as_of=2025-12-20&country=PK&traffic=aid&crossing=torkham")
    assert '<option value="PK" selected>Pakistan</option>' in chosen.text
    assert '<option value="aid" selected>aid</option>' in chosen.text
    assert '<input type="hidden" name="crossing" value="torkham">' in chosen.text  # kept when the form is sent


def test_the_apis_etag_and_cache_headers(client: TestClient) -> None:
    first = client.get("/lite", params={"as_of": "2025-04-01"})
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == client.get("/api/v1/status").headers["cache-control"]
    again = client.get("/lite", params={"as_of": "2025-04-01"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    other = client.get("/lite", params={"as_of": "2025-04-02"}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag
    assert client.get("/api/v1").json()["routes"]["/lite"]["parameters"] == ["as_of", "crossing", "country",
                                                                             "traffic", "known_by", "lang"]


def full_page_link(text: str) -> str:
    found = re.search(r'<a href="([^"]*)">The full page</a>', text)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("params", [
    {"as_of": "2025-12-20", "traffic": "aid", "country": "PK"},
    {"as_of": "2025-04-01", "crossing": ["torkham", "chaman"]},
    {},
])
def test_the_full_page_link_restores_the_same_filter(client: TestClient, params: dict) -> None:
    """The link opens the page on the same crossings, date and kind: its filters are the lite page's, and its
    board says what /lite says."""
    lite = client.get("/lite", params=params).text
    link = urljoin("http://testserver/lite", full_page_link(lite))
    assert urlsplit(link).path == "/"
    query = parse_qs(urlsplit(link).query)
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    for name, values in query.items():
        at.query_params[name] = values
    at.run()
    assert not at.exception and not at.warning
    state = at.session_state
    assert state["f_as_of"] == (date.fromisoformat(params["as_of"]) if "as_of" in params else None)
    assert state["f_traffic"] == params.get("traffic", "")
    assert state["f_countries"] == ([params["country"]] if "country" in params else [])
    if "crossing" in params:
        assert sorted(state["f_crossings"]) == sorted(params["crossing"])
    assert board_rows(at.get("html")[0].proto.body) == board_rows(lite)


def test_known_by_shows_what_had_been_reported_and_keeps_it_in_the_form(client: TestClient) -> None:
    """Torkham closed on 2023-09-06, first reported on 2023-09-15: as known on 2023-09-10 it was still open."""
    params = {"crossing": "torkham", "as_of": "2023-09-10"}
    assert board_rows(client.get("/lite", params=params).text)["torkham"].status == "closed"
    text = client.get("/lite", params={**params, "known_by": "2023-09-10"}).text
    assert board_rows(text)["torkham"].status == "open"
    assert "only what was reported by 2023-09-10" in text
    assert '<input type="hidden" name="known_by" value="2023-09-10">' in text
