"""Staff accounts in tests: made through the operations, signed in through the form."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from consult.accounts.models import Role, User
from consult.accounts.staff import create_staff_user
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of, sign_in_participant

STAFF_PASSWORD = "a long staff password"
STAFF_SIGN_IN = "/en/account/staff/sign-in"
# Who a page is opened as in the tests that walk every role: a visitor, a participant
# (signed in by e-mail link), then each staff role by its name.
VISITOR, PARTICIPANT = "visitor", "participant"
ROLES = [VISITOR, PARTICIPANT, "moderator", "editor", "admin"]


def make_staff(email: str, role: Role, password: str = STAFF_PASSWORD) -> User:
    """A staff account with a password, committed (to the test's savepoint)."""
    user = create_staff_user(email, role, password)
    db.session.commit()
    return user


def sign_in_staff(
    client: FlaskClient,
    email: str,
    password: str = STAFF_PASSWORD,
    *,
    next_url: str | None = None,
    environ: dict[str, str] | None = None,
) -> TestResponse:
    """Post the staff sign-in form as a person would (token from the page)."""
    environ = environ or {}
    page = client.get(STAFF_SIGN_IN, environ_base=environ).get_data(as_text=True)
    data = {"email": email, "password": password, "csrf_token": csrf_token_of(page)}
    if next_url is not None:
        data["next"] = next_url
    return client.post(STAFF_SIGN_IN, data=data, environ_base=environ)


def staff_client(client: FlaskClient, email: str, role: Role) -> FlaskClient:
    """`client`, signed in with the password as a new account with `role`."""
    make_staff(email, role)
    response = sign_in_staff(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def post_form(client: FlaskClient, page_path: str, action: str, **data: str) -> TestResponse:
    """Send a form of the page at `page_path` to `action`, with the page's token."""
    page = client.get(page_path).get_data(as_text=True)
    return client.post(action, data={"csrf_token": csrf_token_of(page), **data})


def error_messages(page: str) -> list[str]:
    return re.findall(r'class="error-message"[^>]*>([^<]+)<', page)


def as_role(client: FlaskClient, who: str) -> FlaskClient:
    """`client`, signed in as `who` (one of `ROLES`), or left a visitor."""
    if who == PARTICIPANT:
        sign_in_participant(client, "amina@example.org")
    elif who != VISITOR:
        staff_client(client, f"{who}@example.org", Role(who))
    return client
