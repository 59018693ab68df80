"""A real browser reads the demo paper in English and in Arabic.

What only a browser shows: the page's direction and the mirrored header, that
nothing is fetched from a third party, and what the page looks like (screenshots
under test-output/screenshots/).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request

from tests.seed import SEED_LETTERHEAD

SLUG = "igf-2024-parliamentary-output"
PAGES = {
    "home": "/{lang}/",
    "paper": f"/{{lang}}/consultations/{SLUG}/",
    "section": f"/{{lang}}/consultations/{SLUG}/sections/1.a/",
}
DIRECTIONS = {"en": "ltr", "ar": "rtl"}
PARAGRAPH_1A = "participating actively"
pytestmark = pytest.mark.browser


@pytest.fixture
def outside_requests(page: Page, live_server: str) -> Iterator[list[str]]:
    """Every request the page makes to a host other than the live server."""
    own_host = urlsplit(live_server).netloc
    seen: list[str] = []

    def record(request: Request) -> None:
        parts = urlsplit(request.url)
        # data: and blob: URLs never leave the browser.
        if parts.scheme not in {"data", "blob", "about"} and parts.netloc != own_host:
            seen.append(request.url)

    page.on("request", record)
    yield seen
    page.remove_listener("request", record)


def visit(page: Page, live_server: str, name: str, lang: str) -> None:
    response = page.goto(live_server + PAGES[name].format(lang=lang), wait_until="load")
    assert response is not None
    assert response.status == 200, f"{response.url} answered {response.status}"


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("lang", list(DIRECTIONS))
def test_page_is_in_its_language_and_direction_with_nothing_from_third_parties(
    page: Page,
    live_server: str,
    outside_requests: list[str],
    test_output: Path,
    lang: str,
    name: str,
) -> None:
    visit(page, live_server, name, lang)
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == DIRECTIONS[lang]

    # The header mirrors: the site name sits on the reading start side.
    site_name = page.locator(".site-name").bounding_box()
    switcher = page.locator(".language-switcher").bounding_box()
    assert site_name is not None and switcher is not None
    if DIRECTIONS[lang] == "rtl":
        assert site_name["x"] > switcher["x"]
    else:
        assert site_name["x"] < switcher["x"]

    screenshots = test_output / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=screenshots / f"{lang}-{name}.png", full_page=True)
    assert outside_requests == []


@pytest.mark.parametrize("lang", list(DIRECTIONS))
def test_section_page_shows_the_text_of_its_paragraph(
    page: Page, live_server: str, outside_requests: list[str], lang: str
) -> None:
    visit(page, live_server, "section", lang)
    assert PARAGRAPH_1A in page.locator("main").inner_text()
    assert outside_requests == []


@pytest.mark.parametrize("lang", list(DIRECTIONS))
def test_paper_page_shows_no_letterhead(
    page: Page, live_server: str, outside_requests: list[str], lang: str
) -> None:
    visit(page, live_server, "paper", lang)
    text = page.locator("main").inner_text()
    lines = {line.strip() for line in text.splitlines()}
    assert not lines & set(SEED_LETTERHEAD)
    assert "For democracy. For everyone." not in text
    # The organisation may be named in a paragraph, never on a line of its own.
    assert text.count("Inter-Parliamentary Union") == text.count("Inter-Parliamentary Union (IPU)")
    assert outside_requests == []


def test_language_switcher_leads_to_the_same_section_in_arabic(
    page: Page, live_server: str, outside_requests: list[str]
) -> None:
    visit(page, live_server, "section", "en")
    page.locator('.language-switcher a[hreflang="ar"]').click()
    page.wait_for_url(live_server + PAGES["section"].format(lang="ar"))
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "1.a" in page.locator("main h1").inner_text()
    assert PARAGRAPH_1A in page.locator("main").inner_text()
    assert outside_requests == []
