"""Checks every data file, a batch of rows at a time, and hands the rows that pass to a sink."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from crossings.core.days import NO_END
from crossings.core.records import REFERENCED_TABLES, TABLES, TableSpec
from crossings.core.validation.batch import batch_values, texts_by_column
from crossings.core.validation.fields import Known
from crossings.core.validation.overlaps import Spans, overlap_problems
from crossings.core.validation.problems import Problem
from crossings.core.validation.reading import ReadError, raw_rows
from crossings.core.validation.rules import parse_row

__all__ = ["BATCH_ROWS", "MAX_REPORTED_PROBLEMS", "Batch", "Opener", "Sink", "check_dataset"]

# Past this many problems the rest are counted, not printed: a file with every row
# wrong needs its first errors read, not a million lines of output.
MAX_REPORTED_PROBLEMS = 200
# Tables without which nothing can be shown or cited.
REQUIRED_ROWS = {"sources": "source", "crossings": "crossing"}
# Rows checked and handed to a sink at a time: large enough that per-batch costs vanish, small enough
# that memory stays flat however long a file is.
BATCH_ROWS = 5_000

# Opens a data file by name ("sources.csv"); None when there is no such file.
Opener = Callable[[str], "IO[bytes] | None"]


@dataclass(frozen=True)
class Batch:
    """Rows that passed their checks, in file order: each row's fields as read, and by column their texts
    and typed values."""

    rows: list[list[str]]
    texts: dict[str, Sequence[str]]
    values: dict[str, list[Any]]


# Receives the batches of rows that passed their checks, in file order, as long as no problem has been
# found anywhere yet.
Sink = Callable[[TableSpec, Batch], None]


class _FileCheck:
    """The checks of one file's rows, a batch at a time."""

    def __init__(self, spec: TableSpec, file: str, known: Known, report: Callable[[Problem], None]) -> None:
        self.spec, self.file, self.known, self.report = spec, file, known, report
        self.first_line: dict[str, int] = {}  # id -> line of its row
        self.memo: dict[str, dict[str, Any]] = {column.name: {} for column in spec.columns}

    def batch(self, lines: list[int], rows: list[list[str]]) -> Batch | None:
        """Checks a batch of rows; returns it when no row has a problem."""
        spec = self.spec
        found = batch_values(spec, rows, self.known, self.memo) if rows else None
        if found is not None:
            texts, values = found
            ids = values[spec.id_column]
            if None not in ids and len(set(ids)) == len(ids) and self.first_line.keys().isdisjoint(ids):
                self.first_line.update(zip(ids, lines, strict=True))
                if spec.name == "sources":
                    self.known.source_dates.update((s, d) for s, d in zip(ids, values["published_on"], strict=True)
                                                   if d is not None)
                if spec.name == "status_intervals":
                    self.known.spans.add(values["crossing_id"], [day.toordinal() for day in values["start_date"]],
                                         [NO_END if day is None else day.toordinal() for day in values["end_date"]],
                                         lines)
                return Batch(rows, texts, values)
        return self._one_by_one(lines, rows)

    def _one_by_one(self, lines: list[int], rows: list[list[str]]) -> Batch | None:
        spec, file = self.spec, self.file
        records: list[dict[str, Any]] = []
        clean = True
        for line, fields in zip(lines, rows, strict=True):
            record, row_problems = parse_row(spec, line, dict(zip(spec.header, fields, strict=True)), self.known, file)
            records.append(record)
            for problem in row_problems:
                self.report(problem)
                clean = False
            row_id = record[spec.id_column]
            if row_id is not None:
                if row_id in self.first_line:
                    self.report(Problem(file, line, spec.id_column,
                                        f"duplicate id {row_id!r} (first on line {self.first_line[row_id]})"))
                    clean = False
                else:
                    self.first_line[row_id] = line
                    if spec.name == "sources" and record["published_on"] is not None:
                        self.known.source_dates[row_id] = record["published_on"]
            if spec.name == "status_intervals" and record["crossing_id"] and record["start_date"]:
                start, end = record["start_date"], record["end_date"]
                if end is None or end > start:
                    self.known.spans.add([record["crossing_id"]], [start.toordinal()],
                                         [NO_END if end is None else end.toordinal()], [line])
        if not clean or not rows:
            return None
        return Batch(rows, texts_by_column(spec, rows),
                     {name: [record[name] for record in records] for name in spec.header})


def check_dataset(
    open_file: Opener, display: Callable[[str], str] = str, sink: Sink | None = None
) -> tuple[list[Problem], int]:
    """Check every data file; returns (the first problems found, how many there were in all).

    With a sink, the rows are also handed over in batches while the files are read once, so a
    loader writes in the same pass. Once a problem is found no more rows are handed over, and a
    caller that sees problems must discard what the sink wrote (the loader rolls back).
    """
    known = Known()
    problems: list[Problem] = []
    total = 0

    def report(problem: Problem) -> None:
        nonlocal total
        total += 1
        if len(problems) < MAX_REPORTED_PROBLEMS:
            problems.append(problem)

    for spec in TABLES:
        file = display(spec.file_name)
        stream = open_file(spec.file_name)
        if stream is None:
            report(Problem(file, 1, "(file)", "file not found"))
            known.unreadable.add(spec.name)
            continue
        checks = _FileCheck(spec, file, known, report)
        lines: list[int] = []
        rows: list[list[str]] = []

        def take(lines: list[int], rows: list[list[str]], checks: _FileCheck = checks, spec: TableSpec = spec) -> None:
            batch = checks.batch(lines, rows)
            if batch is not None and sink is not None and total == 0:
                sink(spec, batch)

        try:
            with stream:
                for line, fields in raw_rows(spec, stream):
                    lines.append(line)
                    rows.append(fields)
                    if len(rows) >= BATCH_ROWS:
                        take(lines, rows)
                        lines, rows = [], []
            take(lines, rows)
        except ReadError as exc:
            take(lines, rows)  # the rows before the break are still checked
            report(Problem(file, exc.line, exc.column, exc.message))
            known.unreadable.add(spec.name)
        first_line = checks.first_line
        if spec.name in REFERENCED_TABLES:
            known.ids[spec.name] = first_line
        if spec.name in REQUIRED_ROWS and spec.name not in known.unreadable and not first_line:
            report(Problem(file, 1, "(file)", f"no rows: the store needs at least one {REQUIRED_ROWS[spec.name]}"))
        if spec.name == "status_intervals":
            # the ids are needed only for a message: the reverse map is built when one is written
            for problem in overlap_problems(known.spans, file, functools.partial(_ids_by_line, first_line)):
                report(problem)
            known.spans = Spans()
    return sorted(problems, key=lambda p: (_file_order(p.file, display), p.line)), total


def _ids_by_line(first_line: dict[str, int]) -> dict[int, str]:
    return {line: row_id for row_id, line in first_line.items()}


def _file_order(file: str, display: Callable[[str], str]) -> int:
    names = [display(spec.file_name) for spec in TABLES]
    return names.index(file) if file in names else len(names)
