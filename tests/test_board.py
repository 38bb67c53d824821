"""The status board (crossings/view/board.py): rows from the cards, grouped by border in urgency order, the
answer for a kind of traffic, and each crossing's last report with its sources."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from crossings.core.sources import SourceDates
from crossings.view.board import KindAnswer, newest_reports, plan_board, since_text, status_board
from crossings.view.cards import StatusLine
from crossings.view.filters import Filters
from crossings.view.plan import plan_cards, plan_view
from crossings.view.store import Content, interval_rows, read_store

D = date.fromisoformat
KINDS = ("trade", "transit", "aid", "travellers", "returnees")
NEW_YEAR = date(2025, 1, 1)


@pytest.fixture
def content(curated_store: str) -> Content:
    return read_store(curated_store)


def line(cid: str, status: str, kinds: dict[str, str] | None = None, stale: bool = False,
         since: date | None = NEW_YEAR, days: int = 3) -> StatusLine:
    return StatusLine(crossing_id=cid, name=cid.title(), status=status, since=since, days=days, detail=None,
                      cause=None, kind_statuses=kinds or dict.fromkeys(KINDS, status), kind=None,
                      newest_source=since, stale=stale, carried_forward=0)


CROSSINGS = pd.DataFrame({"crossing_id": ["a", "b", "c", "d"], "country_a": ["PK", "IR", "PK", "UZ"],
                          "country_b": ["AF", "AF", "AF", "AF"]})


def test_rows_keep_the_given_order_within_a_border_and_borders_stand_where_their_first_crossing_does() -> None:
    lines = [line("b", "closed"), line("c", "restricted"), line("a", "open", stale=True), line("d", "open")]
    board = status_board(lines, CROSSINGS, None)
    assert [(g.border, [r.crossing_id for r in g.rows]) for g in board.groups] == [
        ("Afghanistan–Iran", ["b"]), ("Afghanistan–Pakistan", ["c", "a"]), ("Afghanistan–Uzbekistan", ["d"])]
    a = board.rows[2]
    assert (a.name, a.status, a.stale, a.since_text) == ("A", "open", True, "since 2025-01-01, 3 days")
    assert [(k.label, k.mark) for k in a.kinds] == [("trade", "✓"), ("transit", "✓"), ("aid", "✓"),
                                                    ("travel", "✓"), ("return", "✓")]
    assert board.answer is None and board.left_out == 0


@pytest.mark.parametrize(("status", "days", "expected"), [
    ("open", 1, "since 2025-01-01, 1 day"),
    ("closed", 26, "since 2025-01-01, 26 days"),
    ("unknown", 0, "no report covers this date"),
])
def test_since_text(status: str, days: int, expected: str) -> None:
    assert since_text(line("a", status, days=days, since=None if status == "unknown" else D("2025-01-01"))) == expected


def test_a_kinds_answer_names_where_it_can_cross_first() -> None:
    lines = [line("b", "closed"), line("c", "restricted"), line("a", "open"), line("d", "unknown", since=None)]
    board = status_board(lines, CROSSINGS, "aid")
    assert board.answer == KindAnswer("aid", ["A"], ["C"], ["B"], ["D"])
    assert board.answer.sentences() == ["Aid can cross at: A.", "Limited at: C.", "Barred at: B.",
                                      "No report on aid at 1 crossing."]
    assert KindAnswer("trade", [], [], ["B"], []).sentences() == ["Trade can cross at none of these crossings.",
                                                                "Barred at: B."]


def test_the_newest_report_is_cut_at_the_as_of_date_and_only_http_links_are_kept() -> None:
    sources = pd.DataFrame({"source_id": ["s1", "s2", "s3", "s4"], "publisher": ["P", None, "Q", "R"],
                            "title": ["One", "Two", "Three", "Four"],
                            "published_on": [D("2025-01-01"), D("2025-02-01"), D("2025-02-01"), D("2025-03-01")],
                            "url": ["https://a.example/1", "javascript:alert(1)", "http://c.example/3",
                                    "https://d.example/4"]}, dtype=object)
    cited = pd.DataFrame({"crossing_id": ["a", "a", "a", "a", "b"], "source_id": ["s1", "s2", "s3", "s4", "s1"]})
    found = newest_reports(SourceDates(cited, sources), sources, ["a", "b", "c"], D("2025-02-15"))
    assert {cid: [(r.label, r.url) for r in reports] for cid, reports in found.items()} == {
        "a": [("Two (2025-02-01)", None), ("Q: Three (2025-02-01)", "http://c.example/3")],  # both of that day
        "b": [("P: One (2025-01-01)", "https://a.example/1")],
    }
    assert "c" not in found  # no report


def test_the_board_is_the_plans_cards(content: Content) -> None:
    """plan_board's rows are plan_cards' status lines (the API's), for the crossings the plan shows, most urgent
    first; its limit leaves the rest out and counts them."""
    filters = Filters(as_of=D("2025-12-20"), statuses=("closed", "restricted"))
    plan = plan_view(content.tables, content.indexes, filters, D("2026-01-01"))
    read = lambda ids: interval_rows(content, ids)  # noqa: E731
    board = plan_board(plan, content.tables, content.indexes, read, limit=5)
    cards = {c.crossing_id: c for c in plan_cards(plan, content.tables, content.indexes, plan.crossing_ids, read)}
    assert {r.crossing_id for r in board.rows} == set(plan.shown_by_urgency[:5])
    assert board.left_out == len(plan.shown_by_urgency) - 5 > 0
    for row in board.rows:
        card = cards[row.crossing_id]
        assert (row.status, row.stale, row.last_report) == (card.status, card.stale, card.newest_source)
        assert {k.kind: k.status for k in row.kinds} == card.kind_statuses
        assert row.status in ("closed", "restricted")
