"""The staff pages: who may reach each one, the account list, the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from consult.accounts.models import Role, User
from consult.accounts.staff import disable_user
from consult.audit.labels import DETAIL_LABELS, VALUE_LABELS, action_label, subject_label
from consult.audit.models import AuditEntry
from consult.audit.operations import record
from consult.core.models import utcnow
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of, last_mail_to
from tests.accounts.staff_helpers import (
    PARTICIPANT,
    ROLES,
    STAFF_SIGN_IN,
    VISITOR,
    as_role,
    error_messages,
    make_staff,
    post_form,
)

# Moderators and editors reach the dashboard and the audit log; accounts are for admins.
PAGES = {
    "/en/manage/": {"moderator": 200, "editor": 200, "admin": 200},
    "/en/manage/audit/": {"moderator": 200, "editor": 200, "admin": 200},
    "/en/manage/users/": {"moderator": 403, "editor": 403, "admin": 200},
    "/en/manage/users/{target}/": {"moderator": 403, "editor": 403, "admin": 200},
}
ADMIN_ACTIONS = [
    ("/en/manage/users/invite", {"email": "new@example.org", "role": "editor"}),
    ("/en/manage/users/{target}/role", {"role": "admin"}),
    ("/en/manage/users/{target}/disable", {"reason": "test"}),
    ("/en/manage/users/{target}/enable", {}),
    ("/en/manage/users/{target}/password-reset", {}),
]


def make_target() -> int:
    return make_staff("target@example.org", Role.MODERATOR).id


@pytest.mark.db
@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_each_staff_page_for_each_role(client: FlaskClient, who: str, page: str) -> None:
    path = page.format(target=make_target())
    response = as_role(client, who).get(path)
    if who in (VISITOR, PARTICIPANT):
        # No password session: to the staff sign-in, and back here afterwards.
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{STAFF_SIGN_IN}?next=")
        assert path in response.headers["Location"].replace("%2F", "/")
    else:
        assert response.status_code == PAGES[page][who]


@pytest.mark.db
@pytest.mark.parametrize("who", ["moderator", "editor"])
@pytest.mark.parametrize(("action", "data"), ADMIN_ACTIONS)
def test_only_admins_may_change_accounts(
    client: FlaskClient, who: str, action: str, data: dict[str, str]
) -> None:
    target = make_target()
    as_role(client, who)
    token = csrf_token_of(client.get("/en/manage/").get_data(as_text=True))
    response = client.post(action.format(target=target), data={"csrf_token": token, **data})
    assert response.status_code == 403
    user = db.session.get(User, target)
    assert user is not None and user.role is Role.MODERATOR and not user.is_disabled
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


@pytest.mark.db
def test_a_change_without_the_form_token_changes_nothing(client: FlaskClient) -> None:
    target = make_target()
    as_role(client, "admin")
    response = client.post(f"/en/manage/users/{target}/role", data={"role": "admin"})
    assert response.status_code == 400
    user = db.session.get(User, target)
    assert user is not None and user.role is Role.MODERATOR


@pytest.mark.db
def test_an_unknown_account_is_404(client: FlaskClient) -> None:
    as_role(client, "admin")
    assert client.get("/en/manage/users/999999/").status_code == 404


@pytest.mark.db
@pytest.mark.parametrize(
    ("who", "links"),
    [
        (
            "admin",
            [
                "/en/manage/consultations/",
                "/en/manage/users/",
                "/en/manage/moderation/",
                "/en/manage/audit/",
            ],
        ),
        ("editor", ["/en/manage/consultations/", "/en/manage/moderation/", "/en/manage/audit/"]),
        ("moderator", ["/en/manage/moderation/", "/en/manage/audit/"]),
    ],
)
def test_the_dashboard_lists_only_what_the_role_reaches_now(
    client: FlaskClient, who: str, links: list[str]
) -> None:
    page = as_role(client, who).get("/en/manage/").get_data(as_text=True)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert re.findall(r'href="(/en/manage/[^"]+)"', main) == links
    assert "Coming next" not in main
    assert " will be " not in main


@pytest.mark.db
def test_the_account_list_shows_role_status_and_last_sign_in(client: FlaskClient) -> None:
    make_staff("editor@example.org", Role.EDITOR)
    db.session.add(User(email="amina@example.org"))
    db.session.commit()
    as_role(client, "admin")
    page = client.get("/en/manage/users/").get_data(as_text=True)
    assert "editor@example.org" in page
    assert "Editor" in page and "Never" in page
    assert "amina@example.org" not in page  # staff only, unless asked
    everyone = client.get("/en/manage/users/?everyone=y&q=AMINA").get_data(as_text=True)
    assert "amina@example.org" in everyone
    assert "editor@example.org" not in everyone


@pytest.mark.db
def test_inviting_an_address_twice_sends_a_new_link(client: FlaskClient) -> None:
    as_role(client, "admin")
    for _ in range(2):
        response = post_form(
            client,
            "/en/manage/users/",
            "/en/manage/users/invite",
            email="new@example.org",
            role="moderator",
        )
        assert response.status_code == 302
    assert "set your password" in last_mail_to("new@example.org").subject
    invited = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.invited"))
    assert len(list(invited)) == 2


@pytest.mark.db
def test_an_invitation_needs_an_address_and_a_staff_role(client: FlaskClient) -> None:
    as_role(client, "admin")
    response = post_form(
        client, "/en/manage/users/", "/en/manage/users/invite", email="nope", role="participant"
    )
    assert response.status_code == 200
    errors = error_messages(response.get_data(as_text=True))
    assert "This does not look like an e-mail address." in errors
    assert len(errors) == 2


def _entries(*actions: str) -> None:
    now = utcnow()
    for n, action in enumerate(actions):
        entry = record(action, subject_type="comment", subject_id=n)
        entry.created_at = now + timedelta(seconds=n)
    db.session.commit()


@pytest.mark.db
def test_moderators_read_the_moderation_entries_only(client: FlaskClient) -> None:
    _entries("comment.approved", "moderation.undone", "user.role_changed", "commentary.x")
    page = as_role(client, "moderator").get("/en/manage/audit/").get_data(as_text=True)
    assert "comment.approved" in page
    assert "moderation.undone" in page
    assert "user.role_changed" not in page
    assert "commentary.x" not in page
    assert "auth.sign_in" not in page  # the moderator's own sign-in is not theirs to read
    filtered = client.get("/en/manage/audit/?action=user.").get_data(as_text=True)
    assert "user.role_changed" not in filtered
    assert "No entry matches." in filtered


@pytest.mark.db
def test_admins_read_every_entry(client: FlaskClient) -> None:
    _entries("comment.approved", "user.role_changed", "consultation.published")
    page = as_role(client, "admin").get("/en/manage/audit/").get_data(as_text=True)
    assert "comment.approved" in page
    assert "consultation.published" in page
    assert "user.role_changed" in page
    assert "auth.sign_in" in page


@pytest.mark.db
def test_editors_read_every_entry_but_accounts_and_sign_ins(client: FlaskClient) -> None:
    _entries("comment.approved", "consultation.published", "user.role_changed")
    target = make_staff("leaver@example.org", Role.MODERATOR)
    admin = make_staff("boss@example.org", Role.ADMIN)
    disable_user(target, admin, "Moved to leaver.private@example.net, do not write here")
    record("auth.sign_in_failed", email="typed@example.org", method="password")
    db.session.commit()
    page = as_role(client, "editor").get("/en/manage/audit/").get_data(as_text=True)
    assert "comment.approved" in page
    assert "consultation.published" in page
    assert "user." not in page.split('role="search"', 1)[1].split("</form>", 1)[1]
    assert "auth." not in page
    assert "@" not in page.split("<main", 1)[1]
    assert "Entries about accounts and sign-ins are for administrators." in page
    for prefix in ("user.", "auth.", "user.disabled"):
        filtered = client.get(f"/en/manage/audit/?action={prefix}").get_data(as_text=True)
        assert "No entry matches." in filtered


@pytest.mark.db
def test_the_audit_log_is_newest_first_filtered_and_paginated(client: FlaskClient) -> None:
    _entries(*(f"comment.step_{n:02d}" for n in range(60)))
    as_role(client, "admin")
    first = client.get("/en/manage/audit/?action=COMMENT.").get_data(as_text=True)
    assert first.index("comment.step_59") < first.index("comment.step_10")
    assert "comment.step_09" not in first
    assert "auth.sign_in" not in first
    assert "Page 1 of 2" in first
    assert 'href="/en/manage/audit/?page=2&amp;action=comment."' in first
    second = client.get("/en/manage/audit/?action=comment.&page=2").get_data(as_text=True)
    assert "comment.step_09" in second
    assert "comment.step_10" not in second


@pytest.mark.db
def test_the_action_filter_is_a_prefix_not_a_pattern(client: FlaskClient) -> None:
    _entries("comment.approved", "auth.sign_in_failed")
    as_role(client, "editor")
    page = client.get("/en/manage/audit/?action=%25").get_data(as_text=True)
    assert "No entry matches." in page


@pytest.mark.db
def test_only_admins_see_addresses_in_the_audit_log(client: FlaskClient) -> None:
    record("auth.sign_in_failed", email="typed@example.org", method="password")
    # Contact data an entry others read may carry, by the explicit list of such details.
    record("comment.reported", email="reporter@example.org", note="no address here")
    db.session.commit()
    admin = as_role(client, "admin").get("/en/manage/audit/").get_data(as_text=True)
    assert "typed@example.org" in admin
    assert "reporter@example.org" in admin
    assert "admin@example.org" in admin
    for who in ("editor", "moderator"):
        reader = as_role(client.application.test_client(), who)
        page = reader.get("/en/manage/audit/").get_data(as_text=True)
        main = page.split("<main", 1)[1]
        assert "comment.reported" in main
        assert "@" not in main
        assert "(hidden)" in main
        assert "no address here" in main


@pytest.mark.db
def test_an_address_change_shows_neither_address_to_others(app_context: None) -> None:
    from consult.audit.queries import readable_entries

    entry = record("user.email_changed", subject_type="user", subject_id=1,
                   old="old@example.org", new="new@example.org")  # fmt: skip
    [admin_view] = readable_entries([entry], Role.ADMIN)
    assert admin_view.details == {"old": "old@example.org", "new": "new@example.org"}
    for role in (Role.EDITOR, Role.MODERATOR):
        [line] = readable_entries([entry], role)
        assert line.details == {}
        assert line.hidden == ("new", "old")
    role_change = record("user.role_changed", old="editor", new="admin")
    [line] = readable_entries([role_change], Role.EDITOR)
    assert line.details == {"old": "editor", "new": "admin"}


@pytest.mark.db
def test_the_audit_log_speaks_arabic(client: FlaskClient) -> None:
    as_role(client, "admin")  # its own sign-in: auth.sign_in, method password
    editor_id = make_staff("editor@example.org", Role.EDITOR).id
    record("auth.sign_in_failed", email="typed@example.org", method="password",
           cause="unknown_email")  # fmt: skip
    record("user.role_changed", subject_type="user", subject_id=editor_id, old="editor",
           new="moderator", reason="Leaves the drafting team")  # fmt: skip
    record("consultation.future_action", flavour="vanilla")
    db.session.commit()
    page = client.get("/ar/manage/audit/").get_data(as_text=True)
    main = page.split("<main", 1)[1]
    with client.application.test_request_context("/ar/"), force_locale("ar"):
        expected = [
            action_label("auth.sign_in"),
            action_label("auth.sign_in_failed"),
            action_label("user.role_changed"),
            subject_label("user", editor_id),
            str(DETAIL_LABELS["method"]),
            str(VALUE_LABELS["method"]["password"]),
            str(VALUE_LABELS["cause"]["unknown_email"]),
            Role.MODERATOR.label,
            Role.EDITOR.label,
        ]
    english = ["Signed in", "Sign-in failed", "Role changed", f"Account {editor_id}", "Method",
               "Password", "No account with this address", "Moderator", "Editor"]  # fmt: skip
    for arabic, source in zip(expected, english, strict=True):
        assert arabic != source
        assert arabic in main, source
    for raw in ("method", "password", "cause", "unknown_email", "moderator", f"user {editor_id}"):
        assert f">{raw}<" not in main
        assert f"{raw}:" not in main
    # Raw names stay, for the filter; a name without a label shows as recorded.
    assert '<code dir="ltr">auth.sign_in</code>' in main
    assert "consultation.future_action" in main
    assert '<dd dir="auto">vanilla</dd>' in main
    assert '<p class="audit-reason" dir="auto">Leaves the drafting team</p>' in main


@pytest.mark.db
def test_staff_pages_work_in_arabic(client: FlaskClient) -> None:
    as_role(client, "admin")
    for path in ("/ar/manage/", "/ar/manage/users/", "/ar/manage/audit/"):
        response = client.get(path)
        assert response.status_code == 200
        assert 'dir="rtl"' in response.get_data(as_text=True)
