"""What the browser tests share (tests/test_browser*.py): one Chromium and one served curated store per
pytest worker (session scope), the fixtures that open pages, and the helpers that wait and point as a user
would. Needs Debian's Chromium (/usr/bin/chromium) and the playwright package; nothing is downloaded.
Without them the tests are skipped with a note on how to install them, except under CI
(CI=true), where a skip would hide a broken set-up and so fails instead.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA, REPO, run_cli

from bench import serve

CHROMIUM, CHROMIUM_FLAGS, TIMELINE = serve.CHROMIUM, serve.CHROMIUM_FLAGS, serve.TIMELINE
HOW_TO_INSTALL = "install Chromium with `apt-get install -y chromium` and `pip install -r requirements-dev.txt`"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", REPO / "test-results"))

try:
    from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine: the fixtures skip (or fail under CI)
    sync_playwright = None
    Browser = BrowserContext = Page = Route = expect = None  # type: ignore[assignment,misc]

__all__ = [
    "CROSSINGS",
    "KINDS",
    "PLACED",
    "SCREENSHOTS",
    "TIMELINE",
    "Browser",
    "BrowserContext",
    "Page",
    "Route",
    "app",
    "browser",
    "browser_page",
    "cli_summary",
    "curated_url",
    "expect",
    "full_page_screenshot",
    "lane_labels",
    "point_at",
    "settle",
    "streamlit_server",
    "visit",
]


def _require_browser() -> None:
    missing = []
    if sync_playwright is None:
        missing.append("the playwright package")
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium at {CHROMIUM}")
    if missing:
        message = f"browser tests need {' and '.join(missing)}: {HOW_TO_INSTALL}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run these tests, not skip them)")
        pytest.skip(message)


@contextlib.contextmanager
def streamlit_server(database_url: str) -> Iterator[str]:
    """The README's `streamlit run app.py` against `database_url`, its log beside the store."""
    with serve.streamlit_server(database_url, Path(database_url.removeprefix("sqlite:///")).with_suffix(".log")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    _require_browser()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def curated_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'store.db'}"
    code, _, err = run_cli(["load", "--data", str(DATA), "--db", url])
    assert code == 0, err
    return url


@pytest.fixture(scope="session")
def app(browser: Browser, curated_url: str) -> Iterator[str]:
    with streamlit_server(curated_url) as url:
        yield url


@pytest.fixture
def browser_page(browser: Browser) -> Iterator[Page]:
    """A new page in a new context (a new viewer); the browser tests call it `page` (conftest's `page` is
    the AppTest one)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def settle(page: Page) -> None:
    """Wait the way Streamlit's own tests do: connected, script not running, no skeletons."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=60_000)
    page.wait_for_timeout(300)  # let a rerun that a widget or the URL started begin
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)
    expect(page.locator("[data-testid=stSkeleton]")).to_have_count(0, timeout=60_000)


def visit(page: Page, url: str) -> Page:
    page.goto(url)
    settle(page)
    return page


def lane_labels(page: Page) -> list[str]:
    return page.locator(f"{TIMELINE} .ytick text").evaluate_all("els => els.map(e => e.textContent)")


def point_at(page: Page, element) -> None:
    """Move the mouse over an element's centre, as a person would (Plotly's drag layer sits on top)."""
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box, "the element is not drawn"
    page.mouse.move(box["x"] + 1, box["y"] + 1)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)


def cli_summary(db: str, *args: str) -> str:
    code, out, err = run_cli(["summary", *args, "--db", db])
    assert code == 0, err
    return out


KINDS = ("trade", "transit", "aid", "travellers", "returnees")
CROSSINGS = (DATA / "crossings.csv").read_text(encoding="utf-8").count("\n") - 1  # 22: every land crossing
PLACED = 10  # crossings with sourced coordinates (the others are listed under the map)


def full_page_screenshot(page: Page, path: Path) -> None:
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    width = page.viewport_size["width"] if page.viewport_size else 1400
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(path), full_page=True)
