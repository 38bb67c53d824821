"""End to end in Chromium, continued: hostile data stays text, a phone screen, the API and the feed beside
the page on one port with nothing leaving the machine, and the map. Fixtures and helpers in tests/browsing.py."""

from __future__ import annotations

import contextlib
import re
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from browsing import (
    CROSSINGS,
    KINDS,
    PLACED,
    SCREENSHOTS,
    TIMELINE,
    Browser,
    Page,
    Route,
    expect,
    full_page_screenshot,
    point_at,
    settle,
    streamlit_server,
    visit,
)
from conftest import DATA, append_row, edit_cell, run_cli

CROSSING_IDS = [line.split(",", 1)[0] for line in (DATA / "crossings.csv").read_text(encoding="utf-8").splitlines()[1:]]


@pytest.fixture
def page(browser_page: Page) -> Page:
    return browser_page


@pytest.fixture(scope="module")
def hostile_app(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    data = folder / "data"
    shutil.copytree(DATA, data)
    edit_cell(data, "crossings", "torkham", "name", "<script>alert(1)</script>")
    edit_cell(data, "crossings", "chaman", "side_b_name", "<img src=x onerror=alert(1)>")
    edit_cell(data, "status_intervals", "torkham-2025-03-22", "detail", "[click](javascript:alert(1))")
    edit_cell(data, "status_intervals", "torkham-2025-02-21", "cause", "<img src=x onerror=alert(2)>")
    append_row(data, "sources", {"source_id": "evil", "title": "<script>alert(3)</script>",
                                "published_on": "2025-03-22"})  # the row's reported_on
    edit_cell(data, "status_intervals", "torkham-2025-03-22", "source_ids", "evil")
    url = f"sqlite:///{folder / 'hostile.db'}"
    code, _, err = run_cli(["load", "--data", str(data), "--db", url])
    assert code == 0, err
    with streamlit_server(url) as served:
        yield served


def test_hostile_data_stays_text(hostile_app: str, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    visit(page, f"{hostile_app}/?as_of=2025-04-01&from=2025-02-01")
    main = page.locator("[data-testid=stMain]")
    expect(main.get_by_text("<script>alert(1)</script>").first).to_be_visible()
    expect(main.get_by_text("[click](javascript:alert(1))", exact=False).first).to_be_visible()
    assert main.locator("a[href^='javascript']").count() == 0
    assert page.locator("img[src=x]").count() == 0
    bars = page.locator(f"{TIMELINE} .barlayer .point path")
    for i in range(min(bars.count(), 12)):
        point_at(page, bars.nth(i))
    page.wait_for_timeout(500)
    assert dialogs == []


def test_phone_screen_stacks_cards_without_overflow(app: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    try:
        visit(phone, f"{app}/?as_of=2025-04-01")
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        main_overflow = phone.evaluate(
            "() => { const m = document.querySelector('[data-testid=stMain]'); return m.scrollWidth - m.clientWidth; }")
        assert main_overflow <= 0
        badges = phone.locator("[data-testid=stMain] .stMarkdownBadge")
        boxes = [badges.nth(i).bounding_box() for i in range(badges.count())
                 if not badges.nth(i).inner_text().strip().startswith(KINDS)]
        assert len(boxes) == CROSSINGS and all(boxes)
        lefts = {round(b["x"]) for b in boxes if b}
        assert len(lefts) == 1, f"cards side by side on a phone: {boxes}"
        tops = [b["y"] for b in boxes if b]
        assert tops == sorted(tops) and len(set(tops)) == CROSSINGS  # one above the other
        SCREENSHOTS.mkdir(exist_ok=True)
        full_page_screenshot(phone, SCREENSHOTS / "dashboard-phone-full.png")
    finally:
        context.close()


def test_page_api_and_feed_answer_from_one_port_and_nothing_leaves_the_machine(app: str, browser: Browser) -> None:
    """The README's server: the page, /api/v1/status and /feed.atom on the same port; every request the
    browser makes to anywhere but this machine is aborted and recorded, and there must be none."""
    with local_page(browser, viewport={"width": 1400, "height": 1000}) as page:
        visit(page, app)
        expect(page.locator("[data-testid=stPlotlyChart] svg.main-svg").first).to_be_visible()
        status = page.request.get(f"{app}/api/v1/status?crossing=torkham&as_of=2025-04-01")
        assert status.ok and status.json()["crossings"][0]["status_since"] == "2025-03-22"
        feed = page.request.get(f"{app}/feed.atom")
        assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
        assert b"<feed" in feed.body()
        assert page.request.get(f"{app}/_stcore/metrics").status == 404


@contextlib.contextmanager
def local_page(browser: Browser, **options: object) -> Iterator[Page]:
    """A new viewer's page (a new context with these options) whose every request to anywhere but this machine
    is aborted and recorded; on leaving, the context is closed and there must have been none."""
    context = browser.new_context(**options)
    outside: list[str] = []

    def route(route: Route) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost", "::1") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert outside == [], outside


def test_the_map_draws_offline_and_a_marker_narrows_the_page(app: str, browser: Browser) -> None:
    with local_page(browser, viewport={"width": 1400, "height": 1000}) as page:
        visit(page, f"{app}/?as_of=2025-12-20")
        geo = page.locator("[data-testid=stPlotlyChart]").filter(has=page.locator(".geo")).first
        geo.scroll_into_view_if_needed()
        # the outlines came from the app's own static/ folder: country borders and land are drawn
        expect(geo.locator(".geo .countries path, .geo .land path").first).to_be_attached(timeout=30_000)
        assert geo.locator(".geo path").count() >= 2
        points = geo.locator(".scattergeo .point")
        expect(points).to_have_count(PLACED)  # Torkham, Chaman, Angoor Adda, Arandu, Islam Qala, Milak, ...
        label = geo.locator(".scattergeo text", has_text="Torkham").first.bounding_box()
        assert label is not None
        # Torkham's marker: the point nearest under its label
        boxes = [b for b in (points.nth(i).bounding_box() for i in range(PLACED)) if b]
        marker = min(boxes, key=lambda b: abs(b["x"] + b["width"] / 2 - label["x"] - label["width"] / 2)
                     + abs(b["y"] - label["y"] - label["height"]))
        # a box drawn around it selects it (the map's drag mode is box selection)
        page.mouse.move(marker["x"] - 12, marker["y"] - 12)
        page.mouse.down()
        page.mouse.move(marker["x"] + marker["width"] + 12, marker["y"] + marker["height"] + 12, steps=8)
        page.mouse.up()
        page.wait_for_function("() => window.location.search.includes('crossing=torkham')", timeout=30_000)
        settle(page)
        badges = page.locator("[data-testid=stMain] .stMarkdownBadge").all_inner_texts()
        assert len([b for b in badges if not b.strip().startswith(KINDS)]) == 1  # one card: Torkham's
        assert "crossing=chaman" not in page.url


def test_the_map_fits_a_phone_screen(app: str, browser: Browser) -> None:
    with local_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True) as phone:
        visit(phone, f"{app}/?as_of=2025-12-20")
        geo = phone.locator("[data-testid=stPlotlyChart]").filter(has=phone.locator(".geo")).first
        geo.scroll_into_view_if_needed()
        expect(geo.locator(".scattergeo .point")).to_have_count(PLACED)
        box = geo.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0


# Board rows whose name, status word and five kinds of traffic are all inside the window, unscrolled.
ROWS_IN_VIEW = """() => {
    const inside = el => { const b = el.getBoundingClientRect();
        return b.width > 0 && b.top >= 0 && b.left >= 0 && b.bottom <= window.innerHeight
            && b.right <= window.innerWidth; };
    return [...document.querySelectorAll('[data-testid=stMain] tr.xb-row')].filter(row =>
        inside(row.querySelector('.xb-name')) && inside(row.querySelector('.xb-word'))
        && [...row.querySelectorAll('.xb-k')].filter(inside).length === 5).map(row => row.dataset.crossing);
}"""


@pytest.mark.parametrize(("width", "height", "phone", "least"), [(1400, 900, False, 10), (400, 850, True, 5)])
def test_the_first_screen_answers_what_can_cross_where(app: str, browser: Browser, width: int, height: int,
                                                       phone: bool, least: int) -> None:
    """The status board under the title: without scrolling, at least 10 crossings on a desktop screen and 5 on a
    phone show their status word and what moves, most urgent first."""
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    try:
        visit(page, app)
        page.wait_for_timeout(500)
        assert page.evaluate("() => window.scrollY") == 0
        seen = page.evaluate(ROWS_IN_VIEW)
        print(f"{width}x{height}: {len(seen)} crossings on the first screen")
        assert len(seen) >= least, seen
        # the board has a row per crossing, and those seen are its first rows (nothing above them is cut off)
        board = page.locator("[data-testid=stMain] tr.xb-row").evaluate_all("rows => rows.map(r => r.dataset.crossing)")
        assert sorted(board) == sorted(CROSSING_IDS) and seen == board[:len(seen)]
        words = page.locator("[data-testid=stMain] tr.xb-row .xb-word").all_inner_texts()
        assert set(words) <= {"open", "closed", "restricted", "unknown"}
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / ("dashboard-phone.png" if phone else "dashboard.png")))
    finally:
        context.close()


