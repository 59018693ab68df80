"""`flask consult moderation-digest`: what waits, per consultation, to every moderator."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from consult.accounts.models import Role
from consult.comments.models import CommentStatus, RejectionReason
from consult.core.models import utcnow
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.moderation.operations import hide_comment, reject_comment
from tests.accounts.staff_helpers import make_staff, sign_in_staff
from tests.factories import make_comment, make_participant
from tests.moderation.helpers import author, mails_to, paper, report


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


@pytest.mark.db
def test_nothing_waiting_sends_nothing(runner: FlaskCliRunner) -> None:
    make_staff("mod@example.org", Role.MODERATOR)
    make_comment(paper(), author())  # published and not reported
    result = runner.invoke(args=["consult", "moderation-digest"])
    assert result.exit_code == 0, result.output
    assert outbox_count() == 0


@pytest.mark.db
def test_digest_counts_pending_and_reported_per_consultation(runner: FlaskCliRunner) -> None:
    consultation = paper()
    writer = author()
    make_comment(consultation, writer, status=CommentStatus.PENDING)
    make_comment(consultation, writer, status=CommentStatus.PENDING)
    reported = make_comment(consultation, writer)
    report(reported, make_participant("r@example.org"))
    moderator = make_staff("mod@example.org", Role.MODERATOR)
    moderator.preferred_locale = "fr"
    make_staff("editor@example.org", Role.EDITOR)
    disabled = make_staff("gone@example.org", Role.ADMIN)
    disabled.disabled_at = utcnow()
    db.session.commit()

    result = runner.invoke(args=["consult", "moderation-digest"])

    assert result.exit_code == 0, result.output
    [french] = mails_to("mod@example.org")
    assert french.locale == "fr"
    assert "Régulation de l’IA" in french.text_body
    assert "2 en attente" in french.text_body and "1 signalé" in french.text_body
    assert "http://" in french.text_body and "/fr/manage/moderation/ai-paper/" in french.text_body
    [english] = mails_to("editor@example.org")
    assert "AI regulation: 2 pending, 1 reported" in english.text_body
    assert mails_to("gone@example.org") == []
    assert mails_to("ana@example.org") == []


@pytest.mark.db
def test_digest_and_moderators_audit_log_carry_no_comment_text(
    runner: FlaskCliRunner, client: FlaskClient
) -> None:
    consultation = paper()
    writer = author()
    make_comment(consultation, writer, status=CommentStatus.PENDING, body="Secret pending words")
    rejected = make_comment(
        consultation, writer, status=CommentStatus.PENDING, body="Refused words"
    )
    hidden = make_comment(consultation, writer, body="Hidden words")
    report(hidden, make_participant("r@example.org"), note="Nasty")
    moderator = make_staff("moderator@example.org", Role.MODERATOR)
    with client.application.test_request_context("/en/"):
        reject_comment(rejected, moderator, RejectionReason.SPAM)
        hide_comment(hidden, moderator)
        db.session.commit()

    assert runner.invoke(args=["consult", "moderation-digest"]).exit_code == 0
    [digest] = mails_to("moderator@example.org")
    for text in ("Secret pending words", "Refused words", "Hidden words", "Ana López"):
        assert text not in digest.text_body and text not in digest.html_body
        assert text not in digest.subject

    sign_in_staff(client, "moderator@example.org")
    page = client.get("/en/manage/audit/").get_data(as_text=True)
    assert "Comment rejected" in page and "Comment hidden" in page
    for text in ("Secret pending words", "Refused words", "Hidden words"):
        assert text not in page
