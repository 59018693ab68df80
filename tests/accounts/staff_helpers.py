"""Staff accounts in tests: made through the operations, signed in through the form.

Administrators must use two-step sign-in, so `make_staff` gives them an
authenticator key, and `sign_in_staff` answers the code step with the code an
app would show (pyotp), as a person with the phone would.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pyotp
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from consult.accounts.models import Role, User
from consult.accounts.operations import normalise_email
from consult.accounts.staff import create_staff_user
from consult.core.models import utcnow
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of, sign_in_participant

STAFF_PASSWORD = "a long staff password"
STAFF_SIGN_IN = "/en/account/staff/sign-in"
STAFF_CODE = "/en/account/staff/sign-in/code"
# Who a page is opened as in the tests that walk every role: a visitor, a participant
# (signed in by e-mail link), then each staff role by its name.
VISITOR, PARTICIPANT = "visitor", "participant"
ROLES = [VISITOR, PARTICIPANT, "moderator", "editor", "admin"]


def make_staff(
    email: str, role: Role, password: str = STAFF_PASSWORD, *, two_step: bool | None = None
) -> User:
    """A staff account with a password, committed (to the test's savepoint).

    With two-step sign-in (an authenticator key) if `two_step`, by default for an
    administrator, who must have it.
    """
    user = create_staff_user(email, role, password)
    if two_step if two_step is not None else role is Role.ADMIN:
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled_at = utcnow()
    db.session.commit()
    return user


def next_code(client: FlaskClient, email: str) -> str:
    """The code the account's authenticator app shows now, one not used yet.

    A code is accepted once per 30-second step, and a test signs in faster than
    that: past the steps accepted around now, the helper forgets the last step
    used, as if the next 30 seconds had passed.
    """
    with client.application.app_context():
        user = db.session.scalars(
            select(User)
            .where(User.email == normalise_email(email))
            .execution_options(populate_existing=True)
        ).one()
        assert user.totp_secret is not None, f"{email} has no two-step sign-in"
        totp = pyotp.TOTP(user.totp_secret)
        now = totp.timecode(utcnow())
        steps = [step for step in (now - 1, now, now + 1) if step > (user.totp_last_step or -1)]
        if not steps:
            user.totp_last_step = None
            db.session.commit()
            steps = [now - 1]
        return totp.generate_otp(steps[0])


class _HiddenFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.fields[values["name"] or ""] = values.get("value") or ""


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden fields of the forms on `page`, by name (the last one wins)."""
    parser = _HiddenFields()
    parser.feed(page)
    return parser.fields


def is_code_page(response: TestResponse) -> bool:
    return response.status_code == 200 and f'action="{STAFF_CODE}"' in response.get_data(
        as_text=True
    )


def answer_code(
    client: FlaskClient,
    page: str,
    code: str,
    environ: dict[str, str] | None = None,
) -> TestResponse:
    """Send `code` in the code step's form on `page`, with what the page carries."""
    data = {**hidden_fields(page), "code": code}
    return client.post(STAFF_CODE, data=data, environ_base=environ or {})


def sign_in_staff(
    client: FlaskClient,
    email: str,
    password: str = STAFF_PASSWORD,
    *,
    next_url: str | None = None,
    environ: dict[str, str] | None = None,
    with_code: bool = True,
) -> TestResponse:
    """Post the staff sign-in form as a person would (token from the page), and
    then, for an account with two-step sign-in, the app's code unless not `with_code`."""
    environ = environ or {}
    page = client.get(STAFF_SIGN_IN, environ_base=environ).get_data(as_text=True)
    data = {"email": email, "password": password, "csrf_token": csrf_token_of(page)}
    if next_url is not None:
        data["next"] = next_url
    response = client.post(STAFF_SIGN_IN, data=data, environ_base=environ)
    if with_code and is_code_page(response):
        code = next_code(client, email)
        response = answer_code(client, response.get_data(as_text=True), code, environ)
    return response


def staff_client(client: FlaskClient, email: str, role: Role) -> FlaskClient:
    """`client`, signed in with the password (and code) as a new account with `role`."""
    make_staff(email, role)
    response = sign_in_staff(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def sent_to_staff_sign_in(response: TestResponse) -> bool:
    """Whether `response` asks for a staff sign-in: a page opened is redirected to
    it; a form sent is answered with it (401), which keeps what was sent."""
    if response.status_code == 302:
        return response.headers["Location"].startswith(STAFF_SIGN_IN)
    page = response.get_data(as_text=True)
    return response.status_code == 401 and f'action="{STAFF_SIGN_IN}"' in page


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