def test_the_board_reads_at_200_percent_zoom(app: str, browser: Browser) -> None:
    """A 1400 x 900 screen zoomed to 200% is 700 x 450 CSS pixels at twice the density: the board wraps each row
    (every mark then names its kind), nothing is cut off or needs a sideways scroll, and the text is full size."""
    context = browser.new_context(viewport={"width": 700, "height": 450}, device_scale_factor=2)
    page = context.new_page()
    try:
        visit(page, f"{app}/?as_of=2025-12-20")
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        main = page.locator("[data-testid=stMain]").bounding_box()
        rows = page.locator("[data-testid=stMain] tr.xb-row")
        assert rows.count() == CROSSINGS
        for i in range(rows.count()):
            box = rows.nth(i).bounding_box()
            assert box and main and box["x"] >= main["x"] and box["x"] + box["width"] <= main["x"] + main["width"]
        assert page.locator("tr.xb-row .xb-label").first.is_visible()  # "trade ✗", not a bare mark
        size = page.locator("tr.xb-row .xb-name").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 13
        expect(page.locator("tr.xb-row[data-crossing=torkham] .xb-word")).to_have_text("restricted")
    finally:
        context.close()


def test_the_lite_page_shows_without_script_and_prints_on_one_a4_sheet(app: str, browser: Browser) -> None:
    """/lite in a browser with JavaScript off: every crossing's row, no request but the page itself, and the print
    stylesheet puts the curated data on one A4 sheet."""
    context = browser.new_context(viewport={"width": 1000, "height": 900}, java_script_enabled=False)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    try:
        answer = page.goto(f"{app}/lite?as_of=2025-12-20")
        assert answer is not None and answer.status == 200
        rows = page.locator("tr.xb-row")
        expect(rows).to_have_count(CROSSINGS)
        expect(page.locator("tr.xb-row[data-crossing=torkham] .xb-word")).to_have_text("restricted")
        assert requests == [f"{app}/lite?as_of=2025-12-20"]  # no style sheet, font, image or script fetched
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "lite.png"), full_page=True)
        # one A4 sheet: Chromium's print of the page (print media, A4, the stylesheet's margins)
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
        # and its link to the full page opens the page on the same filter
        page.get_by_role("link", name="The full page").click()
        assert page.url == f"{app}/?as_of=2025-12-20"
    finally:
        context.close()


