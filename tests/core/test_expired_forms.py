"""Every form sent with an expired or missing token: 400, nothing saved, nothing lost."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.accounts.models import Role, User
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentReport, CommentStatus
from consult.consultations.models import (
    Consultation,
    ConsultationNotice,
    ConsultationTranslation,
)
from consult.core.models import utcnow
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.papers.models import Section, SectionTranslation
from consult.questionnaires.models import Question, Response
from tests.accounts.staff_helpers import make_staff, staff_client
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question

VALUES = {"lang": "en", "token": "not-a-token", "user_id": 1, "slug": "x", "key": "1"}


def post_routes(app: Flask) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or set()):
            paths.append(rule.rule.replace("<lang:lang>", "en"))
    return sorted(paths)


def state() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (
            User,
            AuditEntry,
            OutboxMessage,
            Comment,
            CommentReport,
            Consultation,
            ConsultationTranslation,
            ConsultationNotice,
            Section,
            SectionTranslation,
            Question,
            Response,
        )
    )


def test_every_post_route_is_covered_here(app: Flask) -> None:
    # A new POST route must be added to the test below.
    assert post_routes(app) == sorted(EXPIRED_FORM_CASES)


EXPIRED_FORM_CASES = {
    "/en/account/sign-in": {"email": "typed@example.org"},
    "/en/account/link/<token>": {},
    "/en/account/profile": {"display_name": "Typed name"},
    "/en/account/email": {"email": "typed.new@example.org"},
    "/en/account/sign-out": {},
    "/en/account/data": {},
    "/en/account/delete": {"confirm": "y"},
    "/en/account/staff/sign-in": {"email": "typed@example.org", "password": "x" * 12},
    "/en/account/password/<token>": {"password": "y" * 14},
    "/en/account/staff/sign-in/code": {"code": "123456"},
    "/en/account/two-step/enable": {"code": "123456"},
    "/en/account/two-step/recovery-codes": {"renew-code": "123456"},
    "/en/account/two-step/disable": {"off-code": "123456"},
    "/en/manage/users/invite": {"email": "typed@example.org", "role": "moderator"},
    "/en/manage/users/<int:user_id>/role": {"role": "editor"},
    "/en/manage/users/<int:user_id>/disable": {"reason": "typed reason"},
    "/en/manage/users/<int:user_id>/enable": {},
    "/en/manage/users/<int:user_id>/password-reset": {},
    "/en/manage/users/<int:user_id>/two-step-reset": {},
    "/en/consultations/<slug>/sections/<key>/": {"body": "Typed comment on a section"},
    "/en/consultations/<slug>/comments/": {"body": "Typed comment on the paper"},
    "/en/consultations/<slug>/comments/<int:comment_id>/report": {"note": "Typed report note"},
    "/en/account/contributions/<int:comment_id>/withdraw": {},
    "/en/manage/moderation/comments/<int:comment_id>/decide": {
        "decision": "hide",
        "note": "Typed moderator note",
    },
    "/en/manage/moderation/bulk": {"decision": "approve"},
    "/en/manage/moderation/comments/<int:comment_id>/erase": {"confirm": "y"},
    "/en/manage/consultations/new": {"title": "Typed title"},
    "/en/manage/consultations/<slug>/settings": {"closes_at": "2030-01-01 09:00"},
    "/en/manage/consultations/<slug>/texts/<locale>": {
        "title": "Typed title",
        "summary": "Typed summary",
    },
    "/en/manage/consultations/<slug>/publish": {},
    "/en/manage/consultations/<slug>/unpublish": {},
    "/en/manage/consultations/<slug>/paper/import": {"text": "Typed paper text"},
    "/en/manage/consultations/<slug>/paper/sections/<key>/<locale>": {"body": "Typed section text"},
    "/en/manage/consultations/<slug>/paper/sections/new": {
        "key": "9",
        "body": "Typed section text",
    },
    "/en/manage/consultations/<slug>/paper/sections/<key>/move": {"direction": "up"},
    "/en/manage/consultations/<slug>/paper/sections/<key>/archive": {},
    "/en/manage/consultations/<slug>/paper/sections/<key>/restore": {},
    "/en/consultations/<slug>/questionnaire/": {"q-<question_id>": "Typed answer"},
    "/en/manage/consultations/<slug>/questionnaire/new": {"text": "Typed question"},
    "/en/manage/consultations/<slug>/questionnaire/<int:question_id>/<locale>": {
        "text": "Typed question"
    },
    "/en/manage/consultations/<slug>/questionnaire/<int:question_id>/move": {"direction": "up"},
    "/en/manage/consultations/<slug>/questionnaire/<int:question_id>/remove": {},
    "/en/manage/consultations/<slug>/exports/": {
        "format": "docx",
        "section": "1",
        "date_from": "2024-09-02",
        "date_to": "2024-09-03 typed",
    },
}


def comment_for(route: str, admin_email: str) -> int:
    """A comment the route can act on: the admin's own pending one to withdraw,
    someone else's published one otherwise."""
    consultation = make_consultation("x", sections={"1": {"en": "Section one."}})
    if "/contributions/" in route:
        admin = db.session.scalars(select(User).where(User.email == admin_email)).one()
        return make_comment(consultation, admin, status=CommentStatus.PENDING).id
    return make_comment(consultation, make_participant("author@example.org")).id


