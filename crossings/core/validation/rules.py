"""Checks one row: each field by its column, then the rules that tie several columns of the row together."""

from __future__ import annotations

from typing import Any

from crossings.core.records import ACCESS_LISTS, MAX_QUOTE_CHARS, TRAFFIC_KINDS, TableSpec
from crossings.core.validation.fields import Known, parsers
from crossings.core.validation.problems import Problem

__all__ = ["PRE_ANNOUNCEMENT_DAYS", "REPORT_COLUMNS", "parse_row", "reported_problems", "row_problems",
           "traffic_problems"]

# A status may be reported before it begins (a closure announced for a date, the one-document rule announced
# nine days ahead): reported_on is at most this many days before start_date. A month covers the announcements on
# record; an earlier "report" would be of something else.
PRE_ANNOUNCEMENT_DAYS = 31
# The columns reported_problems reads, in this order.
REPORT_COLUMNS = ("source_ids", "start_date", "reported_on", "end_reported_on", "end_date")


def parse_row(
    spec: TableSpec, line: int, raw: dict[str, str], known: Known | None, file: str
) -> tuple[dict[str, Any], list[Problem]]:
    """The row's typed values (None where a field is refused) and its problems."""
    record: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, parse in parsers(spec):
        try:
            record[name] = parse(raw[name], known)
        except ValueError as exc:
            record[name] = None
            problems.append(Problem(file, line, name, str(exc)))
    bad_columns = {p.column for p in problems}
    found = row_problems(spec, record)
    if spec.name == "status_intervals":
        found += reported_problems(record, known)
    for column, message in found:
        if column not in bad_columns:
            problems.append(Problem(file, line, column, message))
    return record, problems


def row_problems(spec: TableSpec, record: dict[str, Any]) -> list[tuple[str, str]]:
    """Rules that tie several columns of one row together: (column, message)."""
    found: list[tuple[str, str]] = []
    if spec.name == "sources" and record["quote"] and len(record["quote"]) > MAX_QUOTE_CHARS:
        found.append(("quote", f"{len(record['quote'])} characters: a quote is at most {MAX_QUOTE_CHARS}, the "
                               "sentence or two the rows rely on"))
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
        found.extend(traffic_problems(record))
    elif spec.name == "agreements":
        begins = record["effective_from"] or record["signed_on"]
        until = record["valid_until"]
        if begins and until and until < begins:
            found.append(("valid_until", f"{until} is before the agreement takes effect ({begins})"))
        if begins and record["ended_on"] and record["ended_on"] < begins:
            found.append(("ended_on", f"{record['ended_on']} is before the agreement takes effect ({begins})"))
        found.extend(_end_problems(record))
    elif spec.name == "moratoria":
        start, until = record["start_date"], record["valid_until"]
        if start and until and until < start:
            found.append(("valid_until", f"{until} is before start_date {start}"))
        if start and record["ended_on"] and record["ended_on"] < start:
            found.append(("ended_on", f"{record['ended_on']} is before start_date {start}"))
        found.extend(_end_problems(record))
    elif spec.name == "events":
        day, precision = record["date"], record["date_precision"]
        if day and precision == "month" and day.day != 1:
            found.append(("date", "with date_precision month the date is the month's first day"))
        if day and precision == "year" and (day.month, day.day) != (1, 1):
            found.append(("date", "with date_precision year the date is the year's first day"))
    return found


def traffic_problems(record: dict[str, Any]) -> list[tuple[str, str]]:
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


def _end_problems(record: dict[str, Any]) -> list[tuple[str, str]]:
    """An end comes with the sources that report it, and sources of an end with the end they report."""
    if record["ended_on"] and not record["end_source_ids"]:
        return [("end_source_ids", "an agreement or moratorium that ended names the sources reporting its end")]
    if record["end_source_ids"] and not record["ended_on"]:
        return [("ended_on", "end_source_ids are given but no ended_on: the day it ended is missing")]
    return []


def reported_problems(record: dict[str, Any], known: Known | None) -> list[tuple[str, str]]:
    """When a status interval was first reported: `reported_on` is the publication date of one of the row's
    sources, at most PRE_ANNOUNCEMENT_DAYS before its start; `end_reported_on` comes with an end and a
    reported_on, and not before it. Empty both: not recorded (the row then counts under no `known_by`)."""
    reported, end_reported = record["reported_on"], record["end_reported_on"]
    found: list[tuple[str, str]] = []
    if reported is not None:
        dates = sorted({known.source_dates[s] for s in record["source_ids"] or [] if s in known.source_dates}
                       ) if known is not None else None
        if dates is not None and reported not in dates:
            found.append(("reported_on", f"{reported} is not the publication date of any of the row's sources "
                                         f"({', '.join(map(str, dates)) or 'none is dated'})"))
        start = record["start_date"]
        if start is not None and (start - reported).days > PRE_ANNOUNCEMENT_DAYS:
            found.append(("reported_on", f"{reported} is more than {PRE_ANNOUNCEMENT_DAYS} days before start_date "
                                         f"{start}"))
    if end_reported is not None:
        if record["end_date"] is None:
            found.append(("end_reported_on", "given for a row with no end_date"))
        elif reported is None:
            found.append(("end_reported_on", "given without reported_on"))
        elif end_reported < reported:
            found.append(("end_reported_on", f"{end_reported} is before reported_on {reported}"))
    return found
