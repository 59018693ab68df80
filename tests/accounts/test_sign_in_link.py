"""Participants sign in (and sign up) with a one-time link sent by e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.accounts.models import EmailLink, Role, User, UserSession
from consult.audit.models import AuditEntry
from consult.core.models import utcnow
from consult.extensions import db
from consult.mail.models import OutboxMessage
from tests.accounts.helpers import (
    ask_for_link,
    complete_profile,
    csrf_token_of,
    last_mail_to,
    press_continue,
    sign_in_participant,
)


def signed_in_email(client: FlaskClient) -> str | None:
    page = client.get("/en/account/profile")
    if page.status_code != 200:
        return None
    text = page.get_data(as_text=True)
    return text.split("You sign in as ")[1].split(".<")[0] if "You sign in as" in text else "?"


@pytest.mark.db
def test_a_new_address_gets_a_link_that_creates_the_account(client: FlaskClient) -> None:
    link = ask_for_link(client, "  Amina@Example.org ")
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
    response = press_continue(client, link)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/account/profile")
    user = db.session.scalar(select(User))
    assert user is not None
    assert user.email == "amina@example.org"
    assert user.role is Role.PARTICIPANT


def test_the_answer_is_the_same_whether_or_not_the_address_is_known(
    client: FlaskClient,
) -> None:
    db.session.add(User(email="known@example.org"))
    db.session.commit()
    pages = []
    for address in ("known@example.org", "unknown@example.org"):
        page = client.get("/en/account/sign-in").get_data(as_text=True)
        response = client.post(
            "/en/account/sign-in", data={"email": address, "csrf_token": csrf_token_of(page)}
        )
        pages.append(client.get(response.headers["Location"]).get_data(as_text=True))
    assert pages[0].replace("known@", "X@") == pages[1].replace("unknown@", "X@")


@pytest.mark.db
def test_opening_the_link_changes_nothing_until_continue_is_pressed(
    client: FlaskClient,
) -> None:
    link = ask_for_link(client, "scanner@example.org")
    # A mail scanner follows the link: a page with a button, and the link still works.
    page = client.get(link)
    assert page.status_code == 200
    assert "Continue" in page.get_data(as_text=True)
    client.get(link)
    assert db.session.scalar(select(EmailLink)).used_at is None  # type: ignore[union-attr]
    assert press_continue(client, link).status_code == 302


def test_a_link_works_once(client: FlaskClient) -> None:
    link = ask_for_link(client, "once@example.org")
    press_continue(client, link)
    other_browser = client.application.test_client()
    assert other_browser.get(link).status_code == 410


def test_a_link_expires_after_30_minutes(client: FlaskClient) -> None:
    link = ask_for_link(client, "late@example.org")
    with time_machine.travel(utcnow() + timedelta(minutes=30, seconds=1)):
        assert client.get(link).status_code == 410
    with time_machine.travel(utcnow() + timedelta(minutes=29)):
        assert client.get(link).status_code == 200


def test_a_newer_link_cancels_older_ones(client: FlaskClient) -> None:
    first = ask_for_link(client, "twice@example.org")
    second = ask_for_link(client, "twice@example.org")
    assert client.get(first).status_code == 410
    assert press_continue(client, second).status_code == 302


def test_only_the_token_hash_is_stored(client: FlaskClient) -> None:
    link = ask_for_link(client, "hash@example.org")
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalar(select(EmailLink))
    assert stored is not None
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64


@pytest.mark.db
def test_a_link_never_grants_staff_rights(client: FlaskClient) -> None:
    db.session.add(User(email="editor@example.org", role=Role.EDITOR))
    db.session.commit()
    sign_in_participant(client, "editor@example.org")
    response = client.get("/en/manage/")
    assert response.status_code == 302
    assert "/account/staff/sign-in" in response.headers["Location"]


@pytest.mark.db
def test_sign_in_is_audited(client: FlaskClient) -> None:
    press_continue(client, ask_for_link(client, "audit@example.org"))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.sign_in"))
    assert entry is not None
    assert entry.details == {"method": "link"}


@pytest.mark.db
def test_signing_out_ends_the_session_on_the_server(client: FlaskClient) -> None:
    sign_in_participant(client, "leaving@example.org")
    cookie = client.get_cookie("session")
    assert cookie is not None
    page = client.get("/en/account/profile").get_data(as_text=True)
    client.post("/en/account/sign-out", data={"csrf_token": csrf_token_of(page)})
    assert client.get("/en/account/profile").status_code == 302
    # Someone who kept a copy of the old cookie gets nothing from it.
    replay = client.application.test_client()
    replay.set_cookie("session", cookie.value)
    assert replay.get("/en/account/profile").status_code == 302
    assert db.session.scalar(select(UserSession)).ended_at is not None  # type: ignore[union-attr]


def test_the_session_is_new_after_signing_in(client: FlaskClient) -> None:
    client.get("/en/account/sign-in")
    before = client.get_cookie("session")
    press_continue(client, ask_for_link(client, "fresh@example.org"))
    after = client.get_cookie("session")
    assert before is not None
    assert after is not None
    assert before.value != after.value


def test_the_sign_in_mail_is_in_the_page_language(client: FlaskClient) -> None:
    ask_for_link(client, "lectrice@example.org", lang="fr")
    message = last_mail_to("lectrice@example.org")
    assert message.locale == "fr"
    assert "/fr/account/link/" in message.text_body


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_never_leads_off_the_site(client: FlaskClient, next_url: str) -> None:
    link = ask_for_link(client, "next@example.org", next=next_url)
    complete = press_continue(client, link)
    response = complete_profile(client, path=complete.headers["Location"])
    for location in (complete.headers["Location"], response.headers["Location"]):
        assert location.startswith("/")
        assert not location.startswith("//")
        assert "evil" not in location


def test_a_local_next_brings_the_reader_back(client: FlaskClient) -> None:
    link = ask_for_link(client, "back@example.org", next="/en/account/privacy")
    response = complete_profile(client, path=press_continue(client, link).headers["Location"])
    assert response.headers["Location"] == "/en/account/privacy"


def test_mail_is_queued_with_the_link_in_the_same_transaction(client: FlaskClient) -> None:
    ask_for_link(client, "outbox@example.org")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    assert db.session.scalar(select(func.count()).select_from(EmailLink)) == 1
