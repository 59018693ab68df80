"""Every page the application serves, walked as a visitor and as an administrator:
the security headers are on every response, signed-in pages are never stored by a
cache, and no GET request writes anything to the database.

The paths come from the application's own URL map, so a new page is walked
without being listed here (a test fails if its address cannot be filled in).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from consult import create_app
from consult.accounts.models import Role
from consult.extensions import db
from tests.accounts.staff_helpers import make_staff, sign_in_staff
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

# The database writes a GET may make: none. A staff session's idle clock is kept
# in the signed cookie, not in `user_sessions`.
BOOKKEEPING_TABLES: tuple[str, ...] = ()
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b(?:\s+INTO|\s+FROM)?\s+\"?(\w+)", re.IGNORECASE)


def get_routes(app: Flask) -> list[str]:
    return sorted(
        rule.rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or set())
    )


def concrete(rule: str, values: dict[str, object]) -> str:
    """`rule` with each `<converter:name>` filled from `values`."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda match: str(values[match.group(1)]), rule)


@pytest.fixture
def world(app: Flask, db_session: Any) -> dict[str, object]:
    """One of everything an address can name: a consultation with a section, a
    published comment, a question and a submitted response, an administrator."""
    consultation = make_consultation("walk", sections={"1": {"en": "Text"}})
    consultation.open_data_before_close = True
    author = make_participant("author@example.org")
    comment = make_comment(consultation, author, section_key="1")
    question = make_question(consultation)
    response = make_response(consultation, author, {question: "An answer"})
    admin = make_staff("admin@example.org", Role.ADMIN)
    db.session.commit()
    return {
        "lang": "en",
        "slug": "walk",
        "key": "1",
        "locale": "en",
        "comment_id": comment.id,
        "question_id": question.id,
        "response_id": response.id,
        "user_id": admin.id,
        "token": "not-a-token",
        "filename": "consult.css",
    }


def paths(app: Flask, world: dict[str, object]) -> list[str]:
    return [concrete(rule, world) for rule in get_routes(app)]


@contextmanager
def database_writes() -> Iterator[list[str]]:
    """The tables written to while the block runs (bookkeeping left out)."""
    written: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        match = WRITE.match(statement)
        if match and match.group(2).lower() not in BOOKKEEPING_TABLES:
            written.append(f"{match.group(1).upper()} {match.group(2)}")

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield written
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def signed_in_admin(client: FlaskClient) -> FlaskClient:
    response = sign_in_staff(client, "admin@example.org")
    assert response.status_code == 302
    return client


def test_every_address_can_be_filled_in(app: Flask, world: dict[str, object]) -> None:
    # A new converter name needs a value in `world`.
    assert not [path for path in paths(app, world) if "<" in path]


def check_headers(path: str, headers: Any) -> None:
    policy = headers.get("Content-Security-Policy", "")
    for directive in (
        "default-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy, (path, policy)
    assert "unsafe-inline" not in policy, path
    assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert headers.get("Referrer-Policy") == "same-origin", path


@pytest.mark.db
def test_a_visitor_gets_the_security_headers_on_every_page_and_writes_nothing(
    app: Flask, client: FlaskClient, world: dict[str, object]
) -> None:
    for path in paths(app, world):
        with database_writes() as written:
            response = client.get(path, buffered=True)
        assert response.status_code < 500, path
        check_headers(path, response.headers)
        assert written == [], (path, written)


@pytest.mark.db
def test_an_admin_gets_the_headers_and_no_caching_on_every_page_and_writes_nothing(
    app: Flask, client: FlaskClient, world: dict[str, object]
) -> None:
    signed_in_admin(client)
    for path in paths(app, world):
        with database_writes() as written:
            response = client.get(path, buffered=True)
        assert response.status_code < 500, path
        check_headers(path, response.headers)
        if not path.startswith("/static/"):
            assert "no-store" in response.headers.get("Cache-Control", ""), path
        assert written == [], (path, written)


def test_production_responses_ask_browsers_for_https_only(app: Flask) -> None:
    production = create_app(replace(app.extensions["consult_config"], production=True))
    response = production.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in app.test_client().get("/healthz").headers


@pytest.mark.db
def test_the_walk_would_see_a_write(app: Flask, db_session: Any) -> None:
    # The detector itself: without it, "writes nothing" above could not fail.
    with app.app_context(), database_writes() as written:
        make_participant("written@example.org")
    assert written == ["INSERT users"]
