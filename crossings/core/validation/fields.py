"""Turns one field's text into its typed value by its column's kind, or says for people why it cannot."""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from crossings.core.days import parse_date
from crossings.core.records import (
    COUNTRY,
    DATE,
    ENUM,
    FLOAT,
    FORMULA_TRIGGERS,
    ID,
    KINDS,
    LIST_SEPARATOR,
    REF,
    REFERENCED_TABLES,
    REFS,
    TEXT,
    URL,
    Column,
    TableSpec,
)
from crossings.core.validation.overlaps import Spans

__all__ = ["CONTROL", "MAX_FIELD_CHARS", "FieldParser", "Known", "parsers"]

# Long enough for any note a person writes; a megabyte in one cell is a broken file.
MAX_FIELD_CHARS = 20_000

SLUG = re.compile(r"[a-z0-9-]+")
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
COORDINATE_RANGE = {"latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0)}


@dataclass
class Known:
    """What the cross-file checks remember while the files stream past."""

    # The ids of the tables that others refer to (id -> line of its row).
    ids: dict[str, Container[str]] = field(default_factory=lambda: defaultdict(set))
    # Tables whose file could not be read through: references to them are not checked,
    # so one broken file does not bury its own message under a flood of "unknown id".
    unreadable: set[str] = field(default_factory=set)
    spans: Spans = field(default_factory=Spans)
    # each dated source's publication date (sources.csv is read first): what a row's reported_on must be
    source_dates: dict[str, date] = field(default_factory=dict)


# One column's parser: a field's text, and what the files read so far hold, to the field's value; raises
# ValueError with a message for people.
FieldParser = Callable[[str, Known | None], Any]


def _text(column: Column, text: str, known: Known | None) -> Any:
    if text.startswith(FORMULA_TRIGGERS):
        # Kept out of the store, so that every CSV written from it is safe to open in a
        # spreadsheet and still loads back exactly.
        raise ValueError(f"starts with {text[0]!r}, which a spreadsheet would run as a formula; "
                         "begin the text with a word")
    return text


def _id(column: Column, text: str, known: Known | None) -> Any:
    _check_slug(text)
    return text


def _date(column: Column, text: str, known: Known | None) -> Any:
    return parse_date(text)


def _coordinate(column: Column, text: str, known: Known | None) -> Any:
    low, high = COORDINATE_RANGE[column.name]
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{text} is outside {low:g} to {high:g}")
    return value


def _country(column: Column, text: str, known: Known | None) -> Any:
    if text not in COUNTRIES:
        raise ValueError(f"{text!r} is not an ISO 3166-1 alpha-2 country code (e.g. PK, AF)")
    return text


def _url(column: Column, text: str, known: Known | None) -> Any:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        raise ValueError(f"{text[:80]!r} is not an http(s) URL")
    return text


def _choice(column: Column, text: str, known: Known | None) -> Any:
    if text not in column.choices:
        raise ValueError(f"{text!r} is not one of {', '.join(column.choices)}")
    return text


def _ref(column: Column, text: str, known: Known | None) -> Any:
    _check_slug(text)
    _check_known(text, column.ref, known)
    return text


def _refs(column: Column, text: str, known: Known | None) -> Any:
    items = _list_items(text)
    for item in items:
        _check_slug(item)
        _check_known(item, column.ref, known)
    if len(set(items)) != len(items):
        raise ValueError(f"an id appears twice in {text!r}")
    return items


def _traffic_kinds(column: Column, text: str, known: Known | None) -> Any:
    items = _list_items(text)
    unknown = [i for i in items if i not in column.choices]
    if unknown:
        raise ValueError(f"{unknown[0][:40]!r} is not a kind of traffic; the kinds are "
                         f"{', '.join(column.choices)}")
    if len(set(items)) != len(items):
        raise ValueError(f"a kind appears twice in {text!r}")
    in_order = [c for c in column.choices if c in items]
    if items != in_order:
        raise ValueError(f"list the kinds in this order: {LIST_SEPARATOR.join(in_order)}")
    return items


# What a field that is given (not empty, no control characters, no edge spaces) must be, by its column's kind.
_BY_KIND: dict[str, Callable[[Column, str, Known | None], Any]] = {
    TEXT: _text, ID: _id, DATE: _date, FLOAT: _coordinate, COUNTRY: _country, URL: _url, ENUM: _choice,
    REF: _ref, REFS: _refs, KINDS: _traffic_kinds,
}
# Kinds whose value is a list: an empty field is the empty list.
_LIST_KINDS = (REFS, KINDS)


def _parse_field(column: Column, parse_given: Callable[[Column, str, Known | None], Any], text: str,
                 known: Known | None) -> Any:
    """The checks every field gets, then its kind's."""
    if len(text) > MAX_FIELD_CHARS:
        raise ValueError(f"{len(text)} characters; at most {MAX_FIELD_CHARS} are allowed")
    if CONTROL.search(text):
        raise ValueError("contains a control character")
    if text == "":
        if column.required:
            raise ValueError("required; the field is empty")
        return [] if column.kind in _LIST_KINDS else None
    if text[0].isspace() or text[-1].isspace():
        raise ValueError("leading or trailing spaces")
    return parse_given(column, text, known)


_PARSERS: dict[str, list[tuple[str, FieldParser]]] = {}


def parsers(spec: TableSpec) -> list[tuple[str, FieldParser]]:
    """Each column's name and parser, in file order; built once per table, so that the work per field is
    only the checks its column needs."""
    if spec.name not in _PARSERS:
        _PARSERS[spec.name] = [(c.name, functools.partial(_parse_field, c, _BY_KIND[c.kind])) for c in spec.columns]
    return _PARSERS[spec.name]


def _list_items(text: str) -> list[str]:
    items = text.split(LIST_SEPARATOR)
    if "" in items:
        raise ValueError(f"empty item in the '{LIST_SEPARATOR}'-separated list {text!r}")
    return items


def _check_slug(text: str) -> None:
    if not SLUG.fullmatch(text):
        raise ValueError(f"{text[:80]!r} is not an id (lower-case letters, digits and '-')")


def _check_known(value: str, table_name: str | None, known: Known | None) -> None:
    if (
        known is not None
        and table_name is not None
        and table_name not in known.unreadable
        and value not in known.ids[table_name]
    ):
        singular = REFERENCED_TABLES[table_name]
        raise ValueError(f"unknown {singular} id {value!r}")
