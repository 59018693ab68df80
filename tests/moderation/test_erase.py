"""An administrator erases a published comment of a participant who deleted their account."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.accounts.models import Role, User
from consult.accounts.operations import delete_account
from consult.audit.models import AuditEntry
from consult.comments.models import CommentStatus
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.moderation.operations import (
    ModerationRefused,
    erase_comment,
    hide_comment,
    restore_comment,
)
from tests.accounts.helpers import csrf_token_of
from tests.accounts.staff_helpers import make_staff
from tests.factories import make_comment
from tests.moderation.helpers import author, mails_to, paper, report
from tests.moderation.test_views import DEMOTED, PARTICIPANT, STAFF, VISITOR, as_role, reload

TEXT = "A remark its author no longer wants kept."
SECTION_PAGE = "/en/consultations/ai-paper/sections/1/"
PUBLISHED_QUEUE = "/en/manage/moderation/ai-paper/?state=published"


def staff_member(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def erase_path(comment_id: int) -> str:
    return f"/en/manage/moderation/comments/{comment_id}/erase"


def deleted_authors_comment(status: CommentStatus = CommentStatus.PUBLISHED) -> int:
    writer = author()
    comment = make_comment(paper(), writer, section_key="1", body=TEXT, status=status)
    delete_account(writer)
    db.session.commit()
    return comment.id


def erase(client: FlaskClient, comment_id: int, **data: str) -> int:
    token = csrf_token_of(client.get("/en/account/sign-in").get_data(as_text=True))
    sent = {"csrf_token": token, "confirm": "y", "next": PUBLISHED_QUEUE, **data}
    return client.post(erase_path(comment_id), data=sent).status_code


@pytest.mark.db
def test_an_admin_erases_the_text_and_readers_see_a_hidden_comment(client: FlaskClient) -> None:
    comment_id = deleted_authors_comment()
    reader = client.application.test_client()
    assert TEXT in reader.get(SECTION_PAGE).get_data(as_text=True)
    admin = as_role(client, "admin")
    queue = admin.get(PUBLISHED_QUEUE).get_data(as_text=True)
    assert f'action="{erase_path(comment_id)}"' in queue

    assert erase(admin, comment_id) == 302

    comment = reload(comment_id)
    assert comment.body == ""
    assert comment.status is CommentStatus.HIDDEN
    page = reader.get(SECTION_PAGE).get_data(as_text=True)
    assert TEXT not in page
    assert "Hidden by a moderator on" in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "comment.erased"))
    assert entry is not None
    assert (entry.subject_type, entry.subject_id) == ("comment", comment_id)
    # Nothing to publish again: neither restore nor undo is offered, and restore is refused.
    admin_queue = admin.get("/en/manage/moderation/ai-paper/?state=decided").get_data(as_text=True)
    assert 'value="restore"' not in admin_queue
    assert "was erased" in admin_queue
    with pytest.raises(ModerationRefused):
        restore_comment(reload(comment_id), staff_member("admin@example.org"))


def test_erasing_reviews_the_open_reports(client: FlaskClient) -> None:
    comment_id = deleted_authors_comment()
    reporter = author("kofi@example.org", "en")
    report(reload(comment_id), reporter)
    admin = as_role(client, "admin")
    assert erase(admin, comment_id) == 302
    reported = admin.get("/en/manage/moderation/?state=reported").get_data(as_text=True)
    assert f"comment-{comment_id}" not in reported


def test_a_hidden_or_rejected_comment_keeps_its_state_when_erased(client: FlaskClient) -> None:
    hidden = deleted_authors_comment(CommentStatus.HIDDEN)
    admin = as_role(client, "admin")
    assert erase(admin, hidden) == 302
    assert (reload(hidden).status, reload(hidden).body) == (CommentStatus.HIDDEN, "")


@pytest.mark.db
@pytest.mark.parametrize("who", [VISITOR, PARTICIPANT, DEMOTED, "moderator", "editor"])
def test_only_an_administrator_may_erase(client: FlaskClient, who: str) -> None:
    comment_id = deleted_authors_comment()
    as_role(client, who)
    status = erase(client, comment_id)
    # Without a password session: the staff sign-in (a redirect, or the sign-in page
    # keeping the form sent); staff below admin: 403.
    assert status in ((302, 401) if who in (VISITOR, PARTICIPANT) else (403,))
    assert (reload(comment_id).body, reload(comment_id).status) == (TEXT, CommentStatus.PUBLISHED)
    if who in STAFF:
        queue = client.get(PUBLISHED_QUEUE).get_data(as_text=True)
        assert "erase" not in queue


def test_the_comment_of_an_account_not_deleted_cannot_be_erased(client: FlaskClient) -> None:
    comment = make_comment(paper(), author(), section_key="1", body=TEXT)
    comment_id = comment.id
    admin = as_role(client, "admin")
    assert f'action="{erase_path(comment_id)}"' not in admin.get(PUBLISHED_QUEUE).get_data(
        as_text=True
    )
    assert erase(admin, comment_id) == 403
    assert reload(comment_id).body == TEXT


def test_nothing_is_erased_without_the_box_ticked(client: FlaskClient) -> None:
    comment_id = deleted_authors_comment()
    admin = as_role(client, "admin")
    assert erase(admin, comment_id, confirm="") == 302
    assert reload(comment_id).body == TEXT
    page = admin.get(PUBLISHED_QUEUE).get_data(as_text=True)
    assert "Please tick the box to confirm that the text is erased for good." in page


@pytest.mark.parametrize("token", ["expired", None], ids=["wrong token", "no token"])
def test_nothing_is_erased_without_a_valid_form_token(
    client: FlaskClient, token: str | None
) -> None:
    comment_id = deleted_authors_comment()
    admin = as_role(client, "admin")
    data = {"confirm": "y", **({"csrf_token": token} if token else {})}
    assert admin.post(erase_path(comment_id), data=data).status_code == 400
    assert reload(comment_id).body == TEXT


def test_the_operation_refuses_a_moderator(client: FlaskClient) -> None:
    comment_id = deleted_authors_comment()
    as_role(client, "moderator")
    with pytest.raises(ModerationRefused):
        erase_comment(reload(comment_id), staff_member("moderator@example.org"))
    assert reload(comment_id).body == TEXT


def test_hiding_a_deleted_participants_comment_mails_no_one(client: FlaskClient) -> None:
    comment_id = deleted_authors_comment()
    comment = reload(comment_id)
    moderator = make_staff("moderator@example.org", Role.MODERATOR)
    mails_before = db.session.scalar(select(func.count()).select_from(OutboxMessage))

    hide_comment(comment, moderator, note="Off-topic")
    db.session.commit()

    assert reload(comment_id).status is CommentStatus.HIDDEN
    assert mails_to(comment.author.email) == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == mails_before
