"""A drafter downloads the feedback from the workspace and opens it.

The editor exports the AI paper's comments as a Word digest in English and as a
workbook from the Arabic pages; the files hold every published comment under its
section, the Arabic one right-to-left.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import Page

from consult.demo.loader import DEMO_STAFF_PASSWORD

pytestmark = pytest.mark.browser

SLUG = "ai-regulatory-approaches"
ARABIC_COMMENT_START = "ينبغي أن يوضح النهج القائم على الحقوق"
SPANISH_COMMENT_START = "El enfoque basado en riesgos es útil"
PENDING_COMMENT = "Sandboxes need an exit rule"


def shot(page: Page, test_output: Path, name: str) -> None:
    page.screenshot(path=str(test_output / "screenshots" / f"{name}.png"), full_page=True)


def download(page: Page, tmp_path: Path, button: str) -> Path:
    with page.expect_download() as started:
        page.get_by_role("button", name=button).click()
    target = tmp_path / started.value.suggested_filename
    started.value.save_as(target)
    return target


def test_an_editor_downloads_the_digest_and_the_arabic_workbook(
    page: Page, live_server: str, test_output: Path, tmp_path: Path
) -> None:
    page.goto(f"{live_server}/en/account/staff/sign-in")
    page.locator("#email").fill("editor@example.org")
    page.locator("#password").fill(DEMO_STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server}/en/manage/consultations/{SLUG}/")
    page.get_by_role("link", name="Exports").click()
    page.get_by_label("Word feedback digest (DOCX)").check()
    shot(page, test_output, "export-en")
    digest = download(page, tmp_path, "Download")

    assert digest.name.startswith(f"{SLUG}-feedback-digest-")
    paragraphs = docx.Document(str(digest)).paragraphs
    texts = [p.text for p in paragraphs]
    arabic = next(p for p in paragraphs if p.text.startswith(ARABIC_COMMENT_START))
    assert arabic._p.pPr.find(docx.oxml.ns.qn("w:bidi")) is not None
    assert any(text.startswith(SPANISH_COMMENT_START) for text in texts)
    # Published comments only, unless the drafter asks for more.
    assert not any(PENDING_COMMENT in text for text in texts)

    page.goto(f"{live_server}/ar/manage/consultations/{SLUG}/exports/")
    page.locator("input[name=format][value=xlsx]").check()
    shot(page, test_output, "export-ar")
    workbook_file = download(page, tmp_path, "تنزيل")

    workbook = openpyxl.load_workbook(workbook_file)
    comments = workbook.worksheets[1]
    assert comments.sheet_view.rightToLeft
    cells = [str(value) for row in comments.iter_rows(values_only=True) for value in row]
    assert any(cell.startswith(ARABIC_COMMENT_START) for cell in cells)
    assert any(cell.startswith(SPANISH_COMMENT_START) for cell in cells)
