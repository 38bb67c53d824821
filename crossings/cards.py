"""What a status card says about one crossing, and where agreements and moratoria stand.

Pure: DataFrames and dates in, plain values out. The numbers come from crossings.days,
so a card, the `status` command and the summary CSV can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from crossings.days import Window, current_status, last_closures, summary_table
from crossings.records import UNKNOWN

__all__ = [
    "STALE_AFTER_DAYS",
    "Card",
    "Commitment",
    "closure_text",
    "commitments",
    "covers",
    "crossing_cards",
    "days_text",
    "newest_source_dates",
    "places_text",
    "sides_text",
]

# A status whose newest source is older than this is marked stale: a month without a
# report is long for a crossing that changes with the news.
STALE_AFTER_DAYS = 30
# A card keeps an expired agreement for this long, so that "expired 2025-04-15" is seen
# in the days after; older ones are in the agreements table only.
RECENTLY_EXPIRED_DAYS = 30


def days_text(days: int) -> str:
    return f"{days} day" if days == 1 else f"{days} days"


def sides_text(crossing: pd.Series) -> str:
    """Both sides' names, e.g. 'Chaman / Spin Boldak'; one name when both sides share it."""
    a, b = crossing["side_a_name"], crossing["side_b_name"]
    return a if a == b else f"{a} / {b}"


def places_text(crossing: pd.Series) -> str:
    """Each side with its country and region, e.g. 'PK: Chaman (Balochistan) · AF: Spin Boldak (Kandahar)'."""
    sides = []
    for side in ("a", "b"):
        region = crossing[f"side_{side}_region"]
        sides.append(f"{crossing[f'country_{side}']}: {crossing[f'side_{side}_name']}"
                     + (f" ({region})" if region else ""))
    return " · ".join(sides)


def covers(crossing_ids: list[str], crossing_id: str) -> bool:
    """An empty list of crossings means the whole border."""
    return not crossing_ids or crossing_id in crossing_ids


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
    state: str  # "in force", "expired", "not yet in force", "start not reported"
    days_left: int | None
    text: str
    source_ids: list[str] = field(default_factory=list)


def _commitment_state(start: date | None, until: date | None, as_of: date) -> tuple[str, int | None]:
    if until is not None and until < as_of:
        return "expired", None
    if start is None:
        return "start not reported", None
    if start > as_of:
        return "not yet in force", None
    return "in force", None if until is None else (until - as_of).days


def _commitment_text(label: str, state: str, start: date | None, until: date | None,
                     days_left: int | None) -> str:
    if state == "expired":
        return f"{label} expired {until}"
    if state == "not yet in force":
        return f"{label} in force from {start}"
    if state == "start not reported":
        return f"{label}, start not reported" + (f", until {until}" if until else "")
    if until is None:
        return f"{label} in force since {start}, no end date"
    if days_left == 0:
        return f"{label} in force until {until}, last day"
    return f"{label} in force until {until}, {days_text(days_left or 0)} left"


def commitments(agreements: pd.DataFrame, moratoria: pd.DataFrame, as_of: date) -> list[Commitment]:
    """Every agreement and moratorium with its state and countdown on the as-of date.

    valid_until is the last day in force, so days left = valid_until - as_of.
    """
    found = []
    for row in agreements.itertuples(index=False):
        start = row.effective_from or row.signed_on
        state, left = _commitment_state(start, row.valid_until, as_of)
        found.append(Commitment("agreements", row.agreement_id, row.kind, row.title, list(row.crossing_ids),
                                start, row.valid_until, state, left,
                                _commitment_text(row.kind, state, start, row.valid_until, left),
                                list(row.source_ids)))
    for row in moratoria.itertuples(index=False):
        state, left = _commitment_state(row.start_date, row.valid_until, as_of)
        found.append(Commitment("moratoria", row.moratorium_id, "moratorium", row.subject,
                                list(row.crossing_ids), row.start_date, row.valid_until, state, left,
                                _commitment_text("moratorium", state, row.start_date, row.valid_until, left),
                                list(row.source_ids)))
    return found


