"""Twenty copies of one form sent at once make one comment, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult import create_app
from consult.comments.models import Comment
from consult.extensions import db
from tests.accounts.helpers import (
    complete_profile,
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
)
from tests.comments.helpers import comment_form_of
from tests.conftest import drop_postgres_database, fresh_postgres_database, make_config
from tests.factories import make_consultation

SECTION = "/en/consultations/ai/sections/1/"
COPIES = 20


@pytest.fixture(params=["sqlite", "postgresql"])
def committing_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An application with a database of its own, where commits are real."""
    name = f"consult_comments_race_{os.getpid()}"
    if request.param == "postgresql":
        url = fresh_postgres_database(name)
    else:
        url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    app = create_app(make_config(url))
    with app.app_context():
        db.create_all()
        make_consultation("ai", sections={"1": {"en": "Principles."}})
    yield app
    with app.app_context():
        db.engine.dispose()
    if request.param == "postgresql":
        drop_postgres_database(name)


def test_one_form_sent_twenty_times_at_once_makes_one_comment(committing_app: Flask) -> None:
    client = committing_app.test_client()
    sign_in = client.get("/en/account/sign-in").get_data(as_text=True)
    client.post(
        "/en/account/sign-in",
        data={"email": "amina@example.org", "csrf_token": csrf_token_of(sign_in)},
    )
    # Outside any request: each request must open and close its own session.
    with committing_app.app_context():
        link = link_path_in(last_mail_to("amina@example.org"))
    complete_profile(client, path=press_continue(client, link).headers["Location"])
    page = client.get(SECTION).get_data(as_text=True)
    data = comment_form_of(page, body="Sent from a flaky connection.")
    session_cookie = client.get_cookie("session")
    assert session_cookie is not None
    start = threading.Barrier(COPIES, timeout=30)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        copy = committing_app.test_client()
        copy.set_cookie("session", session_cookie.value)
        try:
            start.wait()
            statuses.append(copy.post(SECTION, data=data).status_code)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert statuses == [302] * COPIES
    with committing_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
