"""Agreements and moratoria as they stand on a date: in force, expired, ended, not yet in force, and how
many days are left.

Two ends are kept apart. `valid_until` is a term stated at signing or extension: the last day in force, and
the only date a countdown ("N days left") counts down to. `ended_on` is the first day it no longer applied
because a source reports that it ended, broke down or was superseded: shown only on or after that day, since
before it nobody could know it."""

from __future__ import annotations

import bisect
import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from crossings.core.borders import WholeBorders
from crossings.core.days import NEVER, NO_END, Window, day_number
from crossings.core.sources import is_stale
from crossings.core.wording import ENGLISH, N_, Words

__all__ = ["COMMITMENT_LABELS", "ENDED", "EXPIRED", "IN_FORCE", "NOT_YET_IN_FORCE", "RECENTLY_EXPIRED_DAYS",
           "START_NOT_REPORTED", "Commitment", "CommitmentIndex", "commitment_state", "commitment_text", "contradicted"]

# A card keeps an expired agreement for this long, so that "expired 2025-04-15" is seen
# in the days after; older ones are in the agreements table only.
RECENTLY_EXPIRED_DAYS = 30

# What a commitment is on a date (Commitment.state): compare with these, never with its display text.
IN_FORCE, EXPIRED, ENDED, NOT_YET_IN_FORCE, START_NOT_REPORTED = "in force", "expired", "ended", \
    "not yet in force", "start not reported"


@dataclass(frozen=True)
class Commitment:
    """An agreement or a moratorium as it stands on the as-of date."""

    table: str  # "agreements" or "moratoria"
    item_id: str
    label: str  # the agreement's kind, or "moratorium"
    title: str
    crossing_ids: list[str]
    start: date | None
    until: date | None
    state: str  # IN_FORCE, EXPIRED, ENDED, NOT_YET_IN_FORCE or START_NOT_REPORTED
    days_left: int | None  # to the term (valid_until) only
    text: str
    source_ids: list[str] = field(default_factory=list)
    # the crossings it covers: crossing_ids, or for a row naming none, those of its whole border
    covered: list[str] = field(default_factory=list)
    scope: str = ""  # for a row naming no crossing, its border in words ("the whole Afghanistan–Iran border")
    # the first day it no longer applied, when that day is on or before the as-of date (else None: not yet known)
    ended: date | None = None
    end_source_ids: list[str] = field(default_factory=list)
    # the newest publication date among its sources on or before the as-of date: when a source last confirmed it
    confirmed: date | None = None
    # in force with no source confirming it for more than STALE_AFTER_DAYS (the rule of a status: is_stale)
    stale: bool = False


def commitment_state(start: date | None, until: date | None, as_of: date, ended: date | None = None
                     ) -> tuple[str, int | None]:
    """The state on the as-of date and the days left of its term (None without a term or when not in force).
    An end a source reports counts from its day on; before that day it is unknown and changes nothing."""
    if ended is not None and ended <= as_of and (until is None or until >= ended):
        return ENDED, None
    if until is not None and until < as_of:
        return EXPIRED, None
    if start is None:
        return START_NOT_REPORTED, None
    if start > as_of:
        return NOT_YET_IN_FORCE, None
    return IN_FORCE, None if until is None else (until - as_of).days


# Each kind of agreement (agreements.csv kind), and a moratorium, as a sentence names it.
COMMITMENT_LABELS = {"ceasefire": N_("ceasefire"), "trade": N_("trade agreement"), "transit": N_("transit agreement"),
                     "security": N_("security agreement"), "border-management": N_("border management agreement"),
                     "other": N_("agreement"), "moratorium": N_("moratorium")}


def commitment_text(item: Commitment, words: Words = ENGLISH) -> str:
    """A commitment's state on the as-of date in words, e.g. 'ceasefire in force until 2025-04-15, 14 days left'
    (Commitment.text is this in English)."""
    return _commitment_text(item.label, item.state, item.start, item.until, item.days_left, item.ended, words)


def _commitment_text(kind: str, state: str, start: date | None, until: date | None,
                     days_left: int | None, ended: date | None = None, words: Words = ENGLISH) -> str:
    label = words._(COMMITMENT_LABELS.get(kind, COMMITMENT_LABELS["other"]))
    if state == ENDED:
        return words._("{label} ended {day}", label=label, day=words.date(ended))
    if state == EXPIRED:
        return words._("{label} expired {day}", label=label, day=words.date(until))
    if state == NOT_YET_IN_FORCE:
        return words._("{label} in force from {day}", label=label, day=words.date(start))
    if state == START_NOT_REPORTED:
        return (words._("{label}, start not reported, until {day}", label=label, day=words.date(until)) if until
                else words._("{label}, start not reported", label=label))
    if until is None:
        return words._("{label} in force since {day}, no end date", label=label, day=words.date(start))
    if days_left == 0:
        return words._("{label} in force until {day}, last day", label=label, day=words.date(until))
    return words.n_("{label} in force until {day}, {count} day left", "{label} in force until {day}, {count} days left",
                    days_left or 0, label=label, day=words.date(until))


