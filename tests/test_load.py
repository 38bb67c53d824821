"""The loader: the curated data loads; every broken rule is named as FILE:LINE: column and
the store is left exactly as it was."""

from __future__ import annotations

from pathlib import Path

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
    rows.extend([[f"bad id {n}", "", "", "", "", "", ""] for n in range(300)])
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


def test_a_load_leaves_the_schema_the_migrations_made(tmp_path: Path) -> None:
    """A SQLite load drops the secondary indexes and triggers and creates them again after the rows:
    afterwards the catalogue is what the migrations made, and the triggers refuse a raw overlap."""
    import sqlite3

    import pytest

    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, _, err = run_cli(["db", "upgrade", "--db", url])
    assert code == 0, err

    def catalogue() -> list[tuple[str, str, str]]:
        with sqlite3.connect(tmp_path / "store.db") as connection:
            return sorted(connection.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"))

    migrated = catalogue()
    assert any(kind == "trigger" for kind, _, _ in migrated) and any(kind == "index" for kind, _, _ in migrated)
    code, _, err = run_cli(["load", "--data", str(DATA), "--db", url])
    assert code == 0, err
    assert catalogue() == migrated
    with sqlite3.connect(tmp_path / "store.db") as connection, pytest.raises(sqlite3.IntegrityError, match="overlaps"):
        connection.execute("INSERT INTO status_intervals (interval_id, crossing_id, status, start_date, position) "
                           "VALUES ('raw', 'torkham', 'closed', '2025-03-01', 9999)")


def test_only_the_loads_connection_has_the_large_page_cache(tmp_path: Path) -> None:
    """A load reads and writes with a 64 MiB page cache; the connection goes back to the pool with SQLite's
    default, so a reader's whole-store reads do not keep tens of MiB of pages in the page's process."""
    from db.engine import LOAD_CACHE_KIB, load_cache
    from db.load import load_directory

    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        run_cli(["db", "upgrade", "--db", str(engine.url)])
        seen = []
        with engine.connect() as connection:
            with load_cache(connection):
                seen.append(connection.exec_driver_sql("PRAGMA cache_size").scalar())
            seen.append(connection.exec_driver_sql("PRAGMA cache_size").scalar())
        load_directory(engine, DATA)
        with engine.connect() as connection:  # the pool's one connection, the load's
            seen.append(connection.exec_driver_sql("PRAGMA cache_size").scalar())
    finally:
        engine.dispose()
    assert seen == [-LOAD_CACHE_KIB, -2000, -2000]
