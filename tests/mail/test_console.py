"""In development, queued mail is printed once its transaction commits, and only then."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session

from consult import create_app
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.mail.operations import queue_mail
from tests.conftest import make_config

LINK = "https://consult.example/en/sign-in/abc"


def queue_for(recipient: str) -> OutboxMessage:
    return queue_mail(
        recipient, "Your link to sign in", "sign_in_link", "en", link=LINK, minutes=30
    )


@pytest.mark.db
def test_mail_is_printed_after_its_transaction_commits(
    app_context: None, db_session: scoped_session[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    queue_for("reader@example.org")
    assert capsys.readouterr().out == ""

    db_session.commit()

    printed = capsys.readouterr().out
    assert "To: reader@example.org" in printed
    assert "Subject: Your link to sign in" in printed
    assert LINK in printed
    assert "The link works once, for 30 minutes." in printed


@pytest.mark.db
def test_mail_of_a_rolled_back_transaction_is_never_printed(
    app_context: None, db_session: scoped_session[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    queue_for("rolled-back@example.org")
    db_session.rollback()
    queue_for("committed@example.org")
    db_session.commit()
    db_session.commit()

    printed = capsys.readouterr().out
    assert "rolled-back@example.org" not in printed
    assert printed.count("To: committed@example.org") == 1


@pytest.mark.db
def test_mail_of_a_rolled_back_savepoint_is_not_printed_but_the_rest_is(
    app_context: None, db_session: scoped_session[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    queue_for("before@example.org")
    savepoint = db_session.begin_nested()
    queue_for("inside@example.org")
    savepoint.rollback()
    db_session.commit()

    printed = capsys.readouterr().out
    assert "To: before@example.org" in printed
    assert "inside@example.org" not in printed


def test_production_prints_nothing_and_keeps_the_mail_in_the_outbox(
    own_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(dataclasses.replace(make_config(own_database_url), production=True))
    # The command line has an application context and no request: mail works there too.
    with app.app_context():
        db.create_all()
        queue_for("reader@example.org")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        db.engine.dispose()

    assert capsys.readouterr().out == ""
