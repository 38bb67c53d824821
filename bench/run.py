"""The benchmark: load, page rerun, summary, timeline size and peak memory at 10k, 100k and 1M
intervals of synthetic data, each beside a floor measured in the same run. Writes BENCHMARKS.md.

    python -m bench.run                       # 10k, 100k, 1M on SQLite, 5 runs each
    python -m bench.run --scales 10000 --runs 5
    python -m bench.run --postgres postgresql+psycopg://USER:PW@127.0.0.1:5432/DB   # adds a PostgreSQL column

Not a test: it takes minutes, and its numbers are for reading, not for asserting.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2022-01-01"
ONE_YEAR = ("2021-01-01", "2021-12-31")
TEN_YEARS = ("2012-01-01", "2021-12-31")


def run_child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run a command; returns (seconds, peak RSS in MiB when run under `timed`, else -1, stdout)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=REPO, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{err[-2000:]}")
    return seconds, _peak_from_stderr(err), out


def _peak_from_stderr(err: str) -> int:
    """Peak RSS reported by /usr/bin/time -f '%M' on the last line of stderr (KiB), in MiB."""
    for line in reversed(err.strip().splitlines()):
        if line.startswith("PEAK_KB="):
            return int(line.removeprefix("PEAK_KB=")) // 1024
    return -1


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    return run_child(["/usr/bin/time", "-f", "PEAK_KB=%M", *argv], env)


def scale_shape(intervals: int) -> dict[str, int]:
    crossings = min(2000, max(50, intervals // 500))
    return {"crossings": crossings, "intervals": intervals, "agreements": min(15_000, max(50, intervals // 60)),
            "moratoria": min(5_000, max(20, intervals // 200)), "events": min(50_000, max(100, intervals // 20))}


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def baseline_load(data: Path, database: Path) -> float:
    """The floor: the same rows, read with csv and inserted with sqlite3's executemany in one
    transaction, into the same schema (same indexes, constraints and trigger) and pragmas."""
    run_child([sys.executable, "-m", "crossings", "db", "upgrade", "--db", f"sqlite:///{database}"])
    from crossings.core.records import TABLES

    connection = sqlite3.connect(database, isolation_level=None)
    for pragma in ("PRAGMA foreign_keys=ON", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                   "PRAGMA cache_size=-65536", "PRAGMA busy_timeout=30000"):
        connection.execute(pragma)
    started = time.perf_counter()
    connection.execute("BEGIN")
    for spec in TABLES:
        plain = [c.name for c in spec.columns if c.kind != "refs"]
        lists = [c.name for c in spec.columns if c.kind == "refs"]
        with (data / spec.file_name).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        connection.executemany(  # table and column names from the contract, values bound
            f"INSERT INTO {spec.name} ({', '.join(plain)}, position) VALUES ({', '.join('?' * (len(plain) + 1))})",  # noqa: S608
            [(*(r[c] or None for c in plain), i) for i, r in enumerate(rows)])
        for name in lists:
            link = f"{spec.name}_{name.removesuffix('_ids')}s" if name != "source_ids" else f"{spec.name}_sources"
            connection.executemany(f"INSERT INTO {link} (owner_id, target_id, position) VALUES (?, ?, ?)",  # noqa: S608
                                   [(r[spec.id_column], t, j) for r in rows if r[name]
                                    for j, t in enumerate(r[name].split(";"))])
    connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


HARNESS = r'''
import json, statistics, sys, time, datetime as dt
import pandas as pd
import plotly.express as px
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

def peak_mib():
    # VmHWM, this process's own peak RSS: getrusage's ru_maxrss would also count the parent's
    # (bench.run, large after generating the data), as Linux carries it across fork and exec.
    line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    return int(line.split()[1]) // 1024

url, page, as_of, start, end, runs, limit = sys.argv[1:8]
runs, limit = int(runs), int(limit)
engine = create_engine(url)
with engine.connect() as c:
    crossing_ids = [r[0] for r in c.execute(text("SELECT crossing_id FROM crossings ORDER BY position"))]
chosen = crossing_ids[:limit]

def rerun_times(script, params, toggle):
    at = AppTest.from_file(script, default_timeout=900)
    for k, v in params.items():
        at.query_params[k] = v
    t = time.perf_counter(); at.run(); first = time.perf_counter() - t
    assert not at.exception, at.exception
    times = []
    for i in range(runs + 1):
        t = time.perf_counter(); toggle(at, i); times.append(time.perf_counter() - t)
        assert not at.exception, at.exception
    return first, statistics.median(times[1:]), at

params = {"from": start, "to": end, "as_of": as_of}
if limit < len(crossing_ids):
    params["crossing"] = chosen
def toggle_to(at, i):
    at.date_input(key="f_to").set_value(dt.date.fromisoformat(end) - dt.timedelta(days=i % 2)).run()
first, rerun, at = rerun_times(page, params, toggle_to)
spec = json.loads(at.get("plotly_chart")[0].proto.spec) if at.get("plotly_chart") else {"data": []}
marks = sum(len(t.get("x") or []) for t in spec["data"])
figure_bytes = len(at.get("plotly_chart")[0].proto.spec) if at.get("plotly_chart") else 0

one_line = "/tmp/bench_one_line_page.py"
open(one_line, "w").write("import streamlit as st\nd = st.date_input('to', key='f_to')\nst.write(d)\n")
def toggle_plain(at, i):
    at.date_input(key="f_to").set_value(dt.date(2021, 1, 1) + dt.timedelta(days=i % 2)).run()
_, floor_page, _ = rerun_times(one_line, {}, toggle_plain)

everyone = limit >= len(crossing_ids)
marks_in = ",".join(f":c{i}" for i in range(len(chosen)))
sql = ("SELECT * FROM status_intervals WHERE start_date <= :end AND (end_date IS NULL OR end_date > :start)"
       + ("" if everyone else f" AND crossing_id IN ({marks_in})"))
bind = {"start": start, "end": min(end, as_of), **({} if everyone else {f"c{i}": c for i, c in enumerate(chosen)})}
fetches = []
for _ in range(runs):
    t = time.perf_counter()
    with engine.connect() as c:
        rows = pd.read_sql(text(sql), c, params=bind)
    fetches.append(time.perf_counter() - t)
floor_sql = statistics.median(fetches)

naive = rows.assign(end=rows["end_date"].fillna(as_of))
naive_figure = px.timeline(naive, x_start="start_date", x_end="end", y="crossing_id", color="status")
naive_json = naive_figure.to_json()
naive_marks = sum(len(t.get("x") or []) for t in json.loads(naive_json)["data"])
print(json.dumps({"first": first, "rerun": rerun, "floor_page": floor_page, "floor_sql": floor_sql,
                  "rows": len(rows), "marks": marks, "figure_bytes": figure_bytes, "naive_marks": naive_marks,
                  "naive_bytes": len(naive_json),
                  "peak_mb": peak_mib()}))
'''


def page_rerun(url: str, runs: int, limit: int) -> dict:
    script = Path(tempfile.gettempdir()) / "bench_page_harness.py"
    script.write_text(HARNESS)
    _, _, out = run_child([sys.executable, str(script), url, str(REPO / "dashboard.py"), AS_OF, *ONE_YEAR,
                           str(runs), str(limit)], {"DATABASE_URL": url})
    return json.loads(out.strip().splitlines()[-1])


def bench_scale(intervals: int, runs: int, work: Path, postgres: str | None, pg_runs: int) -> dict:
    from bench.synthetic import write_synthetic

    data = work / f"data-{intervals}"
    counts = write_synthetic(data, **scale_shape(intervals))
    rows = sum(counts.values())
    result: dict = {"intervals": intervals, "rows": rows, "crossings": counts["crossings"]}
    loads, peaks, floors = [], [], []
    for i in range(runs):
        database = work / f"store-{intervals}-{i}.db"
        seconds, peak, _ = timed([sys.executable, "-m", "crossings", "load", "--data", str(data), "--db",
                                  f"sqlite:///{database}"])
        loads.append(seconds)
        peaks.append(peak)
        floor_db = work / f"floor-{intervals}-{i}.db"
        floors.append(baseline_load(data, floor_db))
        for leftover in work.glob(f"floor-{intervals}-{i}.db*"):
            leftover.unlink()
        if i:
            for leftover in work.glob(f"store-{intervals}-{i}.db*"):
                leftover.unlink()
    url = f"sqlite:///{work / f'store-{intervals}-0.db'}"
    result.update(load=statistics.median(loads), load_floor=statistics.median(floors), loader_peak_mb=max(peaks))
    summaries = [timed([sys.executable, "-m", "crossings", "summary", "--from", TEN_YEARS[0], "--to", TEN_YEARS[1],
                        "--as-of", AS_OF, "--db", url])[0] for _ in range(runs)]
    result["summary"] = statistics.median(summaries)
    result["page50"] = page_rerun(url, runs, 50)
    result["page_all"] = page_rerun(url, runs, 10**9)
    if postgres and intervals >= 100_000:
        pg_loads = []
        for _ in range(pg_runs):
            reset_postgres(postgres)
            pg_loads.append(timed([sys.executable, "-m", "crossings", "load", "--data", str(data), "--db",
                                   postgres])[0])
        result["pg_load"] = statistics.median(pg_loads)
        result["pg_summary"] = statistics.median(
            [timed([sys.executable, "-m", "crossings", "summary", "--from", TEN_YEARS[0], "--to", TEN_YEARS[1],
                    "--as-of", AS_OF, "--db", postgres])[0] for _ in range(pg_runs)])
        result["pg_page_all"] = page_rerun(postgres, pg_runs, 10**9)
        result["pg_runs"] = pg_runs
    for leftover in work.glob(f"store-{intervals}-*"):
        leftover.unlink()
    return result


def machine() -> str:
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "?")
    return (f"{os.cpu_count()} cores, {int(memory) // 1024 // 1024} GiB memory, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, {platform.machine()}")


def report(results: list[dict], runs: int, postgres: bool) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {machine()}. Medians of {runs} runs (PostgreSQL: see each row). Synthetic data from "
        "`bench/synthetic.py` (never in data/). Written by `python -m bench.run`.",
        f"Windows: page reruns use the 1-year window {ONE_YEAR[0]} to {ONE_YEAR[1]} with as-of {AS_OF}; the "
        f"summary covers the 10 years {TEN_YEARS[0]} to {TEN_YEARS[1]}, all crossings.",
        "",
        "| intervals (rows in all files) | crossings | load s (rows/s) | floor: executemany s | load / floor "
        "| loader peak MiB | summary 10 y s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['intervals']:,} ({r['rows']:,}) | {r['crossings']} | {r['load']:.1f} "
                     f"({r['rows'] / r['load']:,.0f}) | {r['load_floor']:.1f} | {r['load'] / r['load_floor']:.2f}x "
                     f"| {r['loader_peak_mb']} | {r['summary']:.2f} |")
    lines += ["", "Page rerun after a filter change (AppTest, warm cache), beside its floor: a one-line "
              "Streamlit page rerun through the same harness plus the bare SQL that fetches the same rows into pandas.",
              "", "| intervals | crossings shown | rows in window | rerun s | floor s (page + SQL) | rerun / floor "
              "| first run s | marks | figure JSON | naive px.timeline marks / JSON | page peak MiB |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for label, p in (("50", r["page50"]), ("all", r["page_all"])):
            floor = p["floor_page"] + p["floor_sql"]
            lines.append(
                f"| {r['intervals']:,} | {label} | {p['rows']:,} | {p['rerun']:.3f} | {floor:.3f} "
                f"({p['floor_page']:.3f} + {p['floor_sql']:.3f}) | {p['rerun'] / floor:.2f}x | {p['first']:.1f} "
                f"| {p['marks']:,} | {p['figure_bytes'] / 1e6:.2f} MB | {p['naive_marks']:,} / "
                f"{p['naive_bytes'] / 1e6:.2f} MB | {p['peak_mb']} |")
    if postgres:
        lines += ["", "PostgreSQL (same code, `DATABASE_URL=postgresql+psycopg://...`):", "",
                  "| intervals | runs | load s | summary 10 y s | page rerun, all crossings s | floor s |",
                  "|---|---|---|---|---|---|"]
        for r in results:
            if "pg_load" in r:
                p = r["pg_page_all"]
                lines.append(f"| {r['intervals']:,} | {r['pg_runs']} | {r['pg_load']:.1f} | {r['pg_summary']:.2f} "
                             f"| {p['rerun']:.3f} | {p['floor_page'] + p['floor_sql']:.3f} |")
    lines += ["", METHOD]
    largest = max(results, key=lambda r: r["intervals"])
    if largest["intervals"] >= 1_000_000:
        lines += ["", *goals(largest)]
    return "\n".join(lines) + "\n"


METHOD = """## What is measured

