"""A participant downloads everything Consult holds about them, as one JSON file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from consult.accounts.models import Role, User
from consult.audit.models import AuditEntry
from consult.comments.models import CommentStatus, Identity, RejectionReason
from consult.extensions import db
from consult.questionnaires.models import QuestionKind, ResponseStatus
from tests.accounts.helpers import (
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
    sign_in_participant,
)
from tests.accounts.staff_helpers import staff_client
from tests.accounts.test_rate_limits import limited_app
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

DOWNLOAD = "/en/account/data"
# Stored exactly as typed: right-to-left text, quotes, a line break, an emoji.
ARABIC_TEXT = 'يجب أن تذكر الفقرة 3.ب "الاتحاد البرلماني الدولي".\nشكراً 🙏'


def user_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def download(client: FlaskClient) -> TestResponse:
    token = csrf_token_of(client.get("/en/account/profile").get_data(as_text=True))
    return client.post(DOWNLOAD, data={"csrf_token": token})


def downloads_audited(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "user.data_downloaded", AuditEntry.actor_id == user.id)
        )
        or 0
    )


@pytest.mark.db
def test_the_file_holds_what_the_person_wrote_and_nothing_of_anyone_else(
    client: FlaskClient,
) -> None:
    sign_in_participant(client, "amina@example.org")
    consultation = make_consultation(
        "ai-paper",
        titles={"en": "AI regulation", "fr": "Régulation de l’IA"},
        sections={"3": {"en": "Section three."}},
    )
    choice = make_question(
        consultation,
        QuestionKind.MULTIPLE_CHOICE,
        texts={"en": "Which bodies?", "fr": "Quels organes ?"},
        options=[{"en": "Parliaments", "fr": "Parlements"}, {"en": "Courts", "fr": "Tribunaux"}],
    )
    scale = make_question(consultation, QuestionKind.SCALE, texts={"en": "How much?"})
    draft_paper = make_consultation("draft-paper", sections={"1": {"en": "One."}})
    draft_question = make_question(draft_paper, texts={"en": "Half-written?"})
    amina = user_by_email("amina@example.org")
    other = make_participant("kofi@example.org", display_name="Kofi Mensah-Other")
    mine = make_comment(consultation, amina, section_key="3", body=ARABIC_TEXT, language="ar")
    rejected = make_comment(
        consultation,
        amina,
        body="A rejected remark",
        status=CommentStatus.REJECTED,
        identity=Identity.ANONYMOUS,
    )
    rejected.rejection_reason = RejectionReason.OFF_TOPIC
    rejected.moderator_note = "Please comment on the paper itself."
    make_comment(consultation, other, section_key="3", body="KOFI-ONLY comment text")
    options = [option.id for option in choice.options]
    make_response(consultation, amina, {choice: [options[1]], scale: 4}, language="fr")
    make_response(
        draft_paper, amina, {draft_question: "My draft answer"}, status=ResponseStatus.DRAFT
    )
    make_response(consultation, other, {choice: [options[0]]})
    db.session.commit()
    mine_id, rejected_id = mine.id, rejected.id

    response = download(client)

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    raw = response.get_data()
    # UTF-8 as written, indented for a person to read.
    assert "يجب أن تذكر الفقرة".encode() in raw
    assert b'\n  "account": {' in raw
    data = json.loads(raw.decode("utf-8"))
    assert data["account"]["email"] == "amina@example.org"
    assert data["account"]["display_name"] == "Amina Diallo"
    assert data["account"]["organisation"] == "Assemblée nationale"
    assert (data["account"]["stakeholder_group"], data["account"]["country"]) == (
        "parliament",
        "SN",
    )
    comments = {comment["id"]: comment for comment in data["comments"]}
    assert set(comments) == {mine_id, rejected_id}
    assert comments[mine_id]["text"] == ARABIC_TEXT
    assert comments[mine_id]["section_key"] == "3"
    assert comments[mine_id]["consultation"]["slug"] == "ai-paper"
    assert comments[mine_id]["author_snapshot"]["name"] == "Amina Diallo"
    assert comments[rejected_id]["status"] == "rejected"
    assert comments[rejected_id]["rejection_reason"] == "off_topic"
    assert comments[rejected_id]["moderator_note"] == "Please comment on the paper itself."
    assert comments[rejected_id]["shown_as"] == "anonymous"
    submitted, draft = sorted(data["responses"], key=lambda r: r["status"], reverse=True)
    assert submitted["status"] == "submitted"
    # The questions as the person read them: in their response's language.
    assert submitted["answers"] == [
        {"question": "Quels organes ?", "answer": ["Tribunaux"]},
        {"question": "How much?", "answer": 4},
    ]
    assert draft["status"] == "draft"
    assert draft["answers"] == [{"question": "Half-written?", "answer": "My draft answer"}]
    actions = [entry["action"] for entry in data["audit_log"]]
    assert "user.created" in actions and "auth.sign_in" in actions
    assert all("network_hash" not in entry for entry in data["audit_log"])
    assert data["sessions"] and data["sessions"][0]["started_at"]
    assert any(mail["subject"] == "Your link to sign in to Consult" for mail in data["emails"])
    # Nobody else's data.
    for foreign in ("kofi", "Kofi", "KOFI-ONLY", "Parlements"):
        assert foreign not in raw.decode("utf-8")
    assert downloads_audited(amina) == 1


def test_staff_download_their_own_data_too(client: FlaskClient) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    response = download(client)
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "editor@example.org"
    assert data["account"]["role"] == "editor"
    assert downloads_audited(user_by_email("editor@example.org")) == 1


def test_the_profile_page_offers_the_download_as_a_form_button(client: FlaskClient) -> None:
    sign_in_participant(client, "amina@example.org")
    page = client.get("/en/account/profile").get_data(as_text=True)
    assert f'<form method="post" action="{DOWNLOAD}">' in page
    assert 'href="/en/account/delete"' in page


def test_the_download_is_never_a_get(client: FlaskClient) -> None:
    sign_in_participant(client, "amina@example.org")
    assert client.get(DOWNLOAD).status_code == 405
    assert downloads_audited(user_by_email("amina@example.org")) == 0


@pytest.mark.parametrize("token", ["expired", None], ids=["wrong token", "no token"])
def test_a_download_without_a_valid_form_token_gives_nothing(
    client: FlaskClient, token: str | None
) -> None:
    sign_in_participant(client, "amina@example.org")
    response = client.post(DOWNLOAD, data={"csrf_token": token} if token else {})
    assert response.status_code == 400
    assert "amina@example.org" not in response.get_data(as_text=True)
    assert downloads_audited(user_by_email("amina@example.org")) == 0


def test_a_visitor_is_asked_to_sign_in(client: FlaskClient) -> None:
    token = csrf_token_of(client.get("/en/account/sign-in").get_data(as_text=True))
    response = client.post(DOWNLOAD, data={"csrf_token": token})
    assert response.status_code == 200
    assert "Sign in" in response.get_data(as_text=True)
    assert response.mimetype == "text/html"


def test_downloads_are_rate_limited_per_account(tmp_path: Path) -> None:
    app = limited_app(tmp_path)
    client = app.test_client()
    page = client.get("/en/account/sign-in").get_data(as_text=True)
    client.post(
        "/en/account/sign-in",
        data={"email": "amina@example.org", "csrf_token": csrf_token_of(page)},
    )
    with app.app_context():
        link = link_path_in(last_mail_to("amina@example.org"))
    press_continue(client, link)
    statuses = [download(client).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
