"""A participant comments in French, a moderator approves, everyone can read it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from consult.demo.loader import DEMO_STAFF_PASSWORD
from tests.browser.conftest import sign_up_on_the_sign_in_page

pytestmark = pytest.mark.browser

SECTION = "/{lang}/consultations/igf-2024-parliamentary-output/sections/3.b/"
COMMENT = (
    "Le paragraphe 3.b devrait aussi viser le personnel des commissions "
    "parlementaires, et pas seulement les élus."
)


def shot(page: Page, test_output: Path, name: str) -> None:
    page.screenshot(path=str(test_output / "screenshots" / f"{name}.png"), full_page=True)


def test_a_french_comment_is_moderated_then_read_by_anyone(
    browser: Browser,
    page: Page,
    live_server: str,
    capfd: pytest.CaptureFixture[str],
    test_output: Path,
) -> None:
    # A visitor writes first; the text survives signing up by link.
    page.goto(live_server + SECTION.format(lang="fr"))
    page.locator("#body").fill(COMMENT)
    page.get_by_role("button", name="Envoyer votre commentaire").click()
    expect(page.locator("main")).to_contain_text("Votre texte est conservé")
    sign_up_on_the_sign_in_page(
        page,
        capfd,
        "fr",
        "lucie.martin@example.org",
        {
            "display_name": "Lucie Martin",
            "organisation": "Sénat",
            "stakeholder_group": "parliament",
            "country": "FR",
        },
    )

    # Back on the section, the text is in the form again: send it.
    page.wait_for_url(re.compile(r"/fr/consultations/.+/sections/3\.b/"))
    expect(page.locator("#body")).to_have_value(COMMENT)
    page.get_by_role("button", name="Envoyer votre commentaire").click()
    expect(page.locator("main")).to_contain_text(COMMENT)
    shot(page, test_output, "fr-comment-pending")

    # Nobody else sees it yet.
    reader = browser.new_context(locale="fr-FR", java_script_enabled=False)
    anonymous = reader.new_page()
    anonymous.goto(live_server + SECTION.format(lang="fr"))
    expect(anonymous.locator("main")).not_to_contain_text(COMMENT)

    # A moderator approves it from the queue.
    staff = browser.new_context(locale="fr-FR")
    moderator = staff.new_page()
    moderator.goto(f"{live_server}/fr/account/staff/sign-in")
    moderator.locator("#email").fill("moderator@example.org")
    moderator.locator("#password").fill(DEMO_STAFF_PASSWORD)
    moderator.locator("main form button[type=submit]").click()
    moderator.goto(f"{live_server}/fr/manage/moderation/igf-2024-parliamentary-output/")
    item = moderator.locator("article, li, section").filter(has_text=COMMENT).last
    item.get_by_role("button", name="Approuver").click()
    expect(moderator.locator("main")).not_to_contain_text(COMMENT)
    moderator.goto(f"{live_server}/ar/manage/moderation/")
    shot(moderator, test_output, "ar-moderation-queue")

    # Now anyone reads it, without JavaScript, attributed as chosen.
    anonymous.goto(live_server + SECTION.format(lang="fr"))
    expect(anonymous.locator("main")).to_contain_text(COMMENT)
    expect(anonymous.locator("main")).to_contain_text("Lucie Martin")
    shot(anonymous, test_output, "fr-comment-published")
    anonymous.goto(live_server + SECTION.format(lang="ar"))
    expect(anonymous.locator("html")).to_have_attribute("dir", "rtl")
    expect(anonymous.locator("main")).to_contain_text(COMMENT)
    shot(anonymous, test_output, "ar-comment-published")
    reader.close()
    staff.close()
