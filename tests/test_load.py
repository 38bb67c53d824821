"""The loader: the curated data loads; every broken rule is named as FILE:LINE: column and
the store is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DATA, append_row, checksums, edit_cell, read_rows, run_cli, write_rows

from db.engine import make_engine
from db.queries import read_all


def test_curated_data_loads(store_url: str) -> None:
    engine = make_engine(store_url)
    with engine.connect() as connection:
        store = read_all(connection)
    assert {name: len(frame) for name, frame in store.items()} == {
        name: len(read_rows(DATA / f"{name}.csv")) - 1 for name in store
    }


def test_loading_twice_gives_the_same_store(store_url: str) -> None:
    before = checksums(store_url)
    code, out, _ = run_cli(["load", "--data", str(DATA), "--db", store_url])
    assert code == 0 and "loaded" in out
    assert checksums(store_url) == before


def _set(table: str, row_id: str, column: str, value: str):
    def mutate(data: Path) -> int:
        return edit_cell(data, table, row_id, column, value)
    return mutate


def _add(table: str, **values: str):
    def mutate(data: Path) -> int:
        return append_row(data, table, values)
    return mutate


def _text(file: str, change, line: int = 1):
    def mutate(data: Path) -> int:
        path = data / file
        path.write_bytes(change(path.read_bytes()))
        return line
    return mutate


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
    ("event-month-day", "events.csv", _set("events", "riyadh-talks-2025-11", "date", "2025-11-20"), "date",
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
    ("not-utf8", "events.csv", _text("events.csv", lambda b: b.replace(b"Kabul", b"K\xffbul", 1), line=2),
     "(file)", "not UTF-8"),
    ("blank-line", "events.csv", _text("events.csv", _blank_line_after_header, line=2), "(row)", "blank line"),
    ("field-count", "events.csv", _text("events.csv", lambda b: b + b"a,b\n", line=15), "(row)",
     "2 fields where the header has 9"),
]


@pytest.mark.parametrize(("file", "mutate", "column", "fragment"),
                         [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_named_and_changes_nothing(
    store_url: str, data_copy: Path, file: str, mutate, column: str, fragment: str
) -> None:
    line = mutate(data_copy)
    before = checksums(store_url)
    code, out, err = run_cli(["load", "--data", str(data_copy), "--db", store_url])
    assert code != 0 and "loaded" not in out
    assert "Traceback" not in err
    prefix = f"{data_copy / file}:{line}: {column}: "
    matching = [m for m in err.splitlines() if m.startswith(prefix)]
    assert matching, f"no line starting {prefix!r} in:\n{err}"
    assert any(fragment in m for m in matching), err
    assert "was not changed" in err
    assert checksums(store_url) == before
    # validate reports the same problem and writes nothing either
    code, _, verr = run_cli(["validate", "--data", str(data_copy)])
    assert code != 0 and any(m.startswith(prefix) for m in verr.splitlines())


def test_byte_order_mark_and_crlf_are_accepted(store_url: str, data_copy: Path) -> None:
    path = data_copy / "status_intervals.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    before = checksums(store_url)
    code, _, err = run_cli(["load", "--data", str(data_copy), "--db", store_url])
    assert code == 0, err
    assert checksums(store_url) == before  # same content, same store


def test_quoted_fields_with_newlines_and_commas_load(store_url: str, data_copy: Path) -> None:
    note = 'first line, with a comma\nsecond line with "quotes"'
    edit_cell(data_copy, "events", "jcc-6-2024-01-03", "notes", note)
    line = append_row(data_copy, "events", {"event_id": "late", "date": "2025-01-01", "date_precision": "day",
                                            "kind": "other", "title": "x", "source_ids": "nope"})
    # the appended row sits one physical line further down because of the embedded newline
    code, _, err = run_cli(["validate", "--data", str(data_copy)])
    assert code != 0 and f"events.csv:{line + 1}: source_ids: unknown source id 'nope'" in err
    rows = read_rows(data_copy / "events.csv")
    write_rows(data_copy / "events.csv", rows[:-1])
    code, _, err = run_cli(["load", "--data", str(data_copy), "--db", store_url])
    assert code == 0, err
    engine = make_engine(store_url)
    with engine.connect() as connection:
        events = read_all(connection)["events"].set_index("event_id")
    assert events.loc["jcc-6-2024-01-03", "notes"] == note


def test_many_problems_are_counted_not_all_printed(data_copy: Path) -> None:
    rows = read_rows(data_copy / "sources.csv")
    rows.extend([[f"bad id {n}", "", "", "", "", ""] for n in range(300)])
    write_rows(data_copy / "sources.csv", rows)
    code, _, err = run_cli(["validate", "--data", str(data_copy)])
    assert code != 0
    assert "... and " in err and "more problem(s)" in err
    assert len(err.splitlines()) < 260


def test_first_load_of_a_missing_sqlite_file_with_bad_data_leaves_no_file(tmp_path: Path, data_copy: Path) -> None:
    edit_cell(data_copy, "status_intervals", "torkham-2016-06-13", "status", "shut")
    target = tmp_path / "new.db"
    code, _, err = run_cli(["load", "--data", str(data_copy), "--db", f"sqlite:///{target}"])
    assert code != 0 and "status" in err
    assert not target.exists()
    assert list(tmp_path.glob("new.db*")) == []
