"""Simple bots are stopped on every public form: a bait field and a minimum time to fill.

These tests run an app with the fill time on (the rest of the suite sends forms
at once with it off) and move the clock with time_machine.
"""

from __future__ import annotations

import base64
import html
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from consult import create_app
from consult.accounts.models import EmailLink
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentReport
from consult.core.bots import MAX_STAMP_AGE
from consult.extensions import db
from consult.questionnaires.models import Response
from tests.accounts.helpers import csrf_token_of, last_mail_to, link_path_in, press_continue
from tests.comments.helpers import comment_form_of
from tests.conftest import make_config
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question

MIN_FILL = 3
SIGN_IN = "/en/account/sign-in"
SECTION = "/en/consultations/ai/sections/1/"
GENERAL = "/en/consultations/ai/comments/"
QUESTIONNAIRE = "/en/consultations/ai/questionnaire/"
PARTICIPANT = "amina@example.org"
TYPED = "Paragraph 3.b should name the IPU, typed with care."
BAIT = "https://cheap-pills.example/"
REFUSAL = "We could not accept the form as it was sent. Please check what you typed"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The suite's app, with the fill time on (`client` and `db_session` use this one)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('bots') / 'bots.sqlite3'}"
    config = replace(make_config(url), fill_time_in_tests=True, min_fill_seconds=MIN_FILL)
    application = create_app(config)
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Time stands still unless a test moves it, as a person's typing would."""
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        yield traveller


@dataclass(frozen=True)
class World:
    report: str
    question: str


@pytest.fixture
def world(clock: time_machine.Traveller, client: FlaskClient) -> World:
    """An open consultation with a section, a questionnaire and someone else's comment."""
    consultation = make_consultation("ai", sections={"1": {"en": "Regulate by principles."}})
    question = make_question(consultation, texts={"en": "Your chamber?"})
    comment = make_comment(consultation, make_participant("other@example.org"))
    make_participant(PARTICIPANT)
    return World(
        report=f"/en/consultations/ai/comments/{comment.id}/report", question=f"q-{question.id}"
    )


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def stamp_of(page: str, form: str = "") -> str:
    """The fill-time field of the first form on `page`, or of the first one after `form`."""
    match = re.search(r'name="form_shown" value="([^"]*)"', page[page.find(form) :])
    assert match is not None, "no fill-time field on the page"
    return html.unescape(match[1])


def sign_in(client: FlaskClient, clock: time_machine.Traveller, email: str = PARTICIPANT) -> None:
    """Sign in by e-mail link as a person does, taking the time to type the address."""
    page = client.get(SIGN_IN).get_data(as_text=True)
    clock.shift(10)
    sent = client.post(
        SIGN_IN,
        data={"email": email, "csrf_token": csrf_token_of(page), "form_shown": stamp_of(page)},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    press_continue(client, link_path_in(last_mail_to(email)))


@dataclass(frozen=True)
class Protected:
    """A public form: where it is shown, what a person types in it, what saving it makes."""

    page: Callable[[World], str]
    typed: Callable[[World, str], dict[str, str]]
    kept: str
    saved: Callable[[], int]
    participant: bool = True
    # Where the form starts on a page that holds others before it.
    starts_at: str = ""


def _answers(action: str) -> Callable[[World, str], dict[str, str]]:
    return lambda world, page: {"action": action, "identity": "name", world.question: TYPED}


CASES = {
    "sign-in link request": Protected(
        page=lambda world: SIGN_IN,
        typed=lambda world, page: {"email": "typed.person@example.org"},
        kept='value="typed.person@example.org"',
        saved=lambda: count(EmailLink),
        participant=False,
    ),
    "section comment": Protected(
        page=lambda world: SECTION,
        typed=lambda world, page: comment_form_of(page, body=TYPED),
        kept=TYPED,
        saved=lambda: count(Comment),
        starts_at='id="comment-form"',
    ),
    "general comment": Protected(
        page=lambda world: GENERAL,
        typed=lambda world, page: comment_form_of(page, body=TYPED),
        kept=TYPED,
        saved=lambda: count(Comment),
        starts_at='id="comment-form"',
    ),
    "report": Protected(
        page=lambda world: world.report,
        typed=lambda world, page: {"note": TYPED},
        kept=TYPED,
        saved=lambda: count(CommentReport),
    ),
    "questionnaire draft": Protected(
        page=lambda world: QUESTIONNAIRE,
        typed=_answers("draft"),
        kept=f'value="{TYPED}"',
        saved=lambda: count(Response),
    ),
    "questionnaire submission": Protected(
        page=lambda world: QUESTIONNAIRE,
        typed=_answers("submit"),
        kept=f'value="{TYPED}"',
        saved=lambda: count(Response),
    ),
}
each_form = pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())


