"""`flask consult create-user EMAIL --role ROLE`: the password never shows."""

from __future__ import annotations

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from consult.accounts import cli
from consult.accounts.models import Role, User, UserSession
from consult.accounts.operations import get_user_by_email
from consult.accounts.passwords import verify_password
from consult.audit.models import AuditEntry
from consult.extensions import db
from tests.accounts.staff_helpers import STAFF_PASSWORD, make_staff, sign_in_staff

NEW_PASSWORD = "the operator's chosen password"


def create_user(runner: FlaskCliRunner, email: str, role: str, typed: str):  # type: ignore[no-untyped-def]
    return runner.invoke(args=["consult", "create-user", email, "--role", role], input=typed)


@pytest.mark.db
def test_a_password_on_standard_input_creates_the_account_without_echo(
    runner: FlaskCliRunner,
) -> None:
    result = create_user(runner, "Admin@Example.org", "admin", NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    assert "admin@example.org: admin account created" in result.output
    user = get_user_by_email("admin@example.org")
    assert user is not None and user.role is Role.ADMIN
    assert user.password_hash is not None
    assert verify_password(user.password_hash, NEW_PASSWORD)
    details = [str(e.details) for e in db.session.scalars(select(AuditEntry))]
    assert all(NEW_PASSWORD not in text for text in details)


@pytest.mark.db
def test_the_account_signs_in_with_that_password(runner: FlaskCliRunner) -> None:
    create_user(runner, "editor@example.org", "editor", NEW_PASSWORD)
    client = runner.app.test_client()
    assert sign_in_staff(client, "editor@example.org", NEW_PASSWORD).status_code == 302
    assert client.get("/en/manage/audit/").status_code == 200


@pytest.mark.db
def test_a_terminal_gets_a_hidden_prompt_asked_twice(
    runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    result = create_user(runner, "mod@example.org", "moderator", f"{NEW_PASSWORD}\n" * 2)
    assert result.exit_code == 0, result.output
    assert "Password: " in result.output
    assert "Repeat for confirmation: " in result.output
    assert NEW_PASSWORD not in result.output


@pytest.mark.db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("short\n", "at least 12 characters"),
        ("x" * 201 + "\n", "at most 200 characters"),
        ("weak@example.org\n", "must not be your e-mail address"),
    ],
)
def test_a_weak_password_is_refused_with_the_policys_message(
    runner: FlaskCliRunner, typed: str, message: str
) -> None:
    result = create_user(runner, "weak@example.org", "editor", typed)
    assert result.exit_code != 0
    assert message in result.output
    assert typed.strip() not in result.output
    assert get_user_by_email("weak@example.org") is None


@pytest.mark.db
def test_an_existing_account_gets_the_new_role_and_password(runner: FlaskCliRunner) -> None:
    make_staff("mod@example.org", Role.MODERATOR)
    client = runner.app.test_client()
    assert sign_in_staff(client, "mod@example.org").status_code == 302
    result = create_user(runner, "mod@example.org", "editor", NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    assert "editor account updated" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    user = get_user_by_email("mod@example.org")
    assert user is not None and user.role is Role.EDITOR
    open_sessions = select(func.count()).where(UserSession.ended_at.is_(None))
    assert db.session.scalar(open_sessions.select_from(UserSession)) == 0
    assert sign_in_staff(client, "mod@example.org", STAFF_PASSWORD).status_code == 200
    assert sign_in_staff(client, "mod@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.db
def test_the_last_admin_cannot_be_demoted_from_the_command_line(runner: FlaskCliRunner) -> None:
    make_staff("admin@example.org", Role.ADMIN)
    result = create_user(runner, "admin@example.org", "editor", NEW_PASSWORD)
    assert result.exit_code != 0
    assert "last enabled administrator" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-address", "--role", "admin"], "is not an e-mail address"),
        (["a@example.org", "--role", "participant"], "Invalid value for '--role'"),
        (["a@example.org"], "Missing option '--role'"),
    ],
)
def test_bad_arguments_are_refused(runner: FlaskCliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(args=["consult", "create-user", *args], input=NEW_PASSWORD)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