class CommitmentIndex:
    """Agreements and moratoria as arrays, built once per store version, so that finding
    those in force on a date is a vectorised filter rather than a loop over every row."""

    def __init__(self, agreements: pd.DataFrame, moratoria: pd.DataFrame, crossings: pd.DataFrame,
                 sources: pd.DataFrame | None = None) -> None:
        starts = [a if a is not None else b for a, b in zip(agreements["effective_from"], agreements["signed_on"],
                                                            strict=True)]
        self.frame = pd.DataFrame({
            "table": ["agreements"] * len(agreements) + ["moratoria"] * len(moratoria),
            "item_id": [*agreements["agreement_id"], *moratoria["moratorium_id"]],
            "label": [*agreements["kind"], *(["moratorium"] * len(moratoria))],
            "title": [*agreements["title"], *moratoria["subject"]],
            "crossing_ids": [*agreements["crossing_ids"], *moratoria["crossing_ids"]],
            "start": [*starts, *moratoria["start_date"]],
            "until": [*agreements["valid_until"], *moratoria["valid_until"]],
            "ended": [*agreements["ended_on"], *moratoria["ended_on"]],
            "source_ids": [*agreements["source_ids"], *moratoria["source_ids"]],
            "end_source_ids": [*agreements["end_source_ids"], *moratoria["end_source_ids"]],
        }, dtype=object)
        # A row naming no crossing covers the border between its parties (a moratorium: its agreement's);
        # rows with the same parties share one border, worked out once.
        parties = dict(zip(agreements["agreement_id"], agreements["parties"], strict=True))
        row_parties = [*agreements["parties"], *([parties.get(a) for a in moratoria["agreement_id"]])]
        whole = WholeBorders(crossings)
        border_rows: dict[str, list[int]] = {}
        covered: list[list[str]] = []
        scopes: list[str] = []
        covering: dict[str, list[int]] = {}  # which rows name each crossing
        for row, (ids, who) in enumerate(zip(self.frame["crossing_ids"], row_parties, strict=True)):
            if ids:
                covered.append(list(ids))
                scopes.append("")
                for cid in ids:
                    covering.setdefault(cid, []).append(row)
                continue
            found, scope = whole.of(who)
            covered.append(found)
            scopes.append(scope)
            border_rows.setdefault(whole.key(who), []).append(row)
        self.frame["covered"] = pd.Series(covered, dtype=object)
        self.frame["scope"] = scopes
        self.start_day = np.array([day_number(d) if d is not None else NEVER for d in self.frame["start"]],
                                  dtype="int64")
        until_day = np.array([day_number(d) if d is not None else NO_END for d in self.frame["until"]],
                             dtype="int64")
        ended_day = np.array([day_number(d) if d is not None else NO_END for d in self.frame["ended"]],
                             dtype="int64")
        self.until_day, self.ended_day = until_day, ended_day
        # each row's sources' publication dates, sorted: when a source last confirmed it, on any as-of date
        published = {} if sources is None else {
            s: d for s, d in zip(sources["source_id"], sources["published_on"], strict=True) if d is not None}
        dates_of: dict[tuple[str, ...], list[date]] = {}  # rows citing the same sources share their dates (read only)
        for ids in map(tuple, self.frame["source_ids"]):
            if ids not in dates_of:
                dates_of[ids] = sorted(published[s] for s in ids if s in published)
        self._confirmations = [dates_of[tuple(ids)] for ids in self.frame["source_ids"]]
        # when an end was first reported: the earliest date of its end sources (an end undated counts only
        # when no known_by is asked)
        self._end_reported_day = np.array([min((day_number(published[s]) for s in ids if s in published),
                                               default=NO_END) for ids in self.frame["end_source_ids"]],
                                          dtype="int64")
        self.known_by: date | None = None
        self._covering = {cid: np.array(rows, dtype="int64") for cid, rows in covering.items()}
        self._names_none = np.array([not ids for ids in self.frame["crossing_ids"]], dtype=bool)
        self._borders = [(set(covered[rows[0]]), np.array(rows, dtype="int64")) for rows in border_rows.values()]

    def as_known_by(self, known_by: date) -> CommitmentIndex:
        """The same rows as they had been reported by `known_by`: each counts from its signing (or start) on or
        before that day, and its end only once the first source reporting the end had been published."""
        known = copy.copy(self)
        known.known_by = known_by
        return known

    def _end_known(self, as_of: date) -> np.ndarray:
        known = self.ended_day <= day_number(as_of)
        if self.known_by is not None:
            known &= self._end_reported_day <= day_number(self.known_by)
        return known

    def _started(self, day: int) -> np.ndarray:
        """Which rows have begun by this day number and are known to have (a start no source gives: NEVER)."""
        limit = day if self.known_by is None else min(day, day_number(self.known_by))
        return self.start_day <= limit

    def last_day(self, as_of: date) -> np.ndarray:
        """Each row's last day in force as known on the as-of date: its term's last day, or the day before an end
        reported for a day up to the as-of date, whichever comes first (a later end is not known yet)."""
        known = self._end_known(as_of)
        return np.where(known, np.minimum(self.until_day, self.ended_day - 1), self.until_day)

    def covering_any(self, crossing_ids: Sequence[str]) -> np.ndarray:
        """Which rows cover one of these crossings: naming it, or naming none on its border."""
        near = np.zeros(len(self.frame), dtype=bool)
        for cid in crossing_ids:
            near[self._covering.get(cid, np.zeros(0, dtype="int64"))] = True
        wanted = set(crossing_ids)
        for border, rows in self._borders:
            if not border.isdisjoint(wanted):
                near[rows] = True
        return near

    def select(self, mask: np.ndarray, as_of: date, limit: int | None = None) -> list[Commitment]:
        found = []
        end_known = self._end_known(as_of)
        for position, row in zip(np.flatnonzero(mask)[:limit], self.frame[mask].head(limit).itertuples(index=False),
                                 strict=True):
            dates = self._confirmations[position]
            newest = dates[bisect.bisect_right(dates, as_of) - 1] if dates and dates[0] <= as_of else None
            ended = row.ended if end_known[position] else None  # known by then
            state, left = commitment_state(row.start, row.until, as_of, ended)
            found.append(Commitment(row.table, row.item_id, row.label, row.title, list(row.crossing_ids),
                                    row.start, row.until, state, left,
                                    _commitment_text(row.label, state, row.start, row.until, left, ended),
                                    list(row.source_ids), row.covered, row.scope, ended,
                                    list(row.end_source_ids) if ended is not None else [], newest,
                                    state == IN_FORCE and is_stale(newest, as_of)))
        return found

    def all_on(self, as_of: date) -> list[Commitment]:
        return self.select(np.ones(len(self.frame), dtype=bool), as_of)

    def standing_on(self, as_of: date, crossing_ids: list[str] | None = None, whole_border_only: bool = False
                    ) -> list[Commitment]:
        """In force on the as-of date, or expired or ended within RECENTLY_EXPIRED_DAYS before it; with
        crossing_ids, only those covering one of these crossings (naming it, or naming none on its border);
        with whole_border_only, only those naming no crossing."""
        day = day_number(as_of)
        last_day = self.last_day(as_of)
        in_force = self._started(day) & (last_day >= day) & (self.start_day != NEVER)
        recently = (last_day < day) & (last_day >= day - RECENTLY_EXPIRED_DAYS)
        mask = in_force | recently
        if crossing_ids is not None:
            mask &= self.covering_any(crossing_ids)
        if whole_border_only:
            mask &= self._names_none
        return self.select(mask, as_of)

    def overlapping(self, window: Window, as_of: date, crossing_ids: Sequence[str] | None = None,
                    limit: int | None = None) -> tuple[list[Commitment], int]:
        """Valid at some point of the window (up to as-of) and, with crossing_ids, covering one of them: the
        first `limit` in file order, and how many there are in all. A start no source gives counts as any
        time. The crossings are chosen before the limit, so the rows kept are those of the crossings asked for."""
        last = day_number(window.through(as_of))
        begun = self._started(last) | (self.start_day == NEVER)
        mask = begun & (self.last_day(as_of) >= day_number(window.start))
        if crossing_ids is not None:
            mask &= self.covering_any(crossing_ids)
        return self.select(mask, as_of, limit), int(mask.sum())


# What keeps a crossing's traffic moving, per kind of commitment: a border-management commitment (opening hours,
# a gate) is contradicted by the crossing closed; a trade or transit agreement by that kind of traffic barred.
CONTRADICTED_WHEN = {"border-management": None, "trade": "trade", "transit": "transit"}


def contradicted(item: Commitment, crossing_id: str, status: str, kind_statuses: dict[str, str]) -> bool:
    """Whether the crossing's own status on the as-of date contradicts a commitment in force that names it: a
    border-management commitment at a closed crossing ("open round the clock" while shut), a trade or transit
    agreement while that kind of traffic is closed. A whole border's commitment is never read against one
    crossing."""
    if item.state != IN_FORCE or crossing_id not in item.crossing_ids or item.label not in CONTRADICTED_WHEN:
        return False
    kind = CONTRADICTED_WHEN[item.label]
    return status == "closed" if kind is None else kind_statuses.get(kind) == "closed"
