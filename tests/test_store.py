"""The store refuses invalid rows even when they are written with raw SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError, IntegrityError

from db.engine import make_engine

INTERVAL = ("INSERT INTO status_intervals (interval_id, position, crossing_id, status, start_date, end_date) "
            "VALUES (:id, 9999, :crossing, :status, :start, :end)")

REFUSED = [
    ("unknown-crossing", INTERVAL, {"id": "x", "crossing": "nowhere", "status": "open", "start": "2030-01-01",
                                    "end": None}),
    ("status-enum", INTERVAL, {"id": "x", "crossing": "torkham", "status": "shut", "start": "2030-01-01",
                               "end": None}),
    ("end-not-after-start", INTERVAL, {"id": "x", "crossing": "torkham", "status": "open",
                                       "start": "2030-01-05", "end": "2030-01-05"}),
    ("overlap", INTERVAL, {"id": "x", "crossing": "torkham", "status": "open", "start": "2025-03-01",
                           "end": "2025-03-02"}),
    ("overlap-with-ongoing", INTERVAL, {"id": "x", "crossing": "torkham", "status": "open",
                                        "start": "2030-01-01", "end": None}),
    ("overlap-covering", INTERVAL, {"id": "x", "crossing": "torkham", "status": "open",
                                    "start": "2015-01-01", "end": "2016-07-01"}),
    ("impossible-date", INTERVAL, {"id": "x", "crossing": "badini", "status": "open", "start": "2024-02-30",
                                   "end": None}),
    ("id-not-slug", INTERVAL, {"id": "Not A Slug", "crossing": "badini", "status": "open",
                               "start": "2030-01-01", "end": None}),
    ("source-url", "INSERT INTO sources (source_id, position, title, url) VALUES ('x', 9999, 't', :url)",
     {"url": "javascript:alert(1)"}),
    ("source-title", "INSERT INTO sources (source_id, position, title) VALUES ('x', 9999, '')", {}),
    ("latitude", "UPDATE crossings SET latitude = 91 WHERE crossing_id = 'torkham'", {}),
    ("same-country", "UPDATE crossings SET country_b = 'PK' WHERE crossing_id = 'torkham'", {}),
    ("agreement-kind", "UPDATE agreements SET kind = 'peace' WHERE agreement_id = 'aptta'", {}),
    ("event-precision", "UPDATE events SET date_precision = 'week'", {}),
    ("moratorium-agreement",
     "UPDATE moratoria SET agreement_id = 'nope' WHERE moratorium_id = 'new-checkposts-2025-03-19'", {}),
    ("link-unknown-source",
     "INSERT INTO status_intervals_sources (owner_id, target_id, position) VALUES ('torkham-2016-06-13', 'nope', 5)",
     {}),
    ("delete-cited-source", "DELETE FROM sources WHERE source_id = 'seed-article'", {}),
    # what moves: one column per kind of traffic (migration 0005)
    ("traffic-value", "UPDATE status_intervals SET trade = 'sometimes' WHERE interval_id = 'torkham-2025-03-19'", {}),
    ("traffic-on-open", "UPDATE status_intervals SET trade = 'moves' WHERE interval_id = 'torkham-2025-03-22'", {}),
    ("traffic-on-closed", "UPDATE status_intervals SET aid = 'barred' WHERE interval_id = 'torkham-2025-02-21'", {}),
    ("restricted-names-nothing", "UPDATE status_intervals SET trade = NULL, transit = NULL, travellers = NULL "
                                 "WHERE interval_id = 'torkham-2025-03-19'", {}),
    ("restricted-names-nothing-insert", INTERVAL, {"id": "x", "crossing": "badini", "status": "restricted",
                                                   "start": "2030-01-01", "end": None}),
    ("all-kinds-move", "UPDATE status_intervals SET trade = 'moves', transit = 'moves', aid = 'moves', "
                       "travellers = 'moves', returnees = 'moves' WHERE interval_id = 'torkham-2025-03-19'", {}),
    ("all-kinds-barred", "UPDATE status_intervals SET trade = 'barred', transit = 'barred', aid = 'barred', "
                         "travellers = 'barred', returnees = 'barred' WHERE interval_id = 'torkham-2025-03-19'", {}),
    ("overlap-by-update",
     "UPDATE status_intervals SET end_date = '2016-06-20' WHERE interval_id = 'torkham-2016-06-13'", {}),
]


@pytest.mark.parametrize(("sql", "params"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_raw_sql_is_refused(curated_store: str, sql: str, params: dict) -> None:
    engine = make_engine(curated_store)
    # An impossible date is an integrity error on SQLite (a CHECK on the text) and a data error
    # on PostgreSQL (its date type refuses it before any constraint runs); both refuse the row.
    refused = (IntegrityError, DataError) if params.get("start") == "2024-02-30" else IntegrityError
    with pytest.raises(refused), engine.begin() as connection:
        connection.execute(text(sql), params)


def test_a_valid_row_is_accepted(curated_store: str) -> None:
    engine = make_engine(curated_store)
    with engine.connect() as connection, connection.begin() as transaction:
        connection.execute(text(INTERVAL), {"id": "badini-2030", "crossing": "badini", "status": "open",
                                            "start": "2030-01-01", "end": None})
        # adjacent to an existing interval is not an overlap
        connection.execute(text(INTERVAL.replace("9999", "9998")), {
            "id": "torkham-2016-05-01", "crossing": "torkham", "status": "open", "start": "2016-05-01",
            "end": "2016-05-10"})
        transaction.rollback()  # the module's store is shared: leave it as it was


def test_sqlite_pragmas_are_set_on_every_connection(curated_store: str) -> None:
    store_url = curated_store
    if not store_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas; PostgreSQL enforces foreign keys and has no WAL pragma")
    engine = make_engine(store_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def test_postgresql_reads_in_repeatable_read(curated_store: str) -> None:
    store_url = curated_store
    if not store_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite's BEGIN in WAL mode is already a snapshot")
    with make_engine(store_url).connect() as connection:
        assert connection.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
