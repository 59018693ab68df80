"""Reading comments: what each reader sees, attributed as the author chose, in pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select

from consult.accounts.models import User
from consult.comments.models import Comment, CommentStatus, Identity
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.extensions import db
from tests.accounts.helpers import sign_in_participant
from tests.comments.helpers import comment_in
from tests.factories import make_comment, make_consultation, make_participant

SECTION = "/en/consultations/ai/sections/1/"
PAPER = "/en/consultations/ai/"
GENERAL = "/en/consultations/ai/comments/"
PUBLIC_PAGES = (SECTION, PAPER, GENERAL, "/en/consultations/ai/sections/2/")


def paper() -> Consultation:
    return make_consultation("ai", sections={"1": {"en": "Principles."}, "2": {"en": "Standards."}})


def pages_text(client: FlaskClient) -> str:
    return "".join(client.get(path).get_data(as_text=True) for path in PUBLIC_PAGES)


@pytest.mark.db
def test_only_published_comments_are_shown_and_counted(client: FlaskClient) -> None:
    consultation = paper()
    author = make_participant()
    make_comment(consultation, author, section_key="1", body="Published words.")
    for status in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.WITHDRAWN):
        comment_in(status, consultation, author, section_key="1", body=f"Secret {status.value}.")
        comment_in(status, consultation, author, body=f"Secret general {status.value}.")
    comment_in(
        CommentStatus.HIDDEN, consultation, author, section_key="1", body="Secret hidden words."
    )

    for reader in ("visitor", "another participant"):
        if reader != "visitor":
            sign_in_participant(client, "reader@example.org")
        text = pages_text(client)
        assert "Published words." in text
        assert "Secret" not in text
        assert "Hidden by a moderator on" in text
        section_page = client.get(SECTION).get_data(as_text=True)
        assert "1 comment<" in section_page
        assert "0 comments on the paper as a whole" in client.get(PAPER).get_data(as_text=True)


def test_a_hidden_comment_shows_a_notice_without_author_or_text(client: FlaskClient) -> None:
    consultation = paper()
    comment = make_comment(consultation, make_participant(), section_key="1", body="Gone now.")
    comment.status, comment.hidden_at = CommentStatus.HIDDEN, utcnow()
    db.session.commit()
    page = client.get(f"/en/consultations/ai/comments/{comment.id}/", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert f'id="comment-{comment.id}"' in text
    assert "Hidden by a moderator on" in text
    assert "Gone now." not in text and "Ana López" not in text


def test_a_withdrawn_comment_permalink_says_so_to_its_author_without_author_or_text(
    client: FlaskClient,
) -> None:
    consultation = paper()
    sign_in_participant(client, "amina@example.org")
    amina = db.session.scalars(select(User).where(User.email == "amina@example.org")).one()
    comment = comment_in(
        CommentStatus.WITHDRAWN, db.session.merge(consultation), amina, section_key="1"
    )
    text = client.get(f"/en/consultations/ai/comments/{comment.id}/").get_data(as_text=True)
    assert "Withdrawn by its author" in text
    assert comment.body not in text and "comment-author" not in text


def test_a_comment_withdrawn_before_publication_has_no_permalink_for_others(
    client: FlaskClient,
) -> None:
    consultation = paper()
    comment = comment_in(CommentStatus.WITHDRAWN, consultation, make_participant())
    comment_id, body = comment.id, comment.body
    assert client.get(f"/en/consultations/ai/comments/{comment_id}/").status_code == 404
    sign_in_participant(client, "reader@example.org")
    assert client.get(f"/en/consultations/ai/comments/{comment_id}/").status_code == 404
    # Once public, its address says what became of it.
    comment = db.session.merge(comment)
    comment.published_at = utcnow()
    db.session.commit()
    text = client.get(f"/en/consultations/ai/comments/{comment_id}/").get_data(as_text=True)
    assert "Withdrawn by its author" in text and body not in text


@pytest.mark.parametrize(
    ("identity", "shown", "not_shown"),
    [
        (
            Identity.NAME_AND_ORGANISATION,
            "<bdi>Ana López</bdi>, <bdi>Congreso de la República</bdi>"
            " · <bdi>Parliament</bdi> · <bdi>Peru</bdi>",
            [],
        ),
        (
            Identity.ORGANISATION_ONLY,
            "<bdi>Congreso de la República</bdi> · <bdi>Parliament</bdi> · <bdi>Peru</bdi>",
            ["Ana López"],
        ),
        (
            Identity.ANONYMOUS,
            "<bdi>Anonymous</bdi> · <bdi>Parliament</bdi>",
            ["Ana López", "Congreso", "Peru"],
        ),
    ],
)
def test_a_comment_is_attributed_as_its_author_chose(
    client: FlaskClient, identity: Identity, shown: str, not_shown: list[str]
) -> None:
    consultation = paper()
    make_comment(
        consultation, make_participant(), section_key="1", identity=identity, language="es"
    )
    text = client.get(SECTION).get_data(as_text=True)
    assert f'<span class="comment-author">{shown}</span>' in text
    for word in not_shown:
        assert word not in text
    assert '<div class="comment-body" lang="es" dir="auto">' in text
    assert "Spanish" in text


def test_the_form_previews_how_each_choice_appears(client: FlaskClient) -> None:
    paper()
    sign_in_participant(client)
    text = client.get(SECTION).get_data(as_text=True)
    assert (
        "Appears as: <bdi>Amina Diallo</bdi>, <bdi>Assemblée nationale</bdi>"
        " · <bdi>Parliament</bdi> · <bdi>Senegal</bdi>"
    ) in text
    assert "Appears as: <bdi>Assemblée nationale</bdi> · <bdi>Parliament</bdi>" in text
    assert "Appears as: <bdi>Anonymous</bdi> · <bdi>Parliament</bdi>" in text


def test_comments_come_twenty_a_page_oldest_first_or_newest_first(client: FlaskClient) -> None:
    consultation = paper()
    author = make_participant()
    start = utcnow() - timedelta(days=1)
    for n in range(1, 26):
        make_comment(
            consultation,
            author,
            section_key="1",
            body=f"Comment number {n:02d}.",
            created_at=start + timedelta(minutes=n),
        )
    first = client.get(SECTION).get_data(as_text=True)
    assert first.count('class="comment"') == 20
    assert first.index("number 01.") < first.index("number 20.")
    assert "number 21." not in first
    assert "25 comments" in first and "Page 1 of 2" in first
    second = client.get(SECTION + "?page=2").get_data(as_text=True)
    assert second.count('class="comment"') == 5
    assert "number 21." in second and "number 25." in second
    newest = client.get(SECTION + "?order=newest").get_data(as_text=True)
    assert newest.index("number 25.") < newest.index("number 06.")
    assert "number 05." not in newest
    assert 'href="/en/consultations/ai/sections/1/?order=newest&amp;page=2#comments"' in newest
    # Nonsense is read as the defaults, not an error.
    assert client.get(SECTION + "?order=sideways&page=-3").status_code == 200


def test_the_permalink_leads_to_the_comment_in_its_page(client: FlaskClient) -> None:
    consultation = paper()
    author = make_participant()
    start = utcnow() - timedelta(days=1)
    made = [
        make_comment(consultation, author, section_key="1", created_at=start + timedelta(minutes=n))
        for n in range(22)
    ]
    last, general = made[21].id, make_comment(consultation, author).id
    response = client.get(f"/en/consultations/ai/comments/{last}/")
    assert response.headers["Location"] == f"{SECTION}?page=2#comment-{last}"
    response = client.get(f"/en/consultations/ai/comments/{general}/")
    assert response.headers["Location"] == f"{GENERAL}#comment-{general}"


def test_an_authors_pending_comment_is_shown_to_them_only_and_marked(
    client: FlaskClient,
) -> None:
    consultation = paper()
    sign_in_participant(client, "amina@example.org")

    amina = db.session.scalars(select(User).where(User.email == "amina@example.org")).one()
    consultation = db.session.merge(consultation)
    comment = make_comment(
        consultation, amina, section_key="1", status=CommentStatus.PENDING, body="Mine, waiting."
    )
    text = client.get(SECTION).get_data(as_text=True)
    assert "Mine, waiting." in text
    assert '<strong class="status status-pending">Awaiting moderation</strong>' in text
    assert "0 comments" in text
    other = client.application.test_client()
    assert "Mine, waiting." not in other.get(SECTION).get_data(as_text=True)
    assert other.get(f"/en/consultations/ai/comments/{comment.id}/").status_code == 404


def test_rejected_and_others_pending_comments_have_no_permalink(client: FlaskClient) -> None:
    consultation = paper()
    author = make_participant()
    ids = [
        make_comment(consultation, author, section_key="1", status=status).id
        for status in (CommentStatus.REJECTED, CommentStatus.PENDING)
    ]
    for comment_id in ids:
        assert client.get(f"/en/consultations/ai/comments/{comment_id}/").status_code == 404


def test_a_page_of_comments_and_the_counts_take_a_fixed_number_of_queries(
    client: FlaskClient,
) -> None:
    consultation = paper()
    author = make_participant()

    def queries_for(path: str) -> int:
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        with client.application.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            client.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    make_comment(consultation, author, section_key="1")
    make_comment(consultation, author, section_key="2")
    one = (queries_for(SECTION), queries_for(PAPER))
    consultation, author = db.session.merge(consultation), db.session.merge(author)
    for _ in range(15):
        make_comment(consultation, author, section_key="1")
        make_comment(consultation, author, section_key="2")
    assert (queries_for(SECTION), queries_for(PAPER)) == one
    assert db.session.query(Comment).count() == 32
