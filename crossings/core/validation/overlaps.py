"""Finds the status intervals of a crossing that overlap, over every interval of the file at once."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date

import numpy as np

from crossings.core.days import NO_END
from crossings.core.validation.problems import Problem

__all__ = ["Spans", "overlap_problems"]


class Spans:
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


def overlap_problems(spans: Spans, file: str, id_of_line: Callable[[], dict[int, str]]) -> list[Problem]:
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


def _overlapping_crossings(spans: Spans) -> set[int]:
    """The codes of the crossings where some interval starts before an earlier one ends, found at once over
    all intervals; overlap_problems then words each overlap of just these crossings."""
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
