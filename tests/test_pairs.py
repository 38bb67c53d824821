"""Every second copy of a rule held to its plain one on random data (hypothesis): which interval rows a filter
shows, which interval covers a day, what moves on a day, which agreements stand on a day or overlap a window."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import covering_intervals, matching_ids, traffic_statuses

from crossings.core.commitments import IN_FORCE, RECENTLY_EXPIRED_DAYS, Commitment, CommitmentIndex, commitment_state
from crossings.core.days import Window
from crossings.core.records import STATUSES, TRAFFIC_KINDS
from crossings.core.traffic import access_by_kind, with_access
from crossings.view.indexes import IntervalIndex

BASE = date(2020, 1, 1)
IDS = ["a", "b", "c"]
CROSSINGS = pd.DataFrame({"crossing_id": IDS, "name": [f"Crossing {c}" for c in IDS], "country_a": ["PK", "PK", "IR"],
                          "country_b": ["AF", "AF", "AF"]})


@st.composite
def intervals(draw: st.DrawFn) -> pd.DataFrame:
    """Full interval rows, never overlapping within a crossing: chains with gaps, the last maybe ongoing."""
    rows = []
    for cid in IDS:
        day = draw(st.integers(0, 10))
        for n in range(draw(st.integers(0, 5))):
            length = draw(st.integers(1, 20))
            status = draw(st.sampled_from(STATUSES))
            lists: dict[str, list[str]] = {"moves": [], "limited": [], "barred": []}
            if status == "restricted":
                for kind in TRAFFIC_KINDS:
                    named = draw(st.sampled_from([None, "moves", "limited", "barred"]))
                    if named:
                        lists[named].append(kind)
            ongoing = draw(st.integers(0, 4)) == 0
            rows.append({"interval_id": f"{cid}-{n}", "crossing_id": cid, "status": status,
                         "start_date": BASE + timedelta(day),
                         "end_date": None if ongoing else BASE + timedelta(day + length), **lists,
                         "detail": None, "cause": None, "source_ids": [], "notes": None})
            if ongoing:
                break
            day += length + draw(st.integers(0, 4))
    rows = [rows[n] for n in draw(st.permutations(range(len(rows))))]  # in any order, as a caller may give them
    return pd.DataFrame(rows, columns=["interval_id", "crossing_id", "status", "start_date", "end_date", "moves",
                                       "limited", "barred", "detail", "cause", "source_ids", "notes"], dtype=object)


def index_of(rows: pd.DataFrame) -> IntervalIndex:
    return IntervalIndex(with_access(rows), CROSSINGS)


@settings(max_examples=200, deadline=None)
@given(rows=intervals(), first=st.integers(0, 80), length=st.integers(0, 40), as_of=st.integers(0, 120),
       chosen=st.sets(st.sampled_from(IDS), min_size=1), statuses=st.sets(st.sampled_from(STATUSES), min_size=1),
       traffic=st.sampled_from([None, *TRAFFIC_KINDS]))
def test_matching_equals_the_plain_window_filter(rows: pd.DataFrame, first: int, length: int, as_of: int,
                                                 chosen: set[str], statuses: set[str], traffic: str | None) -> None:
    window = Window(BASE + timedelta(first), BASE + timedelta(first + length))
    day = BASE + timedelta(as_of)
    index = index_of(rows)
    found = index.matching(window, day, sorted(chosen), sorted(statuses), traffic)
    wanted = matching_ids(rows, window, day, sorted(chosen), sorted(statuses), traffic)
    assert set(index.interval_id[found]) == wanted
    assert list(found) == sorted(found)
    # the tables' order: crossings in file order, then by start
    shown = rows[rows["interval_id"].isin(sorted(wanted))]
    shown = shown.assign(place=[IDS.index(c) for c in shown["crossing_id"]])
    assert list(index.interval_id[found]) == list(shown.sort_values(["place", "start_date"])["interval_id"])


@settings(max_examples=200, deadline=None)
@given(rows=intervals(), as_of=st.integers(0, 120))
def test_covering_and_what_moves_equal_the_plain_rules(rows: pd.DataFrame, as_of: int) -> None:
    """The interval covering a day (its first day included, its end day excluded) and each kind's status under
    it, from the index's arrays, equal the rule applied row by row."""
    day = BASE + timedelta(as_of)
    index = index_of(rows)
    covering = covering_intervals(rows, IDS, day)
    assert index.covering(IDS, day) == covering
    by_id = rows.set_index("interval_id")
    expected = {cid: traffic_statuses(None if iid is None else by_id.loc[iid, "status"],
                                      {} if iid is None else access_by_kind(by_id.loc[iid]))
                for cid, iid in covering.items()}
    assert index.traffic_on(IDS, day) == expected


MORATORIA = pd.DataFrame(columns=["moratorium_id", "subject", "crossing_ids", "start_date", "valid_until", "ended_on",
                                  "end_source_ids", "agreement_id", "source_ids"], dtype=object)


