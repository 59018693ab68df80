"""Staff accounts: argon2 passwords, one answer for every failed sign-in, roles that
apply at once, disabled accounts, invitations and password links."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from consult import create_app
from consult.accounts import passwords
from consult.accounts.models import EmailLink, LinkPurpose, Role, User, UserSession
from consult.accounts.operations import delete_account, get_user_by_email
from consult.accounts.passwords import password_problem, verify_password
from consult.accounts.staff import (
    LastAdmin,
    NotStaff,
    OwnAccount,
    WeakPassword,
    change_role,
    create_staff_user,
    disable_user,
    enable_user,
    invite_staff,
    send_password_reset,
    set_password_with_link,
)
from consult.audit.models import AuditEntry
from consult.config import Config
from consult.core.models import utcnow
from consult.extensions import db
from tests.accounts.helpers import (
    csrf_token_of,
    last_mail_to,
    link_path_in,
    press_continue,
    sign_in_participant,
)
from tests.accounts.staff_helpers import (
    STAFF_PASSWORD,
    STAFF_SIGN_IN,
    error_messages,
    make_staff,
    post_form,
    sign_in_staff,
    staff_client,
)
from tests.concurrency import app_on_own_database

ONE_ANSWER = "The e-mail address or the password is not right."


def audit(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def reached_manage(client: FlaskClient) -> bool:
    """Whether this browser has staff rights now (no redirect to the staff sign-in)."""
    return client.get("/en/manage/").status_code == 200


# Passwords


@pytest.mark.db
def test_an_argon2_hash_is_stored_never_the_password(app_context: None) -> None:
    user = make_staff("mod@example.org", Role.MODERATOR)
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert STAFF_PASSWORD not in user.password_hash
    assert verify_password(user.password_hash, STAFF_PASSWORD)
    assert not verify_password(user.password_hash, STAFF_PASSWORD + "!")
    entry = audit("user.password_set")[0]
    assert STAFF_PASSWORD not in str(entry.details)


def test_the_policy_wants_12_to_200_characters_and_not_the_address(app: Flask) -> None:
    with app.test_request_context("/en/"):
        assert password_problem("x" * 11) == ("Please choose a password of at least 12 characters.")
        assert password_problem("x" * 12) is None
        assert password_problem("x" * 200) is None
        assert password_problem("x" * 201) == (
            "Please choose a password of at most 200 characters."
        )
        assert password_problem(" Long.Name@Example.org", "long.name@example.org") == (
            "Your password must not be your e-mail address."
        )


def test_the_policy_speaks_the_users_language(app: Flask) -> None:
    with app.test_request_context("/fr/"), force_locale("fr"):
        problem = password_problem("court")
    assert problem is not None
    assert "12" in problem
    assert "password" not in problem


def test_the_same_characters_typed_differently_match(app: Flask) -> None:
    # "é" as one code point and as e + combining accent.
    stored = passwords.hash_password("mot de passe \u00e9t\u00e9 2024")
    assert verify_password(stored, "mot de passe e\u0301te\u0301 2024")


@pytest.mark.db
def test_a_weak_password_is_refused_by_the_operation_too(app_context: None) -> None:
    with pytest.raises(WeakPassword):
        create_staff_user("ed@example.org", Role.EDITOR, "too short")
    assert get_user_by_email("ed@example.org") is None


# Signing in


@pytest.mark.db
def test_staff_sign_in_opens_a_password_session_and_is_audited(client: FlaskClient) -> None:
    user_id = make_staff("Editor@Example.org", Role.EDITOR).id
    response = sign_in_staff(client, "  editor@EXAMPLE.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/manage/"
    assert reached_manage(client)
    session = db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)).one()
    assert session.with_password
    [entry] = audit("auth.sign_in")
    assert entry.actor_id == user_id
    assert entry.details == {"method": "password"}


@pytest.mark.db
def test_sign_in_goes_back_to_a_page_of_this_site_only(client: FlaskClient) -> None:
    make_staff("admin@example.org", Role.ADMIN)
    assert client.get(f"{STAFF_SIGN_IN}?next=/en/manage/audit/").status_code == 200
    response = sign_in_staff(client, "admin@example.org", next_url="/en/manage/audit/")
    assert response.headers["Location"] == "/en/manage/audit/"
    other = client.application.test_client()
    response = sign_in_staff(other, "admin@example.org", next_url="https://evil.example/")
    assert response.headers["Location"] == "/en/manage/"


def _unknown(client: FlaskClient) -> tuple[str, str]:
    return "nobody@example.org", STAFF_PASSWORD


def _wrong_password(client: FlaskClient) -> tuple[str, str]:
    make_staff("mod@example.org", Role.MODERATOR)
    return "mod@example.org", STAFF_PASSWORD + " but wrong"


def _disabled(client: FlaskClient) -> tuple[str, str]:
    admin = make_staff("admin@example.org", Role.ADMIN)
    user = make_staff("mod@example.org", Role.MODERATOR)
    disable_user(user, admin, "left the secretariat")
    db.session.commit()
    return "mod@example.org", STAFF_PASSWORD


def _no_password_yet(client: FlaskClient) -> tuple[str, str]:
    admin = make_staff("admin@example.org", Role.ADMIN)
    with client.application.test_request_context("/en/"):
        invite_staff("new@example.org", Role.EDITOR, admin, "en")
    db.session.commit()
    return "new@example.org", STAFF_PASSWORD


def _participant(client: FlaskClient) -> tuple[str, str]:
    db.session.add(User(email="amina@example.org"))
    db.session.commit()
    return "amina@example.org", STAFF_PASSWORD


@pytest.mark.db
@pytest.mark.parametrize(
    "account",
    [_unknown, _wrong_password, _disabled, _no_password_yet, _participant],
    ids=["unknown address", "wrong password", "disabled", "no password yet", "participant"],
)
def test_every_failed_sign_in_gets_the_same_answer_and_is_audited(
    client: FlaskClient, account: Callable[[FlaskClient], tuple[str, str]]
) -> None:
    email, password = account(client)
    response = sign_in_staff(client, email.upper(), password)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error_messages(page) == [ONE_ANSWER]
    assert password not in page
    assert not reached_manage(client)
    [entry] = audit("auth.sign_in_failed")
    assert entry.details["email"] == email.upper()
    assert entry.details["method"] == "password"
    assert audit("auth.sign_in") == []


@pytest.mark.db
def test_an_unknown_address_costs_one_argon2_verification_like_a_known_one(
    app_context: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from consult.accounts.staff import SignInFailed, sign_in_with_password

    make_staff("mod@example.org", Role.MODERATOR)
    calls: list[str] = []

    class CountingHasher(PasswordHasher):
        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            calls.append("hash")
            return super().hash(password, salt=salt)

        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            calls.append("verify")
            return super().verify(hash, password)

    monkeypatch.setattr(passwords, "_hasher", CountingHasher())
    for email in ("nobody@example.org", "mod@example.org"):
        with pytest.raises(SignInFailed):
            sign_in_with_password(email, "not the password at all")
    assert calls == ["verify", "verify"]


def test_the_first_unknown_address_after_start_up_costs_no_extra_hash() -> None:
    # A process of its own: in this one, an earlier test may have built it already.
    program = "\n".join(
        [
            "from argon2 import PasswordHasher",
            "from consult.accounts import passwords",
            "class NoHashing(PasswordHasher):",
            "    def hash(self, password, *, salt=None):",
            "        raise SystemExit('a hash was made at the first sign-in')",
            "passwords._hasher = NoHashing()",
            "passwords.spend_verification_time('not the password')",
        ]
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.usefixtures("production_password_hashing")
def test_the_check_for_an_unknown_address_uses_todays_parameters() -> None:
    # Otherwise it would take less (or more) time than a real check and tell.
    assert not passwords.needs_rehash(passwords._DUMMY_HASH)
    assert not passwords.verify_password(passwords._DUMMY_HASH, "")


@pytest.mark.db
@pytest.mark.usefixtures("production_password_hashing")
def test_a_hash_with_old_parameters_is_replaced_at_sign_in(client: FlaskClient) -> None:
    user = make_staff("mod@example.org", Role.MODERATOR)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(STAFF_PASSWORD)
    user.password_hash = weak
    db.session.commit()
    user_id = user.id
    assert sign_in_staff(client, "mod@example.org").status_code == 302
    user = db.session.get(User, user_id)
    assert user is not None and user.password_hash != weak
    assert not passwords.needs_rehash(user.password_hash)
    assert verify_password(user.password_hash, STAFF_PASSWORD)


@pytest.mark.db
def test_a_link_gives_a_staff_member_participant_rights_only(client: FlaskClient) -> None:
    make_staff("admin@example.org", Role.ADMIN)
    sign_in_participant(client, "admin@example.org")
    for path in ("/en/manage/", "/en/manage/users/", "/en/manage/audit/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith(STAFF_SIGN_IN)
    page = client.get("/en/").get_data(as_text=True)
    assert "/en/manage/" not in page
    # The password then gives the rights, in a new session.
    assert sign_in_staff(client, "admin@example.org").status_code == 302
    assert reached_manage(client)


# Roles and disabled accounts


@pytest.mark.db
def test_a_role_change_ends_the_accounts_sessions_and_is_audited(
    client: FlaskClient, app: Flask
) -> None:
    editor_id = make_staff("editor@example.org", Role.EDITOR).id
    assert sign_in_staff(client, "editor@example.org").status_code == 302
    old_cookie = client.get_cookie("session")
    assert old_cookie is not None
    admin_browser = staff_client(app.test_client(), "admin@example.org", Role.ADMIN)
    response = post_form(
        admin_browser,
        f"/en/manage/users/{editor_id}/",
        f"/en/manage/users/{editor_id}/role",
        role="moderator",
    )
    assert response.status_code == 302
    # The old cookie, replayed in another browser, no longer works either.
    replay = app.test_client()
    replay.set_cookie("session", old_cookie.value)
    assert replay.get("/en/manage/").headers["Location"].startswith(STAFF_SIGN_IN)
    assert not reached_manage(client)
    [entry] = audit("user.role_changed")
    assert entry.details == {"old": "editor", "new": "moderator"}
    assert entry.subject_id == editor_id
    # Signing in again gives the new role.
    assert sign_in_staff(client, "editor@example.org").status_code == 302
    assert client.get("/en/manage/audit/").status_code == 200
    assert client.get("/en/manage/users/").status_code == 403


@pytest.mark.db
def test_disabling_ends_sessions_and_blocks_sign_in_until_enabled(
    client: FlaskClient, app: Flask
) -> None:
    moderator_id = make_staff("mod@example.org", Role.MODERATOR).id
    assert sign_in_staff(client, "mod@example.org").status_code == 302
    admin_browser = staff_client(app.test_client(), "admin@example.org", Role.ADMIN)
    page = f"/en/manage/users/{moderator_id}/"
    response = post_form(admin_browser, page, f"{page[:-1]}/disable", reason="Left the team")
    assert response.status_code == 302
    assert not reached_manage(client)
    [entry] = audit("user.disabled")
    assert entry.reason == "Left the team"
    response = sign_in_staff(client, "mod@example.org")
    assert error_messages(response.get_data(as_text=True)) == [ONE_ANSWER]
    # A link does not get in either.
    response = press_continue(client, _sign_in_link(client, "mod@example.org"))
    assert response.headers["Location"] == "/en/"
    post_form(admin_browser, page, f"{page[:-1]}/enable")
    assert len(audit("user.enabled")) == 1
    assert sign_in_staff(client, "mod@example.org").status_code == 302


def _sign_in_link(client: FlaskClient, email: str) -> str:
    from tests.accounts.helpers import ask_for_link

    return ask_for_link(client, email)


@pytest.mark.db
def test_disabling_needs_a_reason(client: FlaskClient) -> None:
    moderator_id = make_staff("mod@example.org", Role.MODERATOR).id
    staff_client(client, "admin@example.org", Role.ADMIN)
    page = f"/en/manage/users/{moderator_id}/"
    response = post_form(client, page, f"{page[:-1]}/disable", reason=" ")
    assert response.status_code == 200
    assert error_messages(response.get_data(as_text=True)) == ["Please give a reason."]
    user = db.session.get(User, moderator_id)
    assert user is not None and not user.is_disabled


@pytest.mark.db
def test_an_admin_can_neither_demote_nor_disable_themselves(client: FlaskClient) -> None:
    admin = make_staff("admin@example.org", Role.ADMIN)
    admin_id = admin.id
    with pytest.raises(OwnAccount):
        change_role(admin, Role.EDITOR, admin)
    with pytest.raises(OwnAccount):
        disable_user(admin, admin, "by mistake")
    assert sign_in_staff(client, "admin@example.org").status_code == 302
    page = f"/en/manage/users/{admin_id}/"
    response = post_form(client, page, f"{page[:-1]}/role", role="participant")
    assert response.status_code == 302
    flashed = client.get(page).get_data(as_text=True)
    assert "You cannot change your own role" in flashed
    user = db.session.get(User, admin_id)
    assert user is not None and user.role is Role.ADMIN
    assert audit("user.role_changed") == []


@pytest.mark.db
def test_the_last_enabled_admin_cannot_be_demoted(app_context: None) -> None:
    admin = make_staff("admin@example.org", Role.ADMIN)
    with pytest.raises(LastAdmin):
        create_staff_user("admin@example.org", Role.EDITOR, STAFF_PASSWORD)
    other = make_staff("other@example.org", Role.ADMIN)
    change_role(admin, Role.EDITOR, other)
    assert admin.role is Role.EDITOR


@pytest.mark.db
def test_back_to_participant_removes_the_password_and_its_links(app_context: None) -> None:
    admin = make_staff("admin@example.org", Role.ADMIN)
    editor = make_staff("editor@example.org", Role.EDITOR)
    link = send_password_reset(editor, admin, "en")
    change_role(editor, Role.PARTICIPANT, admin)
    assert editor.password_hash is None
    db.session.refresh(link)
    assert link.cancelled_at is not None


@pytest.mark.db
def test_enabling_an_enabled_account_or_disabling_twice_changes_nothing(
    app_context: None,
) -> None:
    admin = make_staff("admin@example.org", Role.ADMIN)
    editor = make_staff("editor@example.org", Role.EDITOR)
    enable_user(editor, admin)
    disable_user(editor, admin, "once")
    disable_user(editor, admin, "twice")
    assert [e.reason for e in audit("user.disabled")] == ["once"]
    assert audit("user.enabled") == []


# Invitations and password links


@pytest.mark.db
def test_an_invitation_leads_to_a_password_and_staff_rights(
    client: FlaskClient, app: Flask
) -> None:
    staff_client(client, "admin@example.org", Role.ADMIN)
    response = post_form(
        client,
        "/en/manage/users/",
        "/en/manage/users/invite",
        email="New@Example.org",
        role="editor",
    )
    assert response.status_code == 302
    mail = last_mail_to("new@example.org")
    assert "set your password" in mail.subject
    assert "as Editor" in mail.text_body
    assert "as Editor" in mail.html_body
    link = link_path_in(mail)

    invitee = app.test_client()
    response = press_continue(invitee, link)
    assert response.status_code == 302
    form_path = response.headers["Location"]
    assert form_path.startswith("/en/account/password/")
    page = invitee.get(form_path).get_data(as_text=True)
    assert "new@example.org" in page
    token = csrf_token_of(page)
    response = invitee.post(
        form_path,
        data={"password": "a brand new password", "confirm": "another one!!", "csrf_token": token},
    )
    assert error_messages(response.get_data(as_text=True)) == [
        "The two passwords are not the same."
    ]
    response = invitee.post(
        form_path,
        data={"password": "short", "confirm": "short", "csrf_token": token},
    )
    assert error_messages(response.get_data(as_text=True)) == [
        "Please choose a password of at least 12 characters."
    ]
    new_password = "a brand new password"
    response = invitee.post(
        form_path,
        data={"password": new_password, "confirm": new_password, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/manage/"
    assert invitee.get("/en/manage/audit/").status_code == 200
    user = get_user_by_email("new@example.org")
    assert user is not None and user.role is Role.EDITOR
    assert user.password_hash is not None and new_password not in user.password_hash
    assert len(audit("user.invited")) == 1
    assert [e.details["method"] for e in audit("auth.sign_in")][-1] == "password_link"
    # Used once: the link and its password page are spent.
    assert invitee.get(form_path).status_code == 410
    assert sign_in_staff(app.test_client(), "new@example.org", new_password).status_code == 302


@pytest.mark.db
def test_inviting_a_participant_promotes_the_same_account(app_context: None) -> None:
    participant = User(email="amina@example.org", display_name="Amina")
    db.session.add(participant)
    admin = make_staff("admin@example.org", Role.ADMIN)
    invited = invite_staff("AMINA@example.org", Role.MODERATOR, admin, "fr")
    assert invited.id == participant.id
    assert invited.role is Role.MODERATOR
    assert audit("user.role_changed")[0].details == {"old": "participant", "new": "moderator"}
    mail = last_mail_to("amina@example.org")
    # In the language the admin chose for the invitee, role name included.
    with force_locale("fr"):
        role_in_french = Role.MODERATOR.label
    assert f"Nous vous invitons à travailler sur Consult en tant que {role_in_french}." in (
        mail.text_body
    )


@pytest.mark.db
def test_a_password_reset_replaces_the_password_and_ends_other_sessions(
    client: FlaskClient, app: Flask
) -> None:
    moderator_id = make_staff("mod@example.org", Role.MODERATOR).id
    assert sign_in_staff(client, "mod@example.org").status_code == 302
    admin_browser = staff_client(app.test_client(), "admin@example.org", Role.ADMIN)
    page = f"/en/manage/users/{moderator_id}/"
    assert post_form(admin_browser, page, f"{page[:-1]}/password-reset").status_code == 302
    mail = last_mail_to("mod@example.org")
    assert "new password" in mail.subject
    # The old password works until the link is used.
    assert reached_manage(client)

    other_browser = app.test_client()
    form_path = press_continue(other_browser, link_path_in(mail)).headers["Location"]
    token = csrf_token_of(other_browser.get(form_path).get_data(as_text=True))
    new_password = "another long password"
    response = other_browser.post(
        form_path, data={"password": new_password, "confirm": new_password, "csrf_token": token}
    )
    assert response.status_code == 302
    assert reached_manage(other_browser)
    assert not reached_manage(client)
    assert error_messages(sign_in_staff(client, "mod@example.org").get_data(as_text=True)) == [
        ONE_ANSWER
    ]
    assert sign_in_staff(client, "mod@example.org", new_password).status_code == 302


@pytest.mark.db
def test_an_existing_account_is_invited_in_its_own_language(app_context: None) -> None:
    db.session.add(User(email="amina@example.org", preferred_locale="ar"))
    admin = make_staff("admin@example.org", Role.ADMIN)
    invite_staff("amina@example.org", Role.MODERATOR, admin, "en")
    mail = last_mail_to("amina@example.org")
    assert mail.locale == "ar"
    assert "set your password" not in mail.subject


@pytest.mark.db
def test_a_password_reset_is_in_the_accounts_language_else_the_senders(
    app_context: None,
) -> None:
    admin = make_staff("admin@example.org", Role.ADMIN)
    editor = make_staff("editor@example.org", Role.EDITOR)
    send_password_reset(editor, admin, "fr")
    assert last_mail_to("editor@example.org").locale == "fr"
    editor.preferred_locale = "es"
    send_password_reset(editor, admin, "fr")
    assert last_mail_to("editor@example.org").locale == "es"
    # A language no longer offered is not one the account can read the site in.
    editor.preferred_locale = "de"
    send_password_reset(editor, admin, "fr")
    assert last_mail_to("editor@example.org").locale == "fr"


@pytest.mark.db
def test_a_participant_gets_no_password_link(client: FlaskClient) -> None:
    participant = User(email="amina@example.org")
    db.session.add(participant)
    admin = make_staff("admin@example.org", Role.ADMIN)
    with pytest.raises(NotStaff):
        send_password_reset(participant, admin, "en")
    assert sign_in_staff(client, "admin@example.org").status_code == 302
    page = f"/en/manage/users/{participant.id}/"
    assert post_form(client, page, f"{page[:-1]}/password-reset").status_code == 302
    assert "Only enabled staff accounts have a password." in client.get(page).get_data(as_text=True)
    assert audit("user.password_reset_sent") == []


@pytest.mark.db
def test_password_pages_are_kept_out_of_caches(client: FlaskClient) -> None:
    admin = make_staff("admin@example.org", Role.ADMIN)
    editor = make_staff("editor@example.org", Role.EDITOR)
    with client.application.test_request_context("/en/"):
        send_password_reset(editor, admin, "en")
        db.session.commit()
    form_path = press_continue(client, link_path_in(last_mail_to("editor@example.org")))
    form_path = form_path.headers["Location"]
    form_page = client.get(form_path)
    refused = client.post(
        form_path,
        data={"password": "short", "confirm": "short", "csrf_token": csrf_token_of(
            form_page.get_data(as_text=True))},
    )  # fmt: skip
    unknown = client.get("/en/account/password/not-a-token")
    assert [form_page.status_code, refused.status_code, unknown.status_code] == [200, 200, 410]
    for response in (form_page, refused, unknown):
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.db
def test_a_newer_password_link_cancels_the_older_one(app_context: None) -> None:
    admin = make_staff("admin@example.org", Role.ADMIN)
    editor = make_staff("editor@example.org", Role.EDITOR)
    first = send_password_reset(editor, admin, "en")
    second = send_password_reset(editor, admin, "en")
    db.session.refresh(first)
    assert first.cancelled_at is not None
    assert second.is_usable()
    from consult.accounts.staff import LinkUnusable

    with pytest.raises(LinkUnusable):
        set_password_with_link(first, "a perfectly good password")


@pytest.mark.db
def test_a_sign_in_link_cannot_set_a_password(client: FlaskClient) -> None:
    make_staff("editor@example.org", Role.EDITOR)
    link = _sign_in_link(client, "editor@example.org")
    token = link.rsplit("/", 1)[1]
    assert client.get(f"/en/account/password/{token}").status_code == 410
    stored = db.session.scalars(
        select(EmailLink).where(EmailLink.purpose == LinkPurpose.SIGN_IN)
    ).one()
    assert stored.used_at is None


# Rate limits


@pytest.fixture
def limited_app(tmp_path: Path) -> Iterator[Flask]:
    """An application of its own with rate limits on, on a database of its own."""
    application = create_app(
        Config(
            database_url=f"sqlite:///{tmp_path / 'limits.sqlite3'}",
            secret_key="test-secret",
            testing=True,
            rate_limits_in_tests=True,
        )
    )
    with application.app_context():
        db.create_all()
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def test_staff_sign_in_is_rate_limited_per_machine(limited_app: Flask) -> None:
    client = limited_app.test_client()
    codes = [
        sign_in_staff(client, f"guess{n}@example.org", "wrong password").status_code
        for n in range(6)
    ]
    assert codes == [200] * 5 + [429]


def _from_machine(app: Flask, n: int, email: str, password: str) -> int:
    """Sign in from a browser on a machine of its own; the response's status."""
    machine = {"REMOTE_ADDR": f"192.0.2.{n + 1}"}
    return sign_in_staff(app.test_client(), email, password, environ=machine).status_code


