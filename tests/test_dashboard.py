"""The page, run for real with AppTest against a store in tmp_path."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from conftest import DATA, REPO, board_rows, clear_caches, record_downloads, run_cli
from streamlit.testing.v1 import AppTest


def shown(markdown: str) -> str:
    """What a reader sees of a Markdown source: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def timelines(at: AppTest) -> list:
    """The page's timeline charts (the map is a chart too)."""
    return [c for c in at.get("plotly_chart") if "scattergeo" not in c.proto.spec]


def page_text(at: AppTest) -> str:
    return "\n".join(shown(m.value) for m in at.markdown)


def open_page(at: AppTest, **params: str | list[str]) -> AppTest:
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


CROSSINGS = (DATA / "crossings.csv").read_text(encoding="utf-8").count("\n") - 1  # every crossing in data/


def card_titles(at: AppTest) -> list[str]:
    return [shown(m.value).split("\n")[0].strip("* ") for m in at.markdown if m.value.startswith("**")
            and "·" in m.value]


def test_page_runs_on_curated_data_with_default_filters(page: AppTest) -> None:
    at = open_page(page)
    titles = card_titles(at)
    assert len(titles) == CROSSINGS == 22  # every land crossing of Afghanistan, most urgent first
    assert titles[:4] == ["Ghulam Khan", "Angoor Adda", "Kharlachi", "Nawa Pass"]  # closed, stale, fresh first
    assert {"Torkham", "Islam Qala / Dogharoun", "Hairatan / Termez"} <= set(titles)
    assert "Khaf–Herat railway: Rozanak / Shamtigh" in titles  # a name, then both sides when they differ
    assert len(timelines(at)) == 1
    assert not at.warning
    assert "Newest report 2026-04-08" in page_text(at)


def test_torkham_card_shows_the_curated_facts(page: AppTest) -> None:
    at = open_page(page, crossing="torkham", as_of="2025-04-01")
    text = page_text(at)
    assert card_titles(at) == ["Torkham"]
    assert "open since 2025-03-22 (11 days)" in text
    assert "Last closure: closed 2025-02-21, reopened 2025-03-19 (26 days)" in text
    assert "ceasefire in force until 2025-04-15, 14 days left" in text
    assert "Last reported 2025-03-22; carried forward 10 days" in text and "**stale**" not in text
    # the status as a word in a coloured badge: never colour alone
    badges = [re.findall(r":\w+-badge\[[^\]]*\]", m.value) for m in at.markdown if "-badge[" in m.value]
    assert badges == [[":green-badge[:material/check_circle: open]", ":green-badge[trade open]",
                       ":green-badge[transit open]", ":green-badge[aid open]", ":green-badge[travellers open]",
                       ":green-badge[returnees open]"]]


def test_unknown_is_not_open(page: AppTest) -> None:
    at = open_page(page, crossing="badini", as_of="2025-04-01")
    text = page_text(at)
    assert "unknown: no report covers this date" in text and "open since" not in text
    assert "**stale** (no report for more than 30 days)" in text
    badges = [re.findall(r":\w+-badge\[[^\]]*\]", m.value) for m in at.markdown if "-badge[" in m.value]
    kinds = ("trade", "transit", "aid", "travellers", "returnees")
    assert badges == [[":gray-badge[:material/help: unknown]", *(f":gray-badge[{k} unknown]" for k in kinds)]]


@pytest.mark.parametrize(
    ("widget", "value", "param", "expected"),
    [
        ("f_crossings", ["torkham"], {"crossing": "torkham"}, lambda at: card_titles(at) == ["Torkham"]),
        ("f_from", date(2025, 2, 1), {"from": "2025-02-01"},
         lambda at: at.dataframe[0].value["start_date"].min() <= "2025-02-01" < at.dataframe[0].value[
             "start_date"].max()),
        ("f_as_of", date(2025, 3, 1), {"as_of": "2025-03-01"},
         lambda at: "closed since 2025-02-21 (9 days)" in page_text(at)),
        ("f_statuses", ["closed"], {"status": "closed"},
         lambda at: set(at.dataframe[0].value["status"]) == {"closed"}),
    ],
)
def test_each_filter_changes_the_view_and_the_url(page: AppTest, widget: str, value, param: dict, expected) -> None:
    at = open_page(page, as_of="2025-04-01")
    before = (page_text(at), at.dataframe[0].value.shape)
    if widget.startswith("f_crossings") or widget == "f_statuses":
        at.multiselect(key=widget).set_value(value).run()
    else:
        at.date_input(key=widget).set_value(value).run()
    assert not at.exception
    assert (page_text(at), at.dataframe[0].value.shape) != before
    assert expected(at)
    for name, wanted in param.items():
        assert at.query_params[name] == wanted


