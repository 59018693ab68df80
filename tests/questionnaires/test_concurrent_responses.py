"""Two first submissions at once make one response and one copy mailed, on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.audit.models import AuditEntry
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.questionnaires.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
)
from tests.accounts.helpers import csrf_token_of
from tests.concurrency import app_on_own_database, post_at_once, signed_in_participant_cookie
from tests.factories import make_consultation
from tests.questionnaires.factories import make_question

FORM = "/en/consultations/survey/questionnaire/"
COPIES = 2


@pytest.fixture(params=["sqlite", "postgresql"])
def committing_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An application with a database of its own, where commits are real."""
    with app_on_own_database(request.param, tmp_path, "responses_race") as app:
        with app.app_context():
            consultation = make_consultation("survey")
            make_question(
                consultation, QuestionKind.SHORT_TEXT, texts={"en": "Chamber?"}, required=True
            )
        yield app


def test_a_double_clicked_first_submission_makes_one_response_and_one_copy(
    committing_app: Flask,
) -> None:
    cookie = signed_in_participant_cookie(committing_app, "amina@example.org")
    client = committing_app.test_client()
    client.set_cookie("session", cookie)
    page = client.get(FORM).get_data(as_text=True)
    with committing_app.app_context():
        question_id = db.session.scalars(select(Question.id)).one()
    data = {
        "csrf_token": csrf_token_of(page),
        "action": "submit",
        "identity": "name",
        f"q-{question_id}": "Assemblée nationale",
    }
    # The same form sent twice at the same moment: a double click.
    assert post_at_once(committing_app, FORM, data, cookie, COPIES) == [302] * COPIES
    with committing_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        response = db.session.scalars(select(Response)).one()
        assert response.status is ResponseStatus.SUBMITTED
        assert [answer.text for answer in response.answers.values()] == ["Assemblée nationale"]
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1
        # The second one to arrive found the first's response as it would make it:
        # nothing written, nothing audited, no second copy.
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.startswith("response."))
        ).all()
        assert actions == ["response.submitted"]
        copies = db.session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.text_body.contains(FORM))
        ).all()
        assert len(copies) == 1
