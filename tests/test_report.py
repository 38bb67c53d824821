"""`python -m crossings report`: one report recorded in a copy of data/ with the loader's rules, or refused with one
line and the files left byte for byte as they were."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import run_cli

from crossings.core.records import TABLES


def files(folder: Path) -> dict[str, bytes]:
    return {spec.file_name: (folder / spec.file_name).read_bytes() for spec in TABLES}


def rows(folder: Path, name: str) -> dict[str, dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return {r[next(iter(r))]: r for r in csv.DictReader(handle)}


def report(data: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(["report", "--data", str(data), *args])


SOURCE = ["--publisher", "Test Wire", "--url", "https://example.org/report", "--quote", "The crossing reopened."]


def test_a_reopening_after_a_closure_ends_it_and_starts_the_new_status(data_copy: Path) -> None:
    """Ghulam Khan has been closed since 2025-10-12 (ongoing): a report of its reopening on 2026-03-01 ends the
    closure that day and starts an open row from it, reported on the source's date."""
    code, out, err = report(data_copy, "--crossing", "ghulam-khan", "--on", "2026-03-01", "--status", "open",
                            "--source-id", "test-wire-2026-03-02", "--title", "Ghulam Khan reopens",
                            "--published-on", "2026-03-02", *SOURCE)
    assert code == 0, err
    intervals = rows(data_copy, "status_intervals.csv")
    closure = intervals["ghulam-khan-2025-10-12"]
    assert (closure["end_date"], closure["end_reported_on"]) == ("2026-03-01", "2026-03-02")
    new = intervals["ghulam-khan-2026-03-01"]
    assert (new["status"], new["start_date"], new["end_date"], new["reported_on"], new["source_ids"]) == (
        "open", "2026-03-01", "", "2026-03-02", "test-wire-2026-03-02")
    assert rows(data_copy, "sources.csv")["test-wire-2026-03-02"]["quote"] == "The crossing reopened."
    assert "+ status_intervals.csv: ghulam-khan-2026-03-01,ghulam-khan,open" in out
    assert out.strip().endswith("started ghulam-khan-2026-03-01")
    assert run_cli(["validate", "--data", str(data_copy)])[0] == 0


def test_a_report_of_no_change_adds_the_source_and_keeps_the_interval(data_copy: Path) -> None:
    every = rows(data_copy, "status_intervals.csv")
    before = every["hairatan-2025-11-23"]
    code, out, err = report(data_copy, "--crossing", "hairatan", "--on", "2026-01-10", "--status", "open",
                            "--source-id", "test-wire-2026-01-10", "--title", "Hairatan busy",
                            "--published-on", "2026-01-10", *SOURCE)
    assert code == 0, err
    after = rows(data_copy, "status_intervals.csv")
    assert list(after) == list(every)  # no interval added or removed
    same = {k: v for k, v in after["hairatan-2025-11-23"].items() if k != "source_ids"}
    assert same == {k: v for k, v in before.items() if k != "source_ids"}
    assert after["hairatan-2025-11-23"]["source_ids"] == before["source_ids"] + ";test-wire-2026-01-10"
    assert "test-wire-2026-01-10" in rows(data_copy, "sources.csv")
    assert "confirmed hairatan-2025-11-23" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--crossing", "torkham", "--on", "2025-03-01", "--status", "open"],
     "would overlap torkham-2025-03-19, which starts 2025-03-19"),
    (["--crossing", "mars", "--on", "2026-03-01", "--status", "open"], "unknown crossing 'mars'"),
    (["--crossing", "torkham", "--on", "2026-03-01", "--status", "restricted", "--moves", "cars"],
     "--moves 'cars' is not a kind of traffic"),
    (["--crossing", "torkham", "--on", "2099-01-01", "--status", "open"], "--on 2099-01-01 is in the future"),
    (["--crossing", "torkham", "--on", "2026-03-01", "--status", "open", "--quote", "x" * 301],
     "quote: 301 characters"),
    (["--crossing", "torkham", "--on", "2026-03-01", "--status", "open", "--url", "javascript:alert(1)"],
     "not an http(s) URL"),
])
def test_a_report_the_loader_would_refuse_writes_nothing(data_copy: Path, args: list[str], message: str) -> None:
    before = files(data_copy)
    code, out, err = report(data_copy, *args, "--source-id", "test-wire-x", "--title", "A report",
                            "--published-on", "2026-03-02")
    assert code == 2 and message in err and out == ""
    assert err.strip().splitlines()[-1].startswith("error:")
    assert files(data_copy) == before
