"""Sign-in answers tell nobody whether an address has an account.

The same status, the same page (the form token aside) and the same mail to
anyone but the address's owner, whether the address is known or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import Role, User
from consult.core.models import utcnow
from consult.extensions import db
from consult.mail.models import OutboxMessage
from tests.accounts.helpers import csrf_token_of
from tests.accounts.staff_helpers import STAFF_PASSWORD, STAFF_SIGN_IN, make_staff
from tests.factories import make_participant

SIGN_IN = "/en/account/sign-in"
KNOWN, UNKNOWN = "known@example.org", "nobody@example.org"
CSRF = re.compile(r'(name="csrf_token"(?: type="hidden")? value=")[^"]+"')


@dataclass(frozen=True)
class Answer:
    """What the person asking sees, and what anyone else receives."""

    status: int
    location: str | None
    page: str
    mail_to_others: list[tuple[str, str]]


def _same_for_any_address(text: str, address: str) -> str:
    return CSRF.sub(r'\1TOKEN"', text).replace(address, "ADDRESS")


def _mail_to_others(address: str, before: int) -> list[tuple[str, str]]:
    return [
        (message.recipient, message.subject)
        for message in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > before).order_by(OutboxMessage.id)
        )
        if message.recipient != address
    ]


def _last_mail_id() -> int:
    db.session.expire_all()
    return max(db.session.scalars(select(OutboxMessage.id)), default=0)


def ask_for_link(client: FlaskClient, address: str) -> Answer:
    """Ask for a sign-in link from a new browser, and read the page it leads to."""
    browser = client.application.test_client()
    before = _last_mail_id()
    form = browser.get(SIGN_IN).get_data(as_text=True)
    response = browser.post(SIGN_IN, data={"email": address, "csrf_token": csrf_token_of(form)})
    location = response.headers.get("Location")
    shown = browser.get(location).get_data(as_text=True) if location else ""
    return Answer(
        status=response.status_code,
        location=location,
        page=_same_for_any_address(response.get_data(as_text=True) + shown, address),
        mail_to_others=_mail_to_others(address, before),
    )


def sign_in_with_password(client: FlaskClient, address: str) -> Answer:
    browser = client.application.test_client()
    before = _last_mail_id()
    form = browser.get(STAFF_SIGN_IN).get_data(as_text=True)
    response = browser.post(
        STAFF_SIGN_IN,
        data={"email": address, "password": STAFF_PASSWORD, "csrf_token": csrf_token_of(form)},
    )
    return Answer(
        status=response.status_code,
        location=response.headers.get("Location"),
        page=_same_for_any_address(response.get_data(as_text=True), address),
        mail_to_others=_mail_to_others(address, before),
    )


def _participant() -> None:
    make_participant(KNOWN)


def _staff_member() -> None:
    make_staff(KNOWN, Role.ADMIN, password=STAFF_PASSWORD + " but another one")


def _disabled_account() -> None:
    make_participant(KNOWN, disabled_at=utcnow())


def _new_account_not_yet_used() -> None:
    db.session.add(User(email=KNOWN))
    db.session.commit()


KNOWN_ACCOUNTS: dict[str, Callable[[], None]] = {
    "participant": _participant,
    "staff member": _staff_member,
    "disabled account": _disabled_account,
    "account never completed": _new_account_not_yet_used,
}


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    # Still time: the pages carry the time a form was shown, identical for both.
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("account", KNOWN_ACCOUNTS.values(), ids=KNOWN_ACCOUNTS.keys())
def test_asking_for_a_link_answers_the_same_for_a_known_and_an_unknown_address(
    client: FlaskClient, frozen: object, account: Callable[[], None]
) -> None:
    account()
    known, unknown = ask_for_link(client, KNOWN), ask_for_link(client, UNKNOWN)
    assert known.status == 302
    assert known == unknown
    assert "ADDRESS" in known.page


@pytest.mark.parametrize("account", KNOWN_ACCOUNTS.values(), ids=KNOWN_ACCOUNTS.keys())
def test_a_failed_password_sign_in_answers_the_same_for_a_known_and_an_unknown_address(
    client: FlaskClient, frozen: object, account: Callable[[], None]
) -> None:
    account()
    known, unknown = sign_in_with_password(client, KNOWN), sign_in_with_password(client, UNKNOWN)
    assert (known.status, known.location) == (200, None)
    assert known == unknown
    assert 'value="ADDRESS"' in known.page
