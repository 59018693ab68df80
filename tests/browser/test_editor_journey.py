"""An editor puts the output document online without the command line.

Imports the English document, a French version of two paragraphs, previews in
French, publishes, and extends the deadline, which readers then see as a notice.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from consult.core.models import utcnow
from consult.demo.loader import DEMO_STAFF_PASSWORD
from tests.seed import SEED_LETTERHEAD

pytestmark = pytest.mark.browser

SLUG = "output-document-2024"
DOCUMENT = Path(__file__).parents[2] / "consult" / "demo" / "output_document_igf2024.txt"
# The French edition of paragraphs 1 and 2, as a translator would send them.
FRENCH = """\
1. Les parlementaires réaffirment leur engagement envers une gouvernance de l'internet \
inclusive et fondée sur les droits.

2. Les parlements s'engagent à renforcer leurs capacités en matière de politique numérique.
"""


def shot(page: Page, test_output: Path, name: str) -> None:
    page.screenshot(path=str(test_output / "screenshots" / f"{name}.png"), full_page=True)


def local_input(days: int) -> str:
    """A `datetime-local` value `days` from now, at 23:59 in Geneva."""
    moment = (utcnow() + timedelta(days=days)).astimezone(ZoneInfo("Europe/Zurich"))
    return moment.strftime("%Y-%m-%dT23:59")


def test_an_editor_imports_translates_previews_publishes_and_extends(
    page: Page, live_server: str, test_output: Path
) -> None:
    manage = f"{live_server}/en/manage/consultations"
    page.goto(f"{live_server}/en/account/staff/sign-in")
    page.locator("#email").fill("editor@example.org")
    page.locator("#password").fill(DEMO_STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()

    # A new draft consultation.
    page.goto(f"{manage}/new")
    page.locator("#slug").fill(SLUG)
    page.locator("#default_locale").select_option("en")
    page.locator("#title").fill("IGF 2024 Parliamentary Track: output document")
    page.locator("#timezone").select_option("Europe/Zurich")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/en/manage/consultations/{SLUG}/$"))

    # The English document, uploaded: the preview shows what the letterhead lost.
    page.goto(f"{manage}/{SLUG}/paper/import")
    page.locator("#locale").select_option("en")
    page.locator("#upload").set_input_files(str(DOCUMENT))
    page.get_by_role("button", name="Preview").click()
    main = page.locator("main")
    expect(main).to_contain_text("Lines dropped as page headers or footers")
    expect(main.locator("li").filter(has_text=SEED_LETTERHEAD[0]).first).to_be_visible()
    # Section numbers are isolated from the text's direction (U+2066 ... U+2069).
    expect(main).to_contain_text(re.compile("Paragraph \u20661\\.e\u2069"))
    shot(page, test_output, "en-editor-import-preview")
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(rf"/{SLUG}/paper/$"))
    expect(page.locator("main")).to_contain_text("Paragraph \u20668\u2069")

    # Two paragraphs in French, pasted: the preview says what it leaves untranslated.
    page.goto(f"{manage}/{SLUG}/paper/import")
    page.locator("#locale").select_option("fr")
    page.locator("#text").fill(FRENCH)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("main")).to_contain_text("does not cover these sections of the paper")
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(re.compile(rf"/{SLUG}/paper/$"))

    # The window, as local time in Geneva.
    page.goto(f"{manage}/{SLUG}/settings")
    page.locator("#opens_at").fill(local_input(-1))
    page.locator("#closes_at").fill(local_input(28))
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator("main")).to_contain_text("Central European")

    # The French preview: the banner, the French paragraph, fallbacks marked.
    page.goto(f"{live_server}/fr/manage/consultations/{SLUG}/preview/")
    expect(page.locator(".preview-banner")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Les parlementaires réaffirment")
    expect(page.locator(".fallback-note").first).to_be_visible()
    shot(page, test_output, "fr-editor-preview")
    public = page.goto(f"{live_server}/fr/consultations/{SLUG}/")
    assert public is not None
    assert public.status == 404  # a draft is not public

    # Published: now everyone reads it.
    page.goto(f"{manage}/{SLUG}/")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".badge-published")).to_be_visible()
    page.goto(f"{live_server}/fr/consultations/{SLUG}/")
    expect(page.locator("main")).to_contain_text("Les parlementaires réaffirment")

    # The deadline moves a week later; readers are told, in their language.
    page.goto(f"{manage}/{SLUG}/settings")
    page.locator("#closes_at").fill(local_input(35))
    page.get_by_role("button", name="Save the settings").click()
    page.goto(f"{live_server}/en/consultations/{SLUG}/")
    notices = page.locator(".consultation-notices")
    expect(notices).to_contain_text("extended")
    page.goto(f"{live_server}/ar/consultations/{SLUG}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".consultation-notices")).to_be_visible()
    shot(page, test_output, "ar-consultation-notice")
