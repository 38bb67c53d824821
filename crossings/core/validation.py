"""Checks data files against the contract and turns their rows into typed records.

Reading is streamed: a file is read BATCH_ROWS rows at a time, and the checks keep only
what the cross-file rules need (ids, and each interval's crossing and dates), so a
file of a million rows is checked in bounded memory. Every problem is reported as
FILE:LINE: column: message; nothing here raises on bad data.

The field and row rules are defined once, per row (_field_parser, _row_problems). A batch is
first checked by column (_batch_values), which can only say "every row certainly passes";
any doubt and the batch is checked row by row, so the problems are always worded by the row
checks (tests/test_reference.py holds the two paths to the same messages and rows).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any
from urllib.parse import urlsplit

import numpy as np

from crossings.core.days import NO_END
from crossings.core.records import (
    ACCESS_LISTS,
    COUNTRY,
    DATE,
    ENUM,
    FLOAT,
    FORMULA_TRIGGERS,
    ID,
    KINDS,
    LIST_SEPARATOR,
    REF,
    REFS,
    TABLES,
    TEXT,
    TRAFFIC_KINDS,
    URL,
    Column,
    TableSpec,
)

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_REPORTED_PROBLEMS",
    "Batch",
    "LoadRejected",
    "Opener",
    "Problem",
    "Sink",
    "check_dataset",
    "parse_date",
]

# Long enough for any note a person writes; a megabyte in one cell is a broken file.
MAX_FIELD_CHARS = 20_000
CSV_FIELD_LIMIT = 1 << 26  # 64 MiB; larger cells still stop the file with "malformed CSV"
# Past this many problems the rest are counted, not printed: a file with every row
# wrong needs its first errors read, not a million lines of output.
MAX_REPORTED_PROBLEMS = 200

SLUG = re.compile(r"[a-z0-9-]+")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# C0 control characters other than tab, newline and carriage return.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# ISO 3166-1 alpha-2, officially assigned codes.
_COUNTRY_CODES = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
    BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL
    GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM
    JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
    MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP
    NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD
    SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
    TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRIES = frozenset(_COUNTRY_CODES.split())
# Tables without which nothing can be shown or cited.
REQUIRED_ROWS = {"sources": "source", "crossings": "crossing"}
COORDINATE_RANGE = {"latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0)}

# Opens a data file by name ("sources.csv"); None when there is no such file.
Opener = Callable[[str], "IO[bytes] | None"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a data file, located as precisely as the file allows."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


def parse_date(text: str) -> date:
    """An ISO date YYYY-MM-DD, strictly (no week dates, no compact forms)."""
    if not ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


class _ReadError(Exception):
    def __init__(self, line: int, column: str, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _text_lines(stream: IO[bytes]) -> Iterator[str]:
    """Decode UTF-8 (a leading byte-order mark is accepted) line by line, keeping line ends."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    line_no = 1
    pending = ""
    while True:
        chunk = stream.read(1 << 16)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            good = exc.object[: exc.start].decode("utf-8", errors="replace")
            line = line_no + (pending + good).count("\n")
            bad = exc.object[exc.start : exc.start + 1].hex()
            raise _ReadError(line, "(file)", f"not UTF-8: byte 0x{bad} cannot be decoded") from None
        pending += text
        *complete, pending = pending.split("\n")
        for piece in complete:
            line_no += 1
            yield piece + "\n"
        if not chunk:
            if pending:
                yield pending
            return


