"""The command line: load, validate, status, summary and export, and its one-line errors."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import DATA, REPO, run_cli

from crossings.cli import cli
from crossings.core.days import SUMMARY_COLUMNS


def summary_rows(out: str) -> dict[str, dict[str, str]]:
    return {row["crossing_id"]: row for row in csv.DictReader(io.StringIO(out))}


def test_summary_torkham_2025_hand_computed(curated_store: str) -> None:
    code, out, err = run_cli(["summary", "--from", "2025-01-01", "--to", "2025-03-31", "--crossing", "torkham",
                              "--as-of", "2025-04-01", "--db", curated_store])
    assert code == 0, err
    assert out.splitlines()[0] == ",".join(SUMMARY_COLUMNS)
    # Closed [2025-02-21, 2025-03-19) = 26 days; restricted 2025-03-19..21 = 3 days;
    # open 2025-01-01..02-20 (51) + 2025-03-22..31 (10) = 61; the window has 90 days.
    # Carried forward: Torkham's reports (sources.csv dates of the sources its intervals cite) around then are
    # 2024-08-16, 2025-02-22, 2025-03-19; 1 Jan - 21 Feb rest on the report of 2024-08-16 (more than 30 days
    # before), 22 Feb - 31 Mar are within 30 days of 22 Feb or 19 Mar: 31 + 21 = 52.
    assert out.splitlines()[1] == "torkham,Torkham,open,2025-03-22,1,26,3,61,0,26,52"


def test_summary_torkham_whole_2025(curated_store: str) -> None:
    code, out, _ = run_cli(["summary", "--from", "2025-01-01", "--to", "2025-12-31", "--crossing", "torkham",
                            "--as-of", "2025-12-31", "--db", curated_store])
    assert code == 0
    # closed: 26 (21 Feb - 18 Mar) + 20 (12 - 31 Oct); restricted: 3 (19 - 21 Mar) + 1 (9 May, rain)
    # + 61 (1 Nov - 31 Dec: returnees, then aid too); open: 51 (1 Jan - 20 Feb) + 48 (22 Mar - 8 May)
    # + 155 (10 May - 11 Oct); nothing unknown. Carried forward (reports 2024-08-16, 2025-02-22, 03-19, 04-16,
    # 05-10, then 11-01, 11-02, 12-04, 12-05; October's sources are undated): 1 Jan - 21 Feb (52), 10 June (31
    # days after 10 May) - 31 Oct (21 + 31 + 31 + 30 + 31 = 144), and 3 December (31 days after 2 Nov): 197.
    assert summary_rows(out)["torkham"] == {
        "crossing_id": "torkham", "crossing": "Torkham", "status": "restricted", "status_since": "2025-11-01",
        "closures": "2", "closed_days": "46", "restricted_days": "65", "open_days": "254", "unknown_days": "0",
        "longest_closure_days": "26", "carried_days": "197",
    }


def test_summary_all_crossings_and_unknown_status(curated_store: str) -> None:
    code, out, _ = run_cli(["summary", "--from", "2025-02-01", "--to", "2025-03-31", "--as-of", "2025-04-01",
                            "--db", curated_store])
    rows = summary_rows(out)
    with (DATA / "crossings.csv").open(encoding="utf-8") as f:
        every = [row["crossing_id"] for row in csv.DictReader(f)]
    assert code == 0 and list(rows) == every and len(every) == 22  # in file order
    assert rows["badini"]["status"] == "unknown" and rows["badini"]["status_since"] == ""
    assert rows["badini"]["unknown_days"] == "59"
    # Kharlachi's closure began 2024-10-12: its full length counts, cut at the as-of date:
    # Oct 20 + Nov 30 + Dec 31 + Jan 31 + Feb 28 + Mar 31 + 1 Apr = 172.
    assert rows["kharlachi"]["longest_closure_days"] == "172"
    for row in rows.values():
        days = sum(int(row[c]) for c in ("closed_days", "restricted_days", "open_days", "unknown_days"))
        assert days == 59


def test_status_prints_curated_facts(curated_store: str) -> None:
    code, out, _ = run_cli(["status", "--as-of", "2025-04-01", "--db", curated_store])
    assert code == 0
    torkham = next(line for line in out.splitlines() if line.startswith("torkham "))
    assert torkham.split()[:5] == ["torkham", "Torkham", "open", "2025-03-22", "11"]
    assert re.search(r"trade open, transit open, aid open, travellers open, returnees open +2025-03-22 ", torkham)
    assert "stale" not in torkham
    chaman = next(line for line in out.splitlines() if line.startswith("chaman "))
    assert "unknown" in chaman and "(stale)" in chaman


def test_status_on_a_reopening_day(curated_store: str) -> None:
    _, out, _ = run_cli(["status", "--as-of", "2025-03-22", "--db", curated_store])
    torkham = next(line for line in out.splitlines() if line.startswith("torkham "))
    assert torkham.split()[2:5] == ["open", "2025-03-22", "1"]


def test_export_round_trip_is_byte_exact(curated_store: str, tmp_path: Path) -> None:
    out_dir = tmp_path / "exported"
    code, _, err = run_cli(["export", "--out", str(out_dir), "--db", curated_store])
    assert code == 0, err
    for source in sorted(DATA.glob("*.csv")):
        assert (out_dir / source.name).read_bytes() == source.read_bytes(), source.name


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["summary", "--as-of", "2025-02-30"], "'2025-02-30' is not a real date"),
        (["summary", "--from", "yesterday"], "is not a date in the form YYYY-MM-DD"),
        (["summary", "--crossing", "atlantis"], "unknown crossing id 'atlantis'"),
        (["summary", "--from", "2025-03-01", "--to", "2025-02-01"], "--from 2025-03-01 is after --to 2025-02-01"),
        (["status", "--bogus"], "No such option '--bogus'"),
        (["frobnicate"], "No such command 'frobnicate'"),
        (["status", "--db", "nosuchdialect://x"], "cannot read the store"),
        (["export"], "Missing option '--out'"),
    ],
)
def test_bad_flags_give_one_line(curated_store: str, argv: list[str], message: str) -> None:
    if "--db" not in argv:
        argv = [*argv, "--db", curated_store]
    code, out, err = run_cli(argv)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    assert "Traceback" not in err


def test_empty_store_says_how_to_load(tmp_path: Path) -> None:
    from db.engine import create_schema, make_engine

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    create_schema(make_engine(url))
    code, _, err = run_cli(["status", "--db", url])
    assert code == 1 and "python -m crossings load" in err


def test_default_store_is_built_on_first_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "first-use.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target}")
    assert not target.exists()
    code, out, _ = run_cli(["status", "--as-of", "2025-04-01"])
    assert code == 0 and "torkham" in out and target.exists()


def _commands(group: click.Group, path: list[str]) -> list[tuple[list[str], click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append(([*path, name], command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, [*path, name]))
    return found


def test_every_command_has_help() -> None:
    commands = _commands(cli, [])
    assert {" ".join(p) for p, _ in commands} >= {"load", "validate", "status", "summary", "export", "db",
                                                   "db upgrade", "db current"}
    for path, command in commands:
        assert command.help, path
        code, out, _ = run_cli([*path, "--help"])
        assert code == 0 and "Usage:" in out and command.help.split()[0] in out, path


def test_python_dash_m_runs_as_a_real_process(curated_store: str) -> None:
    env = {**os.environ, "DATABASE_URL": curated_store}
    done = subprocess.run([sys.executable, "-m", "crossings", "summary", "--from", "2025-02-21",
                           "--to", "2025-03-18", "--crossing", "torkham", "--as-of", "2025-04-01"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split(",")[5] == "26"
    bad = subprocess.run([sys.executable, "-m", "crossings", "status", "--as-of", "soon"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "Traceback" not in bad.stderr
