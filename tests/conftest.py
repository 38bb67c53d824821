"""Fixtures that build real stores (SQLite files in tmp_path) from the curated data."""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

import pytest
from oracles import table_checksums
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crossings.cli import main
from crossings.core.records import table
from crossings.core.validation import Opener
from db.engine import make_engine

if TYPE_CHECKING:
    from starlette.testclient import TestClient
    from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
# The browser tests' fixtures: one Chromium and one served curated store per worker (tests/browsing.py).
pytest_plugins = ["browsing"]


@pytest.fixture(autouse=True)
def _no_default_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test may touch the developer's own store: point DATABASE_URL into tmp_path."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'default-store.db'}")


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


# Every test that takes `store_url` runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL
# names a throwaway PostgreSQL database (its public schema is dropped and rebuilt per test).
BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])]


def postgresql_url() -> str:
    """The PostgreSQL test database of this process. Under pytest-xdist each worker gets its own
    (TEST_DATABASE_URL's name + _gw0, _gw1, ...; created when missing, which needs CREATEDB), so that
    workers never rebuild each other's schema."""
    url = os.environ["TEST_DATABASE_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    if name not in _CREATED:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                           {"name": name}).first()
                if found is None:
                    # a database name cannot be a bound parameter; this one is the test URL's plus gwN
                    connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        finally:
            admin.dispose()
        _CREATED.add(name)
    return parsed.set(database=name).render_as_string(hide_password=False)


_CREATED: set[str] = set()


def reset_postgresql(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> str:
    """An empty database of the backend under test."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url = postgresql_url()
    reset_postgresql(url)
    return url


@pytest.fixture(scope="module", params=BACKENDS)
def curated_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store loaded with the curated data once for a whole test module, per backend: for modules
    whose tests never change the store (every test of such a module must use this, not store_url,
    since store_url rebuilds the PostgreSQL test database)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('curated') / 'store.db'}"
    else:
        url = postgresql_url()
        reset_postgresql(url)
    code, _, err = run_cli(["load", "--data", str(DATA), "--db", url])
    assert code == 0, err
    return url


@pytest.fixture
def store_url(empty_url: str) -> str:
    """A store loaded with the curated data: SQLite in tmp_path, or the test PostgreSQL database."""
    code, _, err = run_cli(["load", "--data", str(DATA), "--db", empty_url])
    assert code == 0, err
    return empty_url


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """Run `python -m crossings ARGV` in-process; returns (exit code, stdout, stderr)."""
    import contextlib

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def checksums(url: str) -> dict[str, str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return table_checksums(connection)
    finally:
        engine.dispose()


def bytes_opener(files: dict[str, bytes]) -> Opener:
    """An opener over in-memory files: data files as a test wrote them, never on disk."""

    def open_file(name: str) -> IO[bytes] | None:
        return io.BytesIO(files[name]) if name in files else None

    return open_file


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def edit_cell(data_dir: Path, table_name: str, row_id: str, column: str, value: str) -> int:
    """Set one cell of a data file; returns the line of the edited row."""
    path = data_dir / table(table_name).file_name
    rows = read_rows(path)
    col = rows[0].index(column)
    for index, row in enumerate(rows):
        if row[0] == row_id:
            row[col] = value
            write_rows(path, rows)
            return index + 1
    raise KeyError(row_id)


def append_row(data_dir: Path, table_name: str, values: dict[str, str]) -> int:
    """Add a row (missing columns empty); returns its line."""
    path = data_dir / table(table_name).file_name
    rows = read_rows(path)
    rows.append([values.get(c, "") for c in rows[0]])
    write_rows(path, rows)
    return len(rows)


Mutation = Callable[[Path], int | None]


def record_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Record what an AppTest run offers for download, by file name (written lazily or at once)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    offered: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        data = path_or_data() if callable(path_or_data) else path_or_data
        offered[filename] = data.encode() if isinstance(data, str) else data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return offered


@pytest.fixture
def page(curated_store: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """dashboard.py under AppTest against the module's curated store, with Streamlit's caches cleared
    before and after (they are per process). The view layer's contents are kept: they are keyed by store
    and content version, and the module's store does not change, so each test need not read it again."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", curated_store)
    clear_caches(keep_contents=True)
    yield AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    clear_caches(keep_contents=True)


@pytest.fixture
def client(curated_store: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The routes alone on a plain Starlette app, over the module's curated store: the API, the feed and /lite need
    neither Streamlit nor the page. The process's caches are cleared before and after."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from crossings.serve.routes import ROUTES

    monkeypatch.setenv("DATABASE_URL", curated_store)
    clear_caches()
    with TestClient(Starlette(routes=list(ROUTES))) as test_client:
        yield test_client
    clear_caches()


def clear_caches(keep_contents: bool = False) -> None:
    """Forget what the process keeps between reads: Streamlit's caches (the page's views), the view layer's
    store contents and engines (shared by the page and the routes) and the routes' ready answers."""
    import streamlit as st

    from crossings.serve import answers
    from crossings.view import store

    st.cache_data.clear()
    st.cache_resource.clear()
    if not keep_contents:
        store.clear()
    answers.READY.clear()


class BoardRow(NamedTuple):
    name: str
    status: str
    kinds: dict[str, str]
    stale: bool


def board_rows(markup: str) -> dict[str, BoardRow]:
    """The status board's rows in a page's or /lite's HTML, as a reader gets them, in order: crossing id ->
    name, status word, each kind's status (from its mark's title) and whether it is marked stale."""
    from html.parser import HTMLParser

    found: dict[str, dict] = {}

    class Reader(HTMLParser):
        row: dict | None = None
        field: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            named = dict(attrs)
            classes = (named.get("class") or "").split()
            if tag == "tr" and "xb-row" in classes:
                self.row = found.setdefault(str(named["data-crossing"]),
                                            {"name": "", "status": "", "kinds": {}, "stale": False})
            elif self.row is not None and "xb-name" in classes:
                self.field = "name"
            elif self.row is not None and "xb-word" in classes:
                self.field = "status"
            elif self.row is not None and "xb-k" in classes:
                kind, status = str(named["title"]).split()
                self.row["kinds"][kind] = status
            elif self.row is not None and "xb-stale" in classes:
                self.row["stale"] = True

        def handle_endtag(self, tag: str) -> None:
            if tag == "tr":
                self.row = None
            if tag in ("td", "span", "th"):
                self.field = None

        def handle_data(self, data: str) -> None:
            if self.row is not None and self.field:
                self.row[self.field] += data

    Reader().feed(markup)
    return {cid: BoardRow(**row) for cid, row in found.items()}
