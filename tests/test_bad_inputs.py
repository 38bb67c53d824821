"""A corpus of broken data sets, one broken rule each: `load` names FILE:LINE: column and
leaves every table of the store byte-for-byte as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    REPO,
    append_row,
    checksums,
    edit_cell,
    read_rows,
    run_cli,
    write_rows,
)


@pytest.fixture(scope="module")
def corpus_store(curated_store: str) -> tuple[str, dict]:
    """The curated store with its checksums: every case is a refused load, so the store must still
    match them after each one (a case that wrongly loads fails there)."""
    return curated_store, checksums(curated_store)


def _set(table: str, row_id: str, column: str, value: str):
    def mutate(data: Path) -> int:
        return edit_cell(data, table, row_id, column, value)
    return mutate


def _set_all(table: str, row_id: str, **values: str):
    def mutate(data: Path) -> int:
        for column, value in values.items():
            line = edit_cell(data, table, row_id, column, value)
        return line
    return mutate


def _add(table: str, **values: str):
    def mutate(data: Path) -> int:
        return append_row(data, table, values)
    return mutate


def _text(file: str, change, line=1):
    """Change a file's bytes; `line` is the line the problem is on, or a function of the original bytes."""
    def mutate(data: Path) -> int:
        path = data / file
        original = path.read_bytes()
        path.write_bytes(change(original))
        return line(original) if callable(line) else line
    return mutate


def _after_last(raw: bytes) -> int:
    """The line of a row appended to the file."""
    return raw.count(b"\n") + 1


def _first_latin_1_line(raw: bytes) -> int:
    """The first line that, written in Latin-1, is no longer UTF-8."""
    for number, text in enumerate(raw.decode().replace("Wesh–Chaman", "Wesh\u00e9Chaman").split("\n"), start=1):
        try:
            text.encode("latin-1", "replace").decode("utf-8")
        except UnicodeDecodeError:
            return number
    raise AssertionError("nothing to break")


def _line_of(needle: bytes):
    def find(raw: bytes) -> int:
        return raw[:raw.index(needle)].count(b"\n") + 1
    return find


def _delete(file: str):
    def mutate(data: Path) -> int:
        (data / file).unlink()
        return 1
    return mutate


def _blank_line_after_header(raw: bytes) -> bytes:
    head, rest = raw.split(b"\n", 1)
    return head + b"\n\n" + rest


