"""A member of parliament answers the call for input in Arabic, right to left.

Types an answer before signing in, gets it back after the e-mail link, saves a
draft, comes back to it, submits, changes the response, and can only read it once
the call has closed.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from consult.core.models import utcnow
from consult.demo.loader import DEMO_STAFF_PASSWORD
from tests.browser.conftest import sign_up_on_the_sign_in_page

pytestmark = pytest.mark.browser

SLUG = "parliamentary-track-2025-thematic-input"
PARLIAMENT = "مجلس النواب الأردني"
CHANGED = "مجلس الأعيان الأردني"


def shot(page: Page, test_output: Path, name: str) -> None:
    page.screenshot(path=str(test_output / "screenshots" / f"{name}.png"), full_page=True)


def answer_everything(page: Page) -> None:
    """Give every question an answer: texts, the first choices, the first radio of each group."""
    form = page.locator("form.questionnaire-form")
    # Only the fields a person sees: the bait field for bots stays empty.
    for field in form.locator("input[type=text]:not([readonly]):visible").all():
        if not field.input_value():
            field.fill("لجنة الشؤون الرقمية")
    for area in form.locator("textarea").all():
        area.fill("نرجو تعزيز التعاون البرلماني الإقليمي في السياسات الرقمية.")
    for select in form.locator("select").all():
        select.select_option("JO")
    boxes = form.locator("input[type=checkbox]")
    for index in range(min(2, boxes.count())):
        boxes.nth(index).check()
    names = {radio.get_attribute("name") for radio in form.locator("input[type=radio]").all()}
    for name in sorted(n for n in names if n):
        form.locator(f"input[type=radio][name='{name}']").first.check()


def test_an_arabic_response_is_drafted_submitted_changed_then_read_only(
    browser: Browser,
    page: Page,
    live_server: str,
    capfd: pytest.CaptureFixture[str],
    test_output: Path,
) -> None:
    questionnaire = f"{live_server}/ar/consultations/{SLUG}/questionnaire/"
    page.goto(questionnaire)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    first_text = page.locator("form.questionnaire-form input[type=text]").first
    first_text.fill(PARLIAMENT)

    # Saving asks a visitor to sign in; the answer rides along with the e-mail link.
    page.locator("button[name=action][value=draft]").click()
    sign_up_on_the_sign_in_page(
        page,
        capfd,
        "ar",
        "nour.parliament@example.org",
        {
            "display_name": "نور الهدى",
            "organisation": "مجلس النواب",
            "stakeholder_group": "parliament",
            "country": "JO",
        },
    )

    # Back on the questionnaire, the answer is there again, not yet sent.
    page.wait_for_url(re.compile(rf"/ar/consultations/{SLUG}/questionnaire/"))
    expect(first_text).to_have_value(PARLIAMENT)
    page.locator("button[name=action][value=draft]").click()
    expect(page.locator(".status-draft")).to_be_visible()

    # Later, the draft is still there.
    page.goto(f"{live_server}/ar/")
    page.goto(questionnaire)
    expect(first_text).to_have_value(PARLIAMENT)
    shot(page, test_output, "ar-questionnaire-draft")

    answer_everything(page)
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator(".status-submitted")).to_be_visible()
    expect(page.locator(".error-summary")).to_have_count(0)

    # Changed before the close: still submitted, with the new answer.
    first_text.fill(CHANGED)
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator(".status-submitted")).to_be_visible()
    expect(first_text).to_have_value(CHANGED)

    # The secretariat closes the call a minute ago; the answers can only be read.
    staff = browser.new_context(locale="en-GB")
    editor = staff.new_page()
    editor.goto(f"{live_server}/en/account/staff/sign-in")
    editor.locator("#email").fill("editor@example.org")
    editor.locator("#password").fill(DEMO_STAFF_PASSWORD)
    editor.locator("main form button[type=submit]").click()
    editor.goto(f"{live_server}/en/manage/consultations/{SLUG}/settings")
    zone = ZoneInfo(editor.locator("#timezone").input_value())
    a_minute_ago = (utcnow() - timedelta(minutes=1)).astimezone(zone)
    editor.locator("#closes_at").fill(a_minute_ago.strftime("%Y-%m-%dT%H:%M"))
    editor.get_by_role("button", name="Save the settings").click()
    expect(editor.locator(".error-summary")).to_have_count(0)
    staff.close()

    page.goto(questionnaire)
    expect(first_text).to_have_value(CHANGED)
    expect(first_text).to_have_attribute("readonly", "")
    expect(page.locator("button[name=action]")).to_have_count(0)
    shot(page, test_output, "ar-questionnaire-closed")
