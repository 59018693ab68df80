"""A page number typed into an address: any text gives a page, never an error."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.accounts.models import Role
from consult.core.urls import MAX_PAGE, requested_page
from tests.accounts.staff_helpers import staff_client
from tests.factories import make_comment, make_consultation, make_participant


@pytest.mark.parametrize(
    ("typed", "page"),
    [
        ("2", 2),
        ("0", 1),
        ("-5", 1),
        ("two", 1),
        ("", 1),
        (str(MAX_PAGE + 1), MAX_PAGE),
        ("99999999999999999999999", MAX_PAGE),
    ],
)
def test_the_page_asked_for_is_a_whole_number_within_bounds(
    app: Flask, typed: str, page: int
) -> None:
    with app.test_request_context(f"/en/?page={typed}"):
        assert requested_page() == page


@pytest.mark.db
def test_a_page_number_past_any_integer_shows_an_empty_page(client: FlaskClient) -> None:
    # It once reached the database as an offset larger than 64 bits: a server error.
    consultation = make_consultation("x", sections={"1": {"en": "Section one."}})
    make_comment(consultation, make_participant(), section_key="1")
    huge = "99999999999999999999999"
    assert client.get(f"/en/consultations/x/comments/?page={huge}").status_code == 200
    assert client.get(f"/en/consultations/x/sections/1/?page={huge}").status_code == 200
    admin = staff_client(client, "admin@example.org", Role.ADMIN)
    for page in ("/en/manage/moderation/", "/en/manage/users/", "/en/manage/audit/"):
        assert admin.get(f"{page}?page={huge}").status_code == 200, page
    assert admin.get(f"/en/manage/consultations/x/responses/?page={huge}").status_code == 200