FONT_URL = "app/static/fonts/NotoNaskhArabic-Regular.ttf"
NAMES_IN_THEIR_LANGUAGE = {"fa-AF": "وضعیت گذرگاه‌های مرزی", "ps": "د پولې د دروازو حالت",
                           "ur": "سرحدی گزرگاہوں کی صورتحال"}


@pytest.mark.parametrize("lang", ["fa-AF", "ps", "ur"])
def test_the_board_right_to_left_on_a_phone_with_the_font_served_here(app: str, browser: Browser, lang: str) -> None:
    """On a phone, the page's status board and /lite in Dari, Pashto and Urdu: right to left with the language's tag,
    nothing wider than the screen, the Arabic-script font loaded from this server and nothing from elsewhere."""
    with local_page(browser, viewport={"width": 400, "height": 850}, is_mobile=True, has_touch=True) as page:
        fonts: list[str] = []
        page.context.on("requestfinished", lambda request: fonts.append(request.url) if ".ttf" in request.url else None)
        visit(page, f"{app}/?as_of=2025-12-20&lang={lang}")
        board = page.locator(f'[data-testid=stMain] .xb[dir=rtl][lang="{lang}"]')
        expect(board).to_have_count(1)
        assert board.evaluate("e => getComputedStyle(e).direction") == "rtl"
        expect(page.locator(".xb-head h1")).to_have_text(NAMES_IN_THEIR_LANGUAGE[lang])
        rows = board.locator("tr.xb-row")
        assert rows.count() == CROSSINGS
        # the row's first cell (the name) stands at the right, its colour bar on the right edge
        name, row = rows.first.locator(".xb-name").bounding_box(), rows.first.bounding_box()
        assert name and row and name["x"] + name["width"] > row["x"] + row["width"] / 2
        assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        page.wait_for_function("() => document.fonts.check('16px \"Noto Naskh Arabic\"', 'ب')")
        assert f"{app}/{FONT_URL}" in fonts
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{lang}.png"))
        lite = page.goto(f"{app}/lite?as_of=2025-12-20&lang={lang}")
        assert lite is not None and lite.status == 200
        assert page.evaluate("() => [document.documentElement.dir, document.documentElement.lang]") == ["rtl", lang]
        expect(page.locator("tr.xb-row")).to_have_count(CROSSINGS)
        assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        page.wait_for_function("() => document.fonts.check('16px \"Noto Naskh Arabic\"', 'ب')")
        page.screenshot(path=str(SCREENSHOTS / f"lite-{lang}.png"))
