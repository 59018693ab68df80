"""Two first submissions at once make one response and one copy mailed, on SQLite and
PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult import create_app
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
from tests.accounts.helpers import (
    complete_profile,
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
)
from tests.conftest import drop_postgres_database, fresh_postgres_database, make_config
from tests.factories import make_consultation
from tests.questionnaires.factories import make_question

FORM = "/en/consultations/survey/questionnaire/"
COPIES = 2


@pytest.fixture(params=["sqlite", "postgresql"])
def committing_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """An application with a database of its own, where commits are real."""
    name = f"consult_responses_race_{os.getpid()}"
    if request.param == "postgresql":
        url = fresh_postgres_database(name)
    else:
        url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    app = create_app(make_config(url))
    with app.app_context():
        db.create_all()
        consultation = make_consultation("survey")
        make_question(
            consultation, QuestionKind.SHORT_TEXT, texts={"en": "Chamber?"}, required=True
        )
    yield app
    with app.app_context():
        db.engine.dispose()
    if request.param == "postgresql":
        drop_postgres_database(name)


def test_a_double_clicked_first_submission_makes_one_response_and_one_copy(
    committing_app: Flask,
) -> None:
    client = committing_app.test_client()
    sign_in = client.get("/en/account/sign-in").get_data(as_text=True)
    client.post(
        "/en/account/sign-in",
        data={"email": "amina@example.org", "csrf_token": csrf_token_of(sign_in)},
    )
    with committing_app.app_context():
        link = link_path_in(last_mail_to("amina@example.org"))
        question_id = db.session.scalars(select(Question.id)).one()
    complete_profile(client, path=press_continue(client, link).headers["Location"])
    page = client.get(FORM).get_data(as_text=True)
    session_cookie = client.get_cookie("session")
    assert session_cookie is not None
    start = threading.Barrier(COPIES, timeout=30)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        copy = committing_app.test_client()
        copy.set_cookie("session", session_cookie.value)
        data = {
            "csrf_token": csrf_token_of(page),
            "action": "submit",
            "identity": "name",
            f"q-{question_id}": "Assemblée nationale",
        }
        try:
            start.wait()
            statuses.append(copy.post(FORM, data=data).status_code)
        except BaseException as error:
            errors.append(error)

    # The same form sent twice at the same moment: a double click.
    threads = [threading.Thread(target=send) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert statuses == [302] * COPIES
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
