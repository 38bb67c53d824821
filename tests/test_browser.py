"""End to end in Chromium: the real app, driven as a user would: the page, its filters, the window, the
download and the hover (tests/test_browser_more.py: hostile data, a phone, the API beside the page, the map).
Fixtures and helpers in tests/browsing.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsing import (
    CROSSINGS,
    KINDS,
    SCREENSHOTS,
    TIMELINE,
    Browser,
    Page,
    cli_summary,
    expect,
    full_page_screenshot,
    lane_labels,
    point_at,
    settle,
    visit,
)


@pytest.fixture
def page(browser_page: Page) -> Page:
    return browser_page


def test_open_the_page(app: str, page: Page) -> None:
    visit(page, app)
    main = page.locator("[data-testid=stMain]")
    for name in ["Torkham", "Chaman / Spin Boldak", "Ghulam Khan", "Angoor Adda", "Kharlachi", "Badini", "Arandu",
                 "Nawa Pass", "Islam Qala / Dogharoun", "Aqina / Imamnazar", "Ishkashim"]:
        expect(main.get_by_text(name, exact=True).first).to_be_visible()
    badges = main.locator(".stMarkdownBadge").all_inner_texts()
    status_badges = [b for b in badges if not b.strip().startswith(KINDS)]
    words = [re.search(r"(open|closed|restricted|unknown)$", b.strip()) for b in status_badges]
    assert len(status_badges) == CROSSINGS and all(words), badges
    # and each card's five kinds of traffic, each a word with its status
    kind_badges = [b.strip() for b in badges if b.strip().startswith(KINDS)]
    assert len(kind_badges) == CROSSINGS * 5
    assert all(re.fullmatch(r"(trade|transit|aid|travellers|returnees) (open|closed|restricted|unknown)", b)
               for b in kind_badges), kind_badges
    # the dates in use stand beside the empty date inputs (defaults stay out of the URL)
    expect(page.locator("[data-testid=stSidebar]").get_by_text(re.compile(r"In use: from \d{4}-\d\d-\d\d to \d{4}"))
           ).to_be_visible()
    assert "from=" not in page.url and "as_of=" not in page.url
    chart = page.locator("[data-testid=stPlotlyChart]")
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    assert chart.locator(".barlayer .point path").count() > 40
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stAlertContentError]").count() == 0
    SCREENSHOTS.mkdir(exist_ok=True)
    full_page_screenshot(page, SCREENSHOTS / "dashboard-full.png")


def pick_only_torkham(page: Page) -> None:
    crossings = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    for name in ["Chaman / Spin Boldak", "Ghulam Khan", "Angoor Adda", "Kharlachi", "Badini", "Arandu", "Nawa Pass"]:
        crossings.get_by_role("button", name=f"Remove {name}").click()
        settle(page)


def test_filter_by_crossing_and_share_the_url(app: str, page: Page, browser: Browser) -> None:
    visit(page, f"{app}/?as_of=2025-04-01")
    pick_only_torkham(page)
    expect(page).to_have_url(re.compile(r"[?&]crossing=torkham(&|$)"))
    lanes = lane_labels(page)
    assert "Torkham" in lanes
    assert not set(lanes) & {"Chaman / Spin Boldak", "Ghulam Khan", "Angoor Adda", "Kharlachi", "Badini", "Arandu",
                             "Nawa Pass"}
    main = page.locator("[data-testid=stMain]")
    expect(main.get_by_text("Chaman / Spin Boldak", exact=True)).to_have_count(0)
    shared = page.url
    # 3. the same URL in a new page shows the same filtered view
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        visit(other, shared)
        assert sorted(lane_labels(other)) == sorted(lanes)
        expect(other.locator("[data-testid=stMain]").get_by_text("Chaman / Spin Boldak", exact=True)).to_have_count(0)
        expect(other.locator("[data-testid=stMain]").get_by_text("open since 2025-03-22 (11 days)")).to_be_visible()
    finally:
        other.context.close()


def type_date(page: Page, label: str, iso: str) -> None:
    year, month, day = iso.split("-")
    field = page.locator("[data-testid=stSidebar]").get_by_role("group", name=label, exact=True)
    field.locator("[role=spinbutton]").first.click()
    page.keyboard.type(year + month + day)
    page.keyboard.press("Tab")
    page.locator("h1").first.click()
    settle(page)


def test_date_window_matches_the_cli(app: str, page: Page, curated_url: str) -> None:
    visit(page, f"{app}/?crossing=torkham&as_of=2025-04-01")
    type_date(page, "From", "2025-02-01")
    type_date(page, "To", "2025-03-31")
    expect(page).to_have_url(re.compile(r"from=2025-02-01.*to=2025-03-31|to=2025-03-31.*from=2025-02-01"))
    row = cli_summary(curated_url, "--crossing", "torkham", "--from", "2025-02-01", "--to", "2025-03-31",
                      "--as-of", "2025-04-01").splitlines()[1].split(",")
    closures, closed_days = row[4], row[5]
    plural = "" if closures == "1" else "s"
    open_card_details(page)  # the one card, Torkham's
    expect(page.locator("[data-testid=stMain]").get_by_text(
        f"In the window (2025-02-01 to 2025-03-31): {closures} closure{plural}, {closed_days} closed days")
    ).to_be_visible()
    assert closed_days == "26"


def open_card_details(page: Page, index: int = 0) -> None:
    """Open a card's details (the window's counts, the last closure, the agreements): the first card's by default."""
    page.locator("[data-testid=stMain] [data-testid=stExpander] summary").filter(
        has_text="Closures in the window").nth(index).click()
    settle(page)


