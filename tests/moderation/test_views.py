"""The moderation queue: who reaches it, what it shows, and its forms."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import Role, User
from consult.comments.models import Comment, CommentStatus, Identity
from consult.consultations.models import ModerationMode
from consult.extensions import db
from consult.moderation.operations import approve_comment
from tests.accounts.helpers import csrf_token_of, sign_in_participant
from tests.accounts.staff_helpers import (
    make_staff,
    post_form,
    sent_to_staff_sign_in,
    staff_client,
)
from tests.factories import make_comment, make_consultation, make_participant
from tests.moderation.helpers import author, mails_to, paper, reading, report, statements

VISITOR, PARTICIPANT = "visitor", "participant"
# A password session whose account is a participant now (its role changed under it):
# signed in, but without the rights, so 403.
DEMOTED = "demoted"
STAFF = ["moderator", "editor", "admin"]
QUEUE = "/en/manage/moderation/"
PAPER_QUEUE = "/en/manage/moderation/ai-paper/"


def as_role(client: FlaskClient, who: str) -> FlaskClient:
    if who == PARTICIPANT:
        sign_in_participant(client, "amina@example.org")
    elif who == DEMOTED:
        staff_client(client, "demoted@example.org", Role.MODERATOR)
        demoted = db.session.scalars(select(User).where(User.email == "demoted@example.org")).one()
        demoted.role = Role.PARTICIPANT
        db.session.commit()
    elif who != VISITOR:
        staff_client(client, f"{who}@example.org", Role(who))
    return client


def reload(comment_id: int) -> Comment:
    """The comment as stored now (each request closes the session it was loaded in)."""
    fresh = db.session.get(Comment, comment_id)
    assert fresh is not None
    return fresh


def token(client: FlaskClient) -> str:
    return csrf_token_of(client.get("/en/account/sign-in").get_data(as_text=True))


@pytest.mark.db
@pytest.mark.parametrize("who", [VISITOR, PARTICIPANT, DEMOTED, *STAFF])
@pytest.mark.parametrize("path", [QUEUE, PAPER_QUEUE, PAPER_QUEUE + "?state=decided"])
def test_queue_pages_by_role(client: FlaskClient, who: str, path: str) -> None:
    make_comment(paper(), author(), status=CommentStatus.PENDING)
    response = as_role(client, who).get(path)
    if who in (VISITOR, PARTICIPANT):
        # No password session: to the staff sign-in.
        assert sent_to_staff_sign_in(response)
    elif who == DEMOTED:
        assert response.status_code == 403
    else:
        assert response.status_code == 200


@pytest.mark.db
@pytest.mark.parametrize("who", [VISITOR, PARTICIPANT, DEMOTED, *STAFF])
@pytest.mark.parametrize("action", ["decide", "bulk"])
def test_moderation_forms_by_role(client: FlaskClient, who: str, action: str) -> None:
    comment = make_comment(paper(), author(), status=CommentStatus.PENDING)
    comment_id = comment.id
    as_role(client, who)
    path = (
        f"/en/manage/moderation/comments/{comment_id}/decide"
        if action == "decide"
        else "/en/manage/moderation/bulk"
    )
    data = {"csrf_token": token(client), "decision": "approve", "comment_ids": str(comment_id)}
    response = client.post(path, data=data)
    comment = reload(comment_id)
    if who in (VISITOR, PARTICIPANT):
        # No password session: to the staff sign-in.
        assert sent_to_staff_sign_in(response)
        assert comment.status is CommentStatus.PENDING
    elif who == DEMOTED:
        assert response.status_code == 403
        assert comment.status is CommentStatus.PENDING
    else:
        assert response.status_code == 302
        assert comment.status is CommentStatus.PUBLISHED


@pytest.mark.db
def test_queue_shows_the_snapshot_and_reports_never_the_email(client: FlaskClient) -> None:
    consultation = paper()
    writer = author()
    make_comment(
        consultation,
        writer,
        status=CommentStatus.PENDING,
        body="<b>Bold</b> claim",
        identity=Identity.ANONYMOUS,
        section_key="1.a",
    )
    published = make_comment(consultation, writer, body="Reported text")
    report(published, make_participant("reporter@example.org"), note="Looks like spam")
    page = as_role(client, "moderator").get(PAPER_QUEUE).get_data(as_text=True)
    assert "Ana López" in page and "Congreso de la República" in page
    assert "Peru" in page and "Parliament" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in page
    assert "/en/consultations/ai-paper/sections/1.a/" in page
    assert "Reported text" in page and "Looks like spam" in page
    assert "@example.org" not in page.replace("moderator@example.org", "")


@pytest.mark.db
def test_queue_filters_by_state_section_and_language(client: FlaskClient) -> None:
    consultation = paper()
    writer = author()
    make_comment(consultation, writer, status=CommentStatus.PENDING, body="On one", section_key="1")
    make_comment(
        consultation,
        writer,
        status=CommentStatus.PENDING,
        body="Sobre 1.a",
        section_key="1.a",
        language="es",
    )
    make_comment(consultation, writer, status=CommentStatus.REJECTED, body="Was rejected")
    as_role(client, "moderator")
    page = client.get(PAPER_QUEUE + "?section=1").get_data(as_text=True)
    assert "On one" in page and "Sobre 1.a" not in page
    page = client.get(PAPER_QUEUE + "?language=es").get_data(as_text=True)
    assert "Sobre 1.a" in page and "On one" not in page
    page = client.get(PAPER_QUEUE).get_data(as_text=True)
    assert "Was rejected" not in page


@pytest.mark.db
def test_reject_from_the_queue_then_undo_from_the_decided_view(client: FlaskClient) -> None:
    comment = make_comment(paper(), author(), status=CommentStatus.PENDING)
    comment_id = comment.id
    as_role(client, "moderator")
    action = f"/en/manage/moderation/comments/{comment_id}/decide"
    response = post_form(
        client,
        PAPER_QUEUE,
        action,
        decision="reject",
        reason="spam",
        note="Advert.",
        next=PAPER_QUEUE,
    )
    assert response.status_code == 302 and response.headers["Location"] == PAPER_QUEUE
    comment = reload(comment_id)
    assert comment.status is CommentStatus.REJECTED
    [mail] = mails_to("ana@example.org")
    assert mail.locale == "es" and "Advert." in mail.text_body

    decided = client.get(PAPER_QUEUE + "?state=decided").get_data(as_text=True)
    assert 'value="undo"' in decided
    post_form(client, PAPER_QUEUE + "?state=decided", action, decision="undo")
    comment = reload(comment_id)
    assert comment.status is CommentStatus.PENDING


@pytest.mark.db
def test_a_rejection_without_reason_shows_the_form_again_with_the_note(
    client: FlaskClient,
) -> None:
    comment = make_comment(paper(), author(), status=CommentStatus.PENDING)
    comment_id = comment.id
    as_role(client, "moderator")
    action = f"/en/manage/moderation/comments/{comment_id}/decide"
    response = post_form(client, PAPER_QUEUE, action, decision="reject", note="My typed note")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "My typed note" in page and "Please choose a reason" in page
    comment = reload(comment_id)
    assert comment.status is CommentStatus.PENDING


@pytest.mark.db
def test_bulk_approve_and_bulk_reject(client: FlaskClient) -> None:
    consultation = paper()
    writer = author()
    first, second, third = (
        make_comment(consultation, writer, status=CommentStatus.PENDING, body=f"Text {n}").id
        for n in range(3)
    )
    as_role(client, "editor")
    page = client.get(PAPER_QUEUE).get_data(as_text=True)
    assert 'form="bulk-form"' in page
    data = {"csrf_token": csrf_token_of(page), "next": PAPER_QUEUE}
    client.post(
        "/en/manage/moderation/bulk",
        data={**data, "decision": "approve", "comment_ids": [str(first), str(second)]},
    )
    client.post(
        "/en/manage/moderation/bulk",
        data={**data, "decision": "reject", "reason": "duplicate", "comment_ids": [str(third)]},
    )
    assert reload(first).status is reload(second).status is CommentStatus.PUBLISHED
    assert reload(third).status is CommentStatus.REJECTED


@pytest.mark.db
def test_post_moderated_comments_can_be_hidden_from_the_queue(client: FlaskClient) -> None:
    consultation = paper()
    consultation.moderation_mode = ModerationMode.POST
    db.session.commit()
    comment = make_comment(consultation, author())
    comment_id = comment.id
    as_role(client, "moderator")
    page = client.get(PAPER_QUEUE + "?state=published").get_data(as_text=True)
    assert 'value="hide"' in page
    post_form(
        client,
        PAPER_QUEUE + "?state=published",
        f"/en/manage/moderation/comments/{comment_id}/decide",
        decision="hide",
    )
    comment = reload(comment_id)
    assert comment.status is CommentStatus.HIDDEN


@pytest.mark.db
def test_the_queue_page_in_arabic_is_right_to_left(client: FlaskClient) -> None:
    make_comment(paper(), author(), status=CommentStatus.PENDING)
    page = as_role(client, "moderator").get("/ar/manage/moderation/").get_data(as_text=True)
    assert 'dir="rtl"' in page


def test_dashboard_links_to_the_queue(client: FlaskClient) -> None:
    page = as_role(client, "moderator").get("/en/manage/").get_data(as_text=True)
    assert 'href="/en/manage/moderation/"' in page


# Each action: the comment's status before, the form's fields, the status it leads to.
ACTIONS = {
    "reject": (
        CommentStatus.PENDING,
        {"decision": "reject", "reason": "spam"},
        CommentStatus.REJECTED,
    ),
    "hide": (CommentStatus.PUBLISHED, {"decision": "hide"}, CommentStatus.HIDDEN),
    "restore": (CommentStatus.REJECTED, {"decision": "restore"}, CommentStatus.PUBLISHED),
    "undo": (CommentStatus.PUBLISHED, {"decision": "undo"}, CommentStatus.PENDING),
    "bulk-approve": (CommentStatus.PENDING, {"decision": "approve"}, CommentStatus.PUBLISHED),
    "bulk-reject": (
        CommentStatus.PENDING,
        {"decision": "reject", "reason": "duplicate"},
        CommentStatus.REJECTED,
    ),
}


@pytest.mark.db
@pytest.mark.parametrize("who", [VISITOR, PARTICIPANT, DEMOTED, *STAFF])
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_decision_by_role(client: FlaskClient, who: str, action: str) -> None:
    before, fields, after = ACTIONS[action]
    if action == "undo":
        comment = make_comment(paper(), author(), status=CommentStatus.PENDING)
        with client.application.test_request_context("/en/"):
            approve_comment(comment, make_staff("earlier@example.org", Role.MODERATOR))
            db.session.commit()
            comment_id = comment.id
    else:
        comment_id = make_comment(paper(), author(), status=before).id
    as_role(client, who)
    path = (
        "/en/manage/moderation/bulk"
        if action.startswith("bulk")
        else f"/en/manage/moderation/comments/{comment_id}/decide"
    )
    data = {"csrf_token": token(client), "comment_ids": str(comment_id), **fields}
    response = client.post(path, data=data)
    comment = reload(comment_id)
    if who in (VISITOR, PARTICIPANT):
        assert sent_to_staff_sign_in(response)
        assert comment.status is before
    elif who == DEMOTED:
        assert response.status_code == 403
        assert comment.status is before
    else:
        assert response.status_code == 302
        assert comment.status is after


@pytest.mark.db
def test_a_published_comment_offers_hide_not_reject(client: FlaskClient) -> None:
    comment = make_comment(paper(), author())
    comment_id = comment.id
    as_role(client, "moderator")
    page = client.get(PAPER_QUEUE + "?state=published").get_data(as_text=True)
    assert 'value="hide"' in page and 'value="reject"' not in page
    post_form(
        client,
        PAPER_QUEUE + "?state=published",
        f"/en/manage/moderation/comments/{comment_id}/decide",
        decision="reject",
        reason="spam",
    )
    assert reload(comment_id).status is CommentStatus.PUBLISHED
    assert mails_to("ana@example.org") == []


@pytest.mark.db
def test_the_whole_queue_reads_titles_in_one_query(client: FlaskClient) -> None:
    writer = author()
    make_comment(paper(), writer, status=CommentStatus.PENDING)
    for n in range(3):
        make_comment(
            make_consultation(f"paper-{n}", titles={"en": f"Paper {n}"}),
            writer,
            status=CommentStatus.PENDING,
        )
    as_role(client, "moderator")
    with statements() as seen:
        page = client.get(QUEUE).get_data(as_text=True)
    assert "Paper 2" in page
    # One for the comments' consultations, one for the waiting counts'.
    assert len(reading(seen, "consultation_translations")) <= 2


@pytest.mark.db
def test_arabic_queue_has_no_english_separator_or_messages(client: FlaskClient) -> None:
    comment = make_comment(paper(), author(), status=CommentStatus.PENDING)
    comment_id = comment.id
    as_role(client, "moderator")
    page = client.get("/ar/manage/moderation/ai-paper/").get_data(as_text=True)
    assert "Ana López، Congreso de la República" in page
    response = post_form(
        client,
        "/ar/manage/moderation/ai-paper/",
        f"/ar/manage/moderation/comments/{comment_id}/decide",
        decision="reject",
        reason="spam",
        note="x" * 2001,
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Field cannot be longer" not in text and "characters long" not in text
    assert "2000" in text or "٢٠٠٠" in text
    assert reload(comment_id).status is CommentStatus.PENDING
