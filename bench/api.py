"""The API column of the benchmark: each route's latency against /api/v1's (the server's floor: a fixed JSON
through the same server), and throughput with 1, 10 and 50 concurrent clients of mixed routes and dates, from
an asyncio HTTP/1.1 client on 127.0.0.1 (keep-alive, one connection per client). Bounded in count and time.

    python -m bench.api http://127.0.0.1:8501          # against a running `streamlit run app.py`
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import time
import urllib.parse
from collections.abc import Sequence
from datetime import date, timedelta

# The latency table's columns: each route, and the status of one crossing beside that of all.
ROUTES = ("/api/v1/status", "/api/v1/status?crossing", "/api/v1/summary.csv", "/api/v1/intervals.json", "/feed.atom")
# Beyond this many crossings the mixed load asks for the status of three crossings, not of all: at 2,000 synthetic
# crossings each lists hundreds of whole-border agreements in force, and the answer for all is hundreds of MB.
ALL_CROSSINGS_UP_TO = 50
CLIENTS = (1, 10, 50)
# Each throughput run stops at this many requests or seconds, whichever comes first.
MAX_REQUESTS = 3_000
MAX_SECONDS = 20.0
REQUEST_TIMEOUT = 120.0


class Connection:
    """One keep-alive HTTP/1.1 connection: GET a path, read the answer (Content-Length bodies only, as
    uvicorn sends Starlette's responses)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{extra}\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        body = await self.reader.readexactly(int(fields.get("content-length", "0")))
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status, fields, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()
            self.writer = self.reader = None


def _query(path: str, params: Sequence[tuple[str, str]]) -> str:
    return f"{path}?{urllib.parse.urlencode(params)}" if params else path


def mixed_paths(crossing_ids: Sequence[str], first_day: date, last_day: date, dates: int = 20,
                seed: int = 27) -> list[str]:
    """The mixed load's URLs: every route, on `dates` as-of dates spread over the data's years, for all
    crossings and for a few single ones, summaries and intervals over a year's window before the as-of date."""
    rng = random.Random(seed)
    span = (last_day - first_day).days
    days = [first_day + timedelta(days=span * (n + 1) // (dates + 1)) for n in range(dates)]
    chosen = rng.sample(list(crossing_ids), min(3, len(crossing_ids)))
    paths = []
    for day in days:
        as_of = ("as_of", day.isoformat())
        window = [("from", (day - timedelta(days=365)).isoformat()), ("to", day.isoformat())]
        one = ("crossing", rng.choice(chosen))
        every = [] if len(crossing_ids) <= ALL_CROSSINGS_UP_TO else [("crossing", c) for c in chosen]
        paths += [_query("/api/v1/status", [*every, as_of]), _query("/api/v1/status", [one, as_of]),
                  _query("/api/v1/summary.csv", [*window, as_of]),
                  _query("/api/v1/intervals.json", [one, *window, as_of])]
    paths += [_query("/feed.atom", []), *(_query("/feed.atom", [("crossing", c)]) for c in chosen)]
    return paths


async def _latencies(host: str, port: int, paths: Sequence[str], headers: dict[str, str] | None = None
                     ) -> list[float]:
    connection = Connection(host, port)
    found = []
    try:
        for path in paths:
            started = time.perf_counter()
            status, _, _ = await asyncio.wait_for(connection.get(path, headers), REQUEST_TIMEOUT)
            found.append(time.perf_counter() - started)
            assert status in (200, 304), (path, status)
    finally:
        await connection.close()
    return found


async def _etag(host: str, port: int, path: str) -> str:
    connection = Connection(host, port)
    try:
        status, fields, _ = await connection.get(path)
        assert status == 200
        return fields["etag"]
    finally:
        await connection.close()


def route_latency(base: str, crossing_ids: Sequence[str], first_day: date, last_day: date, runs: int) -> dict:
    """Per route, milliseconds (medians of `runs`): *first ask*, a query the process has not answered
    before (a new as-of date each time: the answer is worked out), and *fresh*, the same URL asked again
    without an ETag (a 200 with the whole body, from the kept answer); beside /api/v1's median and a 304's."""
    parts = urllib.parse.urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80

    async def measure() -> dict:
        floor = await _latencies(host, port, ["/api/v1"] * (runs * 4 + 1))
        found: dict = {"floor_ms": statistics.median(floor[1:]) * 1000}
        span = (last_day - first_day).days
        for route in ROUTES:
            firsts, fresh = [], []
            for n in range(runs):
                day = first_day + timedelta(days=span * (n + 1) // (runs + 2) + 11)
                params = [] if route == "/feed.atom" else [("as_of", day.isoformat())]
                if route in ("/feed.atom", "/api/v1/status?crossing"):
                    params = [*params, ("crossing", crossing_ids[n % len(crossing_ids)])]
                if route in ("/api/v1/summary.csv", "/api/v1/intervals.json"):
                    params = [("from", (day - timedelta(days=90)).isoformat()), ("to", day.isoformat()), *params]
                path = _query(route.split("?")[0], params)
                first, *again = await _latencies(host, port, [path] * 4)
                firsts.append(first)
                fresh.append(statistics.median(again))
            found[route] = {"first_ms": statistics.median(firsts) * 1000, "fresh_ms": statistics.median(fresh) * 1000}
        etag = await _etag(host, port, "/api/v1/status")
        not_modified = await _latencies(host, port, ["/api/v1/status"] * (runs * 4), {"If-None-Match": etag})
        found["not_modified_ms"] = statistics.median(not_modified) * 1000
        return found

    return asyncio.run(measure())


def throughput(base: str, paths: Sequence[str], clients: int, max_requests: int = MAX_REQUESTS,
               max_seconds: float = MAX_SECONDS, seed: int = 27) -> dict:
    """`clients` concurrent connections, each asking for random paths of `paths` one after another until
    `max_requests` were sent or `max_seconds` passed: requests a second, p50 and p99 latency in ms."""
    parts = urllib.parse.urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    rng = random.Random(seed)
    order = [rng.choice(paths) for _ in range(max_requests)]

    async def run() -> dict:
        latencies: list[float] = []
        failures = 0
        next_request = 0
        started = time.perf_counter()
        deadline = started + max_seconds

        async def client() -> None:
            nonlocal next_request, failures
            connection = Connection(host, port)
            try:
                while next_request < len(order) and time.perf_counter() < deadline:
                    path = order[next_request]
                    next_request += 1
                    sent = time.perf_counter()
                    status, _, _ = await asyncio.wait_for(connection.get(path), REQUEST_TIMEOUT)
                    latencies.append(time.perf_counter() - sent)
                    failures += status != 200
            finally:
                await connection.close()

        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
        cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
        return {"clients": clients, "requests": len(latencies), "seconds": elapsed,
                "per_second": len(latencies) / elapsed, "p50_ms": statistics.median(latencies) * 1000,
                "p99_ms": cuts[98] * 1000, "failures": failures}

    return asyncio.run(run())


def api_column(base: str, crossing_ids: Sequence[str], first_day: date, last_day: date, runs: int) -> dict:
    """Latency per route, then throughput at 1, 10 and 50 clients over the mixed paths, each path asked once
    before (the steady state of a server whose visitors share URLs: what a first ask costs is the latency's
    first column)."""
    found = {"latency": route_latency(base, crossing_ids, first_day, last_day, runs)}
    paths = mixed_paths(crossing_ids, first_day, last_day)
    started = time.perf_counter()
    asyncio.run(_latencies(*_host_port(base), paths))
    found["warm_seconds"] = time.perf_counter() - started
    found["paths"] = len(paths)
    found["throughput"] = [throughput(base, paths, clients) for clients in CLIENTS]
    return found


def _host_port(base: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(base)
    return parts.hostname or "127.0.0.1", parts.port or 80


def main() -> None:
    base = sys.argv[1].rstrip("/")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    status = json.loads(asyncio.run(Connection(*_host_port(base)).get("/api/v1/status"))[2])
    crossing_ids = [c["crossing_id"] for c in status["crossings"]]
    print(json.dumps(api_column(base, crossing_ids, date(2016, 1, 1), date(2026, 4, 1), runs), indent=1))


if __name__ == "__main__":
    main()
