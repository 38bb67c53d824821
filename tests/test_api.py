"""The HTTP routes served beside the page (app.py), through Starlette's test client on a real store:
each route's answer, the same numbers as the CLI, a valid Atom feed, errors as JSON, ETags."""

from __future__ import annotations

import csv
import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from conftest import DATA, clear_caches, run_cli
from starlette.testclient import TestClient

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def client(curated_store: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The routes alone, on a plain Starlette app: the API needs neither Streamlit nor the page."""
    monkeypatch.setenv("DATABASE_URL", curated_store)
    clear_caches()
    from starlette.applications import Starlette

    from crossings.serve.routes import ROUTES

    yield TestClient(Starlette(routes=list(ROUTES)))
    clear_caches()


def cli_status(store: str, as_of: str, *flags: str) -> dict[str, dict[str, str]]:
    """`status` as printed, each row read by the header's columns: {crossing_id: {column: text}}."""
    code, out, err = run_cli(["status", "--as-of", as_of, "--db", store, *flags])
    assert code == 0, err
    header, *rows = out.splitlines()[1:]
    names = ["crossing_id", "crossing", "status", "since", "days", "what moves", "newest source", "detail"]
    starts = [0]
    for before, name in itertools.pairwise(names):  # each column after the one before it
        starts.append(header.index(name, starts[-1] + len(before)))
    found = {}
    for row in rows:
        cells = [row[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        found[cells[0]] = dict(zip(names, cells, strict=True))
    return found


def newest_report_on(as_of: str) -> str | None:
    """The newest publication date in sources.csv on or before the as-of date, read from the file."""
    with DATA.joinpath("sources.csv").open(encoding="utf-8", newline="") as handle:
        dates = [r["published_on"] for r in csv.DictReader(handle) if r["published_on"]]
    return max((d for d in dates if d <= as_of), default=None)


@pytest.mark.parametrize("traffic", [None, "trade"])
@pytest.mark.parametrize("as_of", ["2017-03-08", "2021-08-15", "2025-03-19", "2025-04-01", "2025-12-20",
                                   "2026-11-28"])
def test_status_equals_the_clis_field_by_field(client: TestClient, curated_store: str, as_of: str,
                                               traffic: str | None) -> None:
    """Every crossing's status, since, days, detail, each kind's status, newest source and stale: the API and
    `python -m crossings status` say the same of each on several dates (a reopening day among them)."""
    params = {"as_of": as_of, **({"traffic": traffic} if traffic else {})}
    answer = client.get("/api/v1/status", params=params)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.headers["access-control-allow-origin"] == "*"
    body = answer.json()
    assert body["as_of"] == as_of and body["data_updated"] == newest_report_on(as_of)
    expected = cli_status(curated_store, as_of, *(["--traffic", traffic] if traffic else []))
    assert [c["crossing_id"] for c in body["crossings"]] == list(expected)
    for crossing in body["crossings"]:
        row = expected[crossing["crossing_id"]]
        assert crossing["status"] == row["status"]
        assert (crossing["status_since"] or "") == row["since"]
        assert ("" if crossing["days"] is None else str(crossing["days"])) == row["days"]
        assert (crossing["detail"] or "") == row["detail"]
        assert ", ".join(f"{k} {v}" for k, v in crossing["traffic"].items()) == row["what moves"]
        assert ((crossing["newest_source"] or "none") + (" (stale)" if crossing["stale"] else "")
                == row["newest source"])


def test_data_updated_is_cut_at_the_as_of_date(client: TestClient) -> None:
    """data_updated is the newest report on or before the as-of date, as the page says: never a later one."""
    body = client.get("/api/v1/status", params={"as_of": "2017-03-08"}).json()
    assert body["data_updated"] == "2017-03-08" or body["data_updated"] < "2017-03-08"
    assert body["data_updated"] == newest_report_on("2017-03-08") != newest_report_on("2026-11-28")


def test_status_answers_can_trade_cross_at_torkham(client: TestClient) -> None:
    body = client.get("/api/v1/status", params={"crossing": "torkham", "as_of": "2025-12-20"}).json()
    (torkham,) = body["crossings"]
    assert torkham["traffic"] == {"trade": "closed", "transit": "closed", "aid": "open", "travellers": "closed",
                                  "returnees": "open"}
    assert torkham["status"] == "restricted" and torkham["status_since"] == "2025-11-01"
    trade = client.get("/api/v1/status", params={"crossing": "torkham", "as_of": "2025-12-20",
                                                 "traffic": "trade"}).json()["crossings"][0]
    assert (trade["status"], trade["status_since"]) == ("closed", "2025-10-12")
    ids = {c["id"] for c in torkham["commitments"]}
    assert "doha-ceasefire-2025-10-19" in ids and all(c["days_left"] is not None or c["valid_until"] is None
                                                      for c in torkham["commitments"])


@pytest.mark.parametrize("params", [
    {"crossing": "torkham", "from": "2025-01-01", "to": "2025-03-31", "as_of": "2025-04-01"},
    {"from": "2020-01-01", "to": "2025-12-31", "as_of": "2026-01-01", "traffic": "returnees"},
    {"crossing": ["chaman", "kharlachi"], "as_of": "2024-06-01"},
])
def test_summary_csv_is_the_clis_bytes(client: TestClient, curated_store: str, params: dict) -> None:
    answer = client.get("/api/v1/summary.csv", params=params)
    argv = ["summary", "--db", curated_store]
    for name, values in params.items():
        for value in values if isinstance(values, list) else [values]:
            argv += [{"from": "--from", "to": "--to", "as_of": "--as-of", "crossing": "--crossing",
                      "traffic": "--traffic"}[name], value]
    code, out, _ = run_cli(argv)
    assert code == 0 and answer.status_code == 200
    assert answer.content == out.encode()
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment; filename=\"crossing-summary_" in answer.headers["content-disposition"]


def test_intervals_are_cut_at_the_as_of_date_with_their_sources(client: TestClient) -> None:
    body = client.get("/api/v1/intervals.json", params={"crossing": "torkham", "from": "2025-01-01",
                                                        "to": "2025-06-30", "as_of": "2025-04-01"}).json()
    rows = {r["interval_id"]: r for r in body["intervals"]}
    assert "torkham-2025-05-09" not in rows  # starts after the as-of date
    ongoing = rows["torkham-2025-03-22"]
    assert ongoing["ongoing"] and ongoing["end_date"] is None and ongoing["days"] == 11  # no end yet on 1 April
    closure = rows["torkham-2025-02-21"]
    assert (closure["start_date"], closure["end_date"], closure["days"]) == ("2025-02-21", "2025-03-19", 26)
    assert any(s["id"] == "pti-theweek-2025-03-19" and s["url"].startswith("https://") and s["date"] == "2025-03-19"
               for s in closure["sources"])
    assert rows["torkham-2025-03-19"]["moves"] == ["trade", "transit"]


def parse_feed(text: bytes) -> ET.Element:
    root = ET.fromstring(text)  # noqa: S314 (our own feed, from our own data)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    return root


def test_the_feed_is_atom_newest_first_with_stable_ids(client: TestClient, curated_store: str) -> None:
    answer = client.get("/feed.atom")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    entries = parse_feed(answer.content).findall(f"{ATOM}entry")
    assert 0 < len(entries) <= 100
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:") for i in ids)
    days = [e.findtext(f"{ATOM}updated") for e in entries]
    assert days == sorted(days, reverse=True)
    for entry in entries:
        assert entry.findtext(f"{ATOM}title")
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("rel") == "alternate" and "as_of=" in link.get("href")
        assert "Source:" in entry.findtext(f"{ATOM}content")
    # the same data loaded again gives the same ids
    code, _, err = run_cli(["load", "--data", str(DATA), "--db", curated_store])
    assert code == 0, err
    clear_caches()
    again = [e.findtext(f"{ATOM}id") for e in parse_feed(client.get("/feed.atom").content).findall(f"{ATOM}entry")]
    assert again == ids


def test_the_feed_narrows_to_crossings(client: TestClient) -> None:
    entries = parse_feed(client.get("/feed.atom", params={"crossing": "chaman"}).content).findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles and not any(t.startswith(("Torkham:", "Kharlachi:")) for t in titles)
    assert any(t.startswith("Chaman / Spin Boldak: restricted (aid and returnees move") for t in titles)


@pytest.mark.parametrize(("url", "name"), [
    ("/api/v1/status?as_of=2025-13-01", "as_of"),
    ("/api/v1/status?crossing=atlantis", "crossing"),
    ("/api/v1/status?traffic=cars", "traffic"),
    ("/api/v1/summary.csv?from=2025-03-01&to=2025-01-01", "from"),
    ("/api/v1/intervals.json?status=shut", "status"),
    ("/api/v1/status?colour=red", "colour"),
])
def test_a_bad_parameter_is_a_400_naming_it(client: TestClient, url: str, name: str) -> None:
    answer = client.get(url)
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/json"
    message = answer.json()["error"]
    assert name in message and "Traceback" not in message and "\n" not in message


def test_unknown_api_paths_are_json_404s(client: TestClient) -> None:
    for url in ("/api/v2/status", "/api/v1/nothing", "/api/"):
        answer = client.get(url)
        assert answer.status_code == 404 and "error" in answer.json()
    assert client.get("/_stcore/metrics").status_code == 404
    index = client.get("/api/v1").json()
    assert set(index["routes"]) == {"/api/v1/status", "/api/v1/summary.csv", "/api/v1/intervals.json", "/feed.atom",
                                    "/lite"}


def test_etag_and_304(client: TestClient) -> None:
    first = client.get("/api/v1/status", params={"as_of": "2025-04-01"})
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public")
    again = client.get("/api/v1/status", params={"as_of": "2025-04-01"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    other = client.get("/api/v1/status", params={"as_of": "2025-04-02"}, headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["etag"] != etag
    assert json.loads(other.content)["as_of"] == "2025-04-02"


def test_the_feed_gives_a_moratorium_its_agreements_border(client: TestClient) -> None:
    """The checkposts moratorium names no crossing: it covers its agreement's border (Pakistan and Afghanistan),
    so the feed of an Iranian crossing leaves it out and the feed of a Pakistani crossing has it."""
    def ids(params: dict[str, str]) -> set[str]:
        feed = parse_feed(client.get("/feed.atom", params=params).content)
        return {e.findtext(f"{ATOM}id").rsplit(":", 1)[-1] for e in feed.findall(f"{ATOM}entry")}

    assert "moratorium/new-checkposts-2025-03-19/start" in ids({"crossing": "nawa-pass"})
    assert not any("new-checkposts" in i for i in ids({"crossing": "islam-qala"}))
    assert not any("new-checkposts" in i for i in ids({"country": "IR"}))
