"""Text typed before signing in comes back after the link, on any device."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from markupsafe import escape

from consult import create_app
from consult.accounts.drafts import restored_draft
from consult.accounts.permissions import require_participant
from consult.extensions import db
from tests.accounts.helpers import (
    complete_profile,
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
)
from tests.conftest import make_config


def hidden_value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page)
    assert match is not None
    return html.unescape(match[1])


@pytest.fixture
def app_with_a_form(tmp_path: Path) -> Iterator[Flask]:
    """An app with one page that needs a participant, like a comment form will."""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'draft.sqlite3'}"))

    @app.route("/<lang:lang>/try/", methods=["GET", "POST"])
    @require_participant
    def try_form() -> str:
        if request.method == "POST":
            return f"sent: {escape(request.form['comment'])}"
        fields = restored_draft(request.path) or {}
        return f'<textarea name="comment">{escape(fields.get("comment", ""))}</textarea>'

    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_comment_typed_while_signed_out_comes_back_on_another_device(
    app_with_a_form: Flask,
) -> None:
    laptop: FlaskClient = app_with_a_form.test_client()
    laptop.get("/en/account/sign-in")
    form = laptop.post(
        "/en/try/",
        data={"comment": "Paragraph 3.b should name the IPU.\n\nSecond paragraph."},
    )
    page = form.get_data(as_text=True)
    assert "Your text is kept" in page
    laptop.post(
        "/en/account/sign-in",
        data={
            "email": "lima@example.org",
            "next": "/en/try/",
            "draft": page.split('name="draft" type="hidden" value="')[1]
            .split('"')[0]
            .replace("&#34;", '"')
            .replace("&quot;", '"'),
            "csrf_token": csrf_token_of(page),
        },
    )
    with app_with_a_form.app_context():
        link = link_path_in(last_mail_to("lima@example.org"))

    phone = app_with_a_form.test_client()
    after_continue = press_continue(phone, link)
    assert after_continue.headers["Location"].startswith("/en/account/profile?next=/en/try/")
    after_profile = complete_profile(phone, path=after_continue.headers["Location"])
    assert after_profile.headers["Location"] == "/en/try/"
    restored = phone.get("/en/try/").get_data(as_text=True)
    assert "Paragraph 3.b should name the IPU.\n\nSecond paragraph." in restored
    # Once restored, it is not restored again.
    assert "Paragraph 3.b" not in phone.get("/en/try/").get_data(as_text=True)