@st.composite
def agreements(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for n in range(draw(st.integers(0, 12))):
        start = draw(st.one_of(st.none(), st.integers(0, 60)))
        until = draw(st.one_of(st.none(), st.integers(0, 90)))
        ended = draw(st.one_of(st.none(), st.integers(0, 90)))
        rows.append({"agreement_id": f"g{n}", "title": f"Agreement {n}", "kind": "ceasefire",
                     "parties": draw(st.sampled_from(["Pakistan;Afghanistan", "Iran;Afghanistan", "Atlantis", ""])),
                     "signed_on": None, "effective_from": None if start is None else BASE + timedelta(start),
                     "valid_until": None if until is None else BASE + timedelta(until),
                     "ended_on": None if ended is None else BASE + timedelta(ended),
                     "end_source_ids": [] if ended is None else ["s1"],
                     "crossing_ids": draw(st.lists(st.sampled_from(IDS), unique=True, max_size=2)), "source_ids": []})
    return pd.DataFrame(rows, columns=["agreement_id", "title", "kind", "parties", "signed_on", "effective_from",
                                       "valid_until", "ended_on", "end_source_ids", "crossing_ids", "source_ids"],
                        dtype=object), MORATORIA


@settings(max_examples=200, deadline=None)
@given(tables=agreements(), as_of=st.integers(-5, 100), chosen=st.sets(st.sampled_from(IDS), min_size=1),
       first=st.integers(-5, 80), length=st.integers(0, 40), limit=st.integers(1, 5))
def test_the_commitment_index_equals_the_state_of_each_row(tables: tuple[pd.DataFrame, pd.DataFrame], as_of: int,
                                                          chosen: set[str], first: int, length: int,
                                                          limit: int) -> None:
    """standing_on's vectorised mask equals commitment_state row by row (in force, or expired or ended within
    RECENTLY_EXPIRED_DAYS, an end counting only from its day); overlapping chooses the crossings before its limit
    and counts them all."""
    agreements_, moratoria = tables
    index = CommitmentIndex(agreements_, moratoria, CROSSINGS)
    day = BASE + timedelta(as_of)
    every = index.all_on(day)
    covers = {c.item_id for c in every if not chosen.isdisjoint(c.covered)}
    standing = set()
    ends = dict(zip(agreements_["agreement_id"], agreements_["ended_on"], strict=True))
    for item in every:
        known = ends[item.item_id] if ends[item.item_id] is not None and ends[item.item_id] <= day else None
        assert item.ended == known  # an end shows only on or after its day
        state, left = commitment_state(item.start, item.until, day, known)
        assert (state, left) == (item.state, item.days_left)
        # the last day in force: the term's last day or the day before a reported end, whichever is first
        last = min([d for d in (item.until, None if known is None else known - timedelta(1)) if d is not None],
                   default=None)
        if state == IN_FORCE and known is None and ends[item.item_id] is not None:
            assert item.days_left is None or item.until is not None  # a countdown only to a term
        recently = last is not None and day - timedelta(RECENTLY_EXPIRED_DAYS) <= last < day
        if state == IN_FORCE or recently:
            standing.add(item.item_id)
    assert {c.item_id for c in index.standing_on(day, sorted(chosen))} == standing & covers
    window = Window(BASE + timedelta(first), BASE + timedelta(first + length))
    last = window.through(day)
    def last_day(c: Commitment) -> date | None:
        ends_before = None if c.ended is None else c.ended - timedelta(1)
        return min([d for d in (c.until, ends_before) if d is not None], default=None)

    overlaps = [c.item_id for c in every if c.item_id in covers and (c.start is None or c.start <= last)
                and (last_day(c) is None or last_day(c) >= window.start)]
    found, total = index.overlapping(window, day, sorted(chosen), limit=limit)
    assert [c.item_id for c in found] == overlaps[:limit] and total == len(overlaps)


def test_no_known_party_means_every_crossing() -> None:
    """An agreement naming no crossing whose parties name no known country covers every crossing; one known
    party, every crossing of that country; two, the border between them."""
    parties = ["Atlantis;Lemuria", "Iran", "Pakistan;Afghanistan"]
    rows = pd.DataFrame([{"agreement_id": f"g{n}", "title": "t", "kind": "other", "parties": who, "signed_on": BASE,
                          "effective_from": None, "valid_until": None, "ended_on": None, "end_source_ids": [],
                          "crossing_ids": [], "source_ids": []}
                         for n, who in enumerate(parties)], dtype=object)
    moratoria = MORATORIA
    covered = {c.item_id: c.covered for c in CommitmentIndex(rows, moratoria, CROSSINGS).all_on(BASE)}
    assert covered == {"g0": IDS, "g1": ["c"], "g2": ["a", "b"]}
    assert np.array_equal(CommitmentIndex(rows, moratoria, CROSSINGS).covering_any(["c"]), [True, True, False])
