"""My contributions, withdrawing a pending comment, and reporting a published one."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import User
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentReport, CommentStatus, RejectionReason
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of, sign_in_participant
from tests.factories import make_comment, make_consultation, make_participant

CONTRIBUTIONS = "/en/account/contributions/"
SECTION = "/en/consultations/ai/sections/1/"


def signed_in_author(client: FlaskClient) -> User:
    sign_in_participant(client, "amina@example.org")
    return db.session.scalars(select(User).where(User.email == "amina@example.org")).one()


@pytest.mark.db
def test_my_contributions_list_every_comment_and_withdraw_a_pending_one(
    client: FlaskClient,
) -> None:
    author = signed_in_author(client)
    consultation = make_consultation("ai", sections={"1": {"en": "Principles."}})
    pending = make_comment(consultation, author, section_key="1", status=CommentStatus.PENDING)
    rejected = make_comment(consultation, author, status=CommentStatus.REJECTED)
    rejected.rejection_reason, rejected.moderator_note = RejectionReason.OFF_TOPIC, "Not about AI."
    db.session.commit()
    pending_id = pending.id

    page = client.get(CONTRIBUTIONS).get_data(as_text=True)
    assert "Awaiting moderation" in page and "Rejected" in page
    assert "Reason: Off-topic" in page and "Not about AI." in page
    assert "the paper as a whole" in page and "Paragraph" in page
    assert f'href="/en/consultations/ai/comments/{pending_id}/"' in page
    assert page.count(">Withdraw</button>") == 1

    response = client.post(
        f"/en/account/contributions/{pending_id}/withdraw",
        data={"csrf_token": csrf_token_of(page)},
    )
    assert response.headers["Location"] == CONTRIBUTIONS
    comment = db.session.get(Comment, pending_id)
    assert comment is not None and comment.status is CommentStatus.WITHDRAWN
    after = client.get(CONTRIBUTIONS).get_data(as_text=True)
    assert "Your comment is withdrawn." in after
    assert ">Withdraw</button>" not in after
    assert comment.body not in client.get(SECTION).get_data(as_text=True)


def test_the_account_menu_links_to_my_contributions(client: FlaskClient) -> None:
    sign_in_participant(client)
    assert f'href="{CONTRIBUTIONS}"' in client.get("/en/").get_data(as_text=True)


def test_someone_elses_comment_cannot_be_withdrawn(client: FlaskClient) -> None:
    consultation = make_consultation("ai", sections={"1": {"en": "Principles."}})
    other = make_comment(consultation, make_participant(), status=CommentStatus.PENDING).id
    sign_in_participant(client)
    page = client.get(CONTRIBUTIONS).get_data(as_text=True)
    response = client.post(
        f"/en/account/contributions/{other}/withdraw", data={"csrf_token": csrf_token_of(page)}
    )
    assert response.status_code == 404


@pytest.mark.db
def test_a_reader_reports_a_published_comment_once(client: FlaskClient) -> None:
    consultation = make_consultation("ai", sections={"1": {"en": "Principles."}})
    comment_id = make_comment(consultation, make_participant(), section_key="1").id
    sign_in_participant(client, "reader@example.org")
    page = client.get(SECTION).get_data(as_text=True)
    assert "Report this comment" in page
    report = f"/en/consultations/ai/comments/{comment_id}/report"
    data = {"csrf_token": csrf_token_of(page), "note": "Personal data in it."}
    first = client.post(report, data=data)
    assert "Thank you" in client.get(first.headers["Location"], follow_redirects=True).get_data(
        as_text=True
    )
    second = client.post(report, data=data)
    again = client.get(second.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "You already reported this comment." in again
    [saved] = db.session.scalars(select(CommentReport)).all()
    assert saved.note == "Personal data in it."
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "comment.reported")
    ).all()
    assert [entry.subject_id for entry in entries] == [comment_id]


def test_no_report_form_for_visitors_nor_for_the_author(client: FlaskClient) -> None:
    author = signed_in_author(client)
    consultation = make_consultation("ai", sections={"1": {"en": "Principles."}})
    comment_id = make_comment(consultation, author, section_key="1").id
    page = client.get(SECTION).get_data(as_text=True)
    assert "Report this comment" not in page
    response = client.post(
        f"/en/consultations/ai/comments/{comment_id}/report",
        data={"csrf_token": csrf_token_of(page)},
    )
    assert response.status_code == 403
    visitor = client.application.test_client()
    assert "Report this comment" not in visitor.get(SECTION).get_data(as_text=True)
