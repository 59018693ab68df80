"""Twenty copies of one form sent at once make one comment, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.comments.models import Comment
from consult.extensions import db
from tests.comments.helpers import comment_form_of
from tests.concurrency import app_on_own_database, post_at_once, signed_in_participant_cookie
from tests.factories import make_consultation

SECTION = "/en/consultations/ai/sections/1/"
COPIES = 20


@pytest.fixture(params=["sqlite", "postgresql"])
def committing_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An application with a database of its own, where commits are real."""
    with app_on_own_database(request.param, tmp_path, "comments_race") as app:
        with app.app_context():
            make_consultation("ai", sections={"1": {"en": "Principles."}})
        yield app


def test_one_form_sent_twenty_times_at_once_makes_one_comment(committing_app: Flask) -> None:
    cookie = signed_in_participant_cookie(committing_app, "amina@example.org")
    client = committing_app.test_client()
    client.set_cookie("session", cookie)
    data = comment_form_of(
        client.get(SECTION).get_data(as_text=True), body="Sent from a flaky connection."
    )
    assert post_at_once(committing_app, SECTION, data, cookie, COPIES) == [302] * COPIES
    with committing_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