def newest_source_dates(
    intervals: pd.DataFrame, sources: pd.DataFrame, crossing_ids: list[str], as_of: date
) -> dict[str, date | None]:
    """The newest publication date among the sources of each crossing's status intervals,
    counting only sources published on or before the as-of date."""
    published = {
        row.source_id: row.published_on
        for row in sources.itertuples(index=False)
        if row.published_on is not None and row.published_on <= as_of
    }
    newest: dict[str, date | None] = dict.fromkeys(crossing_ids)
    for row in intervals.itertuples(index=False):
        if row.crossing_id not in newest:
            continue
        for source_id in row.source_ids:
            day = published.get(source_id)
            current = newest[row.crossing_id]
            if day is not None and (current is None or day > current):
                newest[row.crossing_id] = day
    return newest


def closure_text(run: pd.Series) -> str:
    """The last closure in words, with the closing and reopening dates beside the count."""
    if run["ongoing"]:
        return f"closed since {run['start_date']} ({days_text(run['days'])} so far)"
    if run["followed"]:
        return f"closed {run['start_date']}, reopened {run['end_date']} ({days_text(run['days'])})"
    last_day = run["end_date"] - timedelta(days=1)
    return (f"closed {run['start_date']}, last reported closed {last_day} "
            f"({days_text(run['days'])} on record; reopening not reported)")


@dataclass(frozen=True)
class Card:
    """Everything a status card shows about one crossing."""

    crossing_id: str
    name: str
    sides: str
    places: str
    status: str
    detail: str | None
    cause: str | None
    since: date | None
    days: int
    closures: int
    closed_days: int
    last_closure: str | None
    newest_source: date | None
    stale: bool
    commitments: list[Commitment] = field(default_factory=list)

    @property
    def status_text(self) -> str:
        if self.status == UNKNOWN:
            return "unknown: no report covers this date"
        return f"{self.status} since {self.since} ({days_text(self.days)})"


def crossing_cards(
    crossings: pd.DataFrame,
    intervals: pd.DataFrame,
    agreements: pd.DataFrame,
    moratoria: pd.DataFrame,
    sources: pd.DataFrame,
    window: Window,
    as_of: date,
) -> list[Card]:
    """One card per crossing of `crossings`, in their order.

    A card lists the agreements and moratoria covering the crossing that are in force on the
    as-of date, and those that expired within RECENTLY_EXPIRED_DAYS before it.
    """
    ids = list(crossings["crossing_id"])
    summary = summary_table(crossings, intervals, window, as_of).set_index("crossing_id")
    now = current_status(intervals, ids, as_of).set_index("crossing_id")
    by_id = intervals.set_index("interval_id") if not intervals.empty else None
    closures = last_closures(intervals, as_of).set_index("crossing_id")
    newest = newest_source_dates(intervals, sources, ids, as_of)
    standing = [c for c in commitments(agreements, moratoria, as_of)
                if c.state == "in force" or (c.state == "expired" and c.until is not None
                                             and (as_of - c.until).days <= RECENTLY_EXPIRED_DAYS)]
    cards = []
    for crossing in crossings.itertuples(index=False):
        cid = crossing.crossing_id
        status = now.loc[cid]
        interval = by_id.loc[status["interval_id"]] if status["interval_id"] is not None else None
        source_day = newest[cid]
        cards.append(Card(
            crossing_id=cid,
            name=crossing.name,
            sides=sides_text(pd.Series(crossing._asdict())),
            places=places_text(pd.Series(crossing._asdict())),
            status=status["status"],
            detail=None if interval is None else interval["detail"],
            cause=None if interval is None else interval["cause"],
            since=status["since"],
            days=int(status["days"]),
            closures=int(summary.loc[cid, "closures"]),
            closed_days=int(summary.loc[cid, "closed_days"]),
            last_closure=closure_text(closures.loc[cid]) if cid in closures.index else None,
            newest_source=source_day,
            stale=source_day is None or (as_of - source_day).days > STALE_AFTER_DAYS,
            commitments=[c for c in standing if covers(c.crossing_ids, cid)],
        ))
    return cards
