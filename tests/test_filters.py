"""URL parameters <-> filters: stable names, forgiving parsing, defaults left out."""

from __future__ import annotations

from datetime import date

import pytest

from crossings.page.textsafe import markdown_text
from crossings.view.filters import Filters, crossing_choices, parse_query, to_query, window_for
from crossings.view.tables import safe_link

IDS = ["torkham", "chaman", "ghulam-khan"]


def test_round_trip_of_a_shared_view() -> None:
    params = {"crossing": ["chaman", "torkham"], "from": ["2025-02-01"], "to": ["2025-03-31"],
              "as_of": ["2025-04-01"], "status": ["closed"]}
    filters, warnings = parse_query(params, IDS)
    assert warnings == []
    assert filters == Filters(("torkham", "chaman"), date(2025, 2, 1), date(2025, 3, 31), date(2025, 4, 1),
                              ("closed",))
    assert to_query(filters, IDS) == {"crossing": ["torkham", "chaman"], "from": ["2025-02-01"],
                                      "to": ["2025-03-31"], "as_of": ["2025-04-01"], "status": ["closed"]}


def test_defaults_stay_out_of_the_url() -> None:
    assert to_query(Filters(tuple(IDS), None, None, None, ("open", "closed", "restricted", "unknown")), IDS) == {}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"crossing": ["atlantis"]}, "unknown crossing 'atlantis'"),
        ({"from": ["2025-02-30"]}, "from='2025-02-30'"),
        ({"to": ["31/03/2025"]}, "to='31/03/2025'"),
        ({"as_of": ["x" * 10_000]}, "as_of='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'"),
        ({"from": ["2025-03-02"], "to": ["2025-03-01"]}, "the window starts after it ends"),
        ({"status": ["open", "shut"]}, "unknown status 'shut'"),
    ],
)
def test_bad_values_warn_and_fall_back(params: dict, fragment: str) -> None:
    filters, warnings = parse_query(params, IDS)
    assert len(warnings) == 1 and fragment in warnings[0]
    assert len(warnings[0]) < 200
    # every bad date falls back to its default (None), and so does a reversed window
    assert (filters.window_from, filters.window_to, filters.as_of) == (None, None, None)
    assert filters.crossing_ids == () and filters.statuses in ((), ("open",))


def test_reversed_widget_window_falls_back() -> None:
    window, warning = window_for(Filters(window_from=date(2025, 5, 1), window_to=date(2025, 4, 1)),
                                 date(2016, 1, 1), date(2025, 6, 1))
    assert warning and (window.start, window.end) == (date(2016, 1, 1), date(2025, 6, 1))


def test_markdown_text_is_inert() -> None:
    escaped = markdown_text("[click](javascript:alert(1)) <b>x</b> :red[y] $z$")
    assert "](" not in escaped and "<b>" not in escaped and ":red[" not in escaped and "$z$" not in escaped


@pytest.mark.parametrize(("url", "ok"), [("https://dawn.com/x", True), ("http://a.b", True),
                                          ("javascript:alert(1)", False), ("file:///etc/passwd", False),
                                          ("data:text/html,x", False), ("", False)])
def test_only_http_links(url: str, ok: bool) -> None:
    assert (safe_link(url) == url) is ok


def test_the_crossings_filter_lists_what_a_browser_can_draw() -> None:
    every = [f"c{n}" for n in range(10)]
    assert crossing_choices(every, every, [], limit=10) == (every, None)
    listed, note = crossing_choices(every, every, [], limit=4)
    assert listed == [] and note is not None and note.startswith("10 crossings are too many to list")
    # a border narrows the list; what is already chosen (from a URL, or the map) stays listed, in file order
    assert crossing_choices(every, ["c7", "c2"], [], limit=4) == (["c7", "c2"], None)
    assert crossing_choices(every, ["c7", "c2"], ["c9", "c1"], limit=4) == (["c1", "c2", "c7", "c9"], None)
    assert crossing_choices(every, every, ["c5"], limit=4)[0] == ["c5"]


def test_many_unknown_values_are_named_five_and_counted_in_the_pages_language() -> None:
    from crossings.view.filters import parse_strictly
    from crossings.view.i18n import translator

    asked = {"crossing": [f"nowhere-{n}" for n in range(7)]}
    _, english = parse_query(asked, ["torkham"])
    assert english == ["Ignored unknown crossing 'nowhere-0', 'nowhere-1', 'nowhere-2', 'nowhere-3', 'nowhere-4' "
                       "and 2 more."]
    _, dari = parse_query(asked, ["torkham"], words=translator("fa-AF"))
    assert dari[0].startswith("نادیده گرفته شد: گذرگاه ناشناخته 'nowhere-0'") and "و ۲ مورد دیگر" in dari[0]
    # the API's reason stays English whatever the page's language
    _, problems = parse_strictly(asked, ["torkham"], words=translator("fa-AF"))
    assert problems[0].reason == english[0].removeprefix("Ignored ")