# (case, file, mutation, column, message fragment)
BAD_INPUTS = [
    ("reported-not-a-source-date", "status_intervals.csv",
     _set("status_intervals", "torkham-2025-03-19", "reported_on", "2025-03-18"), "reported_on",
     "2025-03-18 is not the publication date of any of the row's sources"),
    ("end-reported-before-reported", "status_intervals.csv",
     _set("status_intervals", "torkham-2025-03-19", "end_reported_on", "2025-03-01"), "end_reported_on",
     "2025-03-01 is before reported_on 2025-03-19"),
    ("end-reported-without-end", "status_intervals.csv",
     _set("status_intervals", "torkham-2025-12-04", "end_reported_on", "2026-03-01"), "end_reported_on",
     "given for a row with no end_date"),
    ("ended-before-start", "agreements.csv",
     _set("agreements", "doha-ceasefire-2025-10-19", "ended_on", "2025-10-01"), "ended_on",
     "2025-10-01 is before the agreement takes effect (2025-10-19)"),
    ("ended-without-sources", "agreements.csv",
     _set("agreements", "doha-ceasefire-2025-10-19", "end_source_ids", ""), "end_source_ids",
     "names the sources reporting its end"),
    ("end-sources-without-end", "moratoria.csv",
     _set("moratoria", "new-checkposts-2025-03-19", "end_source_ids", "seed-article"), "ended_on",
     "no ended_on"),
    ("moratorium-ended-before-start", "moratoria.csv",
     _set("moratoria", "new-checkposts-2025-03-19", "ended_on", "2025-03-01"), "ended_on",
     "2025-03-01 is before start_date 2025-03-19"),
    ("end-source-unknown", "agreements.csv",
     _set("agreements", "doha-ceasefire-2025-10-19", "end_source_ids", "no-such-source"), "end_source_ids",
     "no-such-source"),
    ("title-missing", "sources.csv", _set("sources", "seed-article", "title", ""), "title", "required"),
    ("url-javascript", "sources.csv", _set("sources", "seed-article", "url", "javascript:alert(1)"), "url",
     "not an http(s) URL"),
    ("url-file", "sources.csv", _set("sources", "seed-article", "url", "file:///etc/passwd"), "url",
     "not an http(s) URL"),
    ("date-impossible", "sources.csv", _set("sources", "dawn-2017-03-20", "published_on", "2024-02-30"),
     "published_on", "not a real date"),
    ("date-malformed", "sources.csv", _set("sources", "dawn-2017-03-20", "published_on", "22/02/2025"),
     "published_on", "not a date in the form YYYY-MM-DD"),
    ("id-not-slug", "sources.csv", _add("sources", source_id="Bad Id", title="x"), "source_id", "is not an id"),
    ("id-duplicate", "sources.csv", _add("sources", source_id="seed-article", title="x"), "source_id",
     "duplicate id 'seed-article' (first on line 2)"),
    ("country-not-iso", "crossings.csv", _set("crossings", "torkham", "country_a", "PAK"), "country_a",
     "not an ISO 3166-1 alpha-2"),
    ("latitude-range", "crossings.csv", _set("crossings", "torkham", "latitude", "95"), "latitude",
     "outside -90 to 90"),
    ("longitude-range", "crossings.csv", _set("crossings", "torkham", "longitude", "-181"), "longitude",
     "outside -180 to 180"),
    ("coordinates-half", "crossings.csv", _set("crossings", "torkham", "longitude", ""), "longitude",
     "both latitude and longitude"),
    ("unknown-source", "crossings.csv", _set("crossings", "torkham", "source_ids", "wikipedia-torkham;nope"),
     "source_ids", "unknown source id 'nope'"),
    ("empty-list-item", "crossings.csv", _set("crossings", "torkham", "source_ids", "wikipedia-torkham;;"),
     "source_ids", "empty item"),
    ("status-enum", "status_intervals.csv", _set("status_intervals", "torkham-2016-06-13", "status", "shut"),
     "status", "'shut' is not one of open, closed, restricted"),
    ("unknown-crossing", "status_intervals.csv",
     _set("status_intervals", "torkham-2016-06-13", "crossing_id", "nowhere"), "crossing_id",
     "unknown crossing id 'nowhere'"),
    ("end-equals-start", "status_intervals.csv",
     _set("status_intervals", "torkham-2016-06-13", "end_date", "2016-06-13"), "end_date", "is not after"),
    ("end-before-start", "status_intervals.csv",
     _set("status_intervals", "torkham-2016-06-13", "end_date", "2016-06-01"), "end_date", "is not after"),
    ("no-source", "status_intervals.csv", _set("status_intervals", "torkham-2016-06-13", "source_ids", ""),
     "source_ids", "required"),
    ("overlap", "status_intervals.csv",
     _add("status_intervals", interval_id="torkham-extra", crossing_id="torkham", status="open",
          start_date="2016-06-15", end_date="2016-06-16", source_ids="seed-article"),
     "start_date", "overlaps 'torkham-2016-06-13'"),
    ("overlap-ongoing", "status_intervals.csv",
     _add("status_intervals", interval_id="torkham-later", crossing_id="torkham", status="open",
          start_date="2026-01-10", source_ids="seed-article"),
     "start_date", "which is ongoing"),
    ("agreement-kind", "agreements.csv", _set("agreements", "aptta", "kind", "peace"), "kind",
     "'peace' is not one of"),
    ("agreement-dates", "agreements.csv",
     _set("agreements", "flag-meeting-ceasefire-2025-03-19", "valid_until", "2025-03-01"), "valid_until",
     "before the agreement takes effect"),
    ("agreement-crossing", "agreements.csv", _set("agreements", "aptta", "crossing_ids", "torkham;mars"),
     "crossing_ids", "unknown crossing id 'mars'"),
    ("moratorium-agreement", "moratoria.csv",
     _set("moratoria", "new-checkposts-2025-03-19", "agreement_id", "nope"), "agreement_id",
     "unknown agreement id 'nope'"),
    ("moratorium-start", "moratoria.csv", _set("moratoria", "new-checkposts-2025-03-19", "start_date", ""),
     "start_date", "required"),
    ("event-precision", "events.csv", _set("events", "jcc-6-2024-01-03", "date_precision", "week"),
     "date_precision", "not one of day, month, year"),
    ("event-kind", "events.csv", _set("events", "jcc-6-2024-01-03", "kind", "party"), "kind", "not one of"),
    ("event-month-day", "events.csv", _set("events", "angoor-adda-reopens-2025-09", "date", "2025-09-20"), "date",
     "the month's first day"),
    ("missing-file", "events.csv", _delete("events.csv"), "(file)", "file not found"),
    ("missing-column", "events.csv", _text("events.csv", lambda b: b.replace(b"place,", b"", 1)), "(header)",
     "missing column 'place'"),
    ("misspelt-column", "events.csv", _text("events.csv", lambda b: b.replace(b"place,", b"plase,", 1)),
     "(header)", "unknown column 'plase'"),
    ("extra-column", "events.csv", _text("events.csv", lambda b: b.replace(b"notes\n", b"notes,extra\n", 1)),
     "(header)", "unknown column 'extra'"),
    ("empty-file", "events.csv", _text("events.csv", lambda b: b""), "(file)", "file is empty"),
    ("wrong-delimiter", "events.csv", _text("events.csv", lambda b: b.replace(b",", b";")), "(header)",
     "not comma-separated"),
    ("not-utf8", "events.csv",
     _text("events.csv", lambda b: b.replace(b"Kabul", b"K\xffbul", 1), line=_line_of(b"Kabul")), "(file)",
     "not UTF-8"),
    ("blank-line", "events.csv", _text("events.csv", _blank_line_after_header, line=2), "(row)", "blank line"),
    ("field-count", "events.csv", _text("events.csv", lambda b: b + b"a,b\n", line=_after_last), "(row)",
     "2 fields where the header has 9"),
    # --- more of the file's shape
    ("header-only-crossings", "crossings.csv", _text("crossings.csv", lambda b: b.split(b"\n", 1)[0] + b"\n"),
     "(file)", "no rows: the store needs at least one crossing"),
    ("header-only-sources", "sources.csv", _text("sources.csv", lambda b: b.split(b"\n", 1)[0] + b"\n"),
     "(file)", "no rows: the store needs at least one source"),
    ("unterminated-quote", "events.csv",
     _text("events.csv", lambda b: b + b'late,2025-01-01,day,other,"x\n', line=_after_last), "(row)", "malformed CSV"),
    ("blank-line-at-end", "events.csv", _text("events.csv", lambda b: b + b"\n", line=_after_last), "(row)",
     "blank line"),
    ("bom-and-bad-header", "events.csv",
     _text("events.csv", lambda b: b"\xef\xbb\xbf" + b.replace(b"event_id", b"eventid", 1)), "(header)",
     "missing column 'event_id'"),
    ("latin-1-file", "sources.csv",
     _text("sources.csv", lambda b: b.decode().replace("Wesh–Chaman", "Wesh\u00e9Chaman").encode("latin-1", "replace"),
           line=_first_latin_1_line), "(file)", "not UTF-8"),
    ("megabyte-field", "status_intervals.csv",
     _set("status_intervals", "torkham-2016-06-13", "notes", "x" * 1_048_576), "notes",
     "1048576 characters; at most 20000"),
    ("control-character", "crossings.csv", _set("crossings", "torkham", "notes", "bell\x07"), "notes",
     "control character"),
    ("leading-space", "crossings.csv", _set("crossings", "torkham", "name", " Torkham"), "name",
     "leading or trailing spaces"),
    ("formula-name", "crossings.csv", _set("crossings", "torkham", "name", '=HYPERLINK("http://x")'), "name",
     "a spreadsheet would run as a formula"),
    ("formula-note", "status_intervals.csv", _set("status_intervals", "torkham-2016-06-13", "notes", "@SUM(A1)"),
     "notes", "a spreadsheet would run as a formula"),
    # --- what moves (moves, limited, barred)
    ("traffic-on-open", "status_intervals.csv", _set("status_intervals", "torkham-2025-03-22", "moves", "trade"),
     "moves", "leave it empty for an open interval"),
    ("traffic-on-closed", "status_intervals.csv", _set("status_intervals", "torkham-2025-02-21", "barred", "trade"),
     "barred", "leave it empty for a closed interval"),
    ("restricted-names-nothing", "status_intervals.csv",
     _set_all("status_intervals", "torkham-2024-05-17", moves="", barred=""), "moves", "names at least one kind"),
    ("kind-unknown", "status_intervals.csv", _set("status_intervals", "torkham-2025-03-19", "moves", "trade;cars"),
     "moves", "'cars' is not a kind of traffic; the kinds are trade, transit, aid, travellers, returnees"),
    ("kind-in-two-lists-ordered", "status_intervals.csv",
     _set("status_intervals", "torkham-2025-03-19", "barred", "trade;travellers"), "barred",
     "'trade' is already in moves: a kind of traffic is in one list at most"),
    ("kind-twice", "status_intervals.csv", _set("status_intervals", "torkham-2025-03-19", "moves", "trade;trade"),
     "moves", "a kind appears twice"),
    ("kinds-out-of-order", "status_intervals.csv",
     _set("status_intervals", "torkham-2025-03-19", "moves", "transit;trade"), "moves",
     "list the kinds in this order: trade;transit"),
    ("all-kinds-move", "status_intervals.csv",
     _set_all("status_intervals", "torkham-2025-12-04", moves="trade;transit;aid;travellers;returnees", barred=""),
     "moves", "every kind of traffic moves: that is an open interval"),
    ("all-kinds-barred", "status_intervals.csv",
     _set_all("status_intervals", "torkham-2024-05-17", moves="", barred="trade;transit;aid;travellers;returnees"),
     "barred", "every kind of traffic is barred: that is a closed interval"),
    # --- ids and references
    ("id-uppercase", "crossings.csv", _add("crossings", crossing_id="Torkham2", name="x", country_a="PK",
                                           side_a_name="x", country_b="AF", side_b_name="x",
                                           source_ids="seed-article"), "crossing_id", "is not an id"),
    ("id-underscore", "events.csv", _set("events", "jcc-6-2024-01-03", "event_id", "jcc_6"), "event_id",
     "is not an id"),
    ("unknown-source-in-agreement", "agreements.csv", _set("agreements", "aptta", "source_ids", "dawn-aptta;gone"),
     "source_ids", "unknown source id 'gone'"),
    ("unknown-crossing-in-event", "events.csv", _set("events", "jcc-6-2024-01-03", "crossing_ids", "wakhan"),
     "crossing_ids", "unknown crossing id 'wakhan'"),
    ("duplicate-in-list", "crossings.csv", _set("crossings", "torkham", "source_ids",
                                                "wikipedia-torkham;wikipedia-torkham"), "source_ids",
     "an id appears twice"),
    ("duplicate-interval-id", "status_intervals.csv",
     _add("status_intervals", interval_id="torkham-2016-06-13", crossing_id="badini", status="open",
          start_date="2030-01-01", source_ids="seed-article"), "interval_id", "duplicate id 'torkham-2016-06-13'"),
    # --- dates and numbers
    ("date-with-time", "status_intervals.csv",
     _set("status_intervals", "torkham-2016-06-13", "start_date", "2016-06-13T00:00"), "start_date",
     "not a date in the form YYYY-MM-DD"),
    ("date-compact", "events.csv", _set("events", "jcc-6-2024-01-03", "date", "20240103"), "date",
     "not a date in the form YYYY-MM-DD"),
    ("date-feb-29-non-leap", "moratoria.csv",
     _set("moratoria", "new-checkposts-2025-03-19", "valid_until", "2025-02-29"), "valid_until", "not a real date"),
    ("latitude-nan", "crossings.csv", _set("crossings", "torkham", "latitude", "nan"), "latitude",
     "outside -90 to 90"),
    ("latitude-text", "crossings.csv", _set("crossings", "torkham", "latitude", "north"), "latitude",
     "is not a number"),
    ("moratorium-ends-before-start", "moratoria.csv",
     _set("moratoria", "new-checkposts-2025-03-19", "valid_until", "2025-03-01"), "valid_until",
     "before start_date"),
    ("event-year-not-january", "events.csv",
     _set("events", "afghan-commerce-delegation-2025", "date", "2025-03-01"), "date", "the year's first day"),
    ("url-no-host", "sources.csv", _set("sources", "seed-article", "url", "https://"), "url", "not an http(s) URL"),
    ("url-data", "sources.csv", _set("sources", "seed-article", "url", "data:text/html,<script>x</script>"), "url",
     "not an http(s) URL"),
    ("country-lowercase", "crossings.csv", _set("crossings", "torkham", "country_b", "af"), "country_b",
     "not an ISO 3166-1 alpha-2"),
    ("country-same", "crossings.csv", _set("crossings", "torkham", "country_b", "PK"), "country_b",
     "two different countries"),
    ("overlap-same-start", "status_intervals.csv",
     _add("status_intervals", interval_id="torkham-dup-start", crossing_id="torkham", status="closed",
          start_date="2016-06-13", end_date="2016-06-14", source_ids="seed-article"),
     "start_date", "overlaps"),
]


