"""A new participant signs up in Arabic with the link printed to the console."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://\S+/ar/account/link/[A-Za-z0-9_\-]+")


def test_a_new_participant_signs_up_by_link_and_completes_the_profile_in_arabic(
    page: Page, live_server: str, capfd: pytest.CaptureFixture[str], test_output
) -> None:
    page.goto(f"{live_server}/ar/account/sign-in")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("textbox").fill("nour@example.org")
    page.get_by_role("button").first.click()
    page.wait_for_url(re.compile(r"/ar/account/sign-in/sent$"))

    # Development prints the queued e-mail once its transaction commits.
    printed = capfd.readouterr().out
    match = LINK.search(printed)
    assert match, printed
    link = match[0].replace("http://127.0.0.1:5000", live_server)

    page.goto(link)
    page.locator("main form button").click()
    page.wait_for_url(re.compile(r"/ar/account/profile"))
    page.screenshot(path=str(test_output / "screenshots" / "ar-profile.png"), full_page=True)

    page.locator("#display_name").fill("نور الهدى")
    page.locator("#organisation").fill("مجلس النواب")
    page.locator("#stakeholder_group").select_option("parliament")
    page.locator("#country").select_option("JO")
    page.locator("#preferred_locale").select_option("ar")
    page.locator("#accept_privacy").check()
    page.locator("main form button[type=submit]").first.click()

    # Back where the visitor started (the home page), signed in under the new name.
    page.wait_for_url(re.compile(r"/ar/$"))
    expect(page.locator(".account-menu")).to_contain_text("نور الهدى")
    page.locator(".account-menu").get_by_text("نور الهدى").click()
    expect(page.locator("#country")).to_have_value("JO")
    expect(page.locator("#display_name")).to_have_value("نور الهدى")
    page.screenshot(path=str(test_output / "screenshots" / "ar-profile-saved.png"), full_page=True)