def test_staff_sign_in_failures_are_limited_per_address(limited_app: Flask) -> None:
    codes = [_from_machine(limited_app, n, "admin@example.org", "wrong") for n in range(11)]
    assert codes == [200] * 10 + [429]
    other = _from_machine(limited_app, 20, "editor@example.org", "wrong")
    assert other == 200


def test_wrong_guesses_from_elsewhere_do_not_lock_out_the_right_password(
    limited_app: Flask,
) -> None:
    with limited_app.app_context():
        make_staff("admin@example.org", Role.ADMIN)
    failures = [_from_machine(limited_app, n, "admin@example.org", "wrong") for n in range(5)]
    assert failures == [200] * 5
    assert _from_machine(limited_app, 10, "admin@example.org", STAFF_PASSWORD) == 302


def test_successful_sign_ins_do_not_count_against_the_address(limited_app: Flask) -> None:
    with limited_app.app_context():
        make_staff("admin@example.org", Role.ADMIN)
    codes = [_from_machine(limited_app, n, "admin@example.org", STAFF_PASSWORD) for n in range(12)]
    assert codes == [302] * 12


# The last administrator, with two administrators at once


@pytest.fixture
def own_app(backend: str, tmp_path: Path) -> Iterator[Flask]:
    """An application on a database of its own, for sessions that really commit."""
    with app_on_own_database(backend, tmp_path, "staff") as application:
        yield application


