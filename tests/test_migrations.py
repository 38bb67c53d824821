"""Schema migrations: an older store is refused until upgraded, and upgrading loses nothing."""

from __future__ import annotations

import pytest
from conftest import DATA, REPO, clear_caches, run_cli
from sqlalchemy import column, inspect, select, table
from streamlit.testing.v1 import AppTest

from crossings.core.records import TRAFFIC_KINDS
from db.engine import make_engine
from db.load import load_directory
from db.migrate import (
    SchemaMismatch,
    check_revision,
    current_revision,
    downgrade,
    head_revision,
    script_head,
    upgrade,
)


@pytest.fixture
def old_store(empty_url: str) -> str:
    """A store at the first revision holding the curated data, as an older version left it (built at
    head and taken down to 0001: the traffic lists go, every other column and row stays)."""
    engine = make_engine(empty_url)
    upgrade(engine)
    load_directory(engine, DATA)
    downgrade(engine, "0001")
    engine.dispose()
    return empty_url


def data_checksums(url: str) -> dict[str, str]:
    """A checksum of each table over the columns of revision 0001 (later revisions add columns)."""
    engine = make_engine(url)
    sums = {}
    try:
        with engine.connect() as connection:
            for name in OLD_TABLES:
                columns = [c["name"] for c in inspect(connection).get_columns(name)
                           if c["name"] not in {*TRAFFIC_KINDS, "ended_on", "reported_on", "end_reported_on", "quote",
                                                  "name_fa_af", "name_ps", "name_ur"}]
                rows = connection.execute(select(*(column(c) for c in columns)).select_from(table(name))
                                          .order_by(*(column(c) for c in columns))).all()
                sums[name] = repr([tuple(r) for r in rows])
    finally:
        engine.dispose()
    return sums


OLD_TABLES = ["sources", "crossings", "status_intervals", "agreements", "moratoria", "events", "meta",
              "status_intervals_sources", "crossings_sources"]


def test_head_is_the_newest_revision() -> None:
    # HEAD_REVISION is a constant so that reading a store need not import Alembic: it must be
    # the newest script, or a store upgraded by a new migration would be refused as unknown.
    assert head_revision() == script_head() == "0009"


def test_an_older_store_is_refused_with_the_command_to_run(old_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SchemaMismatch, match=r"revision 0001, this version needs 0009: run `python -m crossings db "
                                             r"upgrade"):
        check_revision(make_engine(old_store), old_store)
    for argv in (["status", "--db", old_store], ["load", "--data", str(DATA), "--db", old_store]):
        code, _, err = run_cli(argv)
        assert code == 1 and "python -m crossings db upgrade" in err and "Traceback" not in err
    monkeypatch.setenv("DATABASE_URL", old_store)
    clear_caches()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60).run()
    clear_caches()
    assert not at.exception
    assert any("python \\-m crossings db upgrade" in e.value for e in at.error)


def test_upgrade_keeps_every_row(old_store: str) -> None:
    before = data_checksums(old_store)
    code, out, err = run_cli(["db", "upgrade", "--db", old_store])
    assert code == 0, err
    assert "schema revision 0001 -> 0009" in out
    engine = make_engine(old_store)
    with engine.connect() as connection:
        assert current_revision(connection) == "0009"
        indexes = {ix["name"] for ix in inspect(connection).get_indexes("agreements")}
    assert "ix_agreements_valid_until" in indexes
    assert data_checksums(old_store) == before
    code, out, _ = run_cli(["summary", "--from", "2025-01-01", "--to", "2025-03-31", "--crossing", "torkham",
                            "--as-of", "2025-04-01", "--db", old_store])
    assert out.splitlines()[1] == "torkham,Torkham,open,2025-03-22,1,26,3,61,0,26,52"
    # rows written before the traffic lists name none: every kind is unknown on them, until a reload
    code, out, _ = run_cli(["summary", "--from", "2025-03-19", "--to", "2025-03-21", "--crossing", "torkham",
                            "--as-of", "2025-04-01", "--traffic", "trade", "--db", old_store])
    assert out.splitlines()[1] == "torkham,Torkham,open,2025-03-22,0,0,0,0,3,0,0"
    code, _, err = run_cli(["load", "--data", str(DATA), "--db", old_store])
    assert code == 0, err
    code, out, _ = run_cli(["summary", "--from", "2025-03-19", "--to", "2025-03-21", "--crossing", "torkham",
                            "--as-of", "2025-04-01", "--traffic", "trade", "--db", old_store])
    assert out.splitlines()[1] == "torkham,Torkham,open,2025-03-19,0,0,0,3,0,0,0"  # within 30 days of 19 March


def test_upgrade_creates_a_new_store_and_is_idempotent(empty_url: str) -> None:
    for _ in range(2):
        code, _, err = run_cli(["db", "upgrade", "--db", empty_url])
        assert code == 0, err
    code, out, _ = run_cli(["db", "current", "--db", empty_url])
    assert "revision 0009; this version needs 0009" in out


def test_the_models_match_the_migrations(empty_url: str) -> None:
    """What the ORM declares is what the migrations build (Alembic's own comparison)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from db.models import Base

    engine = make_engine(empty_url)
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_the_rules_have_one_source_the_migrations(empty_url: str) -> None:
    """The models declare no CHECK constraint and no trigger: the migrations alone hold the rules, so the
    two can never disagree; and the store built by the migrations does have them (each enum, id and
    date rule, and the overlap trigger)."""
    from sqlalchemy import CheckConstraint, inspect

    from db.models import Base

    declared = [(t.name, c.name) for t in Base.metadata.tables.values() for c in t.constraints
                if isinstance(c, CheckConstraint)]
    assert declared == []
    engine = make_engine(empty_url)
    upgrade(engine)
    with engine.connect() as connection:
        built = {name for table in ("sources", "crossings", "status_intervals", "agreements", "moratoria", "events")
                 for name in (c["name"] for c in inspect(connection).get_check_constraints(table))}
        catalogue = ("SELECT name FROM sqlite_master WHERE type = 'trigger'" if engine.dialect.name == "sqlite"
                     else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        triggers = {r[0] for r in connection.exec_driver_sql(catalogue)}
    for rule in ("ck_status_intervals_status", "ck_status_intervals_dates", "ck_agreements_kind", "ck_events_kind",
                 "ck_events_precision", "ck_crossings_countries", "ck_sources_url"):
        assert rule in built, (rule, sorted(built))
    assert any("overlap" in t for t in triggers), triggers