def test_query_parameters_restore_a_view(page: AppTest) -> None:
    at = open_page(page, crossing="torkham", **{"from": "2025-02-01", "to": "2025-03-31", "as_of": "2025-04-01"})
    assert at.multiselect(key="f_crossings").value == ["torkham"]
    assert at.date_input(key="f_from").value == date(2025, 2, 1)
    assert "window 2025-02-01 to 2025-03-31" in page_text(at)
    assert "In the window (2025-02-01 to 2025-03-31): 1 closure, 26 closed days" in page_text(at)
    intervals = at.dataframe[0].value
    assert list(intervals["status"]) == ["open", "closed", "restricted", "open"]


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"crossing": "atlantis"}, "Ignored unknown crossing 'atlantis'"),
        ({"from": "2025-13-01"}, "Ignored from='2025-13-01'"),
        ({"as_of": "yesterday"}, "Ignored as_of='yesterday'"),
        ({"from": "2025-03-01", "to": "2025-02-01"}, "the window starts after it ends"),
        ({"status": "shut"}, "Ignored unknown status 'shut'"),
        ({"crossing": "x' OR '1'='1; DROP TABLE crossings; --"}, "Ignored unknown crossing"),
        ({"crossing": "ü" * 10_000}, "Ignored unknown crossing"),
    ],
)
def test_bad_parameters_warn_and_fall_back(page: AppTest, params: dict, warning: str) -> None:
    at = open_page(page, **params)
    warnings = [shown(w.value) for w in at.warning]
    assert any(warning in w for w in warnings), warnings
    assert all(len(w) < 300 for w in warnings)
    assert len(card_titles(at)) == CROSSINGS  # defaults: every crossing


def test_empty_window_shows_an_empty_state(page: AppTest) -> None:
    at = open_page(page, **{"from": "2009-01-01", "to": "2009-12-31", "as_of": "2025-04-01"})
    assert any("Nothing is recorded" in i.value for i in at.info)
    assert len(timelines(at)) == 0


