"""The demo administrator sets up two-step sign-in at the first sign-in, with the
QR code shown under the strict CSP, then signs in again with a recovery code."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect

from consult.demo.loader import DEMO_STAFF_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/en/account/staff/sign-in")
    page.locator("#email").fill("admin@example.org")
    page.locator("#password").fill(DEMO_STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()


def test_the_admin_sets_up_two_step_then_signs_in_with_a_recovery_code(
    page: Page, live_server: str, test_output: Path
) -> None:
    sign_in(page, live_server)
    page.goto(f"{live_server}/en/manage/users/")
    page.wait_for_url(re.compile(r"/en/account/two-step\?next="))
    expect(page.locator("main h1")).to_have_text("Set up two-step sign-in")
    # The QR code loads from our own address (no data: URI under the CSP).
    qr_code = page.locator("img.qr-code")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    key = page.locator(".secret-key").inner_text().replace(" ", "")
    page.locator("#code").fill(pyotp.TOTP(key).now())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_have_text("Your recovery codes")
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.screenshot(path=str(test_output / "screenshots" / "two-step-codes.png"), full_page=True)
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(re.compile(r"/en/manage/users/$"))

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server)
    expect(page.locator("main h1")).to_have_text("Staff sign-in: code")
    page.locator("#code").fill(codes[0])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/manage/$"))
    expect(page.get_by_text("9 recovery codes are left")).to_be_visible()
