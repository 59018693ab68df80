"""A participant deletes their account: their name, organisation and address leave
every page, export, open data file, log and e-mail; what they published stays, from
"a deleted participant"."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from werkzeug.test import TestResponse

from consult.accounts.models import Role, User
from consult.accounts.operations import (
    StaffAccount,
    change_email_with_link,
    delete_account,
    request_email_change,
)
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentReport, CommentStatus, Identity
from consult.comments.queries import published_counts
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.questionnaires.models import Response, ResponseStatus
from tests.accounts.helpers import (
    ask_for_link,
    complete_profile,
    csrf_token_of,
    press_continue,
    sign_in_participant,
)
from tests.accounts.staff_helpers import STAFF_SIGN_IN, make_staff, staff_client
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

DELETE = "/en/account/delete"
OLD_ADDRESS = "zuleika@example.org"
NEW_ADDRESS = "zuleika.quorn@example.org"
NAME = "Zuleika Quorn"
ORGANISATION = "Parlement de Quornshire"
# Any of these, in any case, anywhere, is the person.
TRACES = ("zuleika", "quorn")


def traces_in(content: str) -> list[str]:
    lowered = content.lower()
    return [trace for trace in TRACES if trace in lowered]


def zipped_text(data: bytes) -> str:
    """Every part of an XLSX or DOCX file, as text (their XML keeps letters as they are)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def reload_user(user_id: int) -> User:
    user = db.session.get(User, user_id, populate_existing=True)
    assert user is not None
    return user


def the_user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def delete_own_account(client: FlaskClient, **data: str) -> TestResponse:
    token = csrf_token_of(client.get(DELETE).get_data(as_text=True))
    return client.post(DELETE, data={"csrf_token": token, "confirm": "y", **data})


def zuleika_signs_in(app: Flask, client: FlaskClient) -> int:
    """Zuleika signs up, completes her profile, then changes her address (the old
    one stays in the log until she deletes her account)."""
    after_continue = press_continue(client, ask_for_link(client, OLD_ADDRESS))
    token = csrf_token_of(client.get(after_continue.headers["Location"]).get_data(as_text=True))
    client.post(
        after_continue.headers["Location"],
        data={
            "display_name": NAME,
            "organisation": ORGANISATION,
            "stakeholder_group": "parliament",
            "country": "TV",
            "preferred_locale": "en",
            "accept_privacy": "y",
            "csrf_token": token,
        },
    )
    with app.test_request_context():
        user = the_user(OLD_ADDRESS)
        link = request_email_change(user, NEW_ADDRESS, "en")
        assert link is not None
        change_email_with_link(link, user)
        db.session.commit()
        return user.id


def her_contributions(user_id: int) -> dict[str, int]:
    """Comments in every state, a submitted response, a draft, a report, and a
    failed staff sign-in typed with her address."""
    zuleika = reload_user(user_id)
    paper = make_consultation(
        "ai-paper",
        titles={"en": "AI regulation"},
        sections={"1": {"en": "First."}, "2": {"en": "Second."}},
    )
    paper.open_data_before_close = True
    other_paper = make_consultation("other-paper", sections={"1": {"en": "One."}})
    question = make_question(paper, texts={"en": "What should change?"})
    other_question = make_question(other_paper, texts={"en": "Anything?"})
    kofi = make_participant("kofi@example.org", display_name="Kofi Mensah", organisation="IPU")
    kofis = make_comment(paper, kofi, section_key="1", body="Kofi's own comment.")
    comments = {
        "named": make_comment(paper, zuleika, section_key="1", body="Named comment text."),
        "organisation": make_comment(
            paper, zuleika, section_key="2", identity=Identity.ORGANISATION_ONLY, body="Org text."
        ),
        "anonymous": make_comment(
            paper, zuleika, section_key="2", identity=Identity.ANONYMOUS, body="Anon text."
        ),
        "general": make_comment(paper, zuleika, body="A general comment on the paper."),
        "pending": make_comment(
            paper, zuleika, section_key="1", status=CommentStatus.PENDING, body="Waiting text."
        ),
        "rejected": make_comment(
            paper, zuleika, section_key="1", status=CommentStatus.REJECTED, body="Rejected text."
        ),
    }
    response = make_response(paper, zuleika, {question: "My answer to the question."})
    draft = make_response(
        other_paper, zuleika, {other_question: "A draft"}, status=ResponseStatus.DRAFT
    )
    db.session.add(CommentReport(comment_id=kofis.id, reporter_id=zuleika.id, note="Off-topic"))
    db.session.commit()
    return {
        **{key: comment.id for key, comment in comments.items()},
        "response": response.id,
        "draft": draft.id,
        "paper": paper.id,
    }