@pytest.mark.db
def test_two_admins_demoting_each_other_at_once_leave_an_admin(own_app: Flask) -> None:
    with own_app.app_context():
        first = make_staff("first@example.org", Role.ADMIN).id
        second = make_staff("second@example.org", Role.ADMIN).id
    first_has_demoted = threading.Event()
    outcomes: dict[str, str] = {}

    def demote(target_id: int, actor_id: int, name: str) -> None:
        with own_app.app_context():
            try:
                if name == "later":
                    first_has_demoted.wait(timeout=10)
                target = db.session.get(User, target_id)
                actor = db.session.get(User, actor_id)
                assert target is not None and actor is not None
                change_role(target, Role.EDITOR, actor)
                if name == "sooner":
                    # Not committed yet: the other change starts meanwhile.
                    first_has_demoted.set()
                    time.sleep(0.5)
                db.session.commit()
                outcomes[name] = "demoted"
            except LastAdmin:
                db.session.rollback()
                outcomes[name] = "last admin"
            except BaseException as error:
                first_has_demoted.set()
                outcomes[name] = repr(error)

    threads = [
        threading.Thread(target=demote, args=(second, first, "sooner")),
        threading.Thread(target=demote, args=(first, second, "later")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == {"sooner": "demoted", "later": "last admin"}
    with own_app.app_context():
        admins = db.session.scalars(select(User.email).where(User.role == Role.ADMIN)).all()
        assert admins == ["first@example.org"]


# Deleted accounts


@pytest.mark.db
def test_a_deleted_account_can_be_neither_promoted_nor_reset(
    app: Flask, client: FlaskClient
) -> None:
    admin = staff_client(client, "admin@example.org", Role.ADMIN)
    with app.test_request_context("/en/"):
        gone = User(email="gone@example.org")
        db.session.add(gone)
        db.session.flush()
        delete_account(gone)
        # Whatever it held before, say a key left from its staff days.
        gone.totp_secret, gone.totp_enabled_at = "A" * 32, utcnow()
        db.session.commit()
        gone_id = gone.id
    page = f"/en/manage/users/{gone_id}/"
    for action, data in (
        ("role", {"role": "admin"}),
        ("password-reset", {}),
        ("two-step-reset", {}),
    ):
        response = post_form(admin, page, f"{page[:-1]}/{action}", **data)
        assert response.status_code == 302
        shown = admin.get(page).get_data(as_text=True)
        assert "This account was deleted: it can no longer be changed." in shown
    gone = db.session.get(User, gone_id)
    assert gone is not None and gone.role is Role.PARTICIPANT and gone.totp_secret is not None
    # The page offers nothing that would be refused.
    for form_action in ("/role", "/password-reset", "/two-step-reset", "/disable"):
        assert f'{page[:-1]}{form_action}"' not in shown
    assert "Deleted by its owner on" in shown
    assert audit("user.role_changed") == audit("user.password_reset_sent") == []
    assert audit("user.two_factor_reset") == []


@pytest.mark.db
def test_a_deleted_accounts_session_is_refused(client: FlaskClient) -> None:
    sign_in_participant(client, "amina@example.org")
    assert client.get("/en/account/profile").status_code == 200
    user = get_user_by_email("amina@example.org")
    assert user is not None
    # A session row left open by mistake: the account's deletion still wins.
    user.deleted_at = utcnow()
    db.session.commit()
    assert db.session.scalars(select(UserSession).where(UserSession.ended_at.is_(None))).all()
    assert client.get("/en/account/profile").status_code == 302
