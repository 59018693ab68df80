"""What review found: locks, form keys, papers without sections, sign-in round trips,
rate limits per person, translated messages, and text that must stay private."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from consult.accounts.models import Role, User
from consult.comments.models import Comment, CommentStatus, Identity, RejectionReason
from consult.comments.operations import CommentDraft, CommentRefused, submit_comment
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.moderation.operations import (
    approve_comment,
    hide_comment,
    reject_comment,
    send_moderation_digest,
)
from tests.accounts.helpers import (
    complete_profile,
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
    sign_in_participant,
)
from tests.accounts.test_rate_limits import limited_app
from tests.comments.helpers import comment_form_of, comment_in
from tests.comments.test_languages_and_drafts import hidden_value
from tests.factories import make_comment, make_consultation, make_participant

SECTION = "/en/consultations/ai/sections/1/"
GENERAL = "/en/consultations/ai/comments/"
CONTRIBUTIONS = "/en/account/contributions/"


def signed_in(client: FlaskClient, email: str = "amina@example.org") -> User:
    sign_in_participant(client, email)
    return db.session.scalars(select(User).where(User.email == email)).one()


def comment_count() -> int:
    return len(db.session.scalars(select(Comment)).all())


@pytest.mark.db
def test_withdrawing_locks_the_comment_and_a_decided_one_stays_decided(
    client: FlaskClient, backend: str
) -> None:
    author = signed_in(client)
    consultation = make_consultation("ai", sections={"1": {"en": "Principles."}})
    comment = make_comment(consultation, author, section_key="1", status=CommentStatus.PENDING)
    comment_id = comment.id
    page = client.get(CONTRIBUTIONS).get_data(as_text=True)
    # A moderator publishes it between the author's page and their click.
    moderator = make_participant("moderator@example.org", role=Role.MODERATOR)
    with client.application.test_request_context():
        approve_comment(db.session.merge(comment), moderator)
        db.session.commit()
        engine = db.engine

    statements: list[str] = []

    def remember(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        response = client.post(
            f"/en/account/contributions/{comment_id}/withdraw",
            data={"csrf_token": csrf_token_of(page)},
        )
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert response.headers["Location"] == CONTRIBUTIONS
    assert "can no longer be withdrawn" in client.get(CONTRIBUTIONS).get_data(as_text=True)
    assert db.session.get(Comment, comment_id).status is CommentStatus.PUBLISHED  # type: ignore[union-attr]
    if backend == "postgresql":
        assert any("FROM comments" in sql and "FOR UPDATE" in sql for sql in statements), statements


def test_withdraw_after_signing_in_again_leads_to_my_contributions(client: FlaskClient) -> None:
    signed_in(client)
    response = client.get("/en/account/contributions/1/withdraw")
    assert response.status_code == 302
    assert response.headers["Location"] == CONTRIBUTIONS


@pytest.mark.db
@pytest.mark.parametrize("key", [None, "", "k" * 100])
def test_a_form_without_a_valid_key_makes_no_comment(client: FlaskClient, key: str | None) -> None:
    make_consultation("ai", sections={"1": {"en": "Principles."}})
    signed_in(client)
    page = client.get(SECTION).get_data(as_text=True)
    data = comment_form_of(page, body="Keyless words.")
    if key is None:
        del data["form_key"]
    else:
        data["form_key"] = key
    for _ in range(2):
        response = client.post(SECTION, data=data)
        assert response.status_code == 200
        assert "This form is out of date: please send it again." in response.get_data(as_text=True)
    assert comment_count() == 0


def test_a_key_is_made_when_the_form_is_shown(client: FlaskClient) -> None:
    make_consultation("ai", sections={"1": {"en": "Principles."}})
    first = client.get(SECTION).get_data(as_text=True)
    second = client.get(SECTION).get_data(as_text=True)
    assert hidden_value(first, "form_key") != hidden_value(second, "form_key")


def test_no_general_comments_on_a_consultation_without_a_paper(client: FlaskClient) -> None:
    consultation = make_consultation("ai")
    author = signed_in(client)
    assert client.get(GENERAL).status_code == 404
    draft = CommentDraft(
        body="Nothing to comment on.", language="en", identity=Identity.ANONYMOUS, form_key="k1"
    )
    with client.application.test_request_context(), pytest.raises(CommentRefused) as refused:
        submit_comment(db.session.merge(consultation), None, db.session.merge(author), draft)
    assert refused.value.reason == "no_paper"


def test_appearing_by_an_organisation_the_profile_lacks_is_refused_by_the_operation(
    client: FlaskClient,
) -> None:
    consultation = make_consultation("ai", sections={"1": {"en": "Principles."}})
    author = make_participant(organisation=None)
    draft = CommentDraft(
        body="By nobody's organisation.",
        language="en",
        identity=Identity.ORGANISATION_ONLY,
        form_key="k1",
    )
    with client.application.test_request_context(), pytest.raises(CommentRefused) as refused:
        submit_comment(consultation, None, author, draft)
    assert refused.value.reason == "no_organisation"


def test_a_visitors_report_note_comes_back_after_signing_in(client: FlaskClient) -> None:
    consultation = make_consultation("ai", sections={"1": {"en": "Principles."}})
    comment_id = make_comment(consultation, make_participant(), section_key="1").id
    report = f"/en/consultations/ai/comments/{comment_id}/report"
    page = client.get(SECTION).get_data(as_text=True)
    asked = client.post(
        report, data={"csrf_token": csrf_token_of(page), "note": "It names a private person."}
    )
    sign_in = asked.get_data(as_text=True)
    client.post(
        "/en/account/sign-in",
        data={
            "email": "reader@example.org",
            "next": hidden_value(sign_in, "next"),
            "draft": hidden_value(sign_in, "draft"),
            "csrf_token": csrf_token_of(sign_in),
        },
    )
    after_continue = press_continue(client, link_path_in(last_mail_to("reader@example.org")))
    after_profile = complete_profile(client, path=after_continue.headers["Location"])
    assert after_profile.headers["Location"] == report
    form = client.get(report)
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert "It names a private person." in text
    assert 'maxlength="2000"' in text


def test_the_report_form_on_the_page_comes_from_the_form_with_its_limit(
    client: FlaskClient,
) -> None:
    consultation = make_consultation("ai", sections={"1": {"en": "Principles."}})
    comment_id = make_comment(consultation, make_participant(), section_key="1").id
    signed_in(client, "reader@example.org")
    text = client.get(SECTION).get_data(as_text=True)
    assert f'id="report-note-{comment_id}" maxlength="2000" name="note"' in text
    assert f'<label for="report-note-{comment_id}">' in text


def test_the_comment_limit_counts_people_not_their_shared_address(tmp_path: Path) -> None:
    app: Flask = limited_app(tmp_path)
    with app.app_context():
        make_consultation("ai", sections={"1": {"en": "Principles."}})

    def participant(email: str) -> FlaskClient:
        # No application context held across requests: each has its own, as served.
        client = app.test_client()
        page = client.get("/en/account/sign-in").get_data(as_text=True)
        client.post("/en/account/sign-in", data={"email": email, "csrf_token": csrf_token_of(page)})
        with app.app_context():
            path = link_path_in(last_mail_to(email))
        complete_profile(client, path=press_continue(client, path).headers["Location"])
        return client

    first, second = participant("one@example.org"), participant("two@example.org")
    data = comment_form_of(first.get(SECTION).get_data(as_text=True), body="Again.")
    # The same form sent again makes no new comment, but counts as a sending.
    answers = [first.post(SECTION, data=data).status_code for _ in range(31)]
    assert answers == [302] * 30 + [429]
    # From the same address, a colleague still comments.
    page = second.get(SECTION).get_data(as_text=True)
    assert second.post(SECTION, data=comment_form_of(page, body="Mine.")).status_code == 302


def test_the_arabic_page_joins_an_attribution_and_says_errors_in_arabic(
    client: FlaskClient,
) -> None:
    consultation = make_consultation(
        "ai", titles={"en": "AI", "ar": "الذكاء الاصطناعي"}, sections={"1": {"en": "Principles."}}
    )
    comment_id = make_comment(consultation, make_participant(), section_key="1").id
    signed_in(client, "reader@example.org")
    page = client.get("/ar/consultations/ai/sections/1/").get_data(as_text=True)
    assert "<bdi>Ana López</bdi>، <bdi>Congreso de la República</bdi>" in page
    report = f"/ar/consultations/ai/comments/{comment_id}/report"
    response = client.post(report, data={"csrf_token": csrf_token_of(page), "note": "x" * 2001})
    text = response.get_data(as_text=True)
    assert "Field cannot be longer" not in text
    assert "2000" in text and "A report note has at most" not in text


@pytest.mark.db
def test_unpublished_text_never_reaches_anyone_else(client: FlaskClient) -> None:
    consultation = make_consultation("ai", sections={"1": {"en": "Principles."}})
    author = make_participant("author@example.org")
    make_participant("moderator@example.org", role=Role.MODERATOR, preferred_locale="en")
    moderator = db.session.scalars(select(User).where(User.role == Role.MODERATOR)).one()
    secrets = {
        status: comment_in(
            status, consultation, author, section_key="1", body=f"Secret {status.value} text."
        )
        for status in (
            CommentStatus.PENDING,
            CommentStatus.REJECTED,
            CommentStatus.HIDDEN,
            CommentStatus.WITHDRAWN,
        )
    }
    to_reject = make_comment(
        consultation,
        author,
        section_key="1",
        status=CommentStatus.PENDING,
        body="Secret rejected now.",
    )
    to_hide = make_comment(consultation, author, section_key="1", body="Secret hidden now.")
    with client.application.test_request_context():
        to_reject, to_hide = db.session.merge(to_reject), db.session.merge(to_hide)
        secrets = {status: db.session.merge(comment) for status, comment in secrets.items()}
        moderator = db.session.merge(moderator)
        reject_comment(to_reject, moderator, RejectionReason.OFF_TOPIC, note="Not about AI.")
        hide_comment(to_hide, moderator)
        approve_comment(secrets[CommentStatus.PENDING], moderator)
        db.session.commit()
        # One still waits, for the digest.
        make_comment(
            consultation,
            author,
            section_key="1",
            status=CommentStatus.PENDING,
            body="Secret waiting.",
        )
        assert send_moderation_digest() >= 1
        db.session.commit()
        ids = [comment.id for comment in secrets.values()] + [to_reject.id, to_hide.id]

    others = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient != "author@example.org")
    ).all()
    assert others, "the digest went to the moderator"
    for message in others:
        assert "Secret" not in message.text_body and "Secret" not in html.unescape(
            message.html_body
        )

    signed_in(client, "reader@example.org")
    for path in (SECTION, "/en/consultations/ai/", GENERAL):
        text = client.get(path).get_data(as_text=True)
        # The approved one is published now; every other stays out.
        assert "Secret pending text." in text or path != SECTION
        for word in ("rejected", "hidden", "withdrawn", "waiting"):
            assert f"Secret {word}" not in text
    assert "1 comment<" in client.get(SECTION).get_data(as_text=True)
    for comment_id in ids:
        response = client.get(f"/en/consultations/ai/comments/{comment_id}/", follow_redirects=True)
        text = response.get_data(as_text=True)
        for word in ("rejected", "hidden", "withdrawn", "waiting"):
            assert f"Secret {word}" not in text
