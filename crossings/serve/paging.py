"""intervals.json by pages: at most `limit` rows an answer, in the table's order (crossings in file order, then
by start), and a `next` link naming the last row's interval_id as the cursor (`after`) when rows remain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from urllib.parse import urlencode

import numpy as np

from crossings.view.filters import Filters, shown_value, to_query
from crossings.view.indexes import IntervalIndex

__all__ = ["INTERVALS_PAGE_ROWS", "PAGE_PARAMETERS", "BadPage", "next_link", "page_of", "page_request"]

# Rows in one answer at most, and by default: 500 rows with their sources are about 0.7 MB of JSON; a
# three-month window of 200,000 intervals was 890 KB without a limit, and a million-row answer would
# hold the server for seconds.
INTERVALS_PAGE_ROWS = 500
PARAM_LIMIT, PARAM_AFTER = "limit", "after"
PAGE_PARAMETERS = (PARAM_LIMIT, PARAM_AFTER)


class BadPage(ValueError):
    """A bad `limit` or `after`: the message names it."""


def page_request(params: Mapping[str, Sequence[str]]) -> tuple[int, str | None]:
    """The page asked for: its row limit (1 to INTERVALS_PAGE_ROWS, that by default) and the cursor."""
    limit = INTERVALS_PAGE_ROWS
    asked = [v for v in params.get(PARAM_LIMIT, []) if v != ""]
    if asked:
        value = asked[-1]
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= INTERVALS_PAGE_ROWS):
            raise BadPage(f"limit={shown_value(value)}: a whole number from 1 to {INTERVALS_PAGE_ROWS}.")
        limit = int(value)
    after = [v for v in params.get(PARAM_AFTER, []) if v != ""]
    return limit, (after[-1] if after else None)


def page_of(index: IntervalIndex, matches: np.ndarray, limit: int, after: str | None
            ) -> tuple[np.ndarray, str | None]:
    """The positions of one page of `matches` (sorted positions in the index, as IntervalIndex.matching gives
    them): the first `limit` after the interval `after` in the index's order; and the cursor of the next
    page (the last row's id), None on the last page."""
    start = 0
    if after is not None:
        found = np.flatnonzero(index.interval_id == after)
        if not len(found):
            raise BadPage(f"after={shown_value(after)}: no such interval (the store may have been reloaded; "
                          "start again without after).")
        start = int(np.searchsorted(matches, found[0], side="right"))
    page = matches[start:start + limit]
    more = start + limit < len(matches)
    return page, (str(index.interval_id[page[-1]]) if more else None)


def next_link(path: str, filters: Filters, crossing_ids: Sequence[str], as_of: date, limit: int | None,
              after: str) -> str:
    """The next page's URL (path and query): the same filters, the as-of date pinned (a default of today
    would move at midnight between two pages), the same limit, the cursor."""
    query = {**to_query(filters, crossing_ids), "as_of": [as_of.isoformat()],
             **({PARAM_LIMIT: [str(limit)]} if limit is not None else {}), PARAM_AFTER: [after]}
    return f"{path}?{urlencode(query, doseq=True)}"
