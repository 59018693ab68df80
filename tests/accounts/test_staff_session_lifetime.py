"""Staff sessions lapse: 30 minutes without a request, 12 hours after they began.
A replayed old cookie gets nothing back, and a staff form sent after the lapse
keeps its text through the sign-in, to be sent again only by the person."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from consult.accounts.models import Role, User, UserSession
from consult.accounts.staff_forms import KeptPost
from consult.consultations.models import Consultation
from consult.extensions import db
from tests.accounts.helpers import csrf_token_of, sign_in_participant
from tests.accounts.staff_helpers import (
    STAFF_PASSWORD,
    STAFF_SIGN_IN,
    answer_code,
    hidden_fields,
    is_code_page,
    make_staff,
    next_code,
    post_form,
    sign_in_staff,
    staff_client,
)
from tests.factories import make_consultation

START = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
NEW_CONSULTATION = "/en/manage/consultations/new"


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def reached_manage(client: FlaskClient) -> bool:
    return client.get("/en/manage/").status_code == 200


def kept_in(client: FlaskClient, page: str) -> KeptPost | None:
    """The form the page carries through the sign-in, if it carries one Consult signed."""
    with client.application.app_context():
        return KeptPost.from_signed(hidden_fields(page).get("kept"))


def sent_to_sign_in(client: FlaskClient, path: str = "/en/manage/") -> bool:
    response = client.get(path)
    return response.status_code == 302 and response.headers["Location"].startswith(STAFF_SIGN_IN)


# Lifetimes


@pytest.mark.db
def test_a_staff_session_lapses_after_30_minutes_without_a_request(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    for _ in range(3):
        clock.shift(timedelta(minutes=29))
        assert reached_manage(client)
    clock.shift(timedelta(minutes=30))
    assert sent_to_sign_in(client)
    # No rights at all: not even a participant's pages, nor the "Sign out" button.
    assert client.get("/en/account/profile").status_code == 302
    assert "Sign out" not in client.get("/en/").get_data(as_text=True)


@pytest.mark.db
def test_a_staff_session_lapses_12_hours_after_it_began_however_busy(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    staff_client(client, "mod@example.org", Role.MODERATOR)
    for _ in range(12 * 3 - 1):
        clock.shift(timedelta(minutes=20))
        assert reached_manage(client)
    clock.shift(timedelta(minutes=20))
    assert sent_to_sign_in(client)
    # Signing in again opens a new session, with a new 12 hours.
    assert sign_in_staff(client, "mod@example.org").status_code == 302
    assert reached_manage(client)


@pytest.mark.db
def test_a_replayed_cookie_cannot_revive_a_lapsed_session(
    app: Flask, client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    cookies = []
    for _ in range(3):
        cookie = client.get_cookie("session")
        assert cookie is not None
        cookies.append(cookie.value)
        clock.shift(timedelta(minutes=20))
        assert reached_manage(client)
    clock.shift(timedelta(minutes=31))
    assert sent_to_sign_in(client)
    for old in cookies:
        replay = app.test_client()
        replay.set_cookie("session", old)
        assert sent_to_sign_in(replay)
    # The lapse is not written anywhere: the server still holds the session open.
    assert db.session.scalars(select(UserSession)).one().ended_at is None


@pytest.mark.db
def test_signing_in_again_ends_the_lapsed_session_on_the_server(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    clock.shift(timedelta(minutes=45))
    assert sign_in_staff(client, "editor@example.org").status_code == 302
    sessions = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()
    assert [s.ended_at is not None for s in sessions] == [True, False]


@pytest.mark.db
def test_a_participants_link_session_does_not_lapse_after_30_minutes(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    sign_in_participant(client, "amina@example.org")
    clock.shift(timedelta(hours=13))
    assert client.get("/en/account/profile").status_code == 200


# Replayed cookies after sign-out, a role change and disabling


@pytest.mark.db
def test_a_staff_cookie_replayed_after_sign_out_is_refused(app: Flask, client: FlaskClient) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    old_cookie = client.get_cookie("session")
    assert old_cookie is not None
    assert post_form(client, "/en/manage/", "/en/account/sign-out").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", old_cookie.value)
    assert sent_to_sign_in(replay)
    assert replay.get("/en/account/profile").status_code == 302


@pytest.mark.db
def test_a_staff_cookie_replayed_after_the_account_is_disabled_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    editor_id = make_staff("editor@example.org", Role.EDITOR).id
    assert sign_in_staff(client, "editor@example.org").status_code == 302
    old_cookie = client.get_cookie("session")
    assert old_cookie is not None
    admin = staff_client(app.test_client(), "admin@example.org", Role.ADMIN)
    page = f"/en/manage/users/{editor_id}/"
    assert post_form(admin, page, f"{page[:-1]}/disable", reason="Left").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", old_cookie.value)
    assert sent_to_sign_in(replay)
    assert replay.get("/en/account/profile").status_code == 302


# A form sent after the lapse


def _new_consultation_after_the_lapse(
    client: FlaskClient, clock: time_machine.Coordinates, title: str
) -> tuple[str, object]:
    token = csrf_token_of(client.get(NEW_CONSULTATION).get_data(as_text=True))
    clock.shift(timedelta(minutes=31))
    response = client.post(
        NEW_CONSULTATION,
        data={
            "csrf_token": token,
            "slug": "kept-draft",
            "title": title,
            "default_locale": "en",
            "timezone": "Europe/Paris",
        },
        headers={"Referer": f"http://localhost{NEW_CONSULTATION}"},
    )
    return response.get_data(as_text=True), response.status_code


@pytest.mark.db
@pytest.mark.parametrize("two_step", [False, True], ids=["password", "password and code"])
def test_a_form_sent_after_the_lapse_keeps_its_text_through_the_sign_in(
    client: FlaskClient, clock: time_machine.Coordinates, two_step: bool
) -> None:
    make_staff("editor@example.org", Role.EDITOR, two_step=two_step)
    assert sign_in_staff(client, "editor@example.org").status_code == 302
    title = '<script>alert("x")</script> Rights & duties\nof platforms'
    page, status = _new_consultation_after_the_lapse(client, clock, title)
    assert status == 401
    assert "Your session ended" in page
    assert db.session.scalars(select(Consultation)).all() == []
    kept = kept_in(client, page)
    assert kept is not None
    assert ("title", title) in kept.fields
    assert not any(name == "csrf_token" for name, _ in kept.fields)

    # The sign-in on that page carries it through the password (and the code).
    fields = hidden_fields(page)
    response = client.post(
        STAFF_SIGN_IN, data={**fields, "email": "editor@example.org", "password": STAFF_PASSWORD}
    )
    if two_step:
        assert is_code_page(response)
        assert response.headers["Cache-Control"] == "no-store"
        code_page = response.get_data(as_text=True)
        assert "Your session ended" in code_page
        response = answer_code(client, code_page, next_code(client, "editor@example.org"))
    assert response.status_code == 200
    # The typed text stays out of every cache.
    assert response.headers["Cache-Control"] == "no-store"
    resend = response.get_data(as_text=True)
    # Shown, escaped, and not saved until the person sends it again.
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Rights &amp; duties" in resend
    assert "<script>alert" not in resend
    assert f'action="{NEW_CONSULTATION}"' in resend
    assert f'href="{NEW_CONSULTATION}">Discard</a>' in resend
    assert db.session.scalars(select(Consultation)).all() == []
    again = hidden_fields(resend)
    assert again["title"] == title
    assert again["csrf_token"] != fields["csrf_token"]
    response = client.post(NEW_CONSULTATION, data=again)
    assert response.status_code == 302
    consultation = db.session.scalars(select(Consultation)).one()
    assert consultation.slug == "kept-draft"


@pytest.mark.db
def test_every_value_of_a_repeated_field_is_kept(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    make_consultation("x", sections={"1": {"en": "Section one."}})
    exports = "/en/manage/consultations/x/exports/"
    token = csrf_token_of(client.get(exports).get_data(as_text=True))
    clock.shift(timedelta(hours=1))
    response = client.post(
        exports,
        data={"csrf_token": token, "format": "csv", "statuses": ["published", "hidden"]},
    )
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    fields = hidden_fields(page)
    kept = kept_in(client, page)
    assert kept is not None
    assert kept.fields == (("format", "csv"), ("statuses", "published"), ("statuses", "hidden"))
    response = client.post(
        STAFF_SIGN_IN, data={**fields, "email": "editor@example.org", "password": STAFF_PASSWORD}
    )
    resend = response.get_data(as_text=True)
    assert resend.count('<input type="hidden" name="statuses"') == 2
    assert '<input type="hidden" name="statuses" value="hidden">' in resend
    # The export address is a page too: "Discard" goes back to it.
    assert f'href="{exports}">Discard</a>' in resend


@pytest.mark.db
def test_a_form_sent_without_any_cookie_is_not_kept(app: Flask, client: FlaskClient) -> None:
    make_staff("editor@example.org", Role.EDITOR)
    # Without this browser's form token, nothing says the person sent it.
    response = client.post(NEW_CONSULTATION, data={"csrf_token": "stale", "title": "Kept title"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'action="{STAFF_SIGN_IN}"' in page
    assert "Your session ended" not in page
    assert "Kept title" not in page
    assert hidden_fields(page)["kept"] == ""


def _lapsed_admin(client: FlaskClient, clock: time_machine.Coordinates) -> int:
    """An administrator signed in on `client`, whose session lapsed; the id of a
    participant's account an attacker would like promoted."""
    make_staff("admin@example.org", Role.ADMIN)
    make_staff("other.admin@example.org", Role.ADMIN)
    assert sign_in_staff(client, "admin@example.org").status_code == 302
    target = User(email="mallory@example.org")
    db.session.add(target)
    db.session.commit()
    clock.shift(timedelta(minutes=31))
    return target.id


