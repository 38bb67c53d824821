"""The view's sentences: which borders the data covers, a crossing's sides, how current the record is,
counts with their nouns and the last closure in words. Plain text from plain values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import pandas as pd

from crossings.core.borders import country_name
from crossings.core.days import days_text
from crossings.core.records import UNKNOWN
from crossings.core.sources import STALE_AFTER_DAYS
from crossings.core.wording import ENGLISH, N_, Words

__all__ = ["KIND_NAMES", "STATUS_WORDS", "carried_text", "closure_text", "counted", "coverage_text", "currency_text",
           "currency_words", "places_text", "sides_text"]

# A status as a word (the data's value is English; a screen shows the language's word).
STATUS_WORDS = {"open": N_("open"), "restricted": N_("restricted"), "closed": N_("closed"), UNKNOWN: N_("unknown")}
# Each kind of traffic by its whole name, for sentences.
KIND_NAMES = {"trade": N_("trade"), "transit": N_("transit"), "aid": N_("aid"), "travellers": N_("travellers"),
              "returnees": N_("returnees")}


def coverage_text(crossings: pd.DataFrame, words: Words = ENGLISH) -> str:
    """Which borders the data covers, from the crossings themselves: 'Afghanistan and Pakistan', or
    'Afghanistan and its neighbours Iran, Pakistan and Tajikistan' when one country is on every crossing."""
    pairs = list(zip(crossings["country_a"], crossings["country_b"], strict=True))
    if not pairs:
        return words._("no border yet")
    countries = list(dict.fromkeys(code for pair in pairs for code in pair))
    common = [c for c in countries if all(c in pair for pair in pairs)]

    def name(code: str) -> str:  # the country in the language (a name no catalogue knows stays as it is)
        return words._(country_name(code))

    if common:
        others = sorted(name(c) for c in countries if c != common[0])
        if len(others) == 1:
            return words._("{first} and {last}", first=name(common[0]), last=others[0])
        return words._("{country} and its neighbours {others} and {last}", country=name(common[0]),
                       others=words._(", ").join(others[:-1]), last=others[-1])
    names = sorted(name(c) for c in countries)
    return words._("{first} and {last}", first=words._(", ").join(names[:-1]), last=names[-1])


def sides_text(crossing: Mapping[str, Any]) -> str:
    """Both sides' names, e.g. 'Chaman / Spin Boldak'; one name when both sides share it."""
    a, b = crossing["side_a_name"], crossing["side_b_name"]
    return a if a == b else f"{a} / {b}"


def places_text(crossing: Mapping[str, Any]) -> str:
    """Each side with its country and region, e.g. 'PK: Chaman (Balochistan) · AF: Spin Boldak (Kandahar)'."""
    sides = []
    for side in ("a", "b"):
        region = crossing[f"side_{side}_region"]
        sides.append(f"{crossing[f'country_{side}']}: {crossing[f'side_{side}_name']}"
                     + (f" ({region})" if region else ""))
    return " · ".join(sides)


def currency_text(newest: date | None, as_of: date) -> str:
    """How current the record is: 'Newest report 2026-04-08, 234 days before the as-of date' (currency_words in
    English: one wording for every language)."""
    return currency_words(newest, as_of, ENGLISH)


def counted(count: int, noun: str) -> str:
    """'1 closure', '4 closures', '1 closed day', '26 closed days'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def closure_text(run: Mapping[str, Any], words: Words = ENGLISH) -> str:
    """The last closure in words, with the closing and reopening dates beside the count."""
    start, days = words.date(run["start_date"]), days_text(run["days"], words)
    if run["ongoing"]:
        return words._("closed since {start} ({days} so far)", start=start, days=days)
    if run["followed"]:
        return words._("closed {start}, reopened {end} ({days})", start=start, end=words.date(run["end_date"]),
                       days=days)
    return words._("closed {start}, last reported closed {last} ({days} on record; reopening not reported)",
                   start=start, last=words.date(run["end_date"] - timedelta(days=1)), days=days)


def carried_text(report: date | None, carried_for: int | None, first: date, last: date,
                 words: Words = ENGLISH) -> str:
    """What the timeline says of a part of a bar carried forward from `first` to `last` (inclusive):
    'carried forward 45 days since 2024-08-16 (...)', or that no dated report comes before it."""
    if report is None or carried_for is None:
        return words._("no dated report on or before {last}: carried forward, not reported at the time",
                       last=words.date(last))
    return words.n_("carried forward {days} since {report} (by {last}; more than {count} day without a newer report "
                    "from {first})",
                    "carried forward {days} since {report} (by {last}; more than {count} days without a newer report "
                    "from {first})", STALE_AFTER_DAYS, days=days_text(carried_for, words), report=words.date(report),
                    last=words.date(last), first=words.date(first))


def currency_words(newest: date | None, as_of: date, tr: Words) -> str:
    """How current the record is (crossings.view.words.currency_text), in the translator's language."""
    if newest is None:
        return tr._("No dated report on or before the as-of date.")
    gap = (as_of - newest).days
    if gap == 0:
        return tr._("Newest report {day}, the as-of date.", day=tr.date(newest))
    return tr.n_("Newest report {day}, {count} day before the as-of date.",
                 "Newest report {day}, {count} days before the as-of date.", gap, day=tr.date(newest))
