"""The load packs what the page derives from the intervals (db.load_time_spans); the packed value must equal
the plain reads it stands for, and a store without it must show the same page."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DATA, REPO, clear_caches, run_cli
from oracles import pack_stored_spans
from streamlit.testing.v1 import AppTest

from crossings.core.days import SpanColumns, StatusRuns
from crossings.core.records import TRAFFIC_KINDS
from crossings.view.indexes import build_indexes
from db.engine import make_engine
from db.load_time_spans import (
    pack_text,
    read_stored_cited,
    read_stored_spans,
    save_arrays,
    unpack_stored_spans,
    unpack_text,
)
from db.load_time_tables import PACKED_TABLES, TABLES_PACKED, read_stored_tables
from db.queries import interval_sources, interval_spans, read_table


def plain_and_packed(url: str) -> tuple[tuple[pd.DataFrame, pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            plain = interval_spans(connection, traffic=TRAFFIC_KINDS), interval_sources(connection)
            packed = read_stored_spans(connection)
            cited_only = read_stored_cited(connection)  # what `summary` reads
    finally:
        engine.dispose()
    assert packed is not None and cited_only is not None
    pd.testing.assert_frame_equal(cited_only, packed[1])
    return plain, packed


def _count_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


INTERVALS = _count_rows(DATA / "status_intervals.csv")


def by_pair(cited: pd.DataFrame) -> pd.DataFrame:
    return cited.sort_values(["crossing_id", "source_id"]).reset_index(drop=True)


def assert_packed_tables_equal_plain(url: str) -> None:
    """The tables the load packed equal read_table's frames, column for column."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            packed = read_stored_tables(connection)
            assert packed is not None
            for spec in PACKED_TABLES:
                pd.testing.assert_frame_equal(packed[spec.name], read_table(connection, spec))
    finally:
        engine.dispose()


def test_the_packed_spans_equal_the_plain_reads(curated_store: str) -> None:
    assert_packed_tables_equal_plain(curated_store)
    (spans, cited), (packed_spans, packed_cited) = plain_and_packed(curated_store)
    assert len(spans) == INTERVALS  # every curated row
    pd.testing.assert_frame_equal(packed_spans.frame(), spans)
    pd.testing.assert_frame_equal(by_pair(packed_cited), by_pair(cited))
    # and packing the plain frames gives them back
    again_spans, again_cited = unpack_stored_spans(pack_stored_spans(spans, cited))
    pd.testing.assert_frame_equal(again_spans.frame(), spans)
    pd.testing.assert_frame_equal(again_cited, cited)


def test_the_packed_spans_equal_the_plain_reads_on_synthetic_data(tmp_path: Path) -> None:
    from bench.synthetic import write_synthetic

    write_synthetic(tmp_path / "data", crossings=40, intervals=3000, agreements=50, moratoria=20, events=100)
    url = f"sqlite:///{tmp_path / 'syn.db'}"
    code, _, err = run_cli(["load", "--data", str(tmp_path / "data"), "--db", url])
    assert code == 0, err
    assert_packed_tables_equal_plain(url)
    (spans, cited), (packed_spans, packed_cited) = plain_and_packed(url)
    assert spans["end_date"].isna().any() and spans["trade"].notna().any()  # ongoing rows, traffic lists
    pd.testing.assert_frame_equal(packed_spans.frame(), spans)
    pd.testing.assert_frame_equal(by_pair(packed_cited), by_pair(cited))
    # and the page's indexes built straight from the packed codes equal those built from the plain frames
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = {name: read_table(connection, name) for name in ("crossings", "sources", "agreements",
                                                                       "moratoria")}
    finally:
        engine.dispose()
    from_packed = build_indexes(tables, packed_spans, packed_cited)
    from_plain = build_indexes(tables, SpanColumns.from_frame(spans), cited)
    assert same_arrays(from_packed.intervals, from_plain.intervals)
    assert same_arrays(from_packed.runs, from_plain.runs)
    for kind in TRAFFIC_KINDS:
        assert same_arrays(from_packed.runs_for(kind), from_plain.runs_for(kind))
        assert same_arrays(from_packed.runs_for(kind), StatusRuns(from_plain.intervals.spans(kind)))
    pd.testing.assert_frame_equal(from_packed.source_dates.reports, from_plain.source_dates.reports)