def test_download_summary_equals_the_cli(app: str, page: Page, curated_url: str) -> None:
    visit(page, f"{app}/?crossing=torkham&crossing=chaman&from=2025-02-01&to=2025-03-31&as_of=2025-04-01")
    with page.expect_download() as arriving:
        page.get_by_role("button", name="Download summary (CSV)").click()
    download = arriving.value
    assert download.suggested_filename == "crossing-summary_2025-02-01_2025-03-31.csv"
    expected = cli_summary(curated_url, "--crossing", "torkham", "--crossing", "chaman", "--from", "2025-02-01",
                           "--to", "2025-03-31", "--as-of", "2025-04-01")
    assert Path(download.path()).read_bytes() == expected.encode()


def test_hover_a_closure_bar(app: str, page: Page) -> None:
    visit(page, f"{app}/?crossing=torkham&from=2025-02-01&to=2025-03-31&as_of=2025-04-01")
    # the closed bar is in the "closed" colour (#D55E00), in two parts: its first day, 21 February, carried
    # forward from the report of 16 August 2024 (drawn lighter), and the rest, reported on 22 February
    bars = page.locator(f"{TIMELINE} .barlayer .point path")
    closed = [bars.nth(i) for i in range(bars.count()) if "213, 94, 0" in (bars.nth(i).get_attribute("style") or "")]
    assert len(closed) == 2
    carried, reported = sorted(closed, key=lambda bar: (bar.bounding_box() or {"width": 0})["width"])
    point_at(page, reported)
    tooltip = page.locator(f"{TIMELINE} .hoverlayer")
    expect(tooltip).to_contain_text("2025-02-21")
    expect(tooltip).to_contain_text("2025-03-19")
    expect(tooltip).to_contain_text("26 days")
    expect(tooltip).to_contain_text("PTI via The Week")
    expect(tooltip).not_to_contain_text("carried forward")
    assert "opacity: 0.4" in (carried.get_attribute("style") or "")
    # the months before it, open with no report between 16 August 2024 and 22 February 2025: lighter from
    # 16 September (31 days after the report), and the hover says since when
    visit(page, f"{app}/?crossing=torkham&from=2024-10-01&to=2025-01-31&as_of=2025-04-01")
    bars = page.locator(f"{TIMELINE} .barlayer .point path")
    styles = [bars.nth(i).get_attribute("style") or "" for i in range(bars.count())]
    # lighter, in the "open" colour (#009E73)
    lighter = [bars.nth(i) for i, style in enumerate(styles) if "opacity: 0.4" in style and "0, 158, 115" in style]
    assert len(lighter) == 1
    point_at(page, lighter[0])
    expect(tooltip).to_contain_text("carried forward 188 days since 2024-08-16")
    expect(tooltip).to_contain_text("from 2024-08-15 until 2025-02-21")
