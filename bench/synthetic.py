"""Synthetic data in the data/ format, for tests and benchmarks only.

Everything it writes is plainly synthetic (ids start with "syn-", every source is titled
"Synthetic source ...") and it refuses to write into the repository's data/ folder.
Shapes are meant to look like the real thing: crossings open most of the time, closures of
1 to 60 days, some restricted spells, a few gaps with no report, and some crossings whose
latest status is ongoing.

    python -m bench.synthetic --out /tmp/syn --crossings 2000 --intervals 1000000
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from crossings.core.records import TABLES

__all__ = ["write_synthetic"]

REPO_DATA = (Path(__file__).resolve().parent.parent / "data").resolve()
# The generated history ends around this date, so that benchmarks can use fixed recent windows.
END = date(2025, 1, 1)
# What moves in a restricted spell (moves, limited, barred), taken in turn; some name only a few kinds.
TRAFFIC_PATTERNS = [("trade;transit", "", "travellers"), ("aid", "returnees", "trade;transit;travellers"),
                    ("", "trade", ""), ("returnees", "", "")]
MEAN_INTERVAL_DAYS = 40  # a little under the mean generated, so every crossing reaches the recent windows


def _writer(out: Path, name: str) -> tuple[IO[str], Any]:
    handle = (out / f"{name}.csv").open("w", newline="", encoding="utf-8")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(next(t for t in TABLES if t.name == name).header)
    return handle, writer


def write_synthetic(out: Path, crossings: int = 50, intervals: int = 10_000, agreements: int = 200,
                    moratoria: int = 100, events: int = 500, sources: int = 100, seed: int = 1) -> dict[str, int]:
    """Write the six data files into `out`; returns the rows written per table."""
    out = Path(out)
    if out.resolve() == REPO_DATA:
        raise ValueError("synthetic data never goes into data/")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    handles = []
    start = END - timedelta(days=MEAN_INTERVAL_DAYS * max(1, intervals // crossings))

    handle, w = _writer(out, "sources")
    handles.append(handle)
    for n in range(sources):
        published = start + timedelta(days=rng.randrange(0, max(1, (END - start).days)))
        w.writerow([f"syn-source-{n}", "Synthetic", f"Synthetic source {n}", published.isoformat(),
                    f"https://example.org/syn/{n}", f"Synthetic report {n}.",
                    "Generated for tests and benchmarks; not a real report."])

    def cite() -> str:
        return f"syn-source-{rng.randrange(sources)}"

    handle, w = _writer(out, "crossings")
    handles.append(handle)
    for n in range(crossings):
        w.writerow([f"syn-crossing-{n}", f"Synthetic crossing {n}", "PK", f"Side A {n}", "Region A", "AF",
                    f"Side B {n}", "Region B", "", "", "",  # no names in other scripts
                    f"{rng.uniform(25, 37):.5f}", f"{rng.uniform(60, 75):.5f}", cite(), "Synthetic."])

    handle, w = _writer(out, "status_intervals")
    handles.append(handle)
    per_crossing, extra = divmod(intervals, crossings)
    written = 0
    for c in range(crossings):
        day = start + timedelta(days=rng.randrange(0, 365))
        count = per_crossing + (1 if c < extra else 0)
        ongoing_last = rng.random() < 0.2
        previous = None
        for i in range(count):
            if rng.random() < 0.03:
                day += timedelta(days=rng.randint(1, 30))  # a gap: nothing reported
            status = rng.choices(["open", "closed", "restricted"], weights=[50, 35, 15])[0]
            if status == previous == "open":
                status = "closed"
            previous = status
            length = {"open": rng.randint(10, 120), "closed": rng.randint(1, 60), "restricted": rng.randint(1, 30)}
            end = day + timedelta(days=length[status])
            last = i == count - 1 and ongoing_last
            traffic = TRAFFIC_PATTERNS[i % len(TRAFFIC_PATTERNS)] if status == "restricted" else ("", "", "")
            # reported_on and end_reported_on not recorded: synthetic rows count under no known_by
            w.writerow([f"syn-{c}-{i}", f"syn-crossing-{c}", status, day.isoformat(), "" if last else end.isoformat(),
                        "", "", *traffic, "cargo only" if status == "restricted" else "",
                        "synthetic cause" if status == "closed" else "", cite(), ""])
            written += 1
            day = end

    handle, w = _writer(out, "agreements")
    handles.append(handle)
    kinds = ["ceasefire", "trade", "transit", "security", "border-management", "other"]
    ends = random.Random(seed + 1)  # reported ends drawn apart, so the other columns stay as they were

    def ended(begins: date) -> list[str]:
        """ended_on and end_source_ids: a tenth of the rows end on a reported day."""
        if ends.random() >= 0.1:
            return ["", ""]
        return [(begins + timedelta(days=ends.randint(1, 600))).isoformat(), f"syn-source-{ends.randrange(sources)}"]

    for n in range(agreements):
        begins = start + timedelta(days=rng.randrange(0, max(1, (END - start).days)))
        until = "" if rng.random() < 0.3 else (begins + timedelta(days=rng.randint(1, 800))).isoformat()
        scope = "" if rng.random() < 0.2 else f"syn-crossing-{rng.randrange(crossings)}"
        w.writerow([f"syn-agreement-{n}", f"Synthetic agreement {n}", rng.choice(kinds), "Party A;Party B",
                    begins.isoformat(), "", until, *ended(begins), scope, "Synthetic terms.", cite(), ""])

    handle, w = _writer(out, "moratoria")
    handles.append(handle)
    for n in range(moratoria):
        begins = start + timedelta(days=rng.randrange(0, max(1, (END - start).days)))
        until = "" if rng.random() < 0.5 else (begins + timedelta(days=rng.randint(1, 400))).isoformat()
        w.writerow([f"syn-moratorium-{n}", "construction of new checkposts", f"syn-crossing-{rng.randrange(crossings)}",
                    begins.isoformat(), until, *ended(begins),
                    f"syn-agreement-{rng.randrange(agreements)}" if agreements else "",
                    cite(), ""])

    handle, w = _writer(out, "events")
    handles.append(handle)
    for n in range(events):
        when = start + timedelta(days=rng.randrange(0, max(1, (END - start).days)))
        w.writerow([f"syn-event-{n}", when.isoformat(), "day",
                    rng.choice(["meeting", "talks", "incident", "announcement", "other"]), f"Synthetic event {n}",
                    "", f"syn-crossing-{rng.randrange(crossings)}", cite(), ""])

    for handle in handles:
        handle.close()
    return {"sources": sources, "crossings": crossings, "status_intervals": written, "agreements": agreements,
            "moratoria": moratoria, "events": events}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--crossings", type=int, default=50)
    parser.add_argument("--intervals", type=int, default=10_000)
    parser.add_argument("--agreements", type=int, default=200)
    parser.add_argument("--moratoria", type=int, default=100)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = write_synthetic(args.out, args.crossings, args.intervals, args.agreements, args.moratoria, args.events,
                             seed=args.seed)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