`load` is `python -m crossings load` into a new SQLite file, the whole process; its floor is the same rows
read with `csv` and inserted with `sqlite3` `executemany` in one transaction into the same schema (indexes,
constraints, overlap trigger) with the same pragmas, without process start-up. `summary` is the whole
`python -m crossings summary` process (about 1 s of it is Python importing pandas and SQLAlchemy, as the
10k row shows). Page reruns: AppTest runs dashboard.py, then changes the `to` date 6 times; the median of the
last 5 is reported; the floor is the same harness rerunning a one-line page plus `pd.read_sql` of the
window's rows. Peak memory: the loader's is the maximum RSS that `/usr/bin/time` reports; the page's is the
harness process's VmHWM (its own high-water mark; `getrusage` would also count the parent's memory)."""


def goals(r: dict) -> list[str]:
    """The issue's goals at the largest scale, each with its measured value: written from the numbers."""
    page = r["page_all"]
    floor = page["floor_page"] + page["floor_sql"]
    worst_marks = max(r["page50"]["marks"], page["marks"])
    worst_json = max(r["page50"]["figure_bytes"], page["figure_bytes"]) / 1e6
    rows = [
        ("chart: at most 5,000 marks and 1.5 MB of figure JSON", f"{worst_marks:,} marks, {worst_json:.2f} MB "
         f"(naive px.timeline: {page['naive_marks']:,} marks, {page['naive_bytes'] / 1e6:.2f} MB)",
         worst_marks <= 5_000 and worst_json <= 1.5),
        ("page rerun, all crossings: at most 2x the floor and under 1 s", f"{page['rerun']:.3f} s against a "
         f"{floor:.3f} s floor ({page['rerun'] / floor:.2f}x)", page["rerun"] <= 2 * floor and page["rerun"] < 1),
        ("load: at most 3x the executemany floor", f"{r['load']:.1f} s against {r['load_floor']:.1f} s "
         f"({r['load'] / r['load_floor']:.2f}x)", r["load"] <= 3 * r["load_floor"]),
        ("summary, 10 years, all crossings: under 2 s", f"{r['summary']:.2f} s", r["summary"] < 2),
        ("loader peak memory under 1 GB", f"{r['loader_peak_mb']} MiB", r["loader_peak_mb"] * 2**20 < 1e9),
        ("page peak memory under 1 GB", f"{max(r['page50']['peak_mb'], page['peak_mb'])} MiB",
         max(r["page50"]["peak_mb"], page["peak_mb"]) * 2**20 < 1e9),
    ]
    return [f"## Goals at {r['intervals']:,} intervals", "", "| goal | measured | |", "|---|---|---|",
            *(f"| {goal} | {value} | {'met' if ok else '**missed**'} |" for goal, value, ok in rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", default=None, help="a throwaway PostgreSQL database URL (its schema is reset)")
    parser.add_argument("--pg-runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        for scale in [int(s) for s in args.scales.split(",")]:
            print(f"scale {scale:,} ...", file=sys.stderr, flush=True)
            results.append(bench_scale(scale, args.runs, Path(folder), args.postgres, args.pg_runs))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
            text = report(results, args.runs, bool(args.postgres))
            args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
