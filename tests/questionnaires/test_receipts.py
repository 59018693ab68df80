"""The copy of a response mailed to its author, in the language it was answered in."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.mail.models import OutboxMessage
from tests.accounts.helpers import last_mail_to, sign_in_participant
from tests.questionnaires.helpers import full_answers, name_of, send_answers, survey

AUTHOR = "amina@example.org"


def receipts() -> int:
    """The copies of responses sent, whatever their language (the sign-in mails are not)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.text_body.contains("/consultations/survey/questionnaire/"))
        )
        or 0
    )


@pytest.mark.db
def test_the_receipt_is_in_french_with_every_answer(client: FlaskClient) -> None:
    _, q = survey(timezone="America/Lima")
    sign_in_participant(client, AUTHOR)
    send_answers(client, full_answers(q), path="/fr/consultations/survey/questionnaire/")
    mail = last_mail_to(AUTHOR)
    assert "Enquête" in mail.subject
    text = mail.text_body
    for expected in (
        "1. Votre chambre ?",
        "Assemblée nationale",
        "We hold hearings.\n\nEvery month.",
        "Quel niveau ?\nNational",
        "Auditions\nPétitions",
        "Quelle utilité ?",
        "Sénégal",
        # Written in English only: the question falls back.
        "Public hearings?\nOui",
        "/fr/consultations/survey/questionnaire/",
    ):
        assert expected in text, expected
    # The deadline in the consultation's zone, named in French.
    assert "(heure normale du Pérou, UTC-05:00)" in text
    assert '<html lang="fr"' in mail.html_body
    assert "<li>Auditions</li><li>Pétitions</li>" in mail.html_body


@pytest.mark.db
def test_the_receipt_is_in_arabic_and_a_change_sends_another(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client, AUTHOR)
    arabic = "/ar/consultations/survey/questionnaire/"
    many = q["many"]
    answers = {
        name_of(q["name"]): "مجلس النواب",
        name_of(q["one"]): str(q["one"].options[1]),
        f"q-{many.id}-{many.options[1]}": "y",
        name_of(q["country"]): "EG",
    }
    send_answers(client, answers, path=arabic)
    first = last_mail_to(AUTHOR)
    assert "مجلسكم؟" in first.text_body and "مجلس النواب" in first.text_body
    assert "استطلاعات" in first.text_body and "مصر" in first.text_body
    assert 'dir="rtl"' in first.html_body
    count = receipts()
    send_answers(client, {**answers, name_of(q["yes"]): "no"}, path=arabic)
    assert receipts() == count + 1
    second = last_mail_to(AUTHOR)
    assert second.id != first.id and "استبيان" in second.subject


@pytest.mark.db
def test_a_draft_sends_no_receipt(client: FlaskClient) -> None:
    _, q = survey()
    sign_in_participant(client, AUTHOR)
    send_answers(client, {name_of(q["name"]): "Senado"}, action="draft")
    assert receipts() == 0