def open_form(
    client: FlaskClient, clock: time_machine.Traveller, world: World, case: Protected
) -> str:
    if case.participant:
        sign_in(client, clock)
    return client.get(case.page(world)).get_data(as_text=True)


def send(
    client: FlaskClient, world: World, case: Protected, page: str, **extra: str | None
) -> TestResponse:
    """Send the form on `page` with what a person types, and `extra` fields as a bot would."""
    data: dict[str, str | None] = {
        "csrf_token": csrf_token_of(page),
        "form_shown": stamp_of(page, case.starts_at),
    }
    data.update(case.typed(world, page))
    data.update(extra)
    return client.post(case.page(world), data={k: v for k, v in data.items() if v is not None})


def text_of(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


@each_form
def test_a_filled_bait_field_is_refused_with_the_text_kept_and_nothing_saved(
    client: FlaskClient, clock: time_machine.Traveller, world: World, case: Protected
) -> None:
    page = open_form(client, clock, world, case)
    clock.shift(60)
    saved, audited = case.saved(), count(AuditEntry)
    response = send(client, world, case, page, website=BAIT)
    assert response.status_code == 422
    text = text_of(response)
    assert REFUSAL in text
    assert case.kept in text
    # The bait comes back empty, so a person refused by mistake gets through.
    assert BAIT not in text
    assert (case.saved(), count(AuditEntry)) == (saved, audited)
    clock.shift(MIN_FILL)
    assert send(client, world, case, response.get_data(as_text=True)).status_code == 302
    assert case.saved() == saved + 1


@each_form
def test_a_form_sent_too_soon_is_refused_then_accepted_when_sent_again(
    client: FlaskClient, clock: time_machine.Traveller, world: World, case: Protected
) -> None:
    page = open_form(client, clock, world, case)
    clock.shift(MIN_FILL - 1)
    saved = case.saved()
    response = send(client, world, case, page)
    assert response.status_code == 422
    text = text_of(response)
    assert REFUSAL in text
    assert case.kept in text
    assert case.saved() == saved
    # The page shown again carries a new time: sending it at once is still too soon,
    # after reading the message it goes through.
    again = response.get_data(as_text=True)
    assert send(client, world, case, again).status_code == 422
    clock.shift(MIN_FILL)
    assert send(client, world, case, again).status_code == 302
    assert case.saved() == saved + 1


@each_form
def test_a_form_sent_after_the_minimum_time_is_accepted(
    client: FlaskClient, clock: time_machine.Traveller, world: World, case: Protected
) -> None:
    page = open_form(client, clock, world, case)
    clock.shift(MIN_FILL)
    saved = case.saved()
    response = send(client, world, case, page)
    assert response.status_code == 302, text_of(response)
    assert case.saved() == saved + 1


def _other_key(stamp: str) -> str | None:
    return URLSafeSerializer("not-our-secret", salt="consult.form-fill-time").dumps(0)


def _moved_back(stamp: str) -> str | None:
    # The time edited, the signature kept.
    _, signature = stamp.rsplit(".", 1)
    earlier = base64.urlsafe_b64encode(str(time.time() - 3600).encode()).rstrip(b"=")
    return f"{earlier.decode()}.{signature}"


def _signed_for_something_else(stamp: str) -> str | None:
    # Our key, another purpose (the session cookie's salt).
    return URLSafeSerializer("test-secret", salt="cookie-session").dumps(0)


FORGERIES: dict[str, Callable[[str], str | None]] = {
    "missing": lambda stamp: None,
    "empty": lambda stamp: "",
    "garbage": lambda stamp: "0",
    "signed with another key": _other_key,
    "moved back": _moved_back,
    "signed for something else": _signed_for_something_else,
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
@pytest.mark.parametrize("form", ["sign-in link request", "section comment"])
def test_a_forged_or_back_dated_time_counts_as_too_soon(
    client: FlaskClient,
    clock: time_machine.Traveller,
    world: World,
    form: str,
    forge: Callable[[str], str | None],
) -> None:
    case = CASES[form]
    page = open_form(client, clock, world, case)
    clock.shift(3600)
    saved = case.saved()
    forged = forge(stamp_of(page, case.starts_at))
    response = send(client, world, case, page, form_shown=forged)
    assert response.status_code == 422
    assert case.kept in text_of(response)
    assert case.saved() == saved


def _sign_in_from(client: FlaskClient, clock: time_machine.Traveller, page: str) -> str:
    """Take the sign-in page a visitor's sending led to, and come back by its link."""
    clock.shift(10)
    sent = client.post(
        SIGN_IN,
        data={
            "email": PARTICIPANT,
            "next": re.findall(r'name="next" type="hidden" value="([^"]*)"', page)[0],
            "draft": html.unescape(
                re.findall(r'name="draft" type="hidden" value="([^"]*)"', page)[0]
            ),
            "csrf_token": csrf_token_of(page),
            "form_shown": stamp_of(page),
        },
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    after = press_continue(client, link_path_in(last_mail_to(PARTICIPANT)))
    return str(after.headers["Location"])


@pytest.mark.parametrize(
    "form", ["section comment", "general comment", "report", "questionnaire submission"]
)
def test_a_form_restored_after_signing_in_by_link_can_be_sent_at_once(
    client: FlaskClient, clock: time_machine.Traveller, world: World, form: str
) -> None:
    case = CASES[form]
    # Typed while signed out (or after the session ended): sending asks to sign in.
    shown = client.get(case.page(world) if form != "report" else SECTION).get_data(as_text=True)
    clock.shift(MIN_FILL)
    asked = send(client, world, case, shown)
    assert "Your text is kept" in asked.get_data(as_text=True)
    back_to = _sign_in_from(client, clock, asked.get_data(as_text=True))
    assert back_to == case.page(world)
    restored = client.get(back_to).get_data(as_text=True)
    assert case.kept in html.unescape(restored)
    saved = case.saved()
    response = send(client, world, case, restored)
    assert response.status_code == 302, text_of(response)
    assert case.saved() == saved + 1


@each_form
def test_a_form_shown_again_after_its_token_expired_can_be_sent_at_once(
    client: FlaskClient, clock: time_machine.Traveller, world: World, case: Protected
) -> None:
    page = open_form(client, clock, world, case)
    # Hours of drafting, then the token no longer matches.
    clock.shift(2 * 3600)
    saved = case.saved()
    expired = send(client, world, case, page, csrf_token="expired")
    assert expired.status_code == 400
    assert case.kept in text_of(expired)
    response = send(client, world, case, expired.get_data(as_text=True))
    assert response.status_code == 302, text_of(response)
    assert case.saved() == saved + 1


def test_a_form_shown_again_for_a_mistake_keeps_the_time_it_was_first_shown(
    client: FlaskClient, clock: time_machine.Traveller, world: World
) -> None:
    case = CASES["section comment"]
    page = open_form(client, clock, world, case)
    clock.shift(MIN_FILL)
    empty = send(client, world, case, page, body="")
    assert "Please write your comment." in text_of(empty)
    # The reader types the missing text and sends at once: not a bot.
    response = send(client, world, case, empty.get_data(as_text=True))
    assert response.status_code == 302, text_of(response)


def test_saved_answers_can_be_submitted_at_once(
    client: FlaskClient, clock: time_machine.Traveller, world: World
) -> None:
    page = open_form(client, clock, world, CASES["questionnaire draft"])
    clock.shift(MIN_FILL)
    assert send(client, world, CASES["questionnaire draft"], page).status_code == 302
    saved_page = client.get(QUESTIONNAIRE).get_data(as_text=True)
    response = send(client, world, CASES["questionnaire submission"], saved_page)
    assert response.status_code == 302, text_of(response)
    assert "your response is submitted" in text_of(client.get(QUESTIONNAIRE))


def test_the_bait_field_is_out_of_sight_out_of_reach_and_unique_on_each_page(
    client: FlaskClient, clock: time_machine.Traveller, world: World
) -> None:
    consultation = make_consultation("two", sections={"1": {"en": "Two comments below."}})
    for email in ("one@example.org", "two@example.org"):
        make_comment(consultation, make_participant(email), section_key="1")
    sign_in(client, clock)
    # The comment form and a report form per comment.
    page = client.get("/en/consultations/two/sections/1/").get_data(as_text=True)
    baits = re.findall(
        r'<div class="form-extra" aria-hidden="true">\s*<label for="([^"]+)">Leave this field '
        r'empty</label>\s*<input type="text" id="([^"]+)" name="website" value="" tabindex="-1" '
        r'autocomplete="off">',
        page,
    )
    assert len(baits) == 3
    assert all(label == field for label, field in baits)
    assert len({field for _, field in baits}) == 3
    assert " style=" not in page
    stylesheet = client.get("/static/consult.css").get_data(as_text=True)
    assert re.search(r"\.form-extra\s*\{\s*display:\s*none;\s*\}", stylesheet)


@each_form
def test_a_time_older_than_a_day_is_refused_once_with_the_text_kept(
    client: FlaskClient, clock: time_machine.Traveller, world: World, case: Protected
) -> None:
    page = open_form(client, clock, world, case)
    # A day and a bit: a bot keeping a time it fetched once.
    clock.shift(MAX_STAMP_AGE.total_seconds() + 60)
    saved = case.saved()
    response = send(client, world, case, page)
    assert response.status_code == 422
    assert REFUSAL in text_of(response)
    assert case.kept in text_of(response)
    assert case.saved() == saved
    # The page shown again carries a new time: a person sends it after reading.
    again = response.get_data(as_text=True)
    assert send(client, world, case, again).status_code == 422
    clock.shift(MIN_FILL)
    assert send(client, world, case, again).status_code == 302
    assert case.saved() == saved + 1


def test_a_form_drafted_for_most_of_a_day_is_accepted(
    client: FlaskClient, clock: time_machine.Traveller, world: World
) -> None:
    case = CASES["section comment"]
    page = open_form(client, clock, world, case)
    clock.shift(MAX_STAMP_AGE.total_seconds() - 60)
    assert send(client, world, case, page).status_code == 302


def test_a_ready_time_from_saved_answers_does_not_let_another_form_through(
    client: FlaskClient, clock: time_machine.Traveller, world: World
) -> None:
    page = open_form(client, clock, world, CASES["questionnaire draft"])
    clock.shift(MIN_FILL)
    assert send(client, world, CASES["questionnaire draft"], page).status_code == 302
    # Saved answers come back with a time already reached: harvested for a comment.
    harvested = stamp_of(client.get(QUESTIONNAIRE).get_data(as_text=True))
    case = CASES["section comment"]
    comment_page = client.get(SECTION).get_data(as_text=True)
    saved = case.saved()
    response = send(client, world, case, comment_page, form_shown=harvested)
    assert response.status_code == 422
    assert case.saved() == saved


@pytest.mark.parametrize("form", ["sign-in link request", "report"])
def test_a_time_fetched_in_another_session_is_refused(
    app: Flask, client: FlaskClient, clock: time_machine.Traveller, world: World, form: str
) -> None:
    case = CASES[form]
    elsewhere = app.test_client()
    fetched = open_form(elsewhere, clock, world, case)
    page = open_form(client, clock, world, case)
    clock.shift(60)
    saved = case.saved()
    response = send(client, world, case, page, form_shown=stamp_of(fetched, case.starts_at))
    assert response.status_code == 422
    assert case.kept in text_of(response)
    assert case.saved() == saved


def test_a_draft_restored_on_another_device_can_be_sent_at_once(
    app: Flask, client: FlaskClient, clock: time_machine.Traveller, world: World
) -> None:
    case = CASES["section comment"]
    shown = client.get(SECTION).get_data(as_text=True)
    clock.shift(MIN_FILL)
    asked = send(client, world, case, shown).get_data(as_text=True)
    clock.shift(10)
    client.post(
        SIGN_IN,
        data={
            "email": PARTICIPANT,
            "next": re.findall(r'name="next" type="hidden" value="([^"]*)"', asked)[0],
            "draft": html.unescape(
                re.findall(r'name="draft" type="hidden" value="([^"]*)"', asked)[0]
            ),
            "csrf_token": csrf_token_of(asked),
            "form_shown": stamp_of(asked),
        },
    )
    # The link is opened on the phone.
    phone = app.test_client()
    back_to = press_continue(phone, link_path_in(last_mail_to(PARTICIPANT))).headers["Location"]
    restored = phone.get(back_to).get_data(as_text=True)
    assert case.kept in html.unescape(restored)
    saved = case.saved()
    response = send(phone, world, case, restored)
    assert response.status_code == 302, text_of(response)
    assert case.saved() == saved + 1
