"""The participant profile: completed on first sign-in, edited later, e-mail changed."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.accounts.countries import ISO_CODES, country_choices, country_name
from consult.accounts.models import User
from consult.audit.models import AuditEntry
from consult.extensions import db
from consult.mail.models import OutboxMessage
from tests.accounts.helpers import (
    ask_for_link,
    complete_profile,
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
    sign_in_participant,
)


def the_user(email: str = "amina@example.org") -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


@pytest.mark.db
def test_first_sign_in_asks_for_the_profile_and_the_privacy_notice(client: FlaskClient) -> None:
    press_continue(client, ask_for_link(client, "amina@example.org"))
    page = client.get("/en/account/profile").get_data(as_text=True)
    assert "Complete your profile" in page
    assert "Privacy notice" in page
    refused = complete_profile(client, accept_privacy="")
    assert refused.status_code == 200
    assert "Please accept the privacy notice" in refused.get_data(as_text=True)
    assert not the_user().has_complete_profile
    assert complete_profile(client).status_code == 302
    user = the_user()
    assert user.has_complete_profile
    assert user.privacy_accepted_at is not None
    assert (user.display_name, user.country, user.stakeholder_group) == (
        "Amina Diallo",
        "SN",
        "parliament",
    )


def test_none_or_international_organisation_is_a_country_choice(client: FlaskClient) -> None:
    press_continue(client, ask_for_link(client, "amina@example.org"))
    complete_profile(client, country="none", stakeholder_group="intergovernmental")
    user = the_user()
    assert user.has_complete_profile
    assert user.country is None


@pytest.mark.parametrize("bad_country", ["EU", "UN", "ZZ", "XK", "XA", "zz", "FRA"])
def test_codes_outside_iso_3166_are_refused(client: FlaskClient, bad_country: str) -> None:
    press_continue(client, ask_for_link(client, "amina@example.org"))
    response = complete_profile(client, country=bad_country)
    assert response.status_code == 200
    assert "Please choose a country." in response.get_data(as_text=True)
    assert not the_user().has_complete_profile


def test_bad_input_keeps_what_was_typed(client: FlaskClient) -> None:
    press_continue(client, ask_for_link(client, "amina@example.org"))
    page = complete_profile(client, display_name="", organisation="Parlement du Sénégal")
    text = page.get_data(as_text=True)
    assert "Please enter a name." in text
    assert 'value="Parlement du Sénégal"' in text


@pytest.mark.parametrize("invisible", ["\x01\x02", "\u200b", " \x7f "])
def test_a_name_of_invisible_characters_is_refused(client: FlaskClient, invisible: str) -> None:
    # Stored empty, it would read as "a deleted participant" on every comment.
    press_continue(client, ask_for_link(client, "amina@example.org"))
    page = complete_profile(client, display_name=invisible)
    assert "Please enter a name." in page.get_data(as_text=True)
    assert not the_user().has_complete_profile


def test_country_names_come_from_cldr_in_the_reader_language() -> None:
    assert country_name("DE", "fr") == "Allemagne"
    assert country_name("DE", "ar") == "ألمانيا"
    assert country_name("PS", "en") == "State of Palestine"
    assert country_name("PS", "es") == "Estado de Palestina"
    assert {"EU", "UN", "ZZ", "XK", "XA"}.isdisjoint(ISO_CODES)
    assert len(ISO_CODES) == 249
    assert [code for code, _ in country_choices("fr")][:2] == ["AF", "ZA"]


def test_the_profile_form_is_in_the_reader_language(client: FlaskClient) -> None:
    press_continue(client, ask_for_link(client, "amina@example.org", lang="ar"))
    page = client.get("/ar/account/profile").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "ألمانيا" in page
    assert "Complete your profile" not in page


@pytest.mark.db
def test_changing_the_email_takes_effect_only_when_the_new_address_confirms(
    client: FlaskClient,
) -> None:
    sign_in_participant(client)
    page = client.get("/en/account/profile").get_data(as_text=True)
    client.post(
        "/en/account/email",
        data={"email": "amina.new@example.org", "csrf_token": csrf_token_of(page)},
    )
    assert the_user().email == "amina@example.org"
    link = link_path_in(last_mail_to("amina.new@example.org"))
    press_continue(client, link)
    assert the_user("amina.new@example.org").email == "amina.new@example.org"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.email_changed"))
    assert entry is not None


def test_asking_for_a_taken_address_reveals_nothing_and_sends_nothing(
    client: FlaskClient,
) -> None:
    db.session.add(User(email="taken@example.org"))
    db.session.commit()
    sign_in_participant(client)
    answers = []
    for address in ("taken@example.org", "free@example.org"):
        page = client.get("/en/account/profile").get_data(as_text=True)
        response = client.post(
            "/en/account/email", data={"email": address, "csrf_token": csrf_token_of(page)}
        )
        answer = client.get(response.headers["Location"]).get_data(as_text=True)
        # Form tokens carry the second they were made in; they are not an answer.
        answers.append(re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", answer))
    assert answers[0].replace("taken@", "X@") == answers[1].replace("free@", "X@")
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.recipient == "taken@example.org")
        )
        == 0
    )


def test_the_current_address_is_not_a_change(client: FlaskClient) -> None:
    sign_in_participant(client)
    page = client.get("/en/account/profile").get_data(as_text=True)
    response = client.post(
        "/en/account/email",
        data={"email": "Amina@example.org", "csrf_token": csrf_token_of(page)},
    )
    assert "This is already your address." in response.get_data(as_text=True)


def test_an_expired_form_is_shown_again_with_everything_typed(client: FlaskClient) -> None:
    sign_in_participant(client)
    response = client.post(
        "/en/account/profile",
        data={
            "display_name": "A name typed for an hour",
            "organisation": "Parliament of Fiji",
            "stakeholder_group": "parliament",
            "country": "FJ",
            "preferred_locale": "en",
            "csrf_token": "expired-or-forged",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "nothing was saved" in page
    assert 'value="A name typed for an hour"' in page
    assert the_user().display_name == "Amina Diallo"