def same_arrays(one: object, other: object) -> bool:
    """Every array and dict of arrays of two index objects equal, value for value (dtypes may differ)."""
    mine, theirs = vars(one), vars(other)
    assert mine.keys() == theirs.keys()
    for name, value in mine.items():
        if isinstance(value, dict):
            assert value.keys() == theirs[name].keys(), name
            assert all(np.array_equal(value[k], theirs[name][k]) for k in value), name
        else:
            assert np.array_equal(np.asarray(value), np.asarray(theirs[name])), name
    return True


def loaded_sqlite_store(tmp_path: Path) -> str:
    """A new SQLite store in tmp_path loaded with the curated data (for a test that changes it)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, _, err = run_cli(["load", "--data", str(DATA), "--db", url])
    assert code == 0, err
    return url


def test_a_store_loaded_before_the_cited_pairs_were_kept_apart_reads_them_from_the_spans(tmp_path: Path) -> None:
    url = loaded_sqlite_store(tmp_path)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            apart = read_stored_cited(connection)
            connection.exec_driver_sql("DELETE FROM derived WHERE name = 'cited'")
            from_spans = read_stored_cited(connection)
            packed = read_stored_spans(connection)
    finally:
        engine.dispose()
    assert apart is not None and from_spans is not None and packed is not None and len(apart) > 100
    pd.testing.assert_frame_equal(from_spans, apart)
    pd.testing.assert_frame_equal(packed[1], apart)


def test_a_store_without_the_packed_spans_shows_the_same_page(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    url = loaded_sqlite_store(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)

    def page() -> tuple[str, list[str]]:
        clear_caches()
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
        at.query_params["as_of"] = "2025-12-20"
        at.run()
        assert not at.exception, at.exception
        return "\n".join(m.value for m in at.markdown), [c.proto.spec for c in at.get("plotly_chart")]

    def summary() -> str:  # its carried days need the sources each crossing cites: packed, or read row by row
        code, out, err = run_cli(["summary", "--from", "2024-01-01", "--as-of", "2025-12-20", "--db", url])
        assert code == 0, err
        return out

    packed, packed_summary = page(), summary()
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM derived")
        assert read_stored_cited(connection) is None
    engine.dispose()
    plain = page()
    clear_caches()
    assert plain == packed
    assert summary() == packed_summary


def test_tables_packed_with_other_columns_are_read_row_by_row(tmp_path: Path) -> None:
    """A packed value whose columns are not the specs' (a store loaded before a column was added) is not used."""
    import io

    url = loaded_sqlite_store(tmp_path)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            assert read_stored_tables(connection) is not None
            content = connection.exec_driver_sql("SELECT content FROM derived WHERE name = ?",
                                                 (TABLES_PACKED,)).scalar()
            with np.load(io.BytesIO(content), allow_pickle=False) as stored:
                arrays = dict(stored)
            header = list(unpack_text(arrays["header"], len(PACKED_TABLES)))
            header[1] = header[1].rsplit(",", 1)[0]  # the crossings packed without their last column
            arrays["header"] = pack_text(header)
            connection.exec_driver_sql("UPDATE derived SET content = ? WHERE name = ?",
                                       (save_arrays(arrays), TABLES_PACKED))
            assert read_stored_tables(connection) is None
    finally:
        engine.dispose()


def test_an_edit_around_the_loader_drops_the_packed_copies_and_the_page_reads_the_rows(store_url: str) -> None:
    """The load's packed copies hold only while the rows are the load's: a write by other means (raw SQL) empties
    `derived` (migration 0009's triggers, on both stores), so readers read the edited rows; the next load packs
    them again."""
    from crossings.view.store import clear, read_store

    engine = make_engine(store_url)
    try:
        with engine.connect() as connection:
            assert read_stored_tables(connection) is not None and read_stored_spans(connection) is not None
        with engine.begin() as connection:
            connection.exec_driver_sql("UPDATE crossings SET name = 'Torkham (edited)' WHERE crossing_id = 'torkham'")
        with engine.connect() as connection:
            assert read_stored_tables(connection) is None
            assert read_stored_spans(connection) is None and read_stored_cited(connection) is None
        clear()
        content = read_store(store_url)
        names = dict(zip(content.tables["crossings"]["crossing_id"], content.tables["crossings"]["name"], strict=True))
        assert names["torkham"] == "Torkham (edited)"
        clear()
        code, _, err = run_cli(["load", "--data", str(DATA), "--db", store_url])
        assert code == 0, err
        with engine.connect() as connection:  # packed again, from the files
            assert read_stored_tables(connection) is not None and read_stored_spans(connection) is not None
    finally:
        engine.dispose()