def every_output(app: Flask, admin: FlaskClient, paper_id: int, response_id: int) -> str:
    """Every page, export, open data file, log page and e-mail that could show her."""
    paper = db.session.get(Consultation, paper_id)
    assert paper is not None
    public = app.test_client()
    seen = []
    for path in (
        "/en/consultations/ai-paper/",
        "/en/consultations/ai-paper/sections/1/",
        "/en/consultations/ai-paper/sections/2/",
        "/en/consultations/ai-paper/comments/",
        "/en/consultations/ai-paper/open-data/comments.csv",
        "/en/consultations/ai-paper/open-data/comments.json",
    ):
        response = public.get(path, buffered=True)
        assert response.status_code == 200, path
        seen.append(response.get_data(as_text=True))
    for path in (
        "/en/manage/moderation/?state=published",
        "/en/manage/moderation/?state=decided",
        "/en/manage/moderation/?state=pending",
        "/en/manage/moderation/ai-paper/?state=published",
        "/en/manage/consultations/ai-paper/responses/",
        f"/en/manage/consultations/ai-paper/responses/{response_id}/",
        "/en/manage/audit/",
        "/en/manage/users/",
    ):
        response = admin.get(path)
        assert response.status_code == 200, path
        seen.append(response.get_data(as_text=True))
    # Her response names no placeholder address as a way to reach her.
    answers = admin.get(f"/en/manage/consultations/ai-paper/responses/{response_id}/")
    assert "@invalid" not in answers.get_data(as_text=True)
    export_page = "/en/manage/consultations/ai-paper/exports/"
    for fmt, content in (("csv", "comments"), ("csv", "responses"), ("json", ""), ("xlsx", ""),
                         ("docx", "")):  # fmt: skip
        token = csrf_token_of(admin.get(export_page).get_data(as_text=True))
        response = admin.post(
            export_page,
            data={
                "format": fmt,
                "content": content or "comments",
                "statuses": ["published", "pending", "rejected", "hidden"],
                "contact": "y",
                "csrf_token": token,
            },
            buffered=True,
        )
        assert response.status_code == 200, (fmt, content)
        assert response.mimetype != "text/html", (fmt, content)
        data = response.get_data()
        seen.append(zipped_text(data) if fmt in ("xlsx", "docx") else data.decode("utf-8-sig"))
    for message in db.session.scalars(select(OutboxMessage)):
        seen.append(" ".join((message.recipient, message.subject, message.text_body,
                              message.html_body)))  # fmt: skip
    return "\n".join(seen)


@pytest.mark.db
def test_after_deletion_no_output_names_her_and_her_published_comments_stay(
    app: Flask, client: FlaskClient
) -> None:
    user_id = zuleika_signs_in(app, client)
    ids = her_contributions(user_id)
    admin = staff_client(app.test_client(), "admin@example.org", Role.ADMIN)
    # A failed staff sign-in typed with her first address, logged with it.
    other = app.test_client()
    token = csrf_token_of(other.get(STAFF_SIGN_IN).get_data(as_text=True))
    other.post(STAFF_SIGN_IN, data={"email": OLD_ADDRESS, "password": "x" * 12,
                                    "csrf_token": token})  # fmt: skip
    paper = db.session.get(Consultation, ids["paper"])
    assert paper is not None
    counts_before = published_counts(paper)
    before = every_output(app, admin, ids["paper"], ids["response"])
    assert set(traces_in(before)) == set(TRACES), "the check would see her"

    response = delete_own_account(client)

    assert response.status_code == 302
    after = every_output(app, admin, ids["paper"], ids["response"])
    assert traces_in(after) == []
    assert "A deleted participant" in after
    paper = db.session.get(Consultation, ids["paper"], populate_existing=True)
    assert paper is not None
    assert published_counts(paper) == counts_before
    comments = {
        key: db.session.get(Comment, ids[key], populate_existing=True)
        for key in ("named", "organisation", "anonymous", "general", "pending", "rejected")
    }
    assert {key: c.status for key, c in comments.items() if c} == {
        "named": CommentStatus.PUBLISHED,
        "organisation": CommentStatus.PUBLISHED,
        "anonymous": CommentStatus.PUBLISHED,
        "general": CommentStatus.PUBLISHED,
        "pending": CommentStatus.WITHDRAWN,
        "rejected": CommentStatus.REJECTED,
    }
    # The texts stay as written; the group and country of the snapshots stay for the counts.
    named = comments["named"]
    assert named is not None
    assert (named.body, named.author_group, named.author_country) == (
        "Named comment text.",
        "parliament",
        "TV",
    )
    # Her submitted answers stay for the drafters; her draft is gone.
    assert db.session.get(Response, ids["response"]) is not None
    assert db.session.get(Response, ids["draft"]) is None
    user = reload_user(user_id)
    assert user.email == f"deleted-{user_id}@invalid"
    assert user.deleted_at is not None
    assert (user.display_name, user.organisation) == (None, None)
    actions = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.subject_type == "user", AuditEntry.subject_id == user_id
        )
    )
    assert "user.deleted" in list(actions)


