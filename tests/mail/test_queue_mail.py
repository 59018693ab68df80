"""Queueing mail: rendered in the recipient's language, written with the event."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session

from consult.core.models import utcnow
from consult.mail.models import OutboxMessage, OutboxStatus
from consult.mail.operations import queue_mail

# An ampersand, to tell the HTML part (escaped) from the text part (as is).
LINK = "https://consult.example/fr/sign-in/abc?next=%2Ffr%2F&step=2"


def queue_sign_in_link(locale: str, subject: object = "Sign in") -> OutboxMessage:
    return queue_mail(
        "reader@example.org", str(subject), "sign_in_link", locale, link=LINK, minutes=30
    )


@pytest.mark.db
def test_sign_in_link_in_french_has_french_subject_and_body(
    app_context: None, db_session: scoped_session[Session]
) -> None:
    # A lazy subject is translated with the templates, in the recipient's language,
    # whatever the language of the request that queues it ("en" here).
    subject = LazyString(lambda: f"subject in {get_locale()}")
    message = queue_mail("reader@example.org", subject, "sign_in_link", "fr", link=LINK, minutes=30)

    assert message.subject == "subject in fr"
    assert message.locale == "fr"
    assert "Utilisez ce lien pour vous connecter à Consult\u00a0:" in message.text_body
    assert "30\u00a0minutes" in message.text_body
    assert "Utilisez ce lien" in message.html_body
    assert '<html lang="fr" dir="ltr">' in message.html_body
    assert str(get_locale()) == "en"


@pytest.mark.db
def test_a_lazily_translated_subject_comes_from_the_recipients_catalog(
    app_context: None, db_session: scoped_session[Session]
) -> None:
    # Any string of the catalogs will do; this one is the template's own.
    message = queue_mail(
        "reader@example.org",
        _l("Use this link to sign in to Consult:"),
        "sign_in_link",
        "es",
        link=LINK,
        minutes=30,
    )

    assert message.subject == "Utilice este enlace para iniciar sesión en Consult:"


@pytest.mark.db
def test_arabic_mail_is_right_to_left_with_the_link_intact(
    app_context: None, db_session: scoped_session[Session]
) -> None:
    message = queue_sign_in_link("ar")

    assert '<html lang="ar" dir="rtl">' in message.html_body
    assert "يُرجى استخدام هذا الرابط" in message.text_body
    assert LINK in message.text_body
    assert f'href="{LINK.replace("&", "&amp;")}"' in message.html_body


@pytest.mark.db
def test_one_minute_is_singular_and_english_is_the_source(
    app_context: None, db_session: scoped_session[Session]
) -> None:
    message = queue_mail(
        "reader@example.org", "Sign in", "sign_in_link", "en", link=LINK, minutes=1
    )

    assert "The link works once, for 1 minute." in message.text_body
    assert "-- \n" in message.text_body  # the footer is a signature mail clients recognise


@pytest.mark.db
def test_a_language_no_longer_offered_falls_back_to_the_default(
    app_context: None, db_session: scoped_session[Session]
) -> None:
    message = queue_sign_in_link("de")

    assert message.locale == "en"
    assert "Use this link to sign in to Consult:" in message.text_body


@pytest.mark.db
def test_queued_mail_is_pending_and_leaves_with_a_rollback(
    app_context: None, db_session: scoped_session[Session]
) -> None:
    message = queue_sign_in_link("en")
    assert message.id is not None
    assert message.status is OutboxStatus.PENDING
    assert message.attempts == 0

    db_session.rollback()

    assert db_session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_an_address_with_a_line_break_is_refused(
    app_context: None, db_session: scoped_session[Session]
) -> None:
    with pytest.raises(ValueError, match="not an e-mail address"):
        queue_mail("a@example.org\nBcc: b@example.org", "Hi", "sign_in_link", "en", link=LINK)


@pytest.mark.db
def test_a_message_may_carry_an_expiry_and_has_none_by_default(
    app_context: None, db_session: scoped_session[Session]
) -> None:
    expires_at = utcnow() + timedelta(minutes=30)
    short_lived = queue_mail(
        "reader@example.org",
        "Sign in",
        "sign_in_link",
        "en",
        link=LINK,
        minutes=30,
        expires_at=expires_at,
    )
    lasting = queue_sign_in_link("en")
    db_session.commit()

    assert short_lived.expires_at == expires_at
    assert lasting.expires_at is None


def test_a_naive_expiry_is_refused(app_context: None, db_session: scoped_session[Session]) -> None:
    with pytest.raises(ValueError, match="aware"):
        queue_mail(
            "reader@example.org",
            "Sign in",
            "sign_in_link",
            "en",
            link=LINK,
            minutes=30,
            expires_at=datetime(2030, 1, 1),
        )
