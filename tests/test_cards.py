"""Status cards and commitments: what a card says about a crossing on a date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from oracles import plain_cards

from crossings.core.commitments import CommitmentIndex
from crossings.core.days import Window, summary_table
from crossings.view.cards import Card, covering_ids, crossing_cards
from crossings.view.store import Content, interval_rows, read_store
from db.engine import make_engine
from db.queries import read_all

D = date.fromisoformat


@pytest.fixture
def store(curated_store: str) -> dict:
    with make_engine(curated_store).connect() as connection:
        return read_all(connection)


@pytest.fixture
def content(curated_store: str) -> Content:
    return read_store(curated_store)


def product_cards(content: Content, window: Window, as_of: date, kind: str | None = None,
                  crossing_ids: list[str] | None = None) -> list[Card]:
    """Cards as the page and the API build them: from the store's indexes and the covering rows' text."""
    crossings = content.tables["crossings"]
    ids = crossing_ids or list(crossings["crossing_id"])
    chosen = crossings.set_index("crossing_id").loc[ids].reset_index()
    summary = summary_table(crossings, content.indexes.runs_for(kind), window, as_of, content.indexes.source_dates)
    newest = content.indexes.source_dates.newest(list(crossings["crossing_id"]), as_of)
    texts = interval_rows(content, covering_ids(content.indexes.intervals, ids, as_of))
    return crossing_cards(chosen, texts, content.indexes, window, as_of, summary, newest, kind)


@pytest.fixture
def cards_on(content: Content) -> Callable[..., dict[str, Card]]:
    def cards(as_of: str, start: str = "2025-01-01", end: str | None = None) -> dict[str, Card]:
        return {c.crossing_id: c for c in product_cards(content, Window(D(start), D(end or as_of)), D(as_of))}
    return cards


def test_torkham_card_on_2025_04_01(cards_on) -> None:
    card = cards_on("2025-04-01")["torkham"]
    assert card.status_text == "open since 2025-03-22 (11 days)"
    assert card.last_closure == "closed 2025-02-21, reopened 2025-03-19 (26 days)"
    assert (card.closures, card.closed_days) == (1, 26)
    assert card.newest_source == D("2025-03-22") and not card.stale  # Pajhwok on the pedestrians' reopening
    texts = [c.text for c in card.commitments]
    assert "ceasefire in force until 2025-04-15, 14 days left" in texts
    assert "moratorium in force since 2025-03-19, no end date" in texts
    assert card.sides == "Torkham"
    assert card.places == "PK: Torkham (Khyber Pakhtunkhwa) · AF: Torkham (Nangarhar (Momand Dara))"


def test_chaman_card_shows_both_sides_and_unknown(cards_on) -> None:
    card = cards_on("2025-04-01")["chaman"]
    assert card.sides == "Chaman / Spin Boldak"
    assert card.places == "PK: Chaman (Balochistan) · AF: Spin Boldak (Kandahar)"
    assert card.status == "unknown" and card.status_text.startswith("unknown")
    assert card.stale


def test_countdown_and_expiry(cards_on) -> None:
    last_day = cards_on("2025-04-15")["torkham"]
    assert "ceasefire in force until 2025-04-15, last day" in [c.text for c in last_day.commitments]
    after = cards_on("2025-04-20")["torkham"]
    assert "ceasefire expired 2025-04-15" in [c.text for c in after.commitments]


def test_ongoing_closure_and_unreported_reopening(cards_on) -> None:
    assert cards_on("2025-03-01")["torkham"].last_closure == "closed since 2025-02-21 (9 days so far)"
    # Chaman, 11 December 2022: closed after shelling; no stored report of the reopening (the next row is 2023)
    chaman = cards_on("2023-06-01", start="2022-01-01")["chaman"]
    assert chaman.last_closure == (
        "closed 2022-12-11, last reported closed 2022-12-11 (1 day on record; reopening not reported)")
    # 6 August 2021: the Taliban's closure, reopened on Friday 13 August (Profit): a reported reopening
    assert cards_on("2022-01-01", start="2021-01-01")["chaman"].last_closure == (
        "closed 2021-08-06, reopened 2021-08-13 (7 days)")


def test_whole_border_agreements_cover_every_crossing_of_their_border(store: dict, cards_on) -> None:
    cards = cards_on("2025-10-16", start="2025-10-01")
    pakistan = set(store["crossings"].query("country_a == 'PK' or country_b == 'PK'")["crossing_id"])
    assert len(pakistan) == 8 and len(cards) > 8
    for cid, card in cards.items():
        has = "ceasefire in force until 2025-10-17, 1 day left" in [c.text for c in card.commitments]
        assert has == (cid in pakistan), cid  # the truce's parties are Pakistan and Afghanistan


def test_commitment_states(store: dict) -> None:
    index = CommitmentIndex(store["agreements"], store["moratoria"], store["crossings"])
    states = {c.item_id: c.state for c in index.all_on(D("2025-04-01"))}
    assert states["aptta"] == "expired"
    assert states["torkham-round-the-clock"] == "in force"
    assert states["joint-jirga-2025-03-17"] == "in force"
    assert states["flag-meeting-ceasefire-2025-03-19"] == "in force"
    assert states["doha-ceasefire-2025-10-19"] == "not yet in force"


@pytest.mark.parametrize("kind", [None, "trade", "returnees"])
@pytest.mark.parametrize("as_of", ["2017-03-05", "2025-02-21", "2025-03-19", "2025-04-01", "2025-12-31",
                                   "2026-11-27"])
def test_cards_from_the_indexes_equal_cards_from_the_whole_store(store: dict, content: Content, as_of: str,
                                                                 kind: str | None) -> None:
    """The page and the API build cards from indexes over the intervals' numbers and the text of the current
    intervals only: the same cards as the plain rules over every row (tests/oracles.py), on reopening and
    closing days too, for the crossing as a whole and per kind."""
    window, day = Window(D("2017-01-01"), D(as_of)), D(as_of)
    expected = {c.crossing_id: c for c in plain_cards(store, window, day, kind)}
    drawn = list(store["crossings"]["crossing_id"].iloc[[5, 0, 2, 8, 12]])  # a page shows some, in its order
    cards = product_cards(content, window, day, kind, drawn)
    assert cards == [expected[c] for c in drawn]


def test_a_card_on_a_reopening_day_shows_the_reopening_rows_detail_and_kinds(cards_on) -> None:
    """2025-03-19 is the first day of `torkham-2025-03-19` (cargo moves, pedestrians barred): the card shows that
    row, not the closure that ended the day before, nor nothing."""
    card = cards_on("2025-03-19", start="2025-02-01")["torkham"]
    assert card.status == "restricted" and card.since == D("2025-03-19") and card.days == 1
    assert card.detail == "cargo only; critically ill patients also allowed; pedestrians barred"
    assert card.kind_statuses == {"trade": "open", "transit": "open", "aid": "unknown", "travellers": "closed",
                                  "returnees": "unknown"}


@pytest.mark.parametrize(("days", "stale"), [(0, False), (29, False), (30, False), (31, True), (400, True)])
def test_stale_means_more_than_thirty_days_without_a_report(days: int, stale: bool) -> None:
    """The boundary: a report 30 days before the as-of date is still current, 31 days is stale; with no dated
    report at all the status is stale."""
    from datetime import timedelta

    from crossings.core.sources import is_stale
    from crossings.view.cards import urgency_order

    as_of = D("2025-06-30")
    assert is_stale(as_of - timedelta(days), as_of) is stale
    assert is_stale(None, as_of)
    # the urgency order puts a stale open crossing before a current one
    order = urgency_order(["current", "maybe"], ["open", "open"],
                          {"current": as_of, "maybe": as_of - timedelta(days)}, as_of)
    assert order == (["maybe", "current"] if stale else ["current", "maybe"])


def test_a_countdown_counts_only_to_a_term_agreed_at_signing(cards_on) -> None:
    """The Doha ceasefire had no term: on 2025-12-20 it is in force with no countdown and no end (its end, on
    2026-02-27, was not known then); from that day on it shows its end. The 48-hour truce had a term."""
    def doha(as_of: str) -> list[str]:
        return [c.text for c in cards_on(as_of, start="2025-10-01")["torkham"].commitments
                if c.item_id == "doha-ceasefire-2025-10-19"]

    assert doha("2025-12-20") == ["ceasefire in force since 2025-10-19, no end date"]
    assert doha("2026-02-26") == ["ceasefire in force since 2025-10-19, no end date"]
    assert doha("2026-03-01") == ["ceasefire ended 2026-02-27"]
    truce = [c for c in cards_on("2025-10-16", start="2025-10-01")["torkham"].commitments
             if c.item_id == "truce-48h-2025-10-15"]
    assert [(c.text, c.days_left) for c in truce] == [("ceasefire in force until 2025-10-17, 1 day left", 1)]


def test_commitments_go_stale_and_a_closed_crossing_contradicts_round_the_clock(cards_on) -> None:
    """A commitment says when a source last confirmed it and is stale by the rule of a status; "open round the
    clock" at a closed Torkham says the crossing is closed rather than "in force"."""
    from crossings.view.cards import commitment_line

    def lines(as_of: str) -> dict[str, str]:
        card = cards_on(as_of)["torkham"]
        return {item.item_id: commitment_line(item, card) for item in card.commitments}

    closed = lines("2025-03-01")  # closed since 2025-02-21
    assert closed["torkham-round-the-clock"] == ("border management agreement from 2019-09-18, but the crossing is "
                                                 "closed on this date; no dated source confirms it (stale)")
    late = lines("2026-12-03")
    assert late["torkham-round-the-clock"].endswith("(stale)") and "in force" in late["torkham-round-the-clock"]
    assert late["disputed-construction-torkham-2025-03-17"] == (
        "moratorium in force since 2025-03-17, no end date; last confirmed by a source 2025-03-18 (stale)")
    fresh = lines("2025-04-01")
    assert fresh["disputed-construction-torkham-2025-03-17"] == (
        "moratorium in force since 2025-03-17, no end date; last confirmed by a source 2025-03-18")


@pytest.mark.parametrize(("days", "stale"), [(30, False), (31, True)])
def test_a_commitment_is_stale_after_more_than_thirty_days_without_a_source(store: dict, days: int,
                                                                            stale: bool) -> None:
    from datetime import timedelta

    index = CommitmentIndex(store["agreements"], store["moratoria"], store["crossings"], store["sources"])
    moratorium = next(c for c in index.all_on(D("2025-03-18") + timedelta(days))
                      if c.item_id == "disputed-construction-torkham-2025-03-17")
    assert moratorium.confirmed == D("2025-03-18") and moratorium.stale is stale
