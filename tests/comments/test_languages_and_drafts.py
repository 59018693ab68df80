"""A visitor's text survives signing in; the Arabic page is right-to-left and translated."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from tests.accounts.helpers import (
    complete_profile,
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
)
from tests.comments.helpers import comment_form_of
from tests.factories import make_consultation

SECTION = "/en/consultations/ai/sections/1/"


def hidden_value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)
    assert match is not None, name
    return html.unescape(match[1])


def test_a_visitors_comment_comes_back_on_the_section_page_after_signing_in(
    client: FlaskClient,
) -> None:
    make_consultation("ai", sections={"1": {"en": "Principles."}})
    typed = "Paragraph 1 should name the IPU.\n\nSecond paragraph."
    page = client.get(SECTION).get_data(as_text=True)
    asked = client.post(SECTION, data=comment_form_of(page, body=typed, language="fr"))
    sign_in = asked.get_data(as_text=True)
    client.post(
        "/en/account/sign-in",
        data={
            "email": "lima@example.org",
            "next": hidden_value(sign_in, "next"),
            "draft": hidden_value(sign_in, "draft"),
            "csrf_token": csrf_token_of(sign_in),
        },
    )
    phone = client.application.test_client()
    after_continue = press_continue(phone, link_path_in(last_mail_to("lima@example.org")))
    after_profile = complete_profile(phone, path=after_continue.headers["Location"])
    assert after_profile.headers["Location"] == SECTION
    restored = phone.get(SECTION).get_data(as_text=True)
    assert html.escape(typed, quote=False) in restored.replace("\r\n", "\n")
    assert '<option selected value="fr">' in restored or 'value="fr" selected' in restored


def test_the_arabic_section_page_is_right_to_left_with_the_form_translated(
    client: FlaskClient,
) -> None:
    make_consultation(
        "ai", titles={"en": "AI", "ar": "الذكاء الاصطناعي"}, sections={"1": {"en": "Principles."}}
    )
    page = client.get("/ar/consultations/ai/sections/1/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "Send your comment" not in page
    assert "Your comment" not in page
    assert "أرسل تعليقك" in page
    # The interface languages first, named in Arabic.
    options = re.findall(r'<option[^>]*value="([a-z]+)"', page)
    assert options[:4] == ["ar", "en", "es", "fr"]
