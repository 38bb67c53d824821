"""What the status of a crossing is on a date, as every surface states it: one status line per crossing
(status, since, days, detail, each kind's status, newest report, stale) for the cards, the API and the CLI
alike, and the card built on it (closures in the window, last closure, commitments). Urgency order too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

import pandas as pd

from crossings.core.commitments import (
    COMMITMENT_LABELS,
    CONTRADICTED_WHEN,
    IN_FORCE,
    Commitment,
    CommitmentIndex,
    commitment_text,
    contradicted,
)
from crossings.core.days import StatusRuns, Window, current_from_runs, last_closures_from_runs
from crossings.core.records import UNKNOWN
from crossings.core.sources import SourceDates, carried_forward_days, is_stale
from crossings.core.traffic import with_access
from crossings.core.wording import ENGLISH, Words
from crossings.view.indexes import IntervalIndex, StoreIndexes
from crossings.view.words import KIND_NAMES, STATUS_WORDS, closure_text, places_text, sides_text

__all__ = [
    "BORDER_WIDE_LISTED",
    "Card",
    "StatusLine",
    "border_wide",
    "commitment_line",
    "crossing_cards",
    "read_status_lines",
    "soonest_first",
    "status_lines",
    "urgency_order",
]

# Reads the full rows of these interval ids from the store version shown.
RowReader = Callable[[Sequence[str]], pd.DataFrame]


def urgency_order(crossing_ids: list[str], statuses: list[str], newest: dict[str, date | None], as_of: date
                  ) -> list[str]:
    """Crossings in the order a reader needs them: closed, then restricted, then stale, then the rest
    (each group in the given order)."""
    def rank(item: tuple[str, str]) -> int:
        cid, status = item
        if status == "closed":
            return 0
        if status == "restricted":
            return 1
        return 2 if is_stale(newest.get(cid), as_of) else 3

    return [cid for cid, _ in sorted(zip(crossing_ids, statuses, strict=True), key=rank)]


def soonest_first(items: list[Commitment]) -> list[Commitment]:
    """In force first, by nearest end (what a convoy planner needs first), then the rest."""
    return sorted(items, key=lambda c: (c.state != IN_FORCE, c.days_left is None, c.days_left or 0))


# A whole border's agreements and moratoria listed above the cards, soonest end first; the table lists them all.
BORDER_WIDE_LISTED = 10


def border_wide(index: CommitmentIndex, as_of: date, crossing_ids: Sequence[str]) -> list[Commitment]:
    """The agreements and moratoria naming no crossing (a whole border's) that stand on the as-of date and
    cover one of these crossings, soonest end first."""
    return soonest_first(index.standing_on(as_of, list(crossing_ids), whole_border_only=True))


@dataclass(frozen=True)
class StatusLine:
    """One crossing's status on the as-of date, as the cards, the API and the CLI all state it."""

    crossing_id: str
    name: str
    status: str
    since: date | None
    days: int
    detail: str | None
    cause: str | None
    # each kind of traffic's status on the as-of date, from the interval covering it
    kind_statuses: dict[str, str]
    # the kind the status, since and days are for (None: the crossing as a whole)
    kind: str | None
    newest_source: date | None
    stale: bool
    # days from the newest report to the as-of date (core.sources.carried_forward_days)
    carried_forward: int | None

    @property
    def report_text(self) -> str:
        """Where the status rests on a report: 'last reported 2026-02-27; carried forward 274 days'."""
        return self.report_words()

    @property
    def status_text(self) -> str:
        """'closed since 2025-10-12 (70 days)', 'trade: open since ...', or unknown and why."""
        return self.status_words()

    def report_words(self, words: Words = ENGLISH) -> str:
        """report_text in the language of `words`."""
        if self.newest_source is None:
            return words._("no dated report")
        day = words.date(self.newest_source)
        if self.status == UNKNOWN or self.carried_forward is None:
            return words._("last reported {day}", day=day)
        if self.carried_forward == 0:
            return words._("last reported {day}, the as-of date", day=day)
        return words.n_("last reported {day}; carried forward {count} day",
                        "last reported {day}; carried forward {count} days", self.carried_forward, day=day)

    def status_words(self, words: Words = ENGLISH) -> str:
        """status_text in the language of `words`."""
        subject = words._("{kind}: ", kind=words._(KIND_NAMES[self.kind])) if self.kind else ""
        if self.status == UNKNOWN or self.since is None:
            return subject + (words._("unknown: no report on this kind of traffic covers this date") if self.kind
                              else words._("unknown: no report covers this date"))
        return subject + words.n_("{status} since {day} ({count} day)", "{status} since {day} ({count} days)",
                                  self.days, status=words._(STATUS_WORDS.get(self.status, self.status)),
                                  day=words.date(self.since))


@dataclass(frozen=True)
class Card(StatusLine):
    """Everything a status card shows about one crossing: its status line, and more."""

    sides: str
    places: str
    closures: int  # closed runs overlapping the window
    closed_days: int  # in the window
    last_closure: str | None
    commitments: list[Commitment] = field(default_factory=list)


def status_lines(crossings: pd.DataFrame, cut: pd.DataFrame, intervals: IntervalIndex, texts: pd.DataFrame,
                 newest: dict[str, date | None], as_of: date, kind: str | None) -> list[StatusLine]:
    """A status line per crossing of `crossings` (crossing_id, name), in their order. `cut`: the runs up to the
    as-of date (StatusRuns.at) of these crossings, for the counted kind; `intervals`: the index that finds the
    interval covering the as-of date, whose row in `texts` (full rows) gives the detail, cause and what moves;
    `newest`: each crossing's newest report on or before the as-of date."""
    ids = list(crossings["crossing_id"])
    now = {row["crossing_id"]: row for row in current_from_runs(cut, ids, as_of).to_dict("records")}
    covering = intervals.covering(ids, as_of)
    # each kind's status from the covering rows' own lists, by the index's one rule (what the map shows too)
    kinds = IntervalIndex(with_access(texts), crossings).traffic_on(ids, as_of)
    rows = texts.set_index("interval_id")[["detail", "cause"]].to_dict("index") if len(texts) else {}
    lines = []
    for cid, name in zip(crossings["crossing_id"], crossings["name"], strict=True):
        status, interval_id, source_day = now[cid], covering[cid], newest.get(cid)
        text = rows.get(interval_id) if interval_id is not None else None
        lines.append(StatusLine(
            crossing_id=cid, name=name, status=status["status"], since=status["since"], days=int(status["days"]),
            detail=None if text is None else text["detail"], cause=None if text is None else text["cause"],
            kind_statuses=kinds[cid], kind=kind, newest_source=source_day, stale=is_stale(source_day, as_of),
            carried_forward=carried_forward_days(source_day, as_of)))
    return lines


def covering_ids(intervals: IntervalIndex, crossing_ids: Sequence[str], as_of: date) -> list[str]:
    """The ids of the intervals covering the as-of date (the rows whose text a status line shows)."""
    return [i for i in intervals.covering(crossing_ids, as_of).values() if i is not None]


def read_status_lines(intervals: IntervalIndex, crossings: pd.DataFrame, crossing_ids: Sequence[str],
                      source_dates: SourceDates, read_rows: RowReader, as_of: date, kind: str | None
                      ) -> list[StatusLine]:
    """status_lines from an index of only the intervals the command read (those that reach the as-of date, with
    the runs leading into them) rather than the whole store: the `status` command. `crossings` are all of them,
    in file order."""
    ids = list(crossing_ids)
    runs = StatusRuns(intervals.spans(kind))
    chosen = crossings[crossings["crossing_id"].isin(set(ids))]
    return status_lines(chosen, runs.at(as_of, ids, latest=True), intervals,
                        read_rows(covering_ids(intervals, ids, as_of)), source_dates.newest(ids, as_of), as_of, kind)


def crossing_cards(crossings: pd.DataFrame, texts: pd.DataFrame, indexes: StoreIndexes, window: Window,
                   as_of: date, summary: pd.DataFrame, newest: dict[str, date | None], kind: str | None = None,
                   border_wide_apart: bool = False, words: Words = ENGLISH) -> list[Card]:
    """One card per crossing of `crossings`, in their order, from the store's indexes.

    `texts` holds at least the rows of the intervals covering the as-of date (their detail and cause);
    `summary` (summary_table for the window and as-of date) and `newest` may cover more crossings. With a
    kind of traffic the status, since, days and closures are the kind's. A card lists the agreements and
    moratoria covering the crossing that are in force on the as-of date, and those that expired within
    RECENTLY_EXPIRED_DAYS before it; with `border_wide_apart`, only those naming its crossing (the page shows
    a whole border's once). The last closure is said in the language of `words`.
    """
    ids = list(crossings["crossing_id"])
    # once for these crossings, their latest runs only; every number below comes from it
    cut = indexes.runs_for(kind).at(as_of, ids, latest=True)
    lines = status_lines(crossings, cut, indexes.intervals, texts, newest, as_of, kind)
    counts = {row["crossing_id"]: row for row in summary[["crossing_id", "closures", "closed_days"]]
              .to_dict("records")}
    closures = {row["crossing_id"]: row for row in last_closures_from_runs(cut).to_dict("records")}
    by_crossing: dict[str, list[Commitment]] = {}
    for item in indexes.commitments.standing_on(as_of, ids):
        if item.crossing_ids or not border_wide_apart:  # a whole border's row is shown apart, once, if asked
            for cid in item.covered:
                by_crossing.setdefault(cid, []).append(item)
    cards = []
    for line, crossing in zip(lines, crossings.to_dict("records"), strict=True):
        cid = line.crossing_id
        cards.append(Card(
            **asdict(line),
            sides=sides_text(crossing),
            places=places_text(crossing),
            closures=int(counts[cid]["closures"]),
            closed_days=int(counts[cid]["closed_days"]),
            last_closure=closure_text(closures[cid], words) if cid in closures else None,
            commitments=soonest_first(by_crossing.get(cid, [])),
        ))
    return cards


def commitment_line(item: Commitment, line: StatusLine, words: Words = ENGLISH) -> str:
    """A commitment as a crossing's card states it: its state, when a source last confirmed it and whether that
    is stale; where the crossing's own status contradicts it, that instead of "in force"."""
    label = words._(COMMITMENT_LABELS.get(item.label, COMMITMENT_LABELS["other"]))
    if contradicted(item, line.crossing_id, line.status, line.kind_statuses):
        kind = CONTRADICTED_WHEN[item.label]
        subject = (words._("the crossing") if kind is None
                   else words._("{kind} at the crossing", kind=words._(KIND_NAMES[kind])))
        return words._("{label} from {day}, but {subject} is closed on this date; {confirmation}", label=label,
                       day=words.date(item.start), subject=subject, confirmation=_confirmation(item, words))
    if item.state != IN_FORCE:
        return commitment_text(item, words)
    return words._("{state}; {confirmation}", state=commitment_text(item, words),
                   confirmation=_confirmation(item, words))


def _confirmation(item: Commitment, words: Words) -> str:
    if item.confirmed is None:
        return words._("no dated source confirms it (stale)")
    if item.stale:
        return words._("last confirmed by a source {day} (stale)", day=words.date(item.confirmed))
    return words._("last confirmed by a source {day}", day=words.date(item.confirmed))