@pytest.mark.db
def test_no_row_of_the_database_keeps_her_name_organisation_or_address(
    app: Flask, client: FlaskClient
) -> None:
    user_id = zuleika_signs_in(app, client)
    her_contributions(user_id)
    tables = [table.name for table in db.metadata.sorted_tables]

    def dump() -> str:
        return "\n".join(
            str(row)
            for table in tables
            for row in db.session.execute(text(f'SELECT * FROM "{table}"'))
        )

    assert set(traces_in(dump())) == set(TRACES), "the check would see her"
    delete_own_account(client)
    db.session.expire_all()
    assert traces_in(dump()) == []


@pytest.mark.db
def test_a_deleted_participant_is_named_so_in_their_own_language(client: FlaskClient) -> None:
    sign_in_participant(client, "amina@example.org")
    paper = make_consultation("ai-paper", titles={"fr": "Régulation"}, default_locale="fr",
                              sections={"1": {"fr": "Premier."}})  # fmt: skip
    make_comment(paper, the_user("amina@example.org"), section_key="1", language="fr")
    delete_own_account(client)
    page = client.get("/fr/consultations/ai-paper/sections/1/").get_data(as_text=True)
    assert "Amina" not in page
    # Translated when the catalogue has it; never the name.
    assert ("supprimé" in page) or ("A deleted participant" in page)


def test_every_session_ends_and_an_old_cookie_is_refused(app: Flask, client: FlaskClient) -> None:
    sign_in_participant(client, "amina@example.org")
    cookie = client.get_cookie("session")
    assert cookie is not None
    elsewhere = app.test_client()
    sign_in_participant(elsewhere, "amina@example.org")

    response = delete_own_account(client)

    assert response.headers["Location"] == "/en/"
    assert client.get("/en/account/profile").status_code == 302
    assert elsewhere.get("/en/account/profile").status_code == 302
    replayed = app.test_client()
    replayed.set_cookie("session", cookie.value)
    answer = replayed.get("/en/account/profile")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/en/account/sign-in")


def test_a_link_asked_before_deletion_no_longer_works(app: Flask, client: FlaskClient) -> None:
    sign_in_participant(client, "amina@example.org")
    link = ask_for_link(app.test_client(), "amina@example.org")
    delete_own_account(client)
    assert app.test_client().get(link).status_code == 410


def test_the_address_can_sign_up_again_as_a_new_empty_account(
    app: Flask, client: FlaskClient
) -> None:
    sign_in_participant(client, "amina@example.org")
    old = the_user("amina@example.org")
    old_id = old.id
    paper = make_consultation("ai-paper", sections={"1": {"en": "First."}})
    make_comment(paper, old, section_key="1", body="Written before the deletion.")
    delete_own_account(client)

    again = app.test_client()
    after_continue = press_continue(again, ask_for_link(again, "amina@example.org"))

    assert after_continue.headers["Location"].startswith("/en/account/profile")
    fresh = the_user("amina@example.org")
    assert fresh.id != old_id
    assert not fresh.has_complete_profile
    page = again.get("/en/account/contributions/").get_data(as_text=True)
    assert "Written before the deletion." not in page
    assert reload_user(old_id).deleted_at is not None


def test_the_page_says_what_goes_and_what_stays(client: FlaskClient) -> None:
    sign_in_participant(client, "amina@example.org")
    page = client.get(DELETE).get_data(as_text=True)
    assert "What is removed" in page and "What stays" in page
    assert "a deleted participant" in page
    assert 'name="confirm"' in page
    assert 'action="/en/account/data"' in page


def test_nothing_is_deleted_without_the_box_ticked(client: FlaskClient) -> None:
    sign_in_participant(client, "amina@example.org")
    response = delete_own_account(client, confirm="")
    assert response.status_code == 200
    assert "Please tick the box to confirm." in response.get_data(as_text=True)
    assert the_user("amina@example.org").deleted_at is None


