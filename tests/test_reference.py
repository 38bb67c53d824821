"""Fast paths against plain reference implementations written here, on random data (hypothesis):
the newest source per crossing, the overlap detector, the chart's bare rows, and CSV downloads of
frames whatever dtype pandas chose."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import pytest
from conftest import DATA, bytes_opener
from hypothesis import given, settings
from hypothesis import strategies as st

from crossings.core.csvout import table_csv
from crossings.core.records import REFERENCED_TABLES, TABLES
from crossings.core.sources import SourceDates
from crossings.core.validation import check, check_dataset
from crossings.core.validation.batch import batch_values
from crossings.core.validation.fields import Known
from crossings.view.indexes import IntervalIndex
from crossings.view.tables import bare_interval_table

BASE = date(2020, 1, 1)
IDS = ["a", "b", "c", "d"]
FILES = {spec.file_name: (DATA / spec.file_name).read_bytes() for spec in TABLES}


# --- SourceDates.newest -----------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(cited=st.lists(st.tuples(st.sampled_from(IDS), st.integers(0, 9)), max_size=30),
       published=st.lists(st.one_of(st.none(), st.integers(0, 60)), min_size=10, max_size=10),
       asked=st.lists(st.sampled_from([*IDS, "zz"]), min_size=1, max_size=5), as_of=st.integers(-5, 70))
def test_newest_source_equals_a_plain_search(cited: list[tuple[str, int]], published: list[int | None],
                                             asked: list[str], as_of: int) -> None:
    sources = pd.DataFrame({"source_id": [f"s{n}" for n in range(10)],
                            "published_on": [None if p is None else BASE + timedelta(p) for p in published]},
                           dtype=object)
    pairs = pd.DataFrame({"crossing_id": [c for c, _ in cited], "source_id": [f"s{s}" for _, s in cited]},
                         dtype=object)
    day = BASE + timedelta(as_of)
    found = SourceDates(pairs, sources).newest(asked, day)
    for crossing in asked:
        dates = [published[s] for c, s in cited if c == crossing and published[s] is not None]
        usable = [BASE + timedelta(p) for p in dates if BASE + timedelta(p) <= day]
        assert found[crossing] == (max(usable) if usable else None), crossing


# --- the overlap detector ---------------------------------------------------------------------

@st.composite
def spans(draw: st.DrawFn) -> list[tuple[str, int, int | None]]:
    """Random intervals of crossings that exist in the curated data: (crossing, start, end or None)."""
    found = []
    for _ in range(draw(st.integers(1, 12))):
        start = draw(st.integers(0, 40))
        end = None if draw(st.integers(0, 5)) == 0 else start + draw(st.integers(1, 15))
        found.append((draw(st.sampled_from(["torkham", "chaman"])), start, end))
    return found


def overlapping_lines(rows: list[tuple[str, int, int | None]], first_line: int) -> set[int]:
    """Plain rule: a row overlaps when a row of its crossing that starts before it (or on the same day,
    on an earlier line) is still running on its first day."""
    found = set()
    for i, (crossing, start, _end) in enumerate(rows):
        for j, (other, other_start, other_end) in enumerate(rows):
            earlier = (other_start, j) < (start, i)
            if other == crossing and earlier and (other_end is None or other_end > start):
                found.add(first_line + i)
    return found


@settings(max_examples=150, deadline=None)
@given(rows=spans())
def test_the_overlap_detector_equals_a_pairwise_check(rows: list[tuple[str, int, int | None]]) -> None:
    header = FILES["status_intervals.csv"].decode().splitlines()[0]
    columns = header.split(",")
    lines = [header]
    for n, (crossing, start, end) in enumerate(rows):
        values = dict.fromkeys(columns, "")
        values.update(interval_id=f"r{n}", crossing_id=crossing, status="closed",
                      start_date=(BASE + timedelta(start)).isoformat(),
                      end_date="" if end is None else (BASE + timedelta(end)).isoformat(), source_ids="seed-article")
        lines.append(",".join(values[c] for c in columns))
    files = {**FILES, "status_intervals.csv": ("\n".join(lines) + "\n").encode()}
    problems, total = check_dataset(bytes_opener(files))
    assert total == len(problems)
    reported = {p.line for p in problems if p.column == "start_date" and "overlaps" in p.message}
    assert {p.column for p in problems} <= {"start_date"}, problems
    assert reported == overlapping_lines(rows, first_line=2)


# --- the batch checks (validation.batch.batch_values) against the row-by-row checks ----------------------

# Cells that one check or another refuses, or that look like a refused cell to a batch check.
CELLS = st.sampled_from([
    " x", "x ", "=x", "-1", "+x", "@x", "\tx", "a\nb", "a\n b", "a\nb ", "\n", "torkham", "Torkham", "tor kham",
    "", "2024-02-30", "2024-02-03", "2024-2-3", "2024-02-03 ", "\x00x", "x\x1c", "trade;trade", "trade;aid",
    "aid;trade", "trade;", "open", "restricted", "closed", "x" * 20_001, "\u00a0x", "x\u2028", "\u0663",
    "unknown-id", "seed-article", "1e9", "31.5", "PK", "AF", "https://example.org/a", "day", "month",
])


def _rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@st.composite
def edited(draw: st.DrawFn) -> dict[str, bytes]:
    """The curated files with a few cells replaced: by a tricky text, or by another row's text of the
    same column (a duplicate id, a date that ends before it starts)."""
    tables = {name: _rows_of(data) for name, data in FILES.items()}
    for _ in range(draw(st.integers(0, 4))):
        rows = tables[draw(st.sampled_from(sorted(tables)))]
        row, column = draw(st.integers(1, len(rows) - 1)), draw(st.integers(0, len(rows[0]) - 1))
        rows[row][column] = draw(CELLS | st.sampled_from([r[column] for r in rows[1:]]) | st.text(max_size=6))
    files = {}
    for name, rows in tables.items():
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        files[name] = out.getvalue().encode()
    return files


def _checked(files: dict[str, bytes]) -> tuple[list[str], int, list[tuple[str, Any, Any, Any]]]:
    handed: list[tuple[str, Any, Any, Any]] = []
    problems, total = check_dataset(bytes_opener(files), sink=lambda spec, batch: handed.append(
        (spec.name, batch.rows, {k: list(v) for k, v in batch.texts.items()}, batch.values)))
    return [str(p) for p in problems], total, handed


# 60 examples of the whole curated data set, each checked twice: 120 found nothing more and took half a minute
@settings(max_examples=60, deadline=None)
@given(files=edited(), batch_rows=st.sampled_from([1, 3, 40, 5_000]))
def test_the_batch_checks_find_exactly_what_the_row_checks_find(files: dict[str, bytes], batch_rows: int) -> None:
    """The same FILE:LINE messages, the same count, and the same rows and values handed to the loader,
    whether a batch passes at once or is checked row by row."""
    with mock.patch.object(check, "BATCH_ROWS", batch_rows):
        fast = _checked(files)
        with mock.patch.object(check, "batch_values", lambda *args: None):
            plain = _checked(files)
    assert fast == plain


def test_the_curated_files_pass_as_whole_batches() -> None:
    """The batch checks are the path the load takes: every curated file passes them at once (a batch check
    that refused everything would make the comparison above hold trivially)."""
    known = Known()
    for spec in TABLES:
        rows = _rows_of(FILES[spec.file_name])[1:]
        found = batch_values(spec, rows, known, {c.name: {} for c in spec.columns})
        assert found is not None, spec.name
        if spec.name in REFERENCED_TABLES:
            known.ids[spec.name] = set(found[1][spec.id_column])
        if spec.name == "sources":  # as the file check records them, for the rows' reported_on
            known.source_dates.update((s, d) for s, d in zip(found[1]["source_id"], found[1]["published_on"],
                                                             strict=True) if d is not None)
    spec = next(s for s in TABLES if s.name == "status_intervals")
    rows = _rows_of(FILES[spec.file_name])[1:]
    rows[5][spec.header.index("notes")] = "fine text\n and a line that starts with a space"
    assert batch_values(spec, rows, known, {c.name: {} for c in spec.columns}) is None


# --- the load's set-based guard (db.load.rule_breaches), with the triggers deferred ----------------

_TEMPLATE: dict[str, bytes] = {}


def _empty_store_without_triggers(folder: Path) -> str:
    """A migrated SQLite store whose deferred indexes and triggers are dropped, as during a load."""
    from db.engine import make_engine
    from db.load import deferred_schema
    from db.migrate import upgrade

    path = folder / "guard.db"
    if "db" not in _TEMPLATE:
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        with engine.begin() as connection:
            for drop, _ in deferred_schema(connection):
                connection.exec_driver_sql(drop)
        engine.dispose()
        _TEMPLATE["db"] = path.read_bytes()
    path.write_bytes(_TEMPLATE["db"])
    return f"sqlite:///{path}"


@settings(max_examples=100, deadline=None)
@given(rows=spans())
def test_the_loads_set_based_guard_finds_the_overlaps_the_row_checks_find(
        rows: list[tuple[str, int, int | None]], tmp_path_factory: pytest.TempPathFactory) -> None:
    """With the triggers dropped during a load, rule_breaches is what stands for them: it finds an
    overlap in exactly the crossings where the row-by-row check (the FILE:LINE messages) finds one."""
    from db.engine import make_engine
    from db.load import rule_breaches

    url = _empty_store_without_triggers(tmp_path_factory.mktemp("guard"))
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO crossings (crossing_id, name, country_a, side_a_name, country_b, "
                                   "side_b_name, position) VALUES ('torkham', 'T', 'PK', 'T', 'AF', 'T', 0), "
                                   "('chaman', 'C', 'PK', 'C', 'AF', 'C', 1)")
        connection.exec_driver_sql(
            "INSERT INTO status_intervals (interval_id, crossing_id, status, start_date, end_date, position) "
            "VALUES (?, ?, 'closed', ?, ?, ?)",
            [(f"r{n}", crossing, (BASE + timedelta(start)).isoformat(),
              None if end is None else (BASE + timedelta(end)).isoformat(), n)
             for n, (crossing, start, end) in enumerate(rows)])
        found = rule_breaches(connection)
    engine.dispose()
    row_checks = {rows[line - 2][0] for line in overlapping_lines(rows, first_line=2)}
    assert {line.split(":")[0] for line in found} == row_checks, found
    assert all("overlaps" in line for line in found)


def test_a_restricted_row_naming_nothing_is_a_breach(tmp_path: Path) -> None:
    from db.engine import make_engine
    from db.load import rule_breaches

    engine = make_engine(_empty_store_without_triggers(tmp_path))
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO crossings (crossing_id, name, country_a, side_a_name, country_b, "
                                   "side_b_name, position) VALUES ('torkham', 'T', 'PK', 'T', 'AF', 'T', 0)")
        connection.exec_driver_sql("INSERT INTO status_intervals (interval_id, crossing_id, status, start_date, "
                                   "position, trade) VALUES ('a', 'torkham', 'restricted', '2020-01-01', 0, NULL)")
        assert rule_breaches(connection) == ["restricted interval 'a' names no kind of traffic"]
    engine.dispose()


# --- bare_interval_table (the chart's rows past MAX_BARS) --------------------------------

@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(IDS), st.sampled_from(["open", "closed", "restricted"]),
                               st.integers(0, 60), st.one_of(st.none(), st.integers(1, 30))), max_size=25),
       as_of=st.integers(-5, 100), picks=st.lists(st.integers(0, 24), max_size=10))
def test_bare_table_equals_plain_rows(rows: list[tuple[str, str, int, int | None]], as_of: int,
                                      picks: list[int]) -> None:
    spans = pd.DataFrame({
        "interval_id": [f"i{n}" for n in range(len(rows))],
        "crossing_id": [c for c, _, _, _ in rows],
        "status": [s for _, s, _, _ in rows],
        "start_date": pd.to_datetime([BASE + timedelta(a) for _, _, a, _ in rows]),
        "end_date": pd.to_datetime([None if n is None else BASE + timedelta(a + n) for _, _, a, n in rows]),
    })
    crossings = pd.DataFrame({"crossing_id": IDS, "name": [f"Crossing {c}" for c in IDS]})
    index = IntervalIndex(spans, crossings)
    positions = sorted({p for p in picks if p < len(rows)})
    table = bare_interval_table(index, pd.Series(positions, dtype="int64").to_numpy(), crossings,
                                BASE + timedelta(as_of))
    day = BASE + timedelta(as_of)
    assert len(table) == len(positions)
    for position, row in zip(positions, table.to_dict("records"), strict=True):
        found = rows[int(spans.index[spans["interval_id"] == row["interval_id"]][0])]
        crossing, status, start, length = found
        first = BASE + timedelta(start)
        end = None if length is None else first + timedelta(length)
        assert index.interval_id[position] == row["interval_id"]
        assert (row["crossing_id"], row["crossing"], row["status"]) == (crossing, f"Crossing {crossing}", status)
        ongoing = end is None or end > day
        # the as-of date cuts the data: a row still running then shows no end
        assert (row["start_date"], row["end_date"]) == (first, None if ongoing else end)
        assert row["ongoing"] == ongoing
        counted = 0
        d = first
        while d <= day and (end is None or d < end):
            counted += 1
            d += timedelta(1)
        assert row["days"] == counted
        assert row["detail"] is None and row["sources"] is None


# --- downloads from frames of any dtype -------------------------------------------------------

def test_a_string_dtype_frame_with_missing_values_downloads_as_empty_cells() -> None:
    frame = pd.DataFrame({"a": pd.array(["x", None, "=1+1"], dtype="string"), "n": [1, 2, 3],
                          "o": pd.Series(["y", None, date(2025, 1, 2)], dtype=object)})
    rows = list(csv.reader(io.StringIO(table_csv(frame))))
    assert rows == [["a", "n", "o"], ["x", "1", "y"], ["", "2", ""], ["'=1+1", "3", "2025-01-02"]]


def test_pandas_default_text_dtype_with_none_downloads() -> None:
    rows = list(csv.reader(io.StringIO(table_csv(pd.DataFrame({"a": ["x", None], "b": ["-2", "ok"]})))))
    assert rows == [["a", "b"], ["x", "'-2"], ["", "ok"]]


# --- IntervalIndex's kind statuses (vectorised) against core.traffic.kind_statuses ----------------

@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["open", "closed", "restricted"]),
                               st.sampled_from([None, "moves", "limited", "barred"])), max_size=40))
def test_kind_status_codes_equal_kind_statuses(rows: list[tuple[str, str | None]]) -> None:
    import numpy as np

    from crossings.core.days import status_codes
    from crossings.core.records import STATUSES, UNKNOWN
    from crossings.core.traffic import kind_statuses
    from crossings.view.indexes import kind_status_codes

    words = np.array([status for status, _ in rows], dtype=object)
    access = np.array([a for _, a in rows], dtype=object)
    lists, names = pd.factorize(access)  # None is -1, as the packed spans' codes have it
    codes = kind_status_codes(status_codes(pd.Series(words, dtype=object)), lists, names)
    assert [[*STATUSES, UNKNOWN][c] for c in codes] == list(kind_statuses(words, access))
