"""The routes' ready answers (crossings/serve/answers.py) and intervals.json's pages: a kept answer is the
answer worked out afresh, byte for byte, over random queries; a reload is seen by the next request; the
pages hold every row exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import clear_caches, edit_cell, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from crossings.serve import answers
from crossings.serve.answers import ReadyAnswers
from crossings.serve.paging import INTERVALS_PAGE_ROWS
from crossings.serve.routes import PARAMETERS, ROUTES

# A few values per parameter, so that random queries often mean the same as an earlier one (another order,
# a value twice, the last of two dates): what the cache must tell apart or share.
CROSSINGS = ["torkham", "chaman", "islam-qala", "hairatan", "kharlachi"]
DATES = ["2017-03-08", "2025-03-19", "2025-12-20"]
WINDOW = ["2016-01-01", "2025-01-01", "2025-06-30"]
SOME = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@st.composite
def queries(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A route and its parameters in a random order, values repeated or given twice."""
    path = draw(st.sampled_from(sorted(PARAMETERS)))
    choices = {
        "crossing": st.lists(st.sampled_from(CROSSINGS), max_size=4),
        "country": st.lists(st.sampled_from(["PK", "IR", "TJ"]), max_size=2),
        "as_of": st.lists(st.sampled_from(DATES), max_size=2),
        "from": st.lists(st.sampled_from(WINDOW[:2]), max_size=1),
        "to": st.lists(st.sampled_from(WINDOW[1:]), max_size=1),
        "traffic": st.lists(st.sampled_from(["trade", "returnees"]), max_size=1),
        "status": st.lists(st.sampled_from(["open", "closed", "restricted", "unknown"]), max_size=2),
        "known_by": st.lists(st.sampled_from(["2025-03-20", "2025-12-20"]), max_size=1),
        "limit": st.lists(st.sampled_from(["1", "7", "500"]), max_size=1),
        "after": st.lists(st.sampled_from(["torkham-2025-02-21", "chaman-2025-10-12", "nowhere"]), max_size=1),
        "lang": st.lists(st.sampled_from(["en", "fa-AF", "ps", "ur"]), max_size=1),
    }
    params = [(name, value) for name in PARAMETERS[path] for value in draw(choices[name])]
    return path, draw(st.permutations(params))


@SOME
@given(asked=st.lists(queries(), min_size=1, max_size=4))
def test_kept_answers_equal_answers_worked_out_afresh(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                                      asked: list[tuple[str, list[tuple[str, str]]]]) -> None:
    """Every answer through the process's cache (kept across examples, so earlier queries meaning the same are
    served from it) equals the answer of a cache that keeps nothing: same status, headers and bytes."""
    for path, params in asked:
        kept = client.get(path, params=params)
        with monkeypatch.context() as plain:
            plain.setattr(answers, "READY", ReadyAnswers(max_entries=0))
            afresh = client.get(path, params=params)
        assert (kept.status_code, kept.content) == (afresh.status_code, afresh.content), (path, params)
        for header in ("etag", "content-type", "content-disposition", "cache-control"):
            assert kept.headers.get(header) == afresh.headers.get(header)


def test_the_cache_is_used_and_shared_by_urls_meaning_the_same(client: TestClient) -> None:
    answers.READY.clear()
    first = client.get("/api/v1/status", params=[("crossing", "torkham"), ("crossing", "chaman"),
                                                 ("as_of", "2025-12-20")])
    again = client.get("/api/v1/status", params=[("as_of", "2025-01-01"), ("crossing", "chaman"),
                                                 ("crossing", "torkham"), ("as_of", "2025-12-20")])
    assert first.content == again.content and first.status_code == 200
    assert (answers.READY.hits, answers.READY.misses, len(answers.READY)) == (1, 1, 1)


def test_the_cache_is_bounded_by_count_and_bytes() -> None:
    from crossings.serve.answers import Answer

    class Store:
        url, version, known_by = "sqlite:///x", "v1", None

    ready = ReadyAnswers(max_entries=3, max_bytes=10)
    for n in range(5):
        ready.answer(Store(), n, lambda: Answer(b"abcd", "text/plain", {}))  # type: ignore[arg-type]
    assert len(ready) == 2  # 3 answers of 4 bytes are 12 bytes
    ready.answer(Store(), "big", lambda: Answer(b"x" * 11, "text/plain", {}))  # type: ignore[arg-type]
    assert "big" not in ready._kept and len(ready) == 2
    Store.version = "v2"  # another version of the same store: the old one's answers go
    ready.answer(Store(), 9, lambda: Answer(b"a", "text/plain", {}))  # type: ignore[arg-type]
    assert list(ready._kept) == [9]


