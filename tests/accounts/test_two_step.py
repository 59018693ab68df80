"""Two-step sign-in: a code from an authenticator app after the password, offered
to all staff and required for administrators, with single-use recovery codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult import create_app
from consult.accounts.models import RecoveryCode, Role, User
from consult.accounts.two_factor import enable_two_step, new_secret
from consult.audit.models import AuditEntry
from consult.config import Config
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of, last_mail_to, link_path_in, press_continue
from tests.accounts.staff_helpers import (
    STAFF_SIGN_IN,
    answer_code,
    error_messages,
    is_code_page,
    make_staff,
    next_code,
    post_form,
    sign_in_staff,
    staff_client,
)

TWO_STEP = "/en/account/two-step"
START = datetime(2030, 3, 4, 9, 0, 10, tzinfo=UTC)
WRONG = "This code is not right, or was used already."


def audit(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def reached(client: FlaskClient, path: str = "/en/manage/") -> bool:
    return client.get(path).status_code == 200


def user_named(email: str) -> User:
    return db.session.scalars(
        select(User).where(User.email == email).execution_options(populate_existing=True)
    ).one()


def key_on(page: str) -> str:
    match = re.search(r'<p class="secret-key" dir="ltr">([A-Z2-7 ]+)</p>', page)
    assert match is not None, "no key on the page"
    return match[1].replace(" ", "")


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def turn_on(client: FlaskClient) -> list[str]:
    """Set two-step sign-in up on the page, as a person with the app would; the
    recovery codes shown."""
    page = client.get(TWO_STEP).get_data(as_text=True)
    code = pyotp.TOTP(key_on(page)).now()
    response = post_form(client, TWO_STEP, f"{TWO_STEP}/enable", code=code)
    assert response.status_code == 200, response.get_data(as_text=True)
    return shown_codes(response.get_data(as_text=True))


def shown_codes(page: str) -> list[str]:
    return re.findall(r"<li>([a-z2-9]{4}(?:-[a-z2-9]{4}){3})</li>", page)


# Administrators must set it up


@pytest.mark.db
def test_an_admin_without_two_step_is_sent_to_set_it_up_from_every_staff_page(
    client: FlaskClient,
) -> None:
    make_staff("admin@example.org", Role.ADMIN, two_step=False)
    response = sign_in_staff(client, "admin@example.org")
    assert response.status_code == 302
    for path in ("/en/manage/", "/en/manage/users/", "/en/manage/audit/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{TWO_STEP}?next=")
    page = client.get(TWO_STEP).get_data(as_text=True)
    assert "Administrators sign in with their password and a code" in page
    # A staff form is refused too, and saves nothing.
    response = post_form(
        client, TWO_STEP, "/en/manage/users/invite", email="x@example.org", role="editor"
    )
    assert response.headers["Location"].startswith(TWO_STEP)
    assert audit("user.invited") == []
    # Signing out still works.
    assert post_form(client, TWO_STEP, "/en/account/sign-out").status_code == 302
    assert client.get(TWO_STEP).headers["Location"].startswith(STAFF_SIGN_IN)


@pytest.mark.db
def test_an_editor_may_use_the_staff_pages_without_two_step(client: FlaskClient) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    assert reached(client)
    assert "Set up two-step sign-in" in client.get(TWO_STEP).get_data(as_text=True)


# Setting it up


@pytest.mark.db
def test_the_set_up_page_shows_the_key_and_its_qr_code_and_saves_nothing(
    client: FlaskClient,
) -> None:
    make_staff("admin@example.org", Role.ADMIN, two_step=False)
    sign_in_staff(client, "admin@example.org")
    first = client.get(TWO_STEP).get_data(as_text=True)
    key = key_on(first)
    assert len(key) == 32
    assert re.search(r'<p class="secret-key" dir="ltr">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</p>', first)
    # The same key until it is confirmed: the page can be reloaded.
    assert key_on(client.get(TWO_STEP).get_data(as_text=True)) == key
    assert 'src="/en/account/two-step/qr-code.svg"' in first
    image = client.get("/en/account/two-step/qr-code.svg")
    assert image.status_code == 200
    assert image.mimetype == "image/svg+xml"
    assert image.headers["Cache-Control"] == "no-store"
    assert b"<svg" in image.data and b"<script" not in image.data
    assert user_named("admin@example.org").totp_secret is None
    # Another browser gets another key.
    other = client.application.test_client()
    sign_in_staff(other, "admin@example.org")
    assert key_on(other.get(TWO_STEP).get_data(as_text=True)) != key


@pytest.mark.db
def test_the_first_code_turns_it_on_and_shows_ten_recovery_codes_once(
    app: Flask, client: FlaskClient
) -> None:
    make_staff("admin@example.org", Role.ADMIN, two_step=False)
    sign_in_staff(client, "admin@example.org")
    elsewhere = app.test_client()
    sign_in_staff(elsewhere, "admin@example.org")
    page = client.get(f"{TWO_STEP}?next=/en/manage/users/").get_data(as_text=True)
    response = post_form(client, TWO_STEP, f"{TWO_STEP}/enable", code="000000")
    assert error_messages(response.get_data(as_text=True)) == [
        "This code is not right. Check the key in your app and type its current code."
    ]
    assert user_named("admin@example.org").totp_enabled_at is None

    code = pyotp.TOTP(key_on(page)).now()
    spaced = f" {code[:3]} {code[3:]} "
    response = post_form(
        client, TWO_STEP, f"{TWO_STEP}/enable", code=spaced, next="/en/manage/users/"
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    shown = response.get_data(as_text=True)
    codes = shown_codes(shown)
    assert len(set(codes)) == 10
    assert 'href="/en/manage/users/"' in shown
    user = user_named("admin@example.org")
    assert user.totp_enabled_at is not None
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & set(stored)
    [entry] = audit("user.two_factor_enabled")
    assert entry.actor_id == user.id
    assert not any(c in str(entry.details) for c in codes)
    # This browser carries on; the one signed in without a code is signed out.
    assert reached(client, "/en/manage/users/")
    assert elsewhere.get("/en/manage/").headers["Location"].startswith(STAFF_SIGN_IN)
    # The codes are not shown again.
    again = client.get(TWO_STEP).get_data(as_text=True)
    assert "You have 10 unused recovery codes." in again
    assert not any(c in again for c in codes)


# Signing in


@pytest.mark.db
def test_the_right_password_alone_does_not_sign_in(client: FlaskClient) -> None:
    make_staff("admin@example.org", Role.ADMIN)
    response = sign_in_staff(client, "admin@example.org", with_code=False)
    assert is_code_page(response)
    assert not reached(client)
    assert client.get("/en/account/profile").status_code == 302
    assert audit("auth.sign_in") == []


@pytest.mark.db
def test_a_code_signs_in_once_and_is_audited(app: Flask, client: FlaskClient) -> None:
    make_staff("admin@example.org", Role.ADMIN)
    page = sign_in_staff(client, "admin@example.org", with_code=False).get_data(as_text=True)
    code = next_code(client, "admin@example.org")
    wrong = str((int(code) + 1) % 1_000_000).zfill(6)
    response = answer_code(client, page, wrong)
    assert error_messages(response.get_data(as_text=True)) == [WRONG]
    response = answer_code(client, page, code)
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/manage/"
    assert reached(client)
    [entry] = audit("auth.sign_in")
    assert entry.details == {"method": "password_code"}
    # The same code, seen over a shoulder and typed at once elsewhere, is refused.
    other = app.test_client()
    page = sign_in_staff(other, "admin@example.org", with_code=False).get_data(as_text=True)
    response = answer_code(other, page, code)
    assert error_messages(response.get_data(as_text=True)) == [WRONG]
    assert not reached(other)
    failures = audit("auth.second_factor_failed")
    assert len(failures) == 2
    assert failures[0].details == {"cause": "wrong_code"}
    assert wrong not in str(failures[0].details)


@pytest.mark.db
def test_a_code_of_the_step_before_or_after_is_accepted(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    user = make_staff("mod@example.org", Role.MODERATOR, two_step=True)
    totp = pyotp.TOTP(user.totp_secret or "")
    page = sign_in_staff(client, "mod@example.org", with_code=False).get_data(as_text=True)
    assert answer_code(client, page, totp.at(START - timedelta(seconds=30))).status_code == 302
    other = client.application.test_client()
    page = sign_in_staff(other, "mod@example.org", with_code=False).get_data(as_text=True)
    too_late = answer_code(other, page, totp.at(START - timedelta(seconds=60)))
    assert error_messages(too_late.get_data(as_text=True)) == [WRONG]
    assert answer_code(other, page, totp.at(START + timedelta(seconds=30))).status_code == 302


@pytest.mark.db
def test_a_recovery_code_works_once_and_says_how_many_are_left(
    app: Flask, client: FlaskClient
) -> None:
    user = make_staff("mod@example.org", Role.MODERATOR, two_step=False)
    secret = new_secret()
    with app.test_request_context("/en/"):
        codes = enable_two_step(user, secret, pyotp.TOTP(secret).now())
        db.session.commit()
    page = sign_in_staff(client, "mod@example.org", with_code=False).get_data(as_text=True)
    response = answer_code(client, page, codes[3].upper().replace("-", " "))
    assert response.status_code == 302
    assert "9 recovery codes are left" in client.get("/en/manage/").get_data(as_text=True)
    assert audit("auth.sign_in")[-1].details == {"method": "password_recovery_code"}
    other = app.test_client()
    page = sign_in_staff(other, "mod@example.org", with_code=False).get_data(as_text=True)
    response = answer_code(other, page, codes[3])
    assert error_messages(response.get_data(as_text=True)) == [WRONG]
    assert not reached(other)


@pytest.mark.db
def test_the_code_step_waits_5_minutes_only(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    make_staff("admin@example.org", Role.ADMIN)
    page = sign_in_staff(client, "admin@example.org", with_code=False).get_data(as_text=True)
    clock.shift(timedelta(minutes=5, seconds=1))
    response = answer_code(client, page, next_code(client, "admin@example.org"))
    assert response.status_code == 200
    assert "That took more than 5 minutes: please sign in again." in response.get_data(as_text=True)
    assert not reached(client)
    assert (
        client.get("/en/account/staff/sign-in/code").headers["Location"].startswith(STAFF_SIGN_IN)
    )


@pytest.mark.db
def test_a_new_password_voids_a_pending_code_step(client: FlaskClient) -> None:
    make_staff("admin@example.org", Role.ADMIN)
    page = sign_in_staff(client, "admin@example.org", with_code=False).get_data(as_text=True)
    user_named("admin@example.org").password_hash = "$argon2id$v=19$m=65536,t=3,p=4$changed"
    db.session.commit()
    response = answer_code(client, page, next_code(client, "admin@example.org"))
    assert "please sign in again" in response.get_data(as_text=True)
    assert not reached(client)


# Changing it


@pytest.mark.db
def test_new_recovery_codes_need_a_current_code_and_replace_the_old(
    app: Flask, client: FlaskClient
) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    old = turn_on(client)
    response = post_form(client, TWO_STEP, f"{TWO_STEP}/recovery-codes", **{"renew-code": "1"})
    assert error_messages(response.get_data(as_text=True)) == [WRONG]
    code = next_code(client, "editor@example.org")
    response = post_form(client, TWO_STEP, f"{TWO_STEP}/recovery-codes", **{"renew-code": code})
    assert response.headers["Cache-Control"] == "no-store"
    new = shown_codes(response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert len(audit("user.recovery_codes_renewed")) == 1
    other = app.test_client()
    page = sign_in_staff(other, "editor@example.org", with_code=False).get_data(as_text=True)
    assert error_messages(answer_code(other, page, old[0]).get_data(as_text=True)) == [WRONG]
    assert answer_code(other, page, new[0]).status_code == 302


@pytest.mark.db
def test_a_moderator_may_turn_it_off_with_a_code(app: Flask, client: FlaskClient) -> None:
    staff_client(client, "mod@example.org", Role.MODERATOR)
    turn_on(client)
    response = post_form(client, TWO_STEP, f"{TWO_STEP}/disable", **{"off-code": "123"})
    assert error_messages(response.get_data(as_text=True)) == [WRONG]
    code = next_code(client, "mod@example.org")
    response = post_form(client, TWO_STEP, f"{TWO_STEP}/disable", **{"off-code": code})
    assert response.status_code == 302
    assert user_named("mod@example.org").totp_secret is None
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert len(audit("user.two_factor_disabled")) == 1
    assert sign_in_staff(app.test_client(), "mod@example.org", with_code=False).status_code == 302


@pytest.mark.db
def test_an_admin_cannot_turn_it_off(client: FlaskClient) -> None:
    staff_client(client, "admin@example.org", Role.ADMIN)
    page = client.get(TWO_STEP).get_data(as_text=True)
    assert "Administrators must keep two-step sign-in on." in page
    assert f'action="{TWO_STEP}/disable"' not in page
    code = next_code(client, "admin@example.org")
    post_form(client, TWO_STEP, f"{TWO_STEP}/disable", **{"off-code": code})
    assert user_named("admin@example.org").totp_enabled_at is not None
    assert audit("user.two_factor_disabled") == []


@pytest.mark.db
def test_an_admin_resets_a_lost_phone_and_the_person_is_signed_out(
    app: Flask, client: FlaskClient
) -> None:
    moderator_id = make_staff("mod@example.org", Role.MODERATOR, two_step=True).id
    assert sign_in_staff(client, "mod@example.org").status_code == 302
    old_cookie = client.get_cookie("session")
    assert old_cookie is not None
    admin = staff_client(app.test_client(), "admin@example.org", Role.ADMIN)
    page = f"/en/manage/users/{moderator_id}/"
    assert "Reset two-step sign-in" in admin.get(page).get_data(as_text=True)
    response = post_form(admin, page, f"{page[:-1]}/two-step-reset")
    assert response.status_code == 302
    assert "signed out everywhere" in admin.get(page).get_data(as_text=True)
    [entry] = audit("user.two_factor_reset")
    assert entry.subject_id == moderator_id
    assert user_named("mod@example.org").totp_secret is None
    replay = app.test_client()
    replay.set_cookie("session", old_cookie.value)
    assert not reached(replay)
    assert not reached(client)
    # The password alone signs the moderator in now.
    assert sign_in_staff(client, "mod@example.org", with_code=False).status_code == 302


@pytest.mark.db
def test_an_admin_cannot_reset_their_own_two_step(client: FlaskClient) -> None:
    admin = staff_client(client, "admin@example.org", Role.ADMIN)
    admin_id = user_named("admin@example.org").id
    page = f"/en/manage/users/{admin_id}/"
    assert "Reset two-step sign-in" not in admin.get(page).get_data(as_text=True)
    post_form(admin, page, f"{page[:-1]}/two-step-reset")
    assert user_named("admin@example.org").totp_enabled_at is not None
    assert audit("user.two_factor_reset") == []


def test_the_code_page_speaks_arabic(client: FlaskClient) -> None:
    with client.application.app_context():
        make_staff("admin@example.org", Role.ADMIN)
    page = client.get("/ar/account/staff/sign-in").get_data(as_text=True)
    response = client.post(
        "/ar/account/staff/sign-in",
        data={
            "csrf_token": csrf_token_of(page),
            "email": "admin@example.org",
            "password": "a long staff password",
        },
    )
    code_page = response.get_data(as_text=True)
    assert 'dir="rtl"' in code_page
    assert 'action="/ar/account/staff/sign-in/code"' in code_page


# Rate limits


@pytest.fixture
def limited_app(tmp_path: Path) -> Iterator[Flask]:
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
        make_staff("admin@example.org", Role.ADMIN)
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def _code_page_on_machine(app: Flask, n: int) -> tuple[FlaskClient, str, dict[str, str]]:
    machine = {"REMOTE_ADDR": f"198.51.100.{n + 1}"}
    client = app.test_client()
    response = sign_in_staff(client, "admin@example.org", environ=machine, with_code=False)
    assert is_code_page(response)
    return client, response.get_data(as_text=True), machine


def test_wrong_codes_are_limited_per_machine(limited_app: Flask) -> None:
    client, page, machine = _code_page_on_machine(limited_app, 0)
    codes = [answer_code(client, page, "000000", machine).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


def test_wrong_codes_are_limited_per_account_from_all_machines(limited_app: Flask) -> None:
    statuses = []
    for n in range(11):
        client, page, machine = _code_page_on_machine(limited_app, n)
        statuses.append(answer_code(client, page, "000000", machine).status_code)
    assert statuses == [200] * 10 + [429]
    # The right code from a machine of its own is refused too, for the hour.
    client, page, machine = _code_page_on_machine(limited_app, 20)
    code = next_code(client, "admin@example.org")
    assert answer_code(client, page, code, machine).status_code == 429


def test_right_codes_do_not_count_against_the_account(limited_app: Flask) -> None:
    statuses = []
    for n in range(12):
        client, page, machine = _code_page_on_machine(limited_app, n)
        code = next_code(client, "admin@example.org")
        statuses.append(answer_code(client, page, code, machine).status_code)
    assert statuses == [302] * 12


# A password link does not skip the code


@pytest.mark.db
@pytest.mark.parametrize("role", [Role.MODERATOR, Role.ADMIN], ids=["moderator", "admin"])
def test_a_password_link_sets_the_password_and_then_asks_for_the_code(
    app: Flask, client: FlaskClient, role: Role
) -> None:
    person_id = make_staff("person@example.org", role, two_step=True).id
    admin = staff_client(app.test_client(), "admin2@example.org", Role.ADMIN)
    page = f"/en/manage/users/{person_id}/"
    assert post_form(admin, page, f"{page[:-1]}/password-reset").status_code == 302
    form_path = press_continue(client, link_path_in(last_mail_to("person@example.org")))
    form_path = form_path.headers["Location"]
    token = csrf_token_of(client.get(form_path).get_data(as_text=True))
    new_password = "a brand new password"
    sign_ins = len(audit("auth.sign_in"))
    response = client.post(
        form_path, data={"password": new_password, "confirm": new_password, "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/account/staff/sign-in/code"
    code_page = client.get(response.headers["Location"])
    assert is_code_page(code_page)
    assert code_page.headers["Cache-Control"] == "no-store"
    assert "Your password is set." in code_page.get_data(as_text=True)
    # The password is set, but nothing is signed in yet.
    assert not reached(client)
    assert len(audit("auth.sign_in")) == sign_ins
    response = answer_code(
        client, code_page.get_data(as_text=True), next_code(client, "person@example.org")
    )
    assert response.status_code == 302
    assert reached(client)
    assert audit("auth.sign_in")[-1].details == {"method": "password_code"}
    assert sign_in_staff(app.test_client(), "person@example.org", new_password).status_code == 302


# The new key in the cookie


def cookie_data(client: FlaskClient) -> dict[str, object]:
    cookie = client.get_cookie("session")
    if cookie is None:
        return {}
    app = client.application
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return dict(serializer.loads(cookie.value))


@pytest.mark.db
def test_the_new_key_leaves_the_cookie_once_confirmed_or_on_sign_out(
    app: Flask, client: FlaskClient
) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    page = client.get(TWO_STEP).get_data(as_text=True)
    assert cookie_data(client)["two_step_new_key"] == key_on(page)
    assert post_form(client, TWO_STEP, "/en/account/sign-out").status_code == 302
    assert "two_step_new_key" not in cookie_data(client)

    other = staff_client(app.test_client(), "mod@example.org", Role.MODERATOR)
    turn_on(other)
    assert "two_step_new_key" not in cookie_data(other)


# An administrator without two-step who sends a form


@pytest.mark.db
def test_a_form_sent_before_two_step_is_set_up_comes_back_to_its_page(
    client: FlaskClient,
) -> None:
    make_staff("admin@example.org", Role.ADMIN, two_step=False)
    sign_in_staff(client, "admin@example.org")
    token = csrf_token_of(client.get(TWO_STEP).get_data(as_text=True))
    response = client.post(
        "/en/manage/users/invite",
        data={"csrf_token": token, "email": "x@example.org", "role": "editor"},
        headers={"Referer": "http://localhost/en/manage/users/?q=x"},
    )
    assert response.headers["Location"] == f"{TWO_STEP}?next=/en/manage/users/?q%3Dx"
    # Without a page to say, the form's own address if it is a page.
    response = client.post("/en/manage/consultations/new", data={"csrf_token": token, "title": "T"})
    assert response.headers["Location"] == f"{TWO_STEP}?next=/en/manage/consultations/new"
    assert audit("user.invited") == []
