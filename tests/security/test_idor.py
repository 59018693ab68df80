"""Addresses that name an object by its number, tried with the numbers of objects the
reader must not reach: another consultation's comment, question or response under
this consultation's address, someone else's comment, a comment not published, a
draft. Each is refused (404, or 403 for a page the role may never see), shows
nothing of the object, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.accounts.models import Role, User
from consult.comments.models import Comment, CommentStatus
from consult.extensions import db
from consult.questionnaires.models import Question, QuestionKind, ResponseStatus
from tests.accounts.helpers import csrf_token_of, sign_in_participant
from tests.accounts.staff_helpers import make_staff, staff_client
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

SECRET = "TEXT-NOBODY-HERE-MAY-READ"


@dataclass
class Neighbours:
    """Objects of consultation "b" and of other people, and one question of "a"."""

    other_consultations_comment: int
    pending_comment: int
    withdrawn_comment: int
    someone_elses_pending_comment: int
    other_consultations_question: int
    other_consultations_response: int
    draft_response: int
    admin: int


@pytest.fixture
def neighbours(app: Flask, db_session: object) -> Neighbours:
    a = make_consultation("a", sections={"1": {"en": "Section of a."}})
    b = make_consultation("b", sections={"1": {"en": "Section of b."}})
    kofi = make_participant("kofi@example.org", display_name="Kofi")
    author = make_participant("author@example.org", display_name="Author")
    make_question(a, QuestionKind.SHORT_TEXT, texts={"en": "A's question?"})
    b_question = make_question(b, QuestionKind.SHORT_TEXT, texts={"en": f"{SECRET} question?"})
    a_question = make_question(a, QuestionKind.LONG_TEXT, texts={"en": "Another?"})
    found = Neighbours(
        other_consultations_comment=make_comment(b, author, section_key="1", body=SECRET).id,
        pending_comment=make_comment(
            a, author, section_key="1", body=SECRET, status=CommentStatus.PENDING
        ).id,
        withdrawn_comment=make_comment(
            a, author, section_key="1", body=SECRET, status=CommentStatus.WITHDRAWN
        ).id,
        someone_elses_pending_comment=make_comment(
            a, kofi, section_key="1", body=SECRET, status=CommentStatus.PENDING
        ).id,
        other_consultations_question=b_question.id,
        other_consultations_response=make_response(b, author, {b_question: SECRET}).id,
        draft_response=make_response(a, kofi, {a_question: SECRET}, status=ResponseStatus.DRAFT).id,
        admin=make_staff("admin@example.org", Role.ADMIN).id,
    )
    db.session.commit()
    return found


def int_routes(app: Flask) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule}


SWEPT = {
    "/<lang:lang>/account/contributions/<int:comment_id>/withdraw",
    "/<lang:lang>/consultations/<slug>/comments/<int:comment_id>/",
    "/<lang:lang>/consultations/<slug>/comments/<int:comment_id>/report",
    "/<lang:lang>/manage/consultations/<slug>/questionnaire/<int:question_id>/<locale>",
    "/<lang:lang>/manage/consultations/<slug>/questionnaire/<int:question_id>/move",
    "/<lang:lang>/manage/consultations/<slug>/questionnaire/<int:question_id>/remove",
    "/<lang:lang>/manage/consultations/<slug>/responses/<int:response_id>/",
    "/<lang:lang>/manage/users/<int:user_id>/",
    "/<lang:lang>/manage/users/<int:user_id>/disable",
    "/<lang:lang>/manage/users/<int:user_id>/enable",
    "/<lang:lang>/manage/users/<int:user_id>/password-reset",
    "/<lang:lang>/manage/users/<int:user_id>/role",
    "/<lang:lang>/manage/users/<int:user_id>/two-step-reset",
    # Moderators decide on any comment of any consultation: no neighbour to refuse,
    # only roles (tests/moderation/test_views.py walks them).
    "/<lang:lang>/manage/moderation/comments/<int:comment_id>/decide",
    # Administrators erase any deleted participant's comment; any other is refused
    # (test_an_admin_cannot_erase_the_comment_of_an_account_not_deleted below).
    "/<lang:lang>/manage/moderation/comments/<int:comment_id>/erase",
}


def test_every_address_with_a_number_is_swept(app: Flask) -> None:
    # A new one must say here how its neighbours are refused.
    assert int_routes(app) == SWEPT


def refused(client: FlaskClient, path: str, method: str = "GET", **data: str) -> None:
    if method == "GET":
        response = client.get(path)
    else:
        token = csrf_token_of(client.get("/en/account/sign-in").get_data(as_text=True))
        response = client.post(path, data={"csrf_token": token, **data})
    assert response.status_code in (403, 404), (method, path, response.status_code)
    assert SECRET not in response.get_data(as_text=True)


def test_a_visitor_reaches_no_comment_that_is_not_public_here(
    client: FlaskClient, neighbours: Neighbours
) -> None:
    for comment in (
        neighbours.other_consultations_comment,
        neighbours.pending_comment,
        neighbours.withdrawn_comment,
    ):
        refused(client, f"/en/consultations/a/comments/{comment}/")


def test_a_participant_cannot_report_or_withdraw_what_is_not_theirs_to(
    client: FlaskClient, neighbours: Neighbours
) -> None:
    sign_in_participant(client, "amina@example.org")
    for comment in (
        neighbours.other_consultations_comment,
        neighbours.pending_comment,
        neighbours.withdrawn_comment,
    ):
        refused(client, f"/en/consultations/a/comments/{comment}/report")
        refused(client, f"/en/consultations/a/comments/{comment}/report", "POST", note="x")
    for comment in (neighbours.someone_elses_pending_comment, neighbours.pending_comment):
        # Opened (where sign-in leads back), the address shows the reader's own list.
        opened = client.get(f"/en/account/contributions/{comment}/withdraw")
        assert opened.headers["Location"] == "/en/account/contributions/"
        refused(client, f"/en/account/contributions/{comment}/withdraw", "POST")
    # Still waiting for a moderator: nothing was withdrawn.
    statuses = {
        db.session.get(Comment, number).status  # type: ignore[union-attr]
        for number in (neighbours.someone_elses_pending_comment, neighbours.pending_comment)
    }
    assert statuses == {CommentStatus.PENDING}


def test_an_editor_reaches_no_question_or_response_of_another_consultation(
    client: FlaskClient, neighbours: Neighbours
) -> None:
    editor = staff_client(client, "editor@example.org", Role.EDITOR)
    question = neighbours.other_consultations_question
    base = "/en/manage/consultations/a"
    refused(editor, f"{base}/questionnaire/{question}/en")
    refused(editor, f"{base}/questionnaire/{question}/en", "POST", text="Changed")
    refused(editor, f"{base}/questionnaire/{question}/move", "POST", direction="up")
    refused(editor, f"{base}/questionnaire/{question}/remove", "POST", confirm="y")
    refused(editor, f"{base}/responses/{neighbours.other_consultations_response}/")
    refused(editor, f"{base}/responses/{neighbours.draft_response}/")
    assert db.session.get(Question, question) is not None


def test_an_editor_reaches_no_account_page(client: FlaskClient, neighbours: Neighbours) -> None:
    editor = staff_client(client, "editor@example.org", Role.EDITOR)
    admin = neighbours.admin
    refused(editor, f"/en/manage/users/{admin}/")
    for action, data in (
        ("disable", {"reason": "x"}),
        ("enable", {}),
        ("password-reset", {}),
        ("role", {"role": "participant"}),
        ("two-step-reset", {}),
    ):
        refused(editor, f"/en/manage/users/{admin}/{action}", "POST", **data)
    account = db.session.get(User, admin)
    assert account is not None
    assert account.role is Role.ADMIN
    assert not account.is_disabled


def test_an_admin_cannot_erase_the_comment_of_an_account_not_deleted(
    client: FlaskClient, neighbours: Neighbours
) -> None:
    admin = staff_client(client, "admin2@example.org", Role.ADMIN)
    for comment in (neighbours.other_consultations_comment, neighbours.pending_comment):
        refused(admin, f"/en/manage/moderation/comments/{comment}/erase", "POST", confirm="y")
        stored = db.session.get(Comment, comment)
        assert stored is not None
        assert stored.body == SECRET
