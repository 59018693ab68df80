"""Signing in from tests the way a person does: by the link in the outbox."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.mail.models import OutboxMessage

LINK = re.compile(r"https?://[^/\s]+(/[a-z]{2}/account/link/[A-Za-z0-9_\-]+)")


def last_mail_to(address: str) -> OutboxMessage:
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == address)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None, f"no mail to {address}"
    return message


def link_path_in(message: OutboxMessage) -> str:
    match = LINK.search(message.text_body)
    assert match is not None, message.text_body
    return match[1]


def csrf_token_of(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match is not None, "no CSRF token on the page"
    return match[1]


def ask_for_link(client: FlaskClient, email: str, lang: str = "en", **extra: str) -> str:
    """Ask for a sign-in link and return its path (from the e-mail in the outbox)."""
    page = client.get(f"/{lang}/account/sign-in").get_data(as_text=True)
    response = client.post(
        f"/{lang}/account/sign-in",
        data={"email": email, "csrf_token": csrf_token_of(page), **extra},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return link_path_in(last_mail_to(email.strip().lower()))


def press_continue(client: FlaskClient, link_path: str):  # type: ignore[no-untyped-def]
    page = client.get(link_path).get_data(as_text=True)
    return client.post(link_path, data={"csrf_token": csrf_token_of(page)})


def complete_profile(  # type: ignore[no-untyped-def]
    client: FlaskClient, lang: str = "en", path: str | None = None, **fields: str
):
    """Fill in the profile form at `path` (where "Continue" led, with its `next`)."""
    path = path or f"/{lang}/account/profile"
    page = client.get(path).get_data(as_text=True)
    data = {
        "display_name": "Amina Diallo",
        "organisation": "Assemblée nationale",
        "stakeholder_group": "parliament",
        "country": "SN",
        "preferred_locale": "fr",
        "accept_privacy": "y",
        "csrf_token": csrf_token_of(page),
        **fields,
    }
    return client.post(path, data=data)


def sign_in_participant(client: FlaskClient, email: str = "amina@example.org") -> None:
    after_continue = press_continue(client, ask_for_link(client, email))
    complete_profile(client, path=after_continue.headers["Location"])
