"""Faults: a load that dies half-way leaves the previous content intact; readers during a
reload see the old or the new content, never an error and never a mix."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DATA, REPO, checksums, edit_cell
from sqlalchemy import event, text

from bench.synthetic import write_synthetic
from db.engine import make_engine
from db.load import directory_opener, load_directory, replace_content
from db.queries import read_versioned


class InjectedFailure(Exception):
    pass


def test_failure_on_the_last_insert_rolls_everything_back(store_url: str, data_copy: Path) -> None:
    edit_cell(data_copy, "crossings", "torkham", "name", "Torkham (changed)")
    before = checksums(store_url)
    engine = make_engine(store_url)

    def fail_on_events(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO events_sources"):  # the very last table written
            raise InjectedFailure("disk full (injected)")

    event.listen(engine, "before_cursor_execute", fail_on_events)
    with pytest.raises(InjectedFailure):
        replace_content(engine, directory_opener(data_copy))
    engine.dispose()
    assert checksums(store_url) == before
    with make_engine(store_url).connect() as connection:
        _, store = read_versioned(connection)
    assert store["crossings"].set_index("crossing_id").loc["torkham", "name"] == "Torkham"


def _writing(store_url: str):
    """A test of whether another process's load is well into its write transaction."""
    if store_url.startswith("sqlite"):
        database = store_url.removeprefix("sqlite:///")

        def holds_write_lock() -> bool:
            # The loader's transaction takes SQLite's write lock with its first DELETE and keeps it
            # until COMMIT: while another connection cannot begin a write, the load is mid-write.
            probe = sqlite3.connect(database, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                probe.close()

        return holds_write_lock
    monitor = make_engine(store_url).execution_options(isolation_level="AUTOCOMMIT")
    query = text("SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                 "AND query LIKE 'INSERT INTO status_intervals%'")

    def inserting_intervals() -> bool:
        with monitor.connect() as connection:
            return connection.execute(query).scalar_one() > 0

    return inserting_intervals


def test_a_load_killed_mid_write_leaves_the_previous_content(store_url: str, tmp_path: Path) -> None:
    big = tmp_path / "big"
    write_synthetic(big, crossings=200, intervals=150_000, events=2000)
    before = checksums(store_url)
    writing = _writing(store_url)
    process = subprocess.Popen([sys.executable, "-m", "crossings", "load", "--data", str(big), "--db", store_url],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        # Wait until the write transaction is under way, let it write for a second, then kill
        # the loader outright (the whole load takes several seconds more).
        while time.monotonic() < deadline and process.poll() is None:
            if writing():
                time.sleep(1.0)
                break
            time.sleep(0.02)
        assert process.poll() is None, "the load finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert checksums(store_url) == before
    with make_engine(store_url).connect() as connection:
        _, store = read_versioned(connection)
    assert len(store["status_intervals"]) == (DATA / "status_intervals.csv").read_text().count("\n") - 1


WRITER = """
import sys, time
from pathlib import Path
from db.engine import make_engine
from db.load import load_directory
engine = make_engine(sys.argv[1])
stop = Path(sys.argv[4])
n = 0
while not stop.exists() and n < 400:
    load_directory(engine, Path(sys.argv[2 + n % 2]))
    n += 1
print(n)
"""


READS = 60


def _fingerprint(store: dict) -> str:
    digest = hashlib.sha256()
    for name in sorted(store):
        digest.update(repr(store[name].to_dict("split")).encode())
    return digest.hexdigest()


def test_readers_during_reloads_see_old_or_new_never_an_error_or_a_mix(store_url: str, data_copy: Path,
                                                                       tmp_path: Path) -> None:
    edit_cell(data_copy, "crossings", "torkham", "name", "Torkham (version B)")
    edit_cell(data_copy, "status_intervals", "torkham-2025-02-21", "notes", "version B")
    engine = make_engine(store_url)
    expected = {}
    for folder in (data_copy, DATA):  # ends loaded with A, the curated data
        load_directory(engine, folder)
        with engine.connect() as connection:
            version, store = read_versioned(connection)
        expected[version] = _fingerprint(store)
    assert len(expected) == 2
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(DATA), str(data_copy), str(stop)],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    seen: dict[str, int] = {}
    try:
        # at least READS reads, on until both versions were seen (a read costs a whole store: 200 reads
        # took a minute of a loaded CI worker and found nothing 60 do not)
        for n in range(200):
            with engine.connect() as connection:
                version, store = read_versioned(connection)
            assert expected.get(version) == _fingerprint(store), "a read mixed two versions"
            seen[version] = seen.get(version, 0) + 1
            if n + 1 >= READS and len(seen) == 2:
                break
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert int(out) >= 2, "the writer did not reload while the reader read"
    assert len(seen) == 2, f"the reader saw only one version: {seen}"