def _sign_in_on(
    client: FlaskClient, page: str, email: str = "admin@example.org", **changed: str
) -> str:
    """Sign in with the form on `page` (what it carries, `changed`); the page after."""
    fields = {**hidden_fields(page), **changed, "email": email, "password": STAFF_PASSWORD}
    response = client.post(STAFF_SIGN_IN, data=fields)
    if is_code_page(response):
        response = answer_code(client, response.get_data(as_text=True), next_code(client, email))
    return response.get_data(as_text=True) if response.status_code == 200 else ""


@pytest.mark.db
def test_a_form_another_site_posts_after_the_lapse_is_not_offered_again(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    target_id = _lapsed_admin(client, clock)
    # Another site's page posts to the role form: the browser sends its cookie,
    # but no form token.
    action = f"/en/manage/users/{target_id}/role"
    response = client.post(action, data={"role": "admin"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your session ended" not in page
    assert kept_in(client, page) is None
    response = client.post(
        STAFF_SIGN_IN,
        data={**hidden_fields(page), "email": "admin@example.org", "password": STAFF_PASSWORD},
    )
    response = answer_code(
        client, response.get_data(as_text=True), next_code(client, "admin@example.org")
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/manage/"
    assert db.session.get(User, target_id).role is Role.PARTICIPANT  # type: ignore[union-attr]


def _signed_like(kept: KeptPost, secret: str, **changed: object) -> str:
    payload = {
        "user": kept.user_id,
        "to": kept.target,
        "fields": [list(pair) for pair in kept.fields],
        "back": kept.back,
        **changed,
    }
    return URLSafeTimedSerializer(secret, salt="consult.accounts.kept-post").dumps(payload)


@pytest.mark.db
@pytest.mark.parametrize(
    "tamper", ["other key", "changed signature", "changed text", "unsigned", "13 hours later"]
)
def test_a_kept_form_changed_or_too_old_is_not_offered_again(
    app: Flask, client: FlaskClient, clock: time_machine.Coordinates, tamper: str
) -> None:
    target_id = _lapsed_admin(client, clock)
    # The session's own form token (any page of it has the same).
    token = csrf_token_of(client.get(STAFF_SIGN_IN).get_data(as_text=True))
    action = f"/en/manage/users/{target_id}/role"
    response = client.post(action, data={"csrf_token": token, "role": "moderator"})
    assert response.status_code == 401
    sign_in_page = response.get_data(as_text=True)
    signed = hidden_fields(sign_in_page)["kept"]
    kept = kept_in(client, sign_in_page)
    assert kept is not None and kept.fields == (("role", "moderator"),)
    forged = {
        "other key": _signed_like(kept, "not-the-key", fields=[["role", "admin"]]),
        "changed signature": signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"),
        # Another payload with the genuine time stamp and signature.
        "changed text": ".".join(
            _signed_like(kept, "x", fields=[["role", "admin"]]).rsplit(".", 2)[:1]
            + signed.rsplit(".", 2)[1:]
        ),
        "unsigned": json.dumps({"user": kept.user_id, "to": action, "fields": [["role", "admin"]]}),
        "13 hours later": signed,
    }[tamper]
    if tamper == "13 hours later":
        clock.shift(timedelta(hours=13))
    after = _sign_in_on(client, sign_in_page, kept=forged)
    assert "Send it again" not in after
    assert db.session.get(User, target_id).role is Role.PARTICIPANT  # type: ignore[union-attr]


@pytest.mark.db
def test_a_kept_form_is_offered_only_to_the_account_that_sent_it(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    make_staff("another.editor@example.org", Role.EDITOR)
    make_staff("editor@example.org", Role.EDITOR)
    assert sign_in_staff(client, "editor@example.org").status_code == 302
    page, status = _new_consultation_after_the_lapse(client, clock, "Mine, not yours")
    assert status == 401 and kept_in(client, page) is not None
    # Someone else signs in on the same browser: the text is not theirs to see.
    response = client.post(
        STAFF_SIGN_IN,
        data={
            **hidden_fields(page),
            "email": "another.editor@example.org",
            "password": STAFF_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == NEW_CONSULTATION
    assert "Mine, not yours" not in client.get(NEW_CONSULTATION).get_data(as_text=True)


@pytest.mark.db
def test_a_kept_form_is_offered_only_for_the_address_it_was_sent_to(
    client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    make_staff("editor@example.org", Role.EDITOR)
    assert sign_in_staff(client, "editor@example.org").status_code == 302
    page, _ = _new_consultation_after_the_lapse(client, clock, "Kept title")
    after = _sign_in_on(
        client, page, "editor@example.org", next="/en/manage/consultations/x/settings"
    )
    assert "Send it again" not in after
    assert "Kept title" not in after


@pytest.mark.db
def test_signing_out_after_the_lapse_ends_the_session_on_the_server(
    app: Flask, client: FlaskClient, clock: time_machine.Coordinates
) -> None:
    staff_client(client, "editor@example.org", Role.EDITOR)
    page = client.get("/en/manage/").get_data(as_text=True)
    assert "Sign out" in page
    clock.shift(timedelta(minutes=31))
    # The "Sign out" button of a page opened before the lapse.
    response = client.post("/en/account/sign-out", data={"csrf_token": csrf_token_of(page)})
    assert response.status_code == 302
    assert "You are signed out." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalars(select(UserSession)).one().ended_at is not None


@pytest.mark.db
def test_a_kept_form_goes_only_to_a_page_of_this_site(client: FlaskClient) -> None:
    make_staff("editor@example.org", Role.EDITOR)
    kept = json.dumps({"fields": [["title", "x"]], "back": "https://evil.example/"})
    for target in ("https://evil.example/steal", "//evil.example/", "javascript:alert(1)"):
        other = client.application.test_client()
        page = other.get(STAFF_SIGN_IN).get_data(as_text=True)
        response = other.post(
            STAFF_SIGN_IN,
            data={
                "csrf_token": csrf_token_of(page),
                "email": "editor@example.org",
                "password": STAFF_PASSWORD,
                "next": target,
                "kept": kept,
            },
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/en/manage/"


@pytest.mark.db
def test_a_visitor_posting_to_a_staff_page_saves_nothing(client: FlaskClient) -> None:
    user_count = len(db.session.scalars(select(User)).all())
    token = csrf_token_of(client.get(STAFF_SIGN_IN).get_data(as_text=True))
    response = client.post(NEW_CONSULTATION, data={"csrf_token": token, "title": "T"})
    assert response.status_code == 401
    assert db.session.scalars(select(Consultation)).all() == []
    assert len(db.session.scalars(select(User)).all()) == user_count