def test_a_reload_is_seen_by_the_next_request(store_url: str, data_copy: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.setenv("DATABASE_URL", store_url)
    clear_caches()
    with TestClient(Starlette(routes=list(ROUTES))) as client:
        params = {"crossing": "torkham", "as_of": "2025-12-20"}
        before = client.get("/api/v1/status", params=params)
        assert client.get("/api/v1/status", params=params).content == before.content  # kept
        (current,) = [r for r in client.get("/api/v1/intervals.json", params=params).json()["intervals"]
                      if r["ongoing"]]
        edit_cell(data_copy, "status_intervals", current["interval_id"], "detail", "Reloaded: a new detail")
        code, _, err = run_cli(["load", "--data", str(data_copy), "--db", store_url])
        assert code == 0, err
        after = client.get("/api/v1/status", params=params)
        assert after.status_code == 200 and after.json()["crossings"][0]["detail"] == "Reloaded: a new detail"
        assert after.headers["etag"] != before.headers["etag"]
    clear_caches()


def intervals_by_pages(client: TestClient, params: list[tuple[str, str]], limit: int) -> list[dict]:
    found: list[dict] = []
    answer = client.get("/api/v1/intervals.json", params=[*params, ("limit", str(limit))]).json()
    for _ in range(1_000):
        rows = answer["intervals"]
        assert len(rows) <= limit and (rows or not found)
        found += rows
        if answer["next"] is None:
            return found
        assert len(rows) == limit and f"after={rows[-1]['interval_id']}" in answer["next"]
        answer = client.get(answer["next"]).json()
    raise AssertionError("the pages never ended")


# each page is worked out afresh (about 0.1 s): pages of at least 8 rows keep an example to a few pages
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(crossings=st.lists(st.sampled_from(CROSSINGS), max_size=3), limit=st.integers(8, 60),
       statuses=st.lists(st.sampled_from(["open", "closed", "restricted"]), max_size=2),
       window=st.sampled_from([(), (("from", "2016-01-01"),), (("from", "2025-01-01"), ("to", "2025-06-30"))]),
       known_by=st.sampled_from([(), (("known_by", "2025-12-20"),)]))
def test_the_pages_hold_every_row_exactly_once(client: TestClient, crossings: list[str], limit: int,
                                               statuses: list[str], window: tuple, known_by: tuple) -> None:
    params = [*(("crossing", c) for c in crossings), *(("status", s) for s in statuses), *window, *known_by,
              ("as_of", "2025-12-20")]
    whole = client.get("/api/v1/intervals.json", params=params).json()
    assert whole["next"] is None  # the curated data has fewer rows than a page
    paged = intervals_by_pages(client, params, limit)
    assert [r["interval_id"] for r in paged] == [r["interval_id"] for r in whole["intervals"]]
    assert paged == whole["intervals"]


def test_a_page_of_every_interval_and_bad_page_parameters(client: TestClient) -> None:
    every = client.get("/api/v1/intervals.json", params={"as_of": "2026-11-28"}).json()["intervals"]
    assert 0 < len(every) <= INTERVALS_PAGE_ROWS
    ids = [r["interval_id"] for r in intervals_by_pages(client, [("as_of", "2026-11-28")], 50)]
    assert ids == [r["interval_id"] for r in every] and len(set(ids)) == len(ids)
    for params, name in (({"limit": "0"}, "limit"), ({"limit": "501"}, "limit"), ({"limit": "ten"}, "limit"),
                         ({"after": "atlantis-2025-01-01"}, "after")):
        answer = client.get("/api/v1/intervals.json", params=params)
        assert answer.status_code == 400 and name in answer.json()["error"]
    index = client.get("/api/v1").json()
    assert {"limit", "after"} <= set(index["routes"]["/api/v1/intervals.json"]["parameters"])
    assert str(INTERVALS_PAGE_ROWS) in index["parameters"]["limit"]
