"""The view's filters and their URL form: parameters crossing, from, to, as_of, status, traffic, country.

The parameter names are part of the product (people bookmark and share these URLs), so they
never change. Parsing is pure and forgiving: a bad value gives a short warning and falls back
to the default, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from crossings.core.days import Window, parse_date
from crossings.core.records import STATUSES, TRAFFIC_KINDS, UNKNOWN
from crossings.core.traffic import check_traffic
from crossings.core.wording import ENGLISH, N_, Words

__all__ = ["MAX_CROSSING_CHOICES", "PARAMS", "STATUS_CHOICES", "Filters", "Problem", "crossing_choices",
           "crossings_listed_first", "parse_query", "parse_strictly", "reversed_window_warning", "shown_value",
           "to_query", "window_for"]

PARAM_CROSSING, PARAM_FROM, PARAM_TO, PARAM_AS_OF, PARAM_STATUS = "crossing", "from", "to", "as_of", "status"
PARAM_TRAFFIC, PARAM_COUNTRY, PARAM_KNOWN_BY = "traffic", "country", "known_by"
PARAMS = (PARAM_CROSSING, PARAM_FROM, PARAM_TO, PARAM_AS_OF, PARAM_STATUS, PARAM_TRAFFIC, PARAM_COUNTRY, PARAM_KNOWN_BY)
STATUS_CHOICES = (*STATUSES, UNKNOWN)
# A warning quotes at most this much of a bad value: enough to recognise it, never a wall of text.
SHOWN_CHARS = 40
# More values than this for one parameter is not a URL a person made; the rest are ignored.
MAX_VALUES = 500


@dataclass(frozen=True)
class Filters:
    """What the page shows. None and empty tuples mean the default."""

    crossing_ids: tuple[str, ...] = ()  # empty: all crossings
    window_from: date | None = None  # None: the first recorded day
    window_to: date | None = None  # None: the as-of date
    as_of: date | None = None  # None: today
    statuses: tuple[str, ...] = ()  # empty: every status
    traffic: str | None = None  # None: the crossing as a whole; else one kind of traffic
    countries: tuple[str, ...] = ()  # empty: every border; else the crossings with one of these on a side
    known_by: date | None = None  # None: everything known today; else only what had been reported by that day


def shown_value(value: str) -> str:
    """A value from the URL as a warning may quote it: short, on one line."""
    one_line = " ".join(value.split())
    return repr(one_line if len(one_line) <= SHOWN_CHARS else one_line[:SHOWN_CHARS] + "…")


@dataclass(frozen=True)
class Problem:
    """A bad value in the URL: which parameter, what the page says of it (it warns and falls back), and what
    the API says (it refuses the request naming the parameter)."""

    param: str
    warning: str  # "Ignored as_of='x': not a date in the form YYYY-MM-DD."
    reason: str  # "as_of='x': not a date in the form YYYY-MM-DD."


def _problem(param: str, words: Words, message: str, **values: object) -> Problem:
    """A Problem whose reason is in English (the API's) and whose warning is in the page's language."""
    return Problem(param, words._("Ignored {reason}", reason=words._(message, **values)),
                   ENGLISH._(message, **values))


def _date(params: Mapping[str, Sequence[str]], name: str, problems: list[Problem], words: Words) -> date | None:
    values = list(params.get(name, []))
    if not values or values[-1] == "":
        return None
    try:
        return parse_date(values[-1])
    except ValueError:
        problems.append(_problem(name, words, N_("{name}={value}: not a date in the form YYYY-MM-DD."), name=name,
                                 value=shown_value(values[-1])))
        return None


# What the page and the API say of values of a list parameter that the data does not have.
UNKNOWN_VALUES = {PARAM_CROSSING: N_("unknown crossing {values}."), PARAM_STATUS: N_("unknown status {values}."),
                  PARAM_COUNTRY: N_("unknown country {values}.")}
AND_MORE = N_("{values} and {count} more")


def _choices(params: Mapping[str, Sequence[str]], name: str, known: Sequence[str], problems: list[Problem],
             words: Words) -> tuple[str, ...]:
    values = [v for v in list(params.get(name, []))[:MAX_VALUES] if v != ""]
    unknown = [v for v in values if v not in known]
    if unknown:
        def said(language: Words) -> str:  # the first five values quoted, and how many more
            quoted = ", ".join(shown_value(v) for v in unknown[:5])
            if len(unknown) > 5:
                quoted = language._(AND_MORE, values=quoted, count=language.number(len(unknown) - 5))
            return language._(UNKNOWN_VALUES[name], values=quoted)

        problems.append(Problem(name, words._("Ignored {reason}", reason=said(words)), said(ENGLISH)))
    chosen = {v for v in values if v in known}
    return tuple(v for v in known if v in chosen)


def parse_query(params: Mapping[str, Sequence[str]], crossing_ids: Sequence[str], countries: Sequence[str] = (),
                words: Words = ENGLISH) -> tuple[Filters, list[str]]:
    """Filters from URL parameters (each name mapped to all its values), and warnings for bad ones (in the
    language of `words`). `countries` are those the data has (a country filter names one of them)."""
    filters, problems = parse_strictly(params, crossing_ids, countries, words)
    return filters, [p.warning for p in problems]


def parse_strictly(params: Mapping[str, Sequence[str]], crossing_ids: Sequence[str], countries: Sequence[str] = (),
                   words: Words = ENGLISH) -> tuple[Filters, list[Problem]]:
    """parse_query's filters, and each bad value as a Problem: the page warns and falls back, the API
    refuses the request naming the parameter."""
    problems: list[Problem] = []
    crossings = _choices(params, PARAM_CROSSING, crossing_ids, problems, words)
    statuses = _choices(params, PARAM_STATUS, STATUS_CHOICES, problems, words)
    chosen_countries = _choices(params, PARAM_COUNTRY, list(countries), problems, words)
    window_from = _date(params, PARAM_FROM, problems, words)
    window_to = _date(params, PARAM_TO, problems, words)
    as_of = _date(params, PARAM_AS_OF, problems, words)
    known_by = _date(params, PARAM_KNOWN_BY, problems, words)
    traffic = None
    asked = [v for v in params.get(PARAM_TRAFFIC, []) if v != ""]
    if asked:
        try:
            traffic = check_traffic(asked[-1])
        except ValueError:
            problems.append(_problem(PARAM_TRAFFIC, words, N_("traffic={value}: the kinds are {kinds}."),
                                     value=shown_value(asked[-1]), kinds=", ".join(TRAFFIC_KINDS)))
    if window_from and window_to and window_from > window_to:
        problems.append(_problem(PARAM_FROM, words, N_("from={start} and to={end}: the window starts after it ends."),
                                 start=window_from, end=window_to))
        window_from = window_to = None
    return Filters(crossings, window_from, window_to, as_of, statuses, traffic, chosen_countries, known_by), problems


def to_query(filters: Filters, crossing_ids: Sequence[str]) -> dict[str, list[str]]:
    """URL parameters for the filters, leaving out whatever is the default."""
    query: dict[str, list[str]] = {}
    if filters.crossing_ids and set(filters.crossing_ids) != set(crossing_ids):
        query[PARAM_CROSSING] = list(filters.crossing_ids)
    if filters.window_from:
        query[PARAM_FROM] = [filters.window_from.isoformat()]
    if filters.window_to:
        query[PARAM_TO] = [filters.window_to.isoformat()]
    if filters.as_of:
        query[PARAM_AS_OF] = [filters.as_of.isoformat()]
    if filters.statuses and set(filters.statuses) != set(STATUS_CHOICES):
        query[PARAM_STATUS] = list(filters.statuses)
    if filters.traffic:
        query[PARAM_TRAFFIC] = [filters.traffic]
    if filters.countries:
        query[PARAM_COUNTRY] = list(filters.countries)
    if filters.known_by:
        query[PARAM_KNOWN_BY] = [filters.known_by.isoformat()]
    return query


def window_for(filters: Filters, first_day: date, as_of: date) -> tuple[Window, str | None]:
    """The window the filters ask for, or the default window and a warning when it is reversed."""
    start = filters.window_from or min(first_day, as_of)
    end = filters.window_to or as_of
    if start > end:
        fallback = Window(min(first_day, as_of), as_of)
        return fallback, reversed_window_warning(filters, fallback, as_of)
    return Window(start, end), None


def reversed_window_warning(filters: Filters, window: Window, as_of: date, words: Words = ENGLISH) -> str | None:
    """What the page says when the filters' window starts after it ends and `window` (window_for's) is shown
    instead; None when it does not."""
    start, end = filters.window_from or window.start, filters.window_to or as_of
    if start <= end:
        return None
    return words._("The window {start} to {end} starts after it ends; showing {first} to {as_of}.",
                   start=words.date(start), end=words.date(end), first=words.date(window.start),
                   as_of=words.date(as_of))


# A multiselect of more options than this takes a browser seconds to draw (BENCHMARKS.md): beyond it, the
# Crossings filter lists the crossings of the borders chosen.
MAX_CROSSING_CHOICES = 300


def crossing_choices(all_ids: Sequence[str], on_chosen_borders: Sequence[str], chosen: Sequence[str],
                     limit: int = MAX_CROSSING_CHOICES, words: Words = ENGLISH) -> tuple[list[str], str | None]:
    """The crossings the Crossings filter lists, and a line saying why some are not listed (None when all
    are). Every crossing up to `limit`; beyond, those on the chosen borders when they are few enough, else
    none; the crossings already chosen are always listed, so that a URL's choice stays."""
    if len(all_ids) <= limit:
        return list(all_ids), None
    listed = list(on_chosen_borders) if len(on_chosen_borders) <= limit else []
    extra = set(chosen) - set(listed)
    if extra:
        listed = [c for c in all_ids if c in extra or c in set(listed)]
    if len(on_chosen_borders) <= limit:
        return listed, None
    return listed, words._("{count} crossings are too many to list here: choose a border to list its crossings, find "
                           "one by name above the cards, or select markers on the map.",
                           count=words.number(len(all_ids)))


def crossings_listed_first(filters: Filters, crossing_ids: Sequence[str], limit: int = MAX_CROSSING_CHOICES
                           ) -> list[str]:
    """What the Crossings filter shows as chosen when a URL is first read: the crossings it names, else every
    crossing (chosen and empty mean the same) unless there are more than `limit` to list."""
    return list(filters.crossing_ids) or (list(crossing_ids) if len(crossing_ids) <= limit else [])