@pytest.mark.parametrize("token", ["expired", None], ids=["wrong token", "no token"])
def test_nothing_is_deleted_without_a_valid_form_token(
    client: FlaskClient, token: str | None
) -> None:
    sign_in_participant(client, "amina@example.org")
    data = {"confirm": "y", **({"csrf_token": token} if token else {})}
    assert client.post(DELETE, data=data).status_code == 400
    assert the_user("amina@example.org").deleted_at is None


def test_a_visitor_is_asked_to_sign_in(client: FlaskClient) -> None:
    response = client.get(DELETE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/account/sign-in")


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.EDITOR, Role.ADMIN])
def test_staff_are_told_to_ask_an_administrator_and_cannot_delete_themselves(
    client: FlaskClient, role: Role
) -> None:
    staff_client(client, "staff@example.org", role)
    page = client.get(DELETE).get_data(as_text=True)
    assert "Please ask an administrator" in page
    assert 'name="confirm"' not in page
    token = csrf_token_of(page)
    assert client.post(DELETE, data={"csrf_token": token, "confirm": "y"}).status_code == 403
    user = the_user("staff@example.org")
    assert (user.deleted_at, user.role) == (None, role)


def test_a_staff_account_signed_in_by_link_cannot_delete_itself_either(
    client: FlaskClient,
) -> None:
    make_staff("moderator@example.org", Role.MODERATOR)
    sign_in_participant(client, "moderator@example.org")
    assert delete_own_account(client).status_code == 403
    assert the_user("moderator@example.org").deleted_at is None
    with pytest.raises(StaffAccount):
        delete_account(the_user("moderator@example.org"))


def test_deletion_is_audited_without_the_address(client: FlaskClient) -> None:
    sign_in_participant(client, "amina@example.org")
    user_id = the_user("amina@example.org").id
    delete_own_account(client)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.deleted"))
    assert entry is not None
    assert (entry.actor_id, entry.subject_id) == (user_id, user_id)
    assert "amina" not in repr(entry.details).lower()


def test_deleted_addresses_are_unique_and_reach_no_one(client: FlaskClient) -> None:
    first = make_participant("one@example.org")
    second = make_participant("two@example.org")
    delete_account(first)
    delete_account(second)
    db.session.commit()
    addresses = {first.email, second.email}
    assert len(addresses) == 2
    assert all(re.fullmatch(r"deleted-\d+@invalid", address) for address in addresses)


def test_mail_links_and_failed_sign_ins_of_whoever_took_her_old_address_stay(
    app: Flask, client: FlaskClient
) -> None:
    # Ana signs up with the office address, then moves to her own.
    sign_in_participant(client, "info@example.org")
    with app.test_request_context():
        ana = the_user("info@example.org")
        link = request_email_change(ana, "ana@example.org", "en")
        assert link is not None
        change_email_with_link(link, ana)
        db.session.commit()
    # Ben signs up with the office address, and has a sign-in link on its way.
    ben_browser = app.test_client()
    sign_in_participant(ben_browser, "info@example.org")
    ben = the_user("info@example.org")
    ben_link = ask_for_link(app.test_client(), "info@example.org")
    # Someone tries a password with Ben's address.
    other = app.test_client()
    token = csrf_token_of(other.get(STAFF_SIGN_IN).get_data(as_text=True))
    other.post(STAFF_SIGN_IN, data={"email": "info@example.org", "password": "x" * 12,
                                    "csrf_token": token})  # fmt: skip
    mails_before = len(
        list(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.recipient == "info@example.org")
            )
        )
    )

    assert delete_own_account(client).status_code == 302

    db.session.expire_all()
    bens_mail = list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "info@example.org")
        )
    )
    assert len(bens_mail) == mails_before > 0
    failed = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "auth.sign_in_failed")
    ).all()
    assert [entry.details["email"] for entry in failed] == ["info@example.org"]
    # His link still signs him in.
    after_continue = press_continue(app.test_client(), ben_link)
    assert after_continue.status_code == 302
    assert not after_continue.headers["Location"].startswith("/en/account/link")
    assert reload_user(ben.id).deleted_at is None


def test_a_person_named_like_a_log_label_leaves_the_labels_alone(
    client: FlaskClient,
) -> None:
    after_continue = press_continue(client, ask_for_link(client, "link@example.org"))
    complete_profile(client, path=after_continue.headers["Location"], display_name="Link",
                     organisation="Password")  # fmt: skip
    user_id = the_user("link@example.org").id

    delete_own_account(client)

    db.session.expire_all()
    sign_ins = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "auth.sign_in", AuditEntry.subject_id == user_id
        )
    ).all()
    assert [entry.details["method"] for entry in sign_ins] == ["link"]