def test_summary_download_equals_the_cli(page: AppTest, curated_store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    offered = record_downloads(monkeypatch)
    at = open_page(page, crossing=["torkham", "chaman"], **{"from": "2025-02-01", "to": "2025-03-31",
                                                             "as_of": "2025-04-01"})
    code, out, _ = run_cli(["summary", "--crossing", "torkham", "--crossing", "chaman", "--from", "2025-02-01",
                            "--to", "2025-03-31", "--as-of", "2025-04-01", "--db", curated_store])
    assert code == 0
    assert offered["crossing-summary_2025-02-01_2025-03-31.csv"] == out.encode()
    # The intervals file is written only when clicked (the browser test downloads it).
    assert [b.label for b in at.get("download_button")] == ["Download summary (CSV)", "Download intervals (CSV)"]


def test_the_page_does_not_write_to_the_store(page: AppTest, curated_store: str) -> None:
    from conftest import checksums

    before = checksums(curated_store)
    at = open_page(page, as_of="2025-04-01")
    at.multiselect(key="f_crossings").set_value(["chaman"]).run()
    at.date_input(key="f_to").set_value(date(2025, 1, 1)).run()
    assert checksums(curated_store) == before


def test_the_map_places_each_sourced_crossing_by_status_with_local_outlines(page: AppTest) -> None:
    import json

    at = open_page(page, as_of="2025-12-20")
    (chart,) = [c for c in at.get("plotly_chart") if "scattergeo" in c.proto.spec]
    figure = json.loads(chart.proto.spec)
    markers = {cid: trace["name"] for trace in figure["data"] for cid, _ in trace["customdata"]}
    # one marker per crossing with coordinates in data/crossings.csv, grouped by its status that day
    assert markers == {"torkham": "restricted", "chaman": "restricted", "angoor-adda": "closed", "arandu": "unknown",
                       "islam-qala": "restricted", "zaranj-milak": "restricted", "torghundi": "unknown",
                       "aqina": "unknown", "hairatan": "open", "sher-khan-bandar": "unknown"}
    assert all(trace["type"] == "scattergeo" for trace in figure["data"])
    # ten markers: each named beside it (beyond MAX_LABELS only the hover names them)
    labels = {text for trace in figure["data"] for text in trace["text"]}
    assert "Torkham" in labels and all(trace["mode"] == "markers+text" for trace in figure["data"])
    assert json.loads(chart.proto.config)["topojsonURL"] == "app/static/topojson/"
    assert (REPO / "static" / "topojson" / "asia_50m.json").stat().st_size > 100_000
    assert len(chart.proto.spec) < 200_000  # the map stays light
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "Not placed: Ghulam Khan (No usable coordinates" in captions and "Nawa Pass (No coordinates" in captions


def test_nothing_after_the_as_of_date_leaks_onto_the_page(page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The newcomer's case: Torkham, the first half of 2025, as of 1 April. No date after 1 April may show
    anywhere (cards, tables, chart hovers, downloads), except the window's end the reader asked for and an
    agreement's valid_until, a term known when it was agreed."""
    import json

    offered = record_downloads(monkeypatch)
    at = open_page(page, crossing="torkham", **{"from": "2025-01-01", "to": "2025-06-30", "as_of": "2025-04-01"})
    terms = {d for v in at.dataframe[1].value["until"] if v for d in (v, (date.fromisoformat(v)
                                                                        + timedelta(days=1)).isoformat())}
    allowed = {"2025-06-30", "2025-07-01", *terms}  # the window's end (and the axis a day past it)
    texts = [page_text(at), *(shown(c.value) for c in at.caption)]
    texts += [frame.value.to_csv() for frame in at.dataframe]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        texts += [json.dumps(trace.get("customdata", "")) for trace in spec["data"]]
    texts += [data.decode() for data in offered.values()]
    found = {d for text in texts for d in re.findall(r"\b20\d\d-\d\d-\d\d\b", text)}
    assert {d for d in found if d > "2025-04-01"} <= allowed, sorted(d for d in found if d > "2025-04-01")
    intervals = at.dataframe[0].value.set_index("interval_id")
    assert intervals.loc["torkham-2025-03-22", "end_date"] == ""  # still running on 1 April: no end yet
    assert intervals.loc["torkham-2025-03-22", "days"] == 11


def test_empty_values_show_as_empty_cells_and_border_wide_commitments_once(page: AppTest) -> None:
    at = open_page(page, as_of="2025-12-20")
    for frame in at.dataframe:
        assert not (frame.value.astype(str) == "None").any().any()
        assert not frame.value.isna().any().any()
    text = page_text(at)
    # the Doha ceasefire names no crossing: it is shown once, above the cards, not on each card
    assert text.count("Doha ceasefire") == 1
    assert "Agreements and moratoria of a whole border" in text
    assert "(the whole Afghanistan–Pakistan border)" in text
    assert "Newest report 2025-12-20, the as-of date." in text  # ILNA on the flooded Islam Qala parking
    assert "1 closure," in text or "closures," in text
    assert "closure(s)" not in text and "day(s)" not in text


def test_with_more_crossings_than_a_list_can_show_the_filter_lists_a_borders_crossings(
        page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond MAX_CROSSING_CHOICES the Crossings filter starts empty (all crossings) instead of a chip per
    crossing, and lists the crossings of the borders chosen; a URL's crossings stay chosen."""
    import crossings.view.filters

    monkeypatch.setattr(crossings.view.filters, "MAX_CROSSING_CHOICES", 5)
    page.run()
    assert not page.exception
    picker = page.multiselect(key="f_crossings")
    assert picker.value == [] and picker.options == []
    assert any("22 crossings are too many to list here" in c.value for c in page.sidebar.caption)
    assert len([m for m in page.markdown if "-badge[" in m.value]) >= 22  # every crossing still has its card
    page.multiselect(key="f_countries").set_value(["UZ"]).run()
    picker = page.multiselect(key="f_crossings")
    assert picker.options == ["Hairatan / Termez"] and not any("too many" in c.value for c in page.sidebar.caption)
    picker.set_value(["hairatan"]).run()
    assert page.query_params["crossing"] == "hairatan"  # AppTest gives a single value bare


def test_viewers_of_one_view_share_its_work_not_their_warnings(page: AppTest) -> None:
    """The plan and view are kept per store version, filter and day and shared by sessions; what a session's
    own URL got wrong is warned about in that session only, and the shared view is the one it would build."""
    warned = open_page(page, to="2025-13-40")
    assert any("2025-13-40" in shown(w.value) for w in warned.warning)
    clean = open_page(AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60))
    assert not clean.exception and not clean.warning
    assert page_text(clean) == page_text(warned)
    assert [c.proto.spec for c in clean.get("plotly_chart")] == [c.proto.spec for c in warned.get("plotly_chart")]


def test_a_kept_view_counts_every_event_but_holds_only_those_shown(page: AppTest,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import crossings.page.cache
    import crossings.view.plan
    import crossings.view.policy

    for module in (crossings.view.policy, crossings.view.plan, crossings.page.cache):  # each holds the name
        monkeypatch.setattr(module, "MAX_TABLE_ROWS", 5)
    at = open_page(page)
    events = len(DATA.joinpath("events.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert at.dataframe[2].value.shape[0] == 5
    assert any(f"The first 5 of {events} rows" in c.value for c in at.caption)
    again = open_page(AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60))  # the kept view
    assert again.dataframe[2].value.equals(at.dataframe[2].value)
    assert any(f"The first 5 of {events} rows" in c.value for c in again.caption)


def test_a_whole_borders_commitments_above_the_cards_are_capped_soonest_end_first(
        page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    import crossings.view.cards

    at = open_page(page, as_of="2025-12-20")
    every = next(m.value for m in at.markdown if "of a whole border" in m.value).count(":material/handshake:")
    assert every == 8  # the whole Afghanistan–Pakistan border's on that day: none left out below the cap
    monkeypatch.setattr(crossings.view.cards, "BORDER_WIDE_LISTED", 3)
    at = open_page(AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60), as_of="2025-12-20")
    line = next(shown(m.value) for m in at.markdown if "of a whole border" in m.value)
    assert line.count(":material/handshake:") == 3 and line.endswith("and 5 more in the table below")
    # the Doha ceasefire had no term agreed: no countdown (its end, 2026-02-27, was not known on 2025-12-20)
    assert "Doha ceasefire" in line and "left" not in line and "2026-02" not in line


def test_the_agreements_table_keeps_the_chosen_crossings_rows_before_its_cap(
        page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cap applies to the chosen crossings' agreements, and the caption counts them all: with a cap of 3,
    Islam Qala's first 3 of its 5 (the rows of the Pakistan border come first in the file and are not its)."""
    import crossings.page.cache
    import crossings.view.plan
    import crossings.view.policy

    for module in (crossings.view.policy, crossings.view.plan, crossings.page.cache):
        monkeypatch.setattr(module, "MAX_TABLE_ROWS", 3)
    at = open_page(page, crossing="islam-qala", as_of="2026-01-01")
    table = at.dataframe[1].value
    assert list(table["id"]) == ["chabahar-agreement-2016", "chabahar-transit-protocol-2018",
                                 "iran-taliban-understandings-2021"]
    assert "standing" not in table.columns
    assert any("The first 3 of 5 rows" in c.value for c in at.caption)


def test_only_what_was_reported_by_the_as_of_date(page: AppTest) -> None:
    """The checkbox puts known_by (the as-of date) in the URL and the page counts only what had been reported:
    Torkham on 2023-09-10 was still open as known then. A bad known_by warns and falls back."""
    at = open_page(page, crossing="torkham", as_of="2023-09-10")
    assert "closed since 2023-09-06" in page_text(at)
    at.checkbox(key="f_known").check().run()
    assert at.query_params["known_by"] == "2023-09-10"
    assert "open since 2023-02-25" in page_text(at) and "only what was reported by 2023-09-10" in page_text(at)
    bad = open_page(AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60), known_by="2023-02-30")
    assert any("known_by" in shown(w.value) for w in bad.warning) and not bad.checkbox(key="f_known").value


def card_badges(at: AppTest) -> dict[str, tuple[str, dict[str, str]]]:
    """Each card's status word and each kind's status, by its title's name (as the board names it)."""
    found = {}
    for m in at.markdown:
        if m.value.startswith("**") and "-badge[" in m.value:
            name = shown(m.value).split("\n")[0].strip("* ").split(": ")[0]
            badges = re.findall(r":\w+-badge\[([^\]]*)\]", shown(m.value))
            kinds = dict(b.split(" ") for b in badges[1:])
            found[name] = (badges[0].split(" ")[-1], kinds)
    return found


def test_the_board_comes_first_and_says_what_the_cards_say(page: AppTest) -> None:
    """Under the title line, before anything else: a row per crossing with the status word, since and what moves,
    grouped by border, each border where its most urgent crossing stands; each row says what its card says."""
    at = open_page(page, as_of="2025-12-20")
    elements = list(at.main.children.values())
    assert [type(e).__name__ for e in elements[:3]] == ["Title", "Markdown", "Html"]
    markup = elements[2].proto.body
    rows = board_rows(markup)
    assert len(rows) == CROSSINGS
    cards = card_badges(at)
    assert {row.name: (row.status, row.kinds) for row in rows.values()} == cards
    assert rows["torkham"] == ("Torkham", "restricted", {"trade": "closed", "transit": "closed", "aid": "open",
                                                         "travellers": "closed", "returnees": "open"}, False)
    assert rows["badini"].stale and rows["badini"].status == "unknown"
    assert "since 2025-11-01, 50 days" in markup  # Torkham's
    # grouped by border: Pakistan's closed crossings first, the borders in the order of their most urgent crossing
    assert list(rows)[:4] == ["ghulam-khan", "angoor-adda", "kharlachi", "nawa-pass"]
    borders = re.findall(r'scope="rowgroup">([^<]*) · ', markup)
    assert borders == ["Afghanistan–Pakistan", "Afghanistan–Iran", "Afghanistan–Turkmenistan",
                       "Afghanistan–Tajikistan", "Afghanistan–Uzbekistan"]


def test_with_a_kind_of_traffic_the_board_answers_for_it_first(page: AppTest) -> None:
    at = open_page(page, as_of="2025-12-20", traffic="aid")
    markup = at.get("html")[0].proto.body
    answer = re.search(r'<p class="xb-answer">(.*?)</p>', markup)
    assert answer is not None
    assert answer.group(1).split("<br>") == [
        "<strong>Aid can cross at: Torkham, Chaman / Spin Boldak, Hairatan / Termez.</strong>",
        "Barred at: Ghulam Khan, Angoor Adda, Kharlachi, Nawa Pass.",
        "No report on aid at 15 crossings."]
    assert markup.index("xb-answer") < markup.index("xb-row")  # the answer, then the rows
    assert board_rows(markup)["torkham"].status == "open"  # aid's status, as the card's
    assert "Status (aid)" in markup


def test_cards_keep_the_answer_visible_and_the_rest_one_click_away(page: AppTest) -> None:
    """Status, since, kinds and the stale mark on the card; the window's counts, the last closure and the
    agreements in its details; a whole border's agreements behind one line with their count."""
    at = open_page(page, crossing="torkham", **{"from": "2025-02-01", "to": "2025-03-31", "as_of": "2025-04-01"})
    card = next(m.value for m in at.markdown if m.value.startswith("**"))
    assert "open since 2025\\-03\\-22 \\(11 days\\)" in card and "returnees open" in card
    assert "Last reported" in card and "In the window" not in card and "Last closure" not in card
    (details,) = [e for e in at.expander if e.label.startswith("Closures in the window")]
    assert details.label == "Closures in the window, last closure, agreements and moratoria (5)"
    inside = shown(details.markdown[0].value)
    assert inside.startswith("In the window (2025-02-01 to 2025-03-31): 1 closure, 26 closed days")
    assert "Last closure: closed 2025-02-21, reopened 2025-03-19 (26 days)" in inside
    assert "ceasefire in force until 2025-04-15, 14 days left" in inside
    whole = next(e for e in at.expander if "of a whole border" in e.label)
    assert whole.label.endswith("Agreements and moratoria of a whole border: 3")
    assert "(the whole Afghanistan–Pakistan border)" in shown(whole.markdown[0].value)


def test_a_change_of_window_reuses_the_status_board_which_equals_one_built_afresh(
        page: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The board says each crossing's status on the as-of date: a change of the window reuses the kept board (its
    key names all it depends on), and that board is the one a new process would build for the new window."""
    import crossings.page.cache

    built = []
    real = crossings.page.cache.plan_board
    monkeypatch.setattr(crossings.page.cache, "plan_board", lambda *a, **k: built.append(1) or real(*a, **k))

    def board(at: AppTest) -> str:
        return next(e.proto.body for e in at.main.children.values() if type(e).__name__ == "Html")

    at = open_page(page, as_of="2025-12-20", **{"from": "2025-01-01"})
    assert len(built) == 1
    at.date_input(key="f_from").set_value(date(2025, 6, 1)).run()
    assert not at.exception and len(built) == 1  # the same board, not built again
    kept = board(at)
    clear_caches()
    fresh = open_page(AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60), as_of="2025-12-20",
                      **{"from": "2025-06-01"})
    assert len(built) == 2 and board(fresh) == kept
    fresh.date_input(key="f_as_of").set_value(date(2025, 4, 1)).run()  # another day: built again
    assert not fresh.exception and len(built) == 3 and board(fresh) != kept
    fresh.multiselect(key="f_statuses").set_value(["closed"]).run()  # other crossings shown: built again
    assert not fresh.exception and len(built) == 4
    assert {row.status for row in board_rows(board(fresh)).values()} == {"closed"}
