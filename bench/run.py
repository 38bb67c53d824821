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
from datetime import date
from pathlib import Path

from bench.api import ALL_CROSSINGS_UP_TO
from bench.api import ROUTES as API_ROUTES

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2022-01-01"
ONE_YEAR = ("2021-01-01", "2021-12-31")
TEN_YEARS = ("2012-01-01", "2021-12-31")
# The API's as-of dates are drawn from these years (the synthetic data's, and the curated data's).
SYNTHETIC_DAYS = (date(2013, 1, 1), date(2022, 1, 1))
CURATED_DAYS = (date(2016, 1, 1), date(2026, 4, 1))


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


def bare_tables(database: Path) -> dict[str, list[str]]:
    """Every table of the product's schema and its columns, from a store migrated with `db upgrade`."""
    run_child([sys.executable, "-m", "crossings", "db", "upgrade", "--db", f"sqlite:///{database}"])
    with sqlite3.connect(database) as connection:
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'")]
        return {name: [r[1] for r in connection.execute(f"PRAGMA table_info({name})")] for name in names}


def baseline_load(data: Path, database: Path, tables: dict[str, list[str]]) -> float:
    """The floor: the same CSV rows, read with the csv module and inserted with sqlite3's executemany in
    one transaction into tables with the same columns and no constraints, indexes or triggers, with the
    same pragmas; without process start-up."""
    from crossings.core.records import TABLES, TRAFFIC_KINDS
    from crossings.core.traffic import access_by_kind

    connection = sqlite3.connect(database, isolation_level=None)
    for pragma in ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536"):
        connection.execute(pragma)
    for name, columns in tables.items():  # names from the product's own catalogue
        connection.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
    started = time.perf_counter()
    connection.execute("BEGIN")
    for spec in TABLES:
        plain = [c.name for c in spec.columns if c.kind not in ("refs", "kinds")]
        lists = [c.name for c in spec.columns if c.kind == "refs"]
        traffic = bool(spec.traffic_columns)
        columns = [*plain, *(TRAFFIC_KINDS if traffic else ()), "position"]
        with (data / spec.file_name).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        connection.executemany(  # table and column names from the contract, values bound
            f"INSERT INTO {spec.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",  # noqa: S608
            [(*(r[c] or None for c in plain),
              *(access_by_kind({k: r[k].split(";") if r[k] else [] for k in ("moves", "limited", "barred")})
                .values() if traffic else ()), i) for i, r in enumerate(rows)])
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
    # a window not asked for before each time: the page keeps views it has worked out, and a filter
    # changed back to an earlier value would only measure that cache
    at.date_input(key="f_to").set_value(dt.date.fromisoformat(end) - dt.timedelta(days=i + 1)).run()
first, rerun, at = rerun_times(page, params, toggle_to)

def first_runs(script, params, count=3):
    # new sessions of a server whose cache is warm: each a new AppTest in this process (after one more)
    found = []
    for _ in range(count + 1):
        viewer = AppTest.from_file(script, default_timeout=900)
        for k, v in params.items():
            viewer.query_params[k] = v
        t = time.perf_counter(); viewer.run(); found.append(time.perf_counter() - t)
        assert not viewer.exception, viewer.exception
    return statistics.median(found[1:])

new_viewer = first_runs(page, params)

def new_version_runs(script, params, count=3):
    # the first view of a new content in a running server (imports done, as after a load): everything the process
    # keeps per content version dropped before each, so that it is read and built again
    import streamlit as st
    sys.path.insert(0, str(__import__("pathlib").Path(script).parent))
    from crossings.serve import answers
    from crossings.view import store
    found = []
    for _ in range(count):
        st.cache_data.clear(); st.cache_resource.clear(); store.clear(); answers.READY.clear()
        viewer = AppTest.from_file(script, default_timeout=900)
        for k, v in params.items():
            viewer.query_params[k] = v
        t = time.perf_counter(); viewer.run(); found.append(time.perf_counter() - t)
        assert not viewer.exception, viewer.exception
    return statistics.median(found)

