"""Status cards and commitments: what a card says about a crossing on a date."""

from __future__ import annotations

from datetime import date

import pytest

from crossings.core.commitments import commitments
from crossings.core.days import Window
from crossings.page.cards import Card, crossing_cards
from db.engine import make_engine
from db.queries import read_all

D = date.fromisoformat


@pytest.fixture
def store(curated_store: str) -> dict:
    with make_engine(curated_store).connect() as connection:
        return read_all(connection)


def cards_on(store: dict, as_of: str, start: str = "2025-01-01", end: str | None = None) -> dict[str, Card]:
    window = Window(D(start), D(end or as_of))
    cards = crossing_cards(store["crossings"], store["status_intervals"], store["agreements"], store["moratoria"],
                           store["sources"], window, D(as_of))
    return {c.crossing_id: c for c in cards}


def test_torkham_card_on_2025_04_01(store: dict) -> None:
    card = cards_on(store, "2025-04-01")["torkham"]
    assert card.status_text == "open since 2025-03-22 (11 days)"
    assert card.last_closure == "closed 2025-02-21, reopened 2025-03-19 (26 days)"
    assert (card.closures, card.closed_days) == (1, 26)
    assert card.newest_source == D("2025-03-19") and not card.stale
    texts = [c.text for c in card.commitments]
    assert "ceasefire in force until 2025-04-15, 14 days left" in texts
    assert "moratorium in force since 2025-03-19, no end date" in texts
    assert card.sides == "Torkham"
    assert card.places == "PK: Torkham (Khyber Pakhtunkhwa) · AF: Torkham (Nangarhar (Momand Dara))"


def test_chaman_card_shows_both_sides_and_unknown(store: dict) -> None:
    card = cards_on(store, "2025-04-01")["chaman"]
    assert card.sides == "Chaman / Spin Boldak"
    assert card.places == "PK: Chaman (Balochistan) · AF: Spin Boldak (Kandahar)"
    assert card.status == "unknown" and card.status_text.startswith("unknown")
    assert card.stale


def test_countdown_and_expiry(store: dict) -> None:
    last_day = cards_on(store, "2025-04-15")["torkham"]
    assert "ceasefire in force until 2025-04-15, last day" in [c.text for c in last_day.commitments]
    after = cards_on(store, "2025-04-20")["torkham"]
    assert "ceasefire expired 2025-04-15" in [c.text for c in after.commitments]


def test_ongoing_closure_and_unreported_reopening(store: dict) -> None:
    assert cards_on(store, "2025-03-01")["torkham"].last_closure == "closed since 2025-02-21 (9 days so far)"
    chaman = cards_on(store, "2022-01-01", start="2021-01-01")["chaman"]
    assert chaman.last_closure == (
        "closed 2021-08-06, last reported closed 2021-08-06 (1 day on record; reopening not reported)")


def test_whole_border_agreements_cover_every_crossing_of_their_border(store: dict) -> None:
    cards = cards_on(store, "2025-10-16", start="2025-10-01")
    pakistan = set(store["crossings"].query("country_a == 'PK' or country_b == 'PK'")["crossing_id"])
    assert len(pakistan) == 8 and len(cards) > 8
    for cid, card in cards.items():
        has = "ceasefire in force until 2025-10-18, 2 days left" in [c.text for c in card.commitments]
        assert has == (cid in pakistan), cid  # the truce's parties are Pakistan and Afghanistan


def test_commitment_states(store: dict) -> None:
    states = {c.item_id: c.state for c in commitments(store["agreements"], store["moratoria"], store["crossings"],
                                                      D("2025-04-01"))}
    assert states["aptta"] == "expired"
    assert states["torkham-round-the-clock"] == "in force"
    assert states["joint-jirga-2025-03-17"] == "in force"
    assert states["flag-meeting-ceasefire-2025-03-19"] == "in force"
    assert states["doha-ceasefire-2025-10-19"] == "not yet in force"


@pytest.mark.parametrize("as_of", ["2017-03-05", "2025-04-01", "2025-12-31", "2026-11-27"])
def test_cards_from_the_page_indexes_equal_cards_from_the_whole_store(store: dict, curated_store: str, as_of: str
                                                                     ) -> None:
    """The page builds cards from indexes over the intervals' numbers, the text of the current
    intervals only, and the summary it drew for all crossings: the same cards as from everything."""
    from crossings.core.commitments import CommitmentIndex
    from crossings.core.days import StatusRuns, current_status, summary_table
    from crossings.core.sources import SourceDates
    from db.queries import interval_sources, interval_spans, read_table

    window, day = Window(D("2017-01-01"), D(as_of)), D(as_of)
    expected = crossing_cards(store["crossings"], store["status_intervals"], store["agreements"], store["moratoria"],
                              store["sources"], window, day)
    with make_engine(curated_store).connect() as connection:
        runs = StatusRuns(interval_spans(connection))
        source_dates = SourceDates(interval_sources(connection), store["sources"])
        drawn = store["crossings"].iloc[[5, 0, 2]].reset_index(drop=True)  # a page shows some, in its order
        current = [i for i in current_status(runs, list(drawn["crossing_id"]), day)["interval_id"] if i]
        texts = read_table(connection, "status_intervals", row_ids=current)
    summary = summary_table(store["crossings"], runs, window, day)
    newest = source_dates.newest(list(store["crossings"]["crossing_id"]), day)
    cards = crossing_cards(drawn, texts, store["agreements"], store["moratoria"], store["sources"], window, day,
                           runs=runs, source_dates=source_dates,
                           commitment_index=CommitmentIndex(store["agreements"], store["moratoria"],
                                                            store["crossings"]),
                           summary=summary, newest=newest)
    by_id = {c.crossing_id: c for c in expected}
    assert cards == [by_id[c] for c in drawn["crossing_id"]]
    assert len(texts) == len(current)
