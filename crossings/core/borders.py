"""Which crossings are on which borders: a crossing joins two countries (ISO codes), and a country
filter keeps the crossings with that country on either side.

An agreement or moratorium that names no crossing covers a whole border: the border between its
parties. It covers every crossing both of whose countries are among its parties (with one party,
every crossing of that country); parties that name no known country leave it covering every crossing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

__all__ = [
    "COUNTRY_NAMES",
    "WholeBorders",
    "border_of",
    "border_text",
    "chosen_crossings",
    "countries_of",
    "country_name",
    "on_borders",
    "party_countries",
    "whole_border",
]

# Country names for sentences and for reading an agreement's parties; any other code is shown as is.
COUNTRY_NAMES = {"AF": "Afghanistan", "PK": "Pakistan", "IR": "Iran", "TM": "Turkmenistan", "UZ": "Uzbekistan",
                 "TJ": "Tajikistan", "CN": "China", "IN": "India", "AZ": "Azerbaijan", "GE": "Georgia",
                 "TR": "Turkey"}
_CODES = {name.lower(): code for code, name in COUNTRY_NAMES.items()}


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def countries_of(crossings: pd.DataFrame) -> list[str]:
    """Every country that some crossing has on one side, sorted."""
    return sorted({*crossings["country_a"], *crossings["country_b"]})


def on_borders(crossings: pd.DataFrame, countries: Sequence[str]) -> list[str]:
    """The ids of the crossings with one of these countries on either side, in file order; every crossing
    when no country is given."""
    if not countries:
        return list(crossings["crossing_id"])
    wanted = set(countries)
    return [cid for cid, a, b in zip(crossings["crossing_id"], crossings["country_a"], crossings["country_b"],
                                    strict=True) if a in wanted or b in wanted]


def chosen_crossings(crossings: pd.DataFrame, crossing_ids: Sequence[str], countries: Sequence[str]) -> list[str]:
    """The crossings a filter chooses, in file order: those asked for (every one when none is), narrowed to
    those on the borders asked for (every border when none is). The page, the API, the feed and the CLI."""
    asked = set(crossing_ids)
    return [cid for cid in on_borders(crossings, countries) if not asked or cid in asked]


def party_countries(parties: str | Iterable[str] | None) -> set[str]:
    """The ISO codes of the parties ('Pakistan;Afghanistan', as stored, or a list) that name a known country
    ('Pakistan' → PK); others are left out."""
    names = (parties or "").split(";") if isinstance(parties, str) or parties is None else parties
    return {_CODES[p.strip().lower()] for p in names if p.strip().lower() in _CODES}


def whole_border(crossings: pd.DataFrame, parties: str | Iterable[str] | None) -> list[str]:
    """The crossings a row naming no crossing covers: those between two of its parties' countries (with one
    known party, every crossing of that country; with none, every crossing), in file order."""
    codes = party_countries(parties)
    pairs = zip(crossings["crossing_id"], crossings["country_a"], crossings["country_b"], strict=True)
    if not codes:
        return list(crossings["crossing_id"])
    if len(codes) == 1:
        return [cid for cid, a, b in pairs if a in codes or b in codes]
    return [cid for cid, a, b in pairs if a in codes and b in codes]


class WholeBorders:
    """whole_border and border_text for many rows of one data set: each set of parties worked out once
    (thousands of agreements name a handful of borders)."""

    def __init__(self, crossings: pd.DataFrame) -> None:
        self.crossings = crossings
        self._found: dict[str, tuple[list[str], str]] = {}
        self._keys: dict[str | tuple[str, ...] | None, str] = {}  # each parties value as written, once

    def key(self, parties: str | Iterable[str] | None) -> str:
        """The parties' countries, sorted and joined: rows with the same key share one border."""
        written = parties if parties is None or isinstance(parties, str) else tuple(parties)
        if written not in self._keys:
            self._keys[written] = ";".join(sorted(party_countries(parties)))
        return self._keys[written]

    def of(self, parties: str | Iterable[str] | None) -> tuple[list[str], str]:
        """The crossings a row naming no crossing covers, and that border in words."""
        key = self.key(parties)
        if key not in self._found:
            covered = whole_border(self.crossings, parties)
            self._found[key] = (covered, border_text(self.crossings, covered))
        return self._found[key]


def border_text(crossings: pd.DataFrame, crossing_ids: Iterable[str]) -> str:
    """The borders these crossings are on, for a row that names no crossing: 'the whole Afghanistan–Iran
    border'; 'no crossing in the data' when there are none."""
    wanted = set(crossing_ids)
    pairs = sorted({border_of(c) for c in crossings[["crossing_id", "country_a", "country_b"]].to_dict("records")
                    if c["crossing_id"] in wanted})
    if not pairs:
        return "no crossing in the data"
    if len(pairs) == 1:
        return f"the whole {pairs[0]} border"
    return "the whole " + ", ".join(pairs[:-1]) + f" and {pairs[-1]} borders"


def border_of(crossing: Mapping[str, str]) -> str:
    """A crossing's border in words, e.g. 'Afghanistan–Iran' (names sorted, so each border reads one way)."""
    return "–".join(sorted((country_name(crossing["country_a"]), country_name(crossing["country_b"]))))
