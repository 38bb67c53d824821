"""The HTTP routes served beside the page (app.py), through Starlette's test client on a real store:
each route's answer, the same numbers as the CLI, a valid Atom feed, errors as JSON, ETags."""

from __future__ import annotations

import csv
import itertools
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import DATA, REPO, clear_caches, run_cli
from starlette.testclient import TestClient

from crossings.serve.feed import tag_authority

ATOM = "{http://www.w3.org/2005/Atom}"


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
    assert "Chaman / Spin Boldak: restricted — aid and returnees move" in titles


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


def test_status_commitments_say_when_a_source_last_confirmed_them(client: TestClient) -> None:
    body = client.get("/api/v1/status", params={"crossing": "torkham", "as_of": "2025-03-01"}).json()
    (torkham,) = body["crossings"]
    clock = next(c for c in torkham["commitments"] if c["id"] == "torkham-round-the-clock")
    assert clock == {"id": "torkham-round-the-clock", "kind": "border-management",
                     "title": "Torkham open round the clock", "valid_until": None, "days_left": None,
                     "last_confirmed": None, "stale": True, "contradicted": True}
    body = client.get("/api/v1/status", params={"crossing": "torkham", "as_of": "2025-12-20"}).json()
    doha = next(c for c in body["crossings"][0]["commitments"] if c["id"] == "doha-ceasefire-2025-10-19")
    assert (doha["valid_until"], doha["days_left"], doha["contradicted"]) == (None, None, False)


def feed_entries(client: TestClient, **params: str) -> dict[str, ET.Element]:
    """The feed's entries by id, without the tag: authority (the part after its last colon)."""
    feed = parse_feed(client.get("/feed.atom", params=params).content)
    return {e.findtext(f"{ATOM}id").rsplit(":", 1)[-1]: e for e in feed.findall(f"{ATOM}entry")}


@pytest.mark.parametrize(("entry_id", "title", "text"), [
    ("interval/torkham-2025-12-04", "Torkham: restricted — aid and returnees move",
     ["Restricted from 2025-12-04.", "Aid and returnees move.", "Trade, transit and travellers are barred.",
      "Detail: UN aid cargo and returning Afghans only; trade and travel shut."]),
    ("interval/islam-qala-2026-03-11", "Islam Qala / Dogharoun: restricted — returnees move",
     ["Restricted from 2026-03-11.", "Returnees move.", "No report on trade, transit, aid and travellers.",
      "Detail: Returns from the war in Iran: forced returns 2,500–3,000 a day, voluntary returns 1,300–1,500 a day.",
      "Cause: War in Iran (2026)."]),
    ("interval/chaman-2025-10-23", "Chaman / Spin Boldak: restricted — returnees move, transit limited",
     ["Restricted from 2025-10-23.", "Returnees move.", "Transit is limited.", "Trade and travellers are barred.",
      "No report on aid.", "Detail: Phased transit of stranded vehicles; returnees; trade shut."]),
    ("interval/chaman-2025-10-14", "Chaman / Spin Boldak: closed",
     ["Closed from 2025-10-14: nothing moves.", "Cause: Clashes after the 9 October strikes in Kabul."]),
    ("interval/hairatan-2025-11-23", "Hairatan / Termez: open",
     ["Open from 2025-11-23: all traffic moves.",
      "Detail: Passenger crossing reopened for citizens of both countries; visas still required.",
      "Cause: Trade promotion."]),
    ("agreement/doha-ceasefire-2025-10-19/start",
     "In force: Doha ceasefire — ceasefire on the whole Afghanistan–Pakistan border",
     ["In force from 2025-10-19 with no end date reported."]),
    ("agreement/doha-ceasefire-2025-10-19/end", "Ended: Doha ceasefire — ceasefire on the whole Afghanistan–Pakistan "
     "border", ["Ended on 2026-02-27, as reported; in force from 2025-10-19."]),
    ("agreement/truce-48h-2025-10-15/end", "Term over: 48-hour truce — ceasefire on the whole Afghanistan–Pakistan "
     "border", ["Its term ended: 2025-10-17 was its last day in force."]),
])
def test_feed_entries_read_like_the_page(client: TestClient, entry_id: str, title: str, text: list[str]) -> None:
    """Word for word: a plain title (the dates are in the text), then when and what moves, the detail and the
    cause, each a sentence of its own; then the sources, and the same day on /lite, linked beside the page."""
    entry = feed_entries(client)[entry_id]
    assert entry.findtext(f"{ATOM}title") == title
    lines = entry.findtext(f"{ATOM}content").split("\n")
    sources = [n for n, line in enumerate(lines) if line.startswith("Source: ")]
    assert sources and lines[:sources[0]] == text
    links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
    page, lite = links["alternate"], links["related"]
    assert lite == page.replace("http://testserver/?", "http://testserver/lite?")
    assert lines[-1] == f"Without JavaScript: {lite}"
    assert entry.find(f"{ATOM}link").get("rel") == "alternate"  # the page stays the entry's link


def test_the_tag_authority_is_a_setting_with_todays_as_the_default(client: TestClient,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The ids stay what they were unless a deployer sets CROSSINGS_TAG_AUTHORITY (RFC 4151); then every id and
    the feed's own are under that authority, the rest of each id unchanged."""
    default = parse_feed(client.get("/feed.atom", params={"crossing": "torkham"}).content)
    ids = [e.findtext(f"{ATOM}id") for e in default.findall(f"{ATOM}entry")]
    assert "tag:border-crossing-status.org,2026:interval/torkham-2025-12-04" in ids
    assert default.findtext(f"{ATOM}id") == "tag:border-crossing-status.org,2026:feed?crossing=torkham"
    monkeypatch.setenv("CROSSINGS_TAG_AUTHORITY", "feeds@example.org,2027-01")
    clear_caches()  # a deployer sets it before the server starts: no answer is kept from before
    mine = parse_feed(client.get("/feed.atom", params={"crossing": "torkham"}).content)
    assert [e.findtext(f"{ATOM}id") for e in mine.findall(f"{ATOM}entry")] == [
        i.replace("tag:border-crossing-status.org,2026:", "tag:feeds@example.org,2027-01:") for i in ids]
    assert mine.findtext(f"{ATOM}id") == "tag:feeds@example.org,2027-01:feed?crossing=torkham"


@pytest.mark.parametrize(("value", "expected"), [
    ("", "tag:border-crossing-status.org,2026"),
    ("example.org,2027", "tag:example.org,2027"),
    ("tag:example.org,2027-05-01", "tag:example.org,2027-05-01"),
    ("feeds@example.org,2027-01", "tag:feeds@example.org,2027-01"),
    ("example.org", None),
    ("example.org,27", None),
    ("example.org,2027-13", None),
    ("http://example.org,2027", None),
    ("exa mple.org,2027", None),
])
def test_tag_authority_values(value: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ValueError, match="CROSSINGS_TAG_AUTHORITY"):
            tag_authority({"CROSSINGS_TAG_AUTHORITY": value})
    else:
        assert tag_authority({"CROSSINGS_TAG_AUTHORITY": value}) == expected


def test_a_bad_tag_authority_stops_the_server_as_it_starts() -> None:
    done = subprocess.run([sys.executable, "-c", "import app"], cwd=REPO, capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "CROSSINGS_TAG_AUTHORITY": "not an authority"})
    assert done.returncode != 0 and "CROSSINGS_TAG_AUTHORITY='not an authority' is not a tag: authority" in done.stderr