def _raw_rows(spec: TableSpec, stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    """(line, the fields in header order) for each data row; raises _ReadError for what breaks the file's
    shape."""
    lines = _text_lines(stream)
    # csv's own limit (128 KiB) would stop at an oversized cell without naming its column;
    # raise it so that the cell is read and refused by MAX_FIELD_CHARS with a proper message.
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    reader = csv.reader(lines, strict=True)
    header_names = spec.header
    try:
        header = next(reader, None)
        if header is None:
            raise _ReadError(1, "(file)", f"file is empty; expected the header {','.join(header_names)}")
        if header != header_names:
            raise _ReadError(1, "(header)", _header_message(header, header_names))
        last_line = reader.line_num
        for fields in reader:
            line = last_line + 1
            last_line = reader.line_num
            if not fields or fields == [""]:
                # csv yields [] for an empty line; [""] can only be an empty line
                # when the header has several columns.
                raise _ReadError(line, "(row)", "blank line; remove it")
            if len(fields) != len(header_names):
                raise _ReadError(
                    line, "(row)",
                    f"{len(fields)} fields where the header has {len(header_names)}"
                    " (a wrong delimiter, or a comma in an unquoted field?)",
                )
            yield line, fields
    except csv.Error as exc:
        raise _ReadError(reader.line_num or 1, "(row)", f"malformed CSV: {exc}") from None


def _header_message(header: list[str], expected: list[str]) -> str:
    if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
        return f"header {header[0]!r} is not comma-separated; expected {','.join(expected)}"
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    parts = []
    if missing:
        parts.append("missing column " + ", ".join(repr(c) for c in missing))
    if extra:
        parts.append("unknown column " + ", ".join(repr(c) for c in extra))
    if not parts:
        parts.append("columns out of order")
    return "; ".join(parts) + f"; expected {','.join(expected)}"


class _Spans:
    """Each interval's crossing (a small code), start, end (NO_END when ongoing) and line, as they stream
    past: flat machine integers, so that a million intervals stay small."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}
        self.crossing, self.start, self.end, self.line = array("q"), array("q"), array("q"), array("q")

    def add(self, crossing_ids: Sequence[str], starts: Iterable[int], ends: Iterable[int],
            lines: Iterable[int]) -> None:
        for crossing_id in set(crossing_ids).difference(self.codes):
            self.codes[crossing_id] = len(self.codes)
        self.crossing.extend(map(self.codes.__getitem__, crossing_ids))
        self.start.extend(starts)
        self.end.extend(ends)
        self.line.extend(lines)


@dataclass
class _Known:
    """What the cross-file checks remember while the files stream past."""

    # The ids of the tables that others refer to (id -> line of its row).
    ids: dict[str, Container[str]] = field(default_factory=lambda: defaultdict(set))
    # Tables whose file could not be read through: references to them are not checked,
    # so one broken file does not bury its own message under a flood of "unknown id".
    unreadable: set[str] = field(default_factory=set)
    spans: _Spans = field(default_factory=_Spans)


def _field_parser(spec: TableSpec, column: Column) -> Callable[[str, _Known | None], Any]:
    """A function that turns one field's text into its value, or raises ValueError for people.

    Built once per column so that the per-field work is only the checks that column needs.
    """
    name, kind, required = column.name, column.kind, column.required

    def common(text: str) -> bool:
        """Checks every field gets; True when the field is empty."""
        if len(text) > MAX_FIELD_CHARS:
            raise ValueError(f"{len(text)} characters; at most {MAX_FIELD_CHARS} are allowed")
        if CONTROL.search(text):
            raise ValueError("contains a control character")
        if text == "":
            if required:
                raise ValueError("required; the field is empty")
            return True
        if text[0].isspace() or text[-1].isspace():
            raise ValueError("leading or trailing spaces")
        return False

    if kind == TEXT:
        def parse(text: str, known: _Known | None) -> Any:
            if common(text):
                return None
            if text.startswith(FORMULA_TRIGGERS):
                # Kept out of the store, so that every CSV written from it is safe to open in a
                # spreadsheet and still loads back exactly.
                raise ValueError(f"starts with {text[0]!r}, which a spreadsheet would run as a formula; "
                                 "begin the text with a word")
            return text
    elif kind == ID:
        def parse(text: str, known: _Known | None) -> Any:
            if common(text):
                return None
            _check_slug(text)
            return text
    elif kind == DATE:
        def parse(text: str, known: _Known | None) -> Any:
            return None if common(text) else parse_date(text)
    elif kind == FLOAT:
        low, high = COORDINATE_RANGE[name]

        def parse(text: str, known: _Known | None) -> Any:
            if common(text):
                return None
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a number") from None
            if not math.isfinite(value) or not low <= value <= high:
                raise ValueError(f"{text} is outside {low:g} to {high:g}")
            return value
    elif kind == COUNTRY:
        def parse(text: str, known: _Known | None) -> Any:
            if common(text):
                return None
            if text not in COUNTRIES:
                raise ValueError(f"{text!r} is not an ISO 3166-1 alpha-2 country code (e.g. PK, AF)")
            return text
    elif kind == URL:
        def parse(text: str, known: _Known | None) -> Any:
            if common(text):
                return None
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
                raise ValueError(f"{text[:80]!r} is not an http(s) URL")
            return text
    elif kind == ENUM:
        choices = frozenset(column.choices)

        def parse(text: str, known: _Known | None) -> Any:
            if common(text):
                return None
            if text not in choices:
                raise ValueError(f"{text!r} is not one of {', '.join(column.choices)}")
            return text
    elif kind == REF:
        def parse(text: str, known: _Known | None) -> Any:
            if common(text):
                return None
            _check_slug(text)
            _check_known(text, column.ref, known)
            return text
    elif kind == REFS:
        def parse(text: str, known: _Known | None) -> Any:
            if common(text):
                return []
            items = text.split(LIST_SEPARATOR)
            if "" in items:
                raise ValueError(f"empty item in the '{LIST_SEPARATOR}'-separated list {text!r}")
            for item in items:
                _check_slug(item)
                _check_known(item, column.ref, known)
            if len(set(items)) != len(items):
                raise ValueError(f"an id appears twice in {text!r}")
            return items
    elif kind == KINDS:
        choices = frozenset(column.choices)

        def parse(text: str, known: _Known | None) -> Any:
            if common(text):
                return []
            items = text.split(LIST_SEPARATOR)
            if "" in items:
                raise ValueError(f"empty item in the '{LIST_SEPARATOR}'-separated list {text!r}")
            unknown = [i for i in items if i not in choices]
            if unknown:
                raise ValueError(f"{unknown[0][:40]!r} is not a kind of traffic; the kinds are "
                                 f"{', '.join(column.choices)}")
            if len(set(items)) != len(items):
                raise ValueError(f"a kind appears twice in {text!r}")
            in_order = [c for c in column.choices if c in items]
            if items != in_order:
                raise ValueError(f"list the kinds in this order: {LIST_SEPARATOR.join(in_order)}")
            return items
    else:  # pragma: no cover - every kind of records.py is handled above
        raise AssertionError(kind)
    return parse


_PARSERS: dict[str, list[tuple[str, Callable[[str, _Known | None], Any]]]] = {}


def _parsers(spec: TableSpec) -> list[tuple[str, Callable[[str, _Known | None], Any]]]:
    if spec.name not in _PARSERS:
        _PARSERS[spec.name] = [(c.name, _field_parser(spec, c)) for c in spec.columns]
    return _PARSERS[spec.name]


class LoadRejected(Exception):
    """The data files broke the contract; nothing was written."""

    def __init__(self, problems: list[Problem], total: int) -> None:
        super().__init__(f"{total} problem(s) in the data files")
        self.problems = problems
        self.total = total


def _check_slug(text: str) -> None:
    if not SLUG.fullmatch(text):
        raise ValueError(f"{text[:80]!r} is not an id (lower-case letters, digits and '-')")


def _check_known(value: str, table_name: str | None, known: _Known | None) -> None:
    if (
        known is not None
        and table_name is not None
        and table_name not in known.unreadable
        and value not in known.ids[table_name]
    ):
        singular = REFERENCED_TABLES[table_name]
        raise ValueError(f"unknown {singular} id {value!r}")


def _row_problems(spec: TableSpec, record: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules that tie several columns of one row together: (column, message)."""
    found: list[tuple[str, str]] = []
    if spec.name == "crossings":
        if (record["latitude"] is None) != (record["longitude"] is None):
            found.append(("longitude" if record["longitude"] is None else "latitude",
                          "give both latitude and longitude, or neither"))
        if record["country_a"] and record["country_a"] == record["country_b"]:
            found.append(("country_b", "a border crossing joins two different countries"))
    elif spec.name == "status_intervals":
        start, end = record["start_date"], record["end_date"]
        if start and end and end <= start:
            found.append(("end_date", f"{end} is not after start_date {start} "
                          "(end_date is the first day of the next status)"))
        found.extend(_traffic_problems(record))
    elif spec.name == "agreements":
        begins = record["effective_from"] or record["signed_on"]
        until = record["valid_until"]
        if begins and until and until < begins:
            found.append(("valid_until", f"{until} is before the agreement takes effect ({begins})"))
    elif spec.name == "moratoria":
        start, until = record["start_date"], record["valid_until"]
        if start and until and until < start:
            found.append(("valid_until", f"{until} is before start_date {start}"))
    elif spec.name == "events":
        day, precision = record["date"], record["date_precision"]
        if day and precision == "month" and day.day != 1:
            found.append(("date", "with date_precision month the date is the month's first day"))
        if day and precision == "year" and (day.month, day.day) != (1, 1):
            found.append(("date", "with date_precision year the date is the year's first day"))
    return found


def _traffic_problems(record: dict[str, Any]) -> list[tuple[str, str]]:
    """The rules of the moves, limited and barred lists (data/README.md, "What moves")."""
    lists = {name: record[name] or [] for name in ACCESS_LISTS}
    status = record["status"]
    if status in ("open", "closed"):
        named = [name for name in ACCESS_LISTS if lists[name]]
        meaning = "everything moves" if status == "open" else "nothing moves"
        article = "an" if status == "open" else "a"
        return [(name, f"leave it empty for {article} {status} interval ({meaning}); use restricted to name "
                       "what moves, is limited or is barred") for name in named]
    if status != "restricted":
        return []
    if not any(lists.values()):
        return [("moves", "a restricted interval names at least one kind of traffic in moves, limited or barred")]
    found = []
    seen: dict[str, str] = {}
    for name in ACCESS_LISTS:
        for kind in lists[name]:
            if kind in seen:
                found.append((name, f"{kind!r} is already in {seen[kind]}: a kind of traffic is in one list at most"))
            seen.setdefault(kind, name)
    if len(lists["moves"]) == len(TRAFFIC_KINDS):
        found.append(("moves", "every kind of traffic moves: that is an open interval, not a restricted one"))
    if len(lists["barred"]) == len(TRAFFIC_KINDS):
        found.append(("barred", "every kind of traffic is barred: that is a closed interval, not a restricted one"))
    return found


def _parse_row(
    spec: TableSpec, line: int, raw: dict[str, str], known: _Known | None, file: str
) -> tuple[dict[str, Any], list[Problem]]:
    record: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, parse in _parsers(spec):
        try:
            record[name] = parse(raw[name], known)
        except ValueError as exc:
            record[name] = None
            problems.append(Problem(file, line, name, str(exc)))
    bad_columns = {p.column for p in problems}
    for column, message in _row_problems(spec, record):
        if column not in bad_columns:
            problems.append(Problem(file, line, column, message))
    return record, problems


def _ids_by_line(first_line: dict[str, int]) -> dict[int, str]:
    return {line: row_id for row_id, line in first_line.items()}

# The tables whose ids other tables refer to, and what one row of each is called.
REFERENCED_TABLES = {"sources": "source", "crossings": "crossing", "agreements": "agreement"}
if set(REFERENCED_TABLES) != {c.ref for spec in TABLES for c in spec.columns if c.ref}:
    raise RuntimeError("REFERENCED_TABLES must name every table that a column refers to")


def _overlap_problems(spans: _Spans, file: str, id_of_line: Callable[[], dict[int, str]]) -> list[Problem]:
    """An interval that starts before an earlier one of its crossing ends, each worded with both lines."""
    flagged = _overlapping_crossings(spans)
    if not flagged:
        return []
    name_of = {code: crossing_id for crossing_id, code in spans.codes.items()}
    by_crossing: dict[str, array[int]] = defaultdict(lambda: array("q"))
    for code, start, end, line in zip(spans.crossing, spans.start, spans.end, spans.line, strict=True):
        if code in flagged:
            by_crossing[name_of[code]].extend((start, end, line))
    problems = []
    names: dict[int, str] | None = None
    for crossing_id, flat in by_crossing.items():
        ordered = sorted(zip(flat[0::3], flat[1::3], flat[2::3], strict=True), key=lambda s: s[0])
        latest: tuple[int, int, int] | None = None
        for span in ordered:
            start, end, line = span
            if latest is not None and latest[1] > start:
                names = names if names is not None else id_of_line()
                problems.append(Problem(
                    file, line, "start_date",
                    f"interval {names.get(line, '?')!r} overlaps {names.get(latest[2], '?')!r} (line {latest[2]}) "
                    f"of crossing {crossing_id!r}"
                    + (" which is ongoing" if latest[1] == NO_END
                       else f" which ends {date.fromordinal(latest[1])}"),
                ))
            if latest is None or end > latest[1]:
                latest = span
    return problems


# One past the last day a date can have: an ongoing interval's end, for the search below.
_PAST_LAST_DAY = date.max.toordinal() + 1


def _overlapping_crossings(spans: _Spans) -> set[int]:
    """The codes of the crossings where some interval starts before an earlier one ends, found at once over
    all intervals; _overlap_problems then words each overlap of just these crossings."""
    if len(spans.crossing) < 2:
        return set()
    crossing = np.frombuffer(spans.crossing, dtype=np.int64)
    start = np.frombuffer(spans.start, dtype=np.int64)
    end = np.minimum(np.frombuffer(spans.end, dtype=np.int64), _PAST_LAST_DAY)
    order = np.lexsort((start, crossing))
    crossing, start, end = crossing[order], start[order], end[order]
    # Crossing by crossing in start order, the latest end so far: offsetting each crossing's ends by its code
    # keeps one running maximum from carrying a crossing's end into the next one.
    step = _PAST_LAST_DAY + 1
    latest_before = np.maximum.accumulate(crossing * step + end)[:-1]
    hit = latest_before > crossing[1:] * step + start[1:]
    return set(crossing[1:][hit].tolist())


# Rows checked and handed to a sink at a time: large enough that per-batch costs vanish, small enough
# that memory stays flat however long a file is.
BATCH_ROWS = 5_000


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

# The batch checks (_batch_values) over a column's texts joined by newlines: a field that starts or ends
# with a space, one that starts as a formula would, a column of ids. A field holding a newline can only
# make them fail, and a failed batch is checked row by row.
_EDGE_SPACE = re.compile(r"(?:\A|\n)\s|\s(?:\n|\Z)")
_FORMULA_START = re.compile(r"(?:\A|\n)(?:" + "|".join(map(re.escape, FORMULA_TRIGGERS)) + ")")
_SLUGS = re.compile(r"[a-z0-9-]+(?:\n[a-z0-9-]+)*")
# Columns whose texts are too varied to check one distinct text at a time.
_JOINED_KINDS = (TEXT, ID, REF)
# Distinct texts a column remembers the value of (dates, statuses, lists of kinds or sources) before it
# starts afresh.
_MEMO_TEXTS = 50_000


def _texts_by_column(spec: TableSpec, rows: list[list[str]]) -> dict[str, Sequence[str]]:
    return dict(zip(spec.header, zip(*rows, strict=True), strict=True))


def _batch_values(
    spec: TableSpec, rows: list[list[str]], known: _Known, memo: dict[str, dict[str, Any]]
) -> tuple[dict[str, Sequence[str]], dict[str, list[Any]]] | None:
    """The texts and typed values of a batch of rows, by column, when every field and row rule certainly
    holds for every row; None when one might not (then the rows are checked one by one, which words the
    problems). Values come from the same parsers as the row checks'; tests hold the two to each other."""
    texts = _texts_by_column(spec, rows)
    values: dict[str, list[Any]] = {}
    for (name, parse), column in zip(_parsers(spec), spec.columns, strict=True):
        column_texts = texts[name]
        if column.kind in _JOINED_KINDS:
            given = list(filter(None, column_texts))
            if column.required and len(given) != len(column_texts):
                return None
            if given:
                joined = "\n".join(given)
                if (max(map(len, given)) > MAX_FIELD_CHARS or CONTROL.search(joined) or _EDGE_SPACE.search(joined)
                        or (column.kind == TEXT and _FORMULA_START.search(joined))):
                    return None
                if column.kind != TEXT and (joined.count("\n") != len(given) - 1 or not _SLUGS.fullmatch(joined)):
                    return None
                if (column.kind == REF and column.ref is not None and column.ref not in known.unreadable
                        and any(value not in known.ids[column.ref] for value in set(given))):
                    return None
            values[name] = [text or None for text in column_texts]
        else:
            seen = memo[name]
            new = set(column_texts).difference(seen)
            if len(seen) + len(new) > _MEMO_TEXTS:
                seen.clear()
                new = set(column_texts)
            for text in new:
                try:
                    seen[text] = parse(text, known)
                except ValueError:
                    return None
            values[name] = list(map(seen.__getitem__, column_texts))
    return (texts, values) if _row_rules_hold(spec, texts, values) else None


def _row_rules_hold(spec: TableSpec, texts: dict[str, Sequence[str]], values: dict[str, list[Any]]) -> bool:
    """Whether _row_problems finds nothing in any row of a batch."""
    if spec.name != "status_intervals":
        return not any(_row_problems(spec, dict(zip(values, row, strict=True)))
                       for row in zip(*values.values(), strict=True))
    # _row_problems of an interval: its end after its start, and its traffic lists, which depend only on the
    # status and the lists' texts, so each distinct combination is checked once
    if any(end is not None and end <= start
           for start, end in zip(values["start_date"], values["end_date"], strict=True)):
        return False
    traffic = ("status", *ACCESS_LISTS)
    one_row_each = dict(zip(zip(*(texts[name] for name in traffic), strict=True), range(len(texts["status"])),
                            strict=True))
    return not any(_traffic_problems({name: values[name][row] for name in traffic})
                   for row in one_row_each.values())


class _FileCheck:
    """The checks of one file's rows, a batch at a time."""

    def __init__(self, spec: TableSpec, file: str, known: _Known, report: Callable[[Problem], None]) -> None:
        self.spec, self.file, self.known, self.report = spec, file, known, report
        self.first_line: dict[str, int] = {}  # id -> line of its row
        self.memo: dict[str, dict[str, Any]] = {column.name: {} for column in spec.columns}

    def batch(self, lines: list[int], rows: list[list[str]]) -> Batch | None:
        """Checks a batch of rows; returns it when no row has a problem."""
        spec = self.spec
        found = _batch_values(spec, rows, self.known, self.memo) if rows else None
        if found is not None:
            texts, values = found
            ids = values[spec.id_column]
            if None not in ids and len(set(ids)) == len(ids) and self.first_line.keys().isdisjoint(ids):
                self.first_line.update(zip(ids, lines, strict=True))
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
            record, row_problems = _parse_row(spec, line, dict(zip(spec.header, fields, strict=True)), self.known, file)
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
            if spec.name == "status_intervals" and record["crossing_id"] and record["start_date"]:
                start, end = record["start_date"], record["end_date"]
                if end is None or end > start:
                    self.known.spans.add([record["crossing_id"]], [start.toordinal()],
                                         [NO_END if end is None else end.toordinal()], [line])
        if not clean or not rows:
            return None
        return Batch(rows, _texts_by_column(spec, rows),
                     {name: [record[name] for record in records] for name in spec.header})


def check_dataset(
    open_file: Opener, display: Callable[[str], str] = str, sink: Sink | None = None
) -> tuple[list[Problem], int]:
    """Check every data file; returns (the first problems found, how many there were in all).

    With a sink, the rows are also handed over in batches while the files are read once, so a
    loader writes in the same pass. Once a problem is found no more rows are handed over, and a
    caller that sees problems must discard what the sink wrote (the loader rolls back).
    """
    known = _Known()
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
                for line, fields in _raw_rows(spec, stream):
                    lines.append(line)
                    rows.append(fields)
                    if len(rows) >= BATCH_ROWS:
                        take(lines, rows)
                        lines, rows = [], []
            take(lines, rows)
        except _ReadError as exc:
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
            for problem in _overlap_problems(known.spans, file, functools.partial(_ids_by_line, first_line)):
                report(problem)
            known.spans = _Spans()
    return sorted(problems, key=lambda p: (_file_order(p.file, display), p.line)), total


def _file_order(file: str, display: Callable[[str], str]) -> int:
    names = [display(spec.file_name) for spec in TABLES]
    return names.index(file) if file in names else len(names)


def bytes_opener(files: dict[str, bytes]) -> Opener:
    """An opener over in-memory files, for tests and for data that is not on disk."""

    def open_file(name: str) -> IO[bytes] | None:
        return io.BytesIO(files[name]) if name in files else None

    return open_file