@pytest.mark.parametrize("token", ["expired", None], ids=["wrong token", "no token"])
@pytest.mark.parametrize("route", sorted(EXPIRED_FORM_CASES))
def test_an_expired_token_saves_nothing_and_shows_the_typed_text(
    client: FlaskClient, route: str, token: str | None
) -> None:
    admin_client = staff_client(client, "admin@example.org", Role.ADMIN)
    other = make_staff("other@example.org", Role.MODERATOR)
    path = route.replace("<token>", "not-a-token").replace("<int:user_id>", str(other.id))
    if "<slug>" in route:
        # Staff comment like anyone else once their profile is complete.
        admin = db.session.scalars(select(User).where(User.email == "admin@example.org")).one()
        admin.display_name, admin.stakeholder_group = "Admin", "individual"
        admin.privacy_accepted_at = admin.profile_completed_at = utcnow()
        db.session.commit()
        comment_id = str(comment_for(route, "admin@example.org"))
        path = path.replace("<slug>", "x").replace("<key>", "1").replace("<locale>", "en")
        path = path.replace("<int:comment_id>", comment_id)
    elif "<int:comment_id>" in route:
        path = path.replace("<int:comment_id>", str(comment_for(route, "admin@example.org")))
    data = EXPIRED_FORM_CASES[route]
    if "questionnaire" in route:
        consultation = db.session.scalars(
            select(Consultation).where(Consultation.slug == "x")
        ).one()
        question_id = str(make_question(consultation).id)
        path = path.replace("<int:question_id>", question_id)
        data = {name.replace("<question_id>", question_id): value for name, value in data.items()}
    before = state()
    sent = {**data, "csrf_token": token} if token else data
    response = admin_client.post(path, data=sent)
    assert response.status_code == 400
    assert state() == before
    page = response.get_data(as_text=True)
    for value in data.values():
        if "@" in value or " " in value:
            assert value in page


def test_an_expired_export_form_keeps_every_choice(client: FlaskClient) -> None:
    admin_client = staff_client(client, "admin@example.org", Role.ADMIN)
    make_consultation("x", sections={"1": {"en": "Section one."}})
    before = state()
    response = admin_client.post(
        "/en/manage/consultations/x/exports/",
        data={
            "format": "csv",
            "content": "responses",
            "statuses": ["published", "hidden"],
            "section": "1",
            "group": "academia",
            "date_from": "2024-09-02",
            "contact": "y",
            "csrf_token": "expired",
        },
        buffered=True,
    )
    assert response.status_code == 400
    assert state() == before
    page = response.get_data(as_text=True)
    for checked in (
        'checked id="format-0" name="format" type="radio" value="csv"',
        'checked id="content-1" name="content" type="radio" value="responses"',
        'checked id="statuses-0" name="statuses" type="checkbox" value="published"',
        'checked id="statuses-3" name="statuses" type="checkbox" value="hidden"',
        'checked id="contact" name="contact" type="checkbox" value="y"',
        '<option selected value="1">',
        '<option selected value="academia">',
        'value="2024-09-02"',
    ):
        assert checked in page
