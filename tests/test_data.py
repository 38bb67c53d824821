"""The curated data: every row is sourced, and the facts the project began from are right."""

from __future__ import annotations

import csv
import re

import pytest
from conftest import DATA

from crossings.core.records import TABLES


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", [t.name for t in TABLES if t.name != "sources"])
def test_every_row_names_a_source(name: str) -> None:
    for row in rows(name):
        assert row["source_ids"], row


def test_every_source_is_cited() -> None:
    cited = {s for t in TABLES if t.name != "sources" for r in rows(t.name) for s in r["source_ids"].split(";")}
    assert {r["source_id"] for r in rows("sources")} - cited == set()


def test_the_2025_torkham_closure_is_dated_2025_and_cites_the_article() -> None:
    closure = next(r for r in rows("status_intervals") if r["interval_id"] == "torkham-2025-02-21")
    assert (closure["start_date"], closure["end_date"], closure["status"]) == ("2025-02-21", "2025-03-19", "closed")
    assert "seed-article" in closure["source_ids"].split(";")
    assert "2024" in closure["notes"] and "27" in closure["notes"]


def test_only_the_latest_status_of_a_crossing_is_ongoing() -> None:
    by_crossing: dict[str, list[dict[str, str]]] = {}
    for row in rows("status_intervals"):
        by_crossing.setdefault(row["crossing_id"], []).append(row)
    for crossing, intervals in by_crossing.items():
        latest = max(intervals, key=lambda r: r["start_date"])
        for row in intervals:
            if row is not latest:
                assert row["end_date"], (crossing, row["interval_id"])


# Words in a source's notes that say why its URL or date is missing (no source is a placeholder).
EXPLAINED = ("not found in stored copies", "not visible", "not recorded", "no publisher or date", "not known")


def test_no_source_is_a_placeholder() -> None:
    for row in rows("sources"):
        assert row["title"] and not row["title"].lower().startswith(("todo", "tbd", "placeholder")), row
        if not (row["url"] and row["published_on"]):
            assert any(word in row["notes"] for word in EXPLAINED), row["source_id"]


def test_every_crossing_has_sourced_coordinates_or_says_why_not() -> None:
    for row in rows("crossings"):
        if row["latitude"]:
            assert any(s.startswith(("wikipedia", "dewiki")) for s in row["source_ids"].split(";")), row
            assert "point" in row["notes"], row["crossing_id"]
        else:
            assert "coordinates" in row["notes"].lower(), row["crossing_id"]


def test_the_record_reaches_the_newest_stored_report() -> None:
    assert max(r["published_on"] for r in rows("sources") if r["published_on"]) == "2026-04-08"
    assert max(r["date"] for r in rows("events")) == "2026-04-01"


# Words in a source's notes that say its stored copy was not found (then it has no quote).
NOT_STORED = ("no stored copy found", "not found in stored copies")


def cited_by_the_record() -> dict[str, list[str]]:
    """Each interval's, agreement's and moratorium's id -> the sources it cites (and those of its end)."""
    found = {}
    for name, key in (("status_intervals", "interval_id"), ("agreements", "agreement_id"),
                      ("moratoria", "moratorium_id")):
        for row in rows(name):
            found[row[key]] = [s for column in ("source_ids", "end_source_ids") for s in row.get(column, "").split(";")
                               if s]
    return found


def test_every_source_the_record_rests_on_has_its_words_or_says_it_is_not_stored() -> None:
    """The issue's rule: a quote of at most 300 characters from the stored copy, with an English gloss in notes
    where it is in another script; a source with no stored copy says so instead."""
    sources = {r["source_id"]: r for r in rows("sources")}
    for source_id in sorted({s for ids in cited_by_the_record().values() for s in ids}):
        row = sources[source_id]
        if not row["quote"]:
            assert any(words in row["notes"].lower() for words in NOT_STORED), source_id
            continue
        assert len(row["quote"]) <= 300 and row["quote"] == row["quote"].strip(), source_id
        if re.search(r"[\u0400-\u04FF\u0600-\u06FF]", row["quote"]):  # Cyrillic or Arabic script
            assert "gloss" in row["notes"].lower(), source_id


def test_every_row_of_the_record_cites_a_source_whose_words_are_quoted() -> None:
    """Every status interval, agreement and moratorium can be checked against at least one quote."""
    quoted = {r["source_id"] for r in rows("sources") if r["quote"]}
    unchecked = [row_id for row_id, ids in cited_by_the_record().items() if not quoted.intersection(ids)]
    assert unchecked == []


LOCAL_NAMES = ("name_fa_af", "name_ps", "name_ur")


def test_every_name_in_its_script_is_as_a_cited_source_writes_it() -> None:
    """A crossing's Dari, Pashto or Urdu name: each side's part ('چمن / سپین بولدک') is written, letter for letter,
    in the quote of a source the crossing cites; at least the Pakistan crossings' Pashto names are given."""
    quotes = {r["source_id"]: r["quote"] for r in rows("sources")}
    given = 0
    for row in rows("crossings"):
        cited = " ".join(quotes[s] for s in row["source_ids"].split(";") if s)
        for column in LOCAL_NAMES:
            for part in [p for p in row[column].split(" / ") if p]:
                assert part in cited, (row["crossing_id"], column, part)
                given += 1
    assert given >= 15
    assert all(r["name_ps"] for r in rows("crossings") if r["crossing_id"] in {"torkham", "chaman", "ghulam-khan"})
