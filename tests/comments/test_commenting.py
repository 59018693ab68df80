"""Writing a comment: on a section or the paper, within the window, once per form."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.comments.models import Comment, CommentStatus, Identity
from consult.consultations.models import ModerationMode
from consult.core.models import utcnow
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of, sign_in_participant
from tests.comments.helpers import comment_form_of, send_comment
from tests.factories import make_consultation

SECTION = "/en/consultations/ai/sections/1/"
GENERAL = "/en/consultations/ai/comments/"


def comments() -> list[Comment]:
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


@pytest.mark.db
def test_a_participant_comments_on_a_section_and_it_awaits_moderation(
    client: FlaskClient,
) -> None:
    make_consultation("ai", sections={"1": {"en": "Regulate by principles."}})
    sign_in_participant(client)
    response = send_comment(
        client, SECTION, "Principles need teeth.", language="fr", identity="anonymous"
    )
    [comment] = comments()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/consultations/ai/comments/{comment.id}/"
    assert comment.section is not None and comment.section.key == "1"
    assert (comment.body, comment.language, comment.identity) == (
        "Principles need teeth.",
        "fr",
        Identity.ANONYMOUS,
    )
    assert comment.status is CommentStatus.PENDING
    # The snapshot of the profile the participant filled in.
    assert (comment.author_name, comment.author_country) == ("Amina Diallo", "SN")
    page = client.get(response.headers["Location"], follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Your comment awaits moderation" in text
    assert f'id="comment-{comment.id}"' in text


@pytest.mark.db
def test_a_general_comment_is_sent_from_the_paper_page(client: FlaskClient) -> None:
    consultation = make_consultation("ai", sections={"1": {"en": "Regulate by principles."}})
    consultation.moderation_mode = ModerationMode.POST
    db.session.commit()
    sign_in_participant(client)
    paper = client.get("/en/consultations/ai/").get_data(as_text=True)
    assert 'action="/en/consultations/ai/comments/#comment-form"' in paper
    response = client.post(GENERAL, data=comment_form_of(paper, body="The paper as a whole."))
    [comment] = comments()
    assert comment.section_id is None
    assert comment.status is CommentStatus.PUBLISHED
    shown = client.get(response.headers["Location"], follow_redirects=True)
    assert "Your comment is published." in shown.get_data(as_text=True)
    assert "The paper as a whole." in shown.get_data(as_text=True)
    assert "1 comment on the paper as a whole" in client.get("/en/consultations/ai/").get_data(
        as_text=True
    )


@pytest.mark.db
@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(timedelta(seconds=-1), True), (timedelta(0), False), (timedelta(seconds=1), False)],
)
def test_the_deadline_is_the_closing_instant_in_any_time_zone(
    client: FlaskClient, offset: timedelta, accepted: bool
) -> None:
    closes_at = (utcnow() + timedelta(hours=2)).replace(microsecond=0)
    make_consultation(
        "ai",
        timezone="America/Lima",
        closes_at=closes_at,
        sections={"1": {"en": "Regulate by principles."}},
    )
    sign_in_participant(client)
    page = client.get(SECTION).get_data(as_text=True)
    typed = "Written for hours, sent at the last moment."
    with time_machine.travel(closes_at + offset, tick=False):
        response = client.post(SECTION, data=comment_form_of(page, body=typed))
    if accepted:
        assert response.status_code == 302
        assert len(comments()) == 1
    else:
        text = response.get_data(as_text=True)
        assert len(comments()) == 0
        assert "This consultation closed on" in text
        # The deadline named in the consultation's own zone, and the text given back.
        assert "Peru" in text or "GMT-05:00" in text
        assert f"{typed}</textarea>" in text


@pytest.mark.db
def test_a_comment_before_the_opening_is_refused_and_kept(client: FlaskClient) -> None:
    make_consultation(
        "ai",
        opens_at=utcnow() + timedelta(days=1),
        closes_at=utcnow() + timedelta(days=9),
        sections={"1": {"en": "Regulate by principles."}},
    )
    sign_in_participant(client)
    page = client.get(SECTION).get_data(as_text=True)
    assert "Comments can be sent once the consultation opens." in page
    # A form sent all the same (kept from elsewhere, or forged) is refused.
    response = client.post(
        SECTION,
        data={
            "csrf_token": csrf_token_of(page),
            "form_key": "k" * 20,
            "language": "en",
            "identity": "name",
            "body": "Too early.",
        },
    )
    assert comments() == []
    text = response.get_data(as_text=True)
    assert "not open for comments" in text
    assert "Too early.</textarea>" in text


@pytest.mark.db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Please write your comment."),
        ("x" * 10_001, "A comment has at most 10,000 characters"),
    ],
)
def test_an_empty_or_too_long_comment_is_refused_and_kept(
    client: FlaskClient, body: str, message: str
) -> None:
    make_consultation("ai", sections={"1": {"en": "Regulate by principles."}})
    sign_in_participant(client)
    response = send_comment(client, SECTION, body)
    assert response.status_code == 200
    assert comments() == []
    text = response.get_data(as_text=True)
    assert message in text
    assert f"{body}</textarea>" in text


@pytest.mark.db
def test_the_same_form_sent_twice_makes_one_comment(client: FlaskClient) -> None:
    make_consultation("ai", sections={"1": {"en": "Regulate by principles."}})
    sign_in_participant(client)
    page = client.get(SECTION).get_data(as_text=True)
    data = comment_form_of(page, body="Double-clicked.")
    first = client.post(SECTION, data=data)
    second = client.post(SECTION, data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1


def test_a_visitor_sees_the_form_and_is_asked_to_sign_in_on_sending(
    client: FlaskClient,
) -> None:
    make_consultation("ai", sections={"1": {"en": "Regulate by principles."}})
    page = client.get(SECTION).get_data(as_text=True)
    assert "You will be asked to sign in when you send your comment." in page
    response = client.post(SECTION, data=comment_form_of(page, body="Typed by a visitor."))
    text = response.get_data(as_text=True)
    assert "Your text is kept" in text
    assert "Typed by a visitor." in text
    assert comments() == []


def test_the_form_is_not_shown_on_a_closed_consultation(client: FlaskClient) -> None:
    make_consultation(
        "ai",
        opens_at=utcnow() - timedelta(days=9),
        closes_at=utcnow() - timedelta(days=1),
        sections={"1": {"en": "Regulate by principles."}},
    )
    page = client.get(SECTION).get_data(as_text=True)
    assert 'name="form_key"' not in page
    assert "This consultation no longer takes comments." in page


def test_the_deadline_is_given_to_the_script_in_utc(client: FlaskClient) -> None:
    consultation = make_consultation("ai", sections={"1": {"en": "Regulate by principles."}})
    page = client.get(SECTION).get_data(as_text=True)
    assert consultation.closes_at is not None
    stamp = consultation.closes_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'datetime="{stamp}" data-zone="Europe/Zurich"' in page
    assert '<script src="/static/local-time.js" defer></script>' in page
    # The script is our own file: no inline script for the CSP to refuse.
    assert "<script>" not in page