peak_before_new_versions = peak_mib()  # the page's own peak: first view, reruns and new viewers
new_version = new_version_runs(page, params)
timelines = [c for c in at.get("plotly_chart") if "scattergeo" not in c.proto.spec]  # not the map
spec = json.loads(timelines[0].proto.spec) if timelines else {"data": []}
marks = sum(len(t.get("x") or []) for t in spec["data"])
figure_bytes = len(timelines[0].proto.spec) if timelines else 0

one_line = "/tmp/bench_one_line_page.py"
open(one_line, "w").write("import streamlit as st\nd = st.date_input('to', key='f_to')\nst.write(d)\n")
def toggle_plain(at, i):
    at.date_input(key="f_to").set_value(dt.date(2021, 1, 1) + dt.timedelta(days=i + 1)).run()
_, floor_page, _ = rerun_times(one_line, {}, toggle_plain)
floor_first = first_runs(one_line, {})

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
                  "new_viewer": new_viewer, "floor_first": floor_first, "new_version": new_version,
                  "rows": len(rows), "marks": marks, "figure_bytes": figure_bytes, "naive_marks": naive_marks,
                  "naive_bytes": len(naive_json),
                  "peak_mb": peak_before_new_versions}))
'''


def page_rerun(url: str, runs: int, limit: int) -> dict:
    script = Path(tempfile.gettempdir()) / "bench_page_harness.py"
    script.write_text(HARNESS)
    _, _, out = run_child([sys.executable, str(script), url, str(REPO / "dashboard.py"), AS_OF, *ONE_YEAR,
                           str(runs), str(limit)], {"DATABASE_URL": url})
    return json.loads(out.strip().splitlines()[-1])


def browser_times(url: str, runs: int, work: Path) -> dict:
    """Headless Chromium opening the default view of `streamlit run app.py` against `url`: seconds from
    navigation to the timeline's bars drawn. The first navigation builds the server's cache (a new content
    version); then `runs` more, each in a new browser context (a new viewer), give the median."""
    from playwright.sync_api import sync_playwright

    from bench.serve import CHROMIUM, CHROMIUM_FLAGS, TIMELINE, streamlit_server

    times = []
    with streamlit_server(url, work / "bench-server.log") as app, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for _ in range(runs + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(app)
            page.wait_for_selector(f"{TIMELINE} .barlayer .point path", state="attached", timeout=900_000)
            times.append(time.perf_counter() - started)
            context.close()
        browser.close()
    return {"first": times[0], "median": statistics.median(times[1:])}


def api_times(url: str, runs: int, work: Path, first_day: date, last_day: date) -> dict:
    """The API column (bench/api.py) against `streamlit run app.py` on `url`: the first /api/v1/status after the
    server starts (it reads the store), then each route's latency beside /api/v1's and the throughput."""
    import asyncio

    from bench.api import Connection, api_column
    from bench.serve import streamlit_server

    with streamlit_server(url, work / "bench-api.log") as base:
        host, port = base.removeprefix("http://").split(":")
        started = time.perf_counter()
        status, _, body = asyncio.run(Connection(host, int(port)).get("/api/v1/status"))
        first = time.perf_counter() - started
        assert status == 200, status
        crossing_ids = [c["crossing_id"] for c in json.loads(body)["crossings"]]
        return {"first_after_start_s": first, **api_column(base, crossing_ids, first_day, last_day, runs)}


def bench_curated(runs: int, work: Path, browser: bool = True) -> dict:
    """The browser column's reference, and the API's goals: the curated data of data/, loaded like any store."""
    database = work / "curated.db"
    run_child([sys.executable, "-m", "crossings", "load", "--data", str(REPO / "data"), "--db",
               f"sqlite:///{database}"])
    with sqlite3.connect(database) as connection:
        intervals = connection.execute("SELECT COUNT(*) FROM status_intervals").fetchone()[0]
        crossings = connection.execute("SELECT COUNT(*) FROM crossings").fetchone()[0]
    url = f"sqlite:///{database}"
    return {"intervals": intervals, "crossings": crossings, "api": api_times(url, runs, work, *CURATED_DAYS),
            **({"browser": browser_times(url, runs, work)} if browser else {})}


def bench_scale(intervals: int, runs: int, work: Path, postgres: str | None, pg_runs: int, browser: bool
                ) -> dict:
    from bench.synthetic import write_synthetic

    data = work / f"data-{intervals}"
    counts = write_synthetic(data, **scale_shape(intervals))
    rows = sum(counts.values())
    result: dict = {"intervals": intervals, "rows": rows, "crossings": counts["crossings"]}
    loads, peaks, floors = [], [], []
    tables = bare_tables(work / "schema.db")
    for leftover in work.glob("schema.db*"):
        leftover.unlink()
    for i in range(runs):
        database = work / f"store-{intervals}-{i}.db"
        seconds, peak, _ = timed([sys.executable, "-m", "crossings", "load", "--data", str(data), "--db",
                                  f"sqlite:///{database}"])
        loads.append(seconds)
        peaks.append(peak)
        floor_db = work / f"floor-{intervals}-{i}.db"
        floors.append(baseline_load(data, floor_db, tables))
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
    result["api"] = api_times(url, runs, work, *SYNTHETIC_DAYS)
    if browser:
        result["browser"] = browser_times(url, runs, work)
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
        result["pg_api"] = api_times(postgres, pg_runs, work, *SYNTHETIC_DAYS)
        result["pg_runs"] = pg_runs
    for leftover in work.glob(f"store-{intervals}-*"):
        leftover.unlink()
    return result


def machine() -> str:
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "?")
    return (f"{os.cpu_count()} cores, {int(memory) // 1024 // 1024} GiB memory, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, {platform.machine()}")


def report(results: list[dict], curated: dict | None, runs: int, postgres: bool) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Machine: {machine()}. Medians of {runs} runs (PostgreSQL: see each row). Synthetic data from "
        "`bench/synthetic.py` (never in data/). Written by `python -m bench.run`.",
        f"Windows: page reruns use the 1-year window {ONE_YEAR[0]} to {ONE_YEAR[1]} with as-of {AS_OF}; the "
        f"summary covers the 10 years {TEN_YEARS[0]} to {TEN_YEARS[1]}, all crossings.",
        "",
        "| intervals (rows in all files) | crossings | load s (rows/s) | floor: bare executemany s | load / floor "
        "| loader peak MiB | summary 10 y s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['intervals']:,} ({r['rows']:,}) | {r['crossings']} | {r['load']:.1f} "
                     f"({r['rows'] / r['load']:,.0f}) | {r['load_floor']:.1f} | {r['load'] / r['load_floor']:.2f}x "
                     f"| {r['loader_peak_mb']} | {r['summary']:.2f} |")
    lines += ["", "The page (AppTest), beside its floors: a one-line Streamlit page through the same harness plus "
              "the bare SQL that fetches the same rows into pandas. *First view* is the first run in a new process "
              "(a new content version: everything the page keeps per version is built; the libraries' imports too); "
              "*new version* the same in a running process, as after a load (everything the process keeps per "
              "version dropped, the median of 3); *new viewer* a new session "
              "of that process (its cache warm); *rerun* a filter change in an open session.",
              "", "| intervals | crossings shown | rows in window | first view s | new version s | first / rerun "
              "| new viewer s "
              "| floor s (first run + SQL) | new viewer / floor | rerun s | floor s (page + SQL) | rerun / floor "
              "| marks | figure JSON | naive px.timeline marks / JSON | page peak MiB |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for label, p in (("50", r["page50"]), ("all", r["page_all"])):
            floor = p["floor_page"] + p["floor_sql"]
            first_floor = p["floor_first"] + p["floor_sql"]
            lines.append(
                f"| {r['intervals']:,} | {label} | {p['rows']:,} | {p['first']:.2f} | {p['new_version']:.2f} "
                f"| {p['first'] / p['rerun']:.1f}x "
                f"| {p['new_viewer']:.3f} | {first_floor:.3f} ({p['floor_first']:.3f} + {p['floor_sql']:.3f}) "
                f"| {p['new_viewer'] / first_floor:.2f}x | {p['rerun']:.3f} | {floor:.3f} "
                f"({p['floor_page']:.3f} + {p['floor_sql']:.3f}) | {p['rerun'] / floor:.2f}x "
                f"| {p['marks']:,} | {p['figure_bytes'] / 1e6:.2f} MB | {p['naive_marks']:,} / "
                f"{p['naive_bytes'] / 1e6:.2f} MB | {p['peak_mb']} |")
    lines += api_report(results, curated)
    if curated is not None and "browser" in curated:
        base = curated["browser"]["median"]
        lines += ["", "Browser: headless Chromium, the default view of `streamlit run app.py`, seconds from navigation "
                  "to the timeline's bars drawn. The first navigation after the server starts builds its cache; "
                  f"the median is of {runs} more, each a new viewer.", "",
                  "| data | intervals | crossings | first navigation s | median s | / curated |",
                  "|---|---|---|---|---|---|",
                  f"| curated (data/) | {curated['intervals']:,} | {curated['crossings']} | "
                  f"{curated['browser']['first']:.2f} | {base:.2f} | 1.00x |"]
        for r in results:
            b = r["browser"]
            lines.append(f"| synthetic | {r['intervals']:,} | {r['crossings']} | {b['first']:.2f} | {b['median']:.2f} "
                         f"| {b['median'] / base:.2f}x |")
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
    lines += ["", *goals(largest, curated)]
    return "\n".join(lines) + "\n"


METHOD = """## What is measured

`load` is `python -m crossings load` into a new SQLite file, the whole process. Its floor is the same CSV
rows read with the `csv` module and inserted with `sqlite3` `executemany` in one transaction into *bare*
tables: the same columns (the traffic lists as the product stores them, a column per kind), with no
constraints, indexes or triggers, the same pragmas, and no process start-up. `summary` is the whole
`python -m crossings summary` process (about 1 s of it is Python importing pandas and SQLAlchemy, as the
10k row shows). The page: AppTest runs dashboard.py in a new process (*first view*), then changes the `to`
date 6 times, to a date not asked for before each time (*rerun*: the median of the last 5; the page keeps
the views it has worked out per store version, and a date changed back would measure only that cache); then
4 new sessions in the same process with the first view's URL (*new viewer*: the median of the last 3; they
find that view worked out, as every viewer of a shared URL after the first does). The floors are the same
harness running a one-line page (rerun, and first run
of a new session) plus `pd.read_sql` of the window's rows. Browser: see its table. Peak memory: the
loader's is the maximum RSS that `/usr/bin/time` reports; the page's is the harness process's VmHWM (its
own high-water mark)."""




def api_report(results: list[dict], curated: dict | None) -> list[str]:
    """The API tables: latency per route beside /api/v1's, and throughput at 1, 10 and 50 clients."""
    rows = ([("curated (data/)", curated["intervals"], curated["api"])] if curated and "api" in curated else [])
    rows += [(f"synthetic, {r['crossings']} crossings", r["intervals"], r["api"]) for r in results if "api" in r]
    rows += [(f"synthetic on PostgreSQL, {r['crossings']} crossings", r["intervals"], r["pg_api"]) for r in results
             if "pg_api" in r]
    if not rows:
        return []
    lines = ["", "The API (`streamlit run app.py`, bench/api.py: an asyncio HTTP/1.1 client on 127.0.0.1, one "
             "keep-alive connection per client). Milliseconds, medians. *Floor*: `/api/v1`, a fixed JSON through the "
             "same server. *First ask*: a query the process has not answered before (a new as-of date each time; "
             "status for all crossings and for one (`status?crossing`), summary and intervals over 90 days for all "
             "crossings, the feed of one); *fresh*: the same URL "
             "again without an ETag, a 200 with the whole body from the kept answer. *First after start*: the first "
             "status, which reads the store.", "",
             "| data | intervals | first after start s | floor ms | 304 ms | "
             + " | ".join(f"{r.removeprefix('/api/v1/')} first / fresh ms (fresh / floor)" for r in API_ROUTES)
             + " |", "|---|---|---|---|---|" + "---|" * len(API_ROUTES)]
    for label, intervals, api in rows:
        latency = api["latency"]
        floor = latency["floor_ms"]
        cells = [f"{latency[r]['first_ms']:.1f} / {latency[r]['fresh_ms']:.2f} ({latency[r]['fresh_ms'] / floor:.1f}x)"
                 for r in API_ROUTES]
        lines.append(f"| {label} | {intervals:,} | {api['first_after_start_s']:.2f} | {floor:.2f} "
                     f"| {latency['not_modified_ms']:.2f} | " + " | ".join(cells) + " |")
    lines += ["", "Throughput: mixed routes (status for all crossings (three crossings beyond "
              f"{ALL_CROSSINGS_UP_TO}: see bench/api.py) and for one, a year's summary, a crossing's "
              "intervals over a year, the feed) on 20 as-of dates, each URL asked once before (the steady state of "
              "URLs that visitors share: a first ask costs the latency table's first column); each run stops at "
              "3,000 requests or 20 s.", "",
              "| data | intervals | URLs | clients | requests | req/s | p50 ms | p99 ms | failures |",
              "|---|---|---|---|---|---|---|---|---|"]
    for label, intervals, api in rows:
        for t in api["throughput"]:
            lines.append(f"| {label} | {intervals:,} | {api['paths']} | {t['clients']} | {t['requests']:,} "
                         f"| {t['per_second']:,.0f} | {t['p50_ms']:.1f} | {t['p99_ms']:.1f} | {t['failures']} |")
    return lines


def api_goals(r: dict, curated: dict | None) -> list[tuple[str, str, bool]]:
    """The API's goals (issue 27): on the curated store, and a fresh status at the largest scale."""
    rows = []
    if curated and "api" in curated:
        latency, by_clients = curated["api"]["latency"], {t["clients"]: t for t in curated["api"]["throughput"]}
        status, floor = latency["/api/v1/status"]["fresh_ms"], latency["floor_ms"]
        rows += [("API, curated: a fresh /api/v1/status within 3x /api/v1's median",
                  f"{status:.2f} ms against {floor:.2f} ms ({status / floor:.1f}x); a first ask "
                  f"{latency['/api/v1/status']['first_ms']:.0f} ms", status <= 3 * floor),
                 ("API, curated: at least 200 req/s mixed with 10 clients",
                  f"{by_clients[10]['per_second']:,.0f} req/s", by_clients[10]["per_second"] >= 200),
                 ("API, curated: p99 under 250 ms with 50 clients", f"{by_clients[50]['p99_ms']:.0f} ms",
                  by_clients[50]["p99_ms"] < 250)]
    if "api" in r:
        status, one = r["api"]["latency"]["/api/v1/status"], r["api"]["latency"]["/api/v1/status?crossing"]
        rows.append((f"API, {r['intervals']:,} intervals: a fresh status under 150 ms",
                     f"all crossings {status['fresh_ms']:.0f} ms (a first ask {status['first_ms']:.0f} ms, the first "
                     f"after start {r['api']['first_after_start_s']:.1f} s); one crossing {one['fresh_ms']:.1f} ms (a "
                     f"first ask {one['first_ms']:.0f} ms)", status["fresh_ms"] < 150))
    return rows


def goals(r: dict, curated: dict | None) -> list[str]:
    """The goals at the largest scale, each with its measured value: written from the numbers."""
    page = r["page_all"]
    floor = page["floor_page"] + page["floor_sql"]
    worst_first = max(r["page50"]["first"], page["first"])
    worst_version = max(r["page50"]["new_version"], page["new_version"])
    worst_ratio = max(r["page50"]["new_version"] / r["page50"]["rerun"], page["new_version"] / page["rerun"])
    viewer = max((r["page50"], page), key=lambda p: p["new_viewer"] / (p["floor_first"] + p["floor_sql"]))
    viewer_floor = viewer["floor_first"] + viewer["floor_sql"]
    worst_marks = max(r["page50"]["marks"], page["marks"])
    worst_json = max(r["page50"]["figure_bytes"], page["figure_bytes"]) / 1e6
    peak = max(r["page50"]["peak_mb"], page["peak_mb"])
    rows = [
        ("load: at most 3x the bare executemany floor", f"{r['load']:.1f} s against {r['load_floor']:.1f} s "
         f"({r['load'] / r['load_floor']:.2f}x)", r["load"] <= 3 * r["load_floor"]),
        ("first view after a load: under 2 s and at most 3x a warm rerun", f"{worst_version:.2f} s in a running "
         f"process ({worst_ratio:.1f}x the rerun); {worst_first:.2f} s as the first run of a new process, imports "
         "included", worst_version < 2 and worst_ratio <= 3),
        ("new viewer (new session, cache warm): at most 2x its floor", f"{viewer['new_viewer']:.3f} s against "
         f"{viewer_floor:.3f} s ({viewer['new_viewer'] / viewer_floor:.2f}x)",
         viewer["new_viewer"] <= 2 * viewer_floor),
        ("filter change, all crossings: at most 2x the floor and under 1 s", f"{page['rerun']:.3f} s against a "
         f"{floor:.3f} s floor ({page['rerun'] / floor:.2f}x)", page["rerun"] <= 2 * floor and page["rerun"] < 1),
        ("chart: at most 5,000 marks and 1.5 MB of figure JSON", f"{worst_marks:,} marks, {worst_json:.2f} MB",
         worst_marks <= 5_000 and worst_json <= 1.5),
        ("summary, 10 years, all crossings (SQLite): under 2 s", f"{r['summary']:.2f} s", r["summary"] < 2),
        ("page peak memory under 500 MiB", f"{peak} MiB", peak < 500),
        ("loader peak memory under 1 GB", f"{r['loader_peak_mb']} MiB", r["loader_peak_mb"] * 2**20 < 1e9),
    ]
    rows += api_goals(r, curated)
    if curated is not None and "browser" in r and "browser" in curated:
        ratio = r["browser"]["median"] / curated["browser"]["median"]
        rows.append(("browser, default view: at most 1.5x the curated data's time", f"{r['browser']['median']:.2f} s "
                     f"against {curated['browser']['median']:.2f} s ({ratio:.2f}x)", ratio <= 1.5))
    if "pg_summary" in r:
        rows.append(("PostgreSQL summary, 10 years: under 2 s", f"{r['pg_summary']:.2f} s", r["pg_summary"] < 2))
    return [f"## Goals at {r['intervals']:,} intervals", "", "| goal | measured | |", "|---|---|---|",
            *(f"| {goal} | {value} | {'met' if ok else '**missed**'} |" for goal, value, ok in rows)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", default=None, help="a throwaway PostgreSQL database URL (its schema is reset)")
    parser.add_argument("--pg-runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser column (needs Chromium)")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        curated = bench_curated(args.runs, Path(folder), browser=not args.no_browser)
        for scale in [int(s) for s in args.scales.split(",")]:
            print(f"scale {scale:,} ...", file=sys.stderr, flush=True)
            results.append(bench_scale(scale, args.runs, Path(folder), args.postgres, args.pg_runs,
                                       not args.no_browser))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
            text = report(results, curated, args.runs, bool(args.postgres))
            args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