@pytest.mark.parametrize(("file", "mutate", "column", "fragment"),
                         [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_named_and_changes_nothing(
    corpus_store: tuple[str, dict], data_copy: Path, file: str, mutate, column: str, fragment: str
) -> None:
    store_url, before = corpus_store
    line = mutate(data_copy)
    code, out, err = run_cli(["load", "--data", str(data_copy), "--db", store_url])
    assert code != 0 and "loaded" not in out
    assert "Traceback" not in err
    prefix = f"{data_copy / file}:{line}: {column}: "
    matching = [m for m in err.splitlines() if m.startswith(prefix)]
    assert matching, f"no line starting {prefix!r} in:\n{err[:3000]}"
    assert any(fragment in m for m in matching), err[:3000]
    assert "was not changed" in err
    assert checksums(store_url) == before
    if store_url.startswith("sqlite"):  # `validate` reads no store: once is enough
        code, _, verr = run_cli(["validate", "--data", str(data_copy)])
        assert code != 0 and any(m.startswith(prefix) for m in verr.splitlines())


def test_the_corpus_is_large_and_distinct() -> None:
    assert len(BAD_INPUTS) >= 40
    assert len({case[0] for case in BAD_INPUTS}) == len(BAD_INPUTS)


def test_a_hundred_thousand_rows_with_one_bad_row_at_the_end(corpus_store: tuple[str, dict], data_copy: Path
                                                             ) -> None:
    store_url, before = corpus_store
    rows = read_rows(data_copy / "sources.csv")
    rows.extend([f"bulk-{n}", "Publisher", f"Title {n}", "2024-01-01", "", "", ""] for n in range(100_000))
    rows.append(["bulk-last", "Publisher", "Title", "2024-02-30", "", "", ""])
    write_rows(data_copy / "sources.csv", rows)
    code, _, err = run_cli(["load", "--data", str(data_copy), "--db", store_url])
    assert code != 0
    first = err.splitlines()[0]
    assert first == f"{data_copy / 'sources.csv'}:{len(rows)}: published_on: '2024-02-30' is not a real date"
    assert checksums(store_url) == before


def test_load_as_a_real_process_rejects_and_keeps_the_store(corpus_store: tuple[str, dict], data_copy: Path
                                                           ) -> None:
    store_url, before = corpus_store
    edit_cell(data_copy, "status_intervals", "torkham-2025-02-21", "end_date", "2025-02-01")
    done = subprocess.run([sys.executable, "-m", "crossings", "load", "--data", str(data_copy), "--db", store_url],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert ": end_date: 2025-02-01 is not after start_date" in done.stderr
    assert checksums(store_url) == before
