"""Bad input never gives a 500, accepted text comes back as typed, and no `next`
leaves the site.

Hypothesis sends hostile text (see `strategies.py`) in every query parameter the
views read and in every field of every form, as the person who may use each page:
a visitor, a signed-in participant, an administrator. Which query parameters are
read is not listed by hand: a first walk over every GET page records each name a
view looks up in `request.args`, so a new filter is fuzzed without being named
here. Which fields a form has comes from the forms on the pages themselves (with
`EXPIRED_FORM_CASES` for forms no page shows in this world).

Each generated example runs in a savepoint that is rolled back, so every example
sees the same world (a sign-out or a deleted account in one example does not
spoil the next).

The number of examples run is printed in the terminal summary ("fuzz: ...").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.test import TestResponse

from consult.accounts.forms import MAX_EMAIL_LENGTH
from consult.accounts.models import User
from consult.accounts.passwords import MAX_PASSWORD_LENGTH
from consult.comments.models import Comment, CommentReport, CommentStatus
from consult.comments.operations import MAX_COMMENT_LENGTH, MAX_REPORT_NOTE_LENGTH
from consult.consultations.forms import MAX_TITLE_LENGTH
from consult.consultations.models import MAX_SLUG_LENGTH, Consultation
from consult.core.text import normalise_plain_text, render_plain
from consult.core.urls import safe_next
from consult.extensions import db
from consult.moderation.operations import MAX_NOTE_LENGTH
from consult.papers.operations import MAX_HEADING_LENGTH, MAX_KEY_LENGTH
from consult.questionnaires.models import Answer, Response
from consult.questionnaires.operations import MAX_SHORT_TEXT_LENGTH
from consult.questionnaires.questions import MAX_OPTION_LENGTH, MAX_QUESTION_LENGTH
from tests.accounts.helpers import (
    ask_for_link,
    csrf_token_of,
    press_continue,
    sign_in_participant,
)
from tests.accounts.staff_helpers import sign_in_staff
from tests.core.test_expired_forms import EXPIRED_FORM_CASES
from tests.core.test_route_walk import concrete, get_routes, world  # noqa: F401 - a fixture
from tests.factories import make_comment
from tests.security.strategies import OFF_SITE_NEXTS, hostile_text, next_value

# `world` builds its objects in the test's transaction; each Hypothesis example
# is rolled back to that point, so sharing the function-scoped fixture is sound.
FUZZ = settings(
    suppress_health_check=[*settings().suppress_health_check, HealthCheck.function_scoped_fixture]
)

VISITOR, PARTICIPANT, ADMIN = "visitor", "participant", "admin"
PARTICIPANT_EMAIL = "amina@example.org"
UNKNOWN_PARAMETER = "zz"

# Each field's limit as the forms and operations document it; the text drawn for
# a field runs up to one character past it. Fields not named get DEFAULT_LIMIT.
FIELD_LIMITS = {
    "email": MAX_EMAIL_LENGTH,
    "password": MAX_PASSWORD_LENGTH * 4,
    "confirm": MAX_PASSWORD_LENGTH * 4,
    "display_name": 120,
    "organisation": 200,
    "body": MAX_COMMENT_LENGTH,
    "reason": 1000,
    "title": MAX_TITLE_LENGTH,
    "slug": MAX_SLUG_LENGTH,
    "heading": MAX_HEADING_LENGTH,
    "key": MAX_KEY_LENGTH,
    "text": MAX_QUESTION_LENGTH,
    "options": MAX_OPTION_LENGTH,
    "new_options": MAX_OPTION_LENGTH,
    "form_key": 64,
    "next": 2000,
    "q": MAX_EMAIL_LENGTH,
    "action": 64,
}
ROUTE_FIELD_LIMITS = {
    ("/report", "note"): MAX_REPORT_NOTE_LENGTH,
    ("/decide", "note"): MAX_NOTE_LENGTH,
    ("/bulk", "note"): MAX_NOTE_LENGTH,
    ("/questionnaire/", "q-"): MAX_SHORT_TEXT_LENGTH,
}

TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")


class Tally:
    """How much the fuzz tests did, for the terminal summary."""

    def __init__(self) -> None:
        self.examples: Counter[str] = Counter()
        self.requests = 0

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.examples:
            return
        total = sum(self.examples.values())
        parts = ", ".join(f"{name} {count}" for name, count in sorted(self.examples.items()))
        terminalreporter.write_line(
            f"fuzz: {total} generated examples ({parts}), {self.requests} requests"
        )


TALLY = Tally()


@pytest.fixture(scope="module", autouse=True)
def _fuzz_summary(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.is_registered(TALLY):
        manager.register(TALLY, "consult-fuzz-tally")


def counted(name: str) -> None:
    TALLY.examples[name] += 1


# --- what a response must never be ---------------------------------------------


def as_a_browser_reads(location: str) -> str:
    """An address as the WHATWG URL parser sees it: controls and spaces around it
    dropped, tabs and line breaks inside it dropped, backslashes read as slashes."""
    location = location.strip("".join(map(chr, range(0x21))))
    return re.sub(r"[\t\n\r]", "", location).replace("\\", "/")


def assert_same_site(location: str, context: object) -> None:
    """A redirect that stays on this site, whatever a browser makes of it."""
    parts = urlsplit(as_a_browser_reads(location))
    assert parts.scheme in ("", "http"), (context, location)
    assert parts.netloc in ("", "localhost"), (context, location)
    assert parts.path.startswith("/") and not parts.path.startswith("//"), (context, location)
    if not parts.scheme:
        assert not parts.netloc, (context, location)


def assert_no_failure(response: TestResponse, context: object) -> None:
    """No server error, no stack trace, and any redirect stays on the site."""
    assert response.status_code < 500, (context, response.status_code)
    if response.mimetype.startswith("text/"):
        assert not TRACEBACK.search(response.get_data(as_text=True)), context
    if "Location" in response.headers:
        assert_same_site(response.headers["Location"], context)


def send(client: FlaskClient, method: str, path: str, **kwargs: Any) -> TestResponse:
    TALLY.requests += 1
    return client.open(path, method=method, buffered=True, **kwargs)


# --- one world, three people, and a savepoint per example ----------------------


@contextmanager
def rolled_back(clients: dict[str, FlaskClient]) -> Iterator[None]:
    """Run the block in a savepoint, then undo it: database and cookies alike."""
    connection = db.session.get_bind()
    cookies = {role: dict(client._cookies) for role, client in clients.items()}
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        db.session.remove()
        savepoint.rollback()
        for role, client in clients.items():
            client._cookies.clear()
            client._cookies.update(cookies[role])


@pytest.fixture
def people(app: Flask, world: dict[str, object]) -> dict[str, FlaskClient]:  # noqa: F811
    """A visitor, a participant with a complete profile and an administrator, each
    with their own cookies; the administrator may comment like anyone else."""
    visitor, participant, admin = app.test_client(), app.test_client(), app.test_client()
    sign_in_participant(participant, PARTICIPANT_EMAIL)
    assert sign_in_staff(admin, "admin@example.org").status_code == 302
    return {VISITOR: visitor, PARTICIPANT: participant, ADMIN: admin}


def user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


@pytest.fixture
def values(world: dict[str, object], people: dict[str, FlaskClient]) -> dict[str, object]:  # noqa: F811
    """`world`, plus a pending comment of the participant's own to withdraw."""
    consultation = db.session.scalars(select(Consultation).where(Consultation.slug == "walk")).one()
    own = make_comment(consultation, user(PARTICIPANT_EMAIL), status=CommentStatus.PENDING)
    db.session.commit()
    return {**world, "own_comment_id": own.id}


def get_paths(app: Flask, values: dict[str, object]) -> list[str]:
    return [concrete(rule, values) for rule in get_routes(app) if not rule.startswith("/static/")]


# --- which query parameters each page reads --------------------------------------

_read: list[str] = []


class RecordingArgs(ImmutableMultiDict[str, str]):
    """The query string, noting each name a view looks up."""

    def __getitem__(self, key: str) -> str:
        _read.append(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        _read.append(str(key))
        return super().__contains__(key)

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:
        _read.append(key)
        return super().get(key, default=default, type=type)

    def getlist(self, key: str, type: Any = None) -> list[Any]:
        _read.append(key)
        return super().getlist(key, type=type)


# A query string no page should stumble on: NUL, bidi controls, bytes that are not
# UTF-8, an overlong slash, an off-site `next`, a page number past any integer.
RAW_HOSTILE_QUERY = (
    "page=99999999999999999999999&page=-1&order=%00%E2%80%AE&state=%FF%FE&section=%C0%AF"
    "&language=%E2%81%A6x&q=%25%5F%5C&action=%00&group=%0D%0A&country=%F0%9F%98%80"
    "&all_texts=1e309&everyone=%00&next=%2F%2Fevil.example&lang=%00&zz=%3Cscript%3E"
)


def read_parameters(
    app: Flask, people: dict[str, FlaskClient], paths: list[str]
) -> dict[tuple[str, str], frozenset[str]]:
    """Each (person, page) whose view reads query parameters, with their names.

    Every page is opened once with `RAW_HOSTILE_QUERY` on the way (and must hold).
    """
    original = app.request_class
    app.request_class = type(
        "RecordingRequest", (original,), {"parameter_storage_class": RecordingArgs}
    )
    found: dict[tuple[str, str], frozenset[str]] = {}
    try:
        for role, client in people.items():
            for path in paths:
                _read.clear()
                response = send(client, "GET", f"{path}?{RAW_HOSTILE_QUERY}")
                assert_no_failure(response, (role, path, RAW_HOSTILE_QUERY))
                names = frozenset(_read) - {"csrf_token"}
                if names:
                    found[(role, path)] = names
    finally:
        app.request_class = original
    return found


def parameter_value(name: str) -> st.SearchStrategy[str]:
    if name == "next":
        return next_value()
    if name == "page":
        return st.one_of(st.integers(-(2**70), 2**70).map(str), hostile_text(24))
    return hostile_text(FIELD_LIMITS.get(name))


@st.composite
def query_strings(draw: st.DrawFn, names: list[str]) -> list[tuple[str, str]]:
    """A value for each name (sometimes two, or none), and an unknown parameter."""
    pairs: list[tuple[str, str]] = []
    for name in names:
        for _ in range(draw(st.sampled_from([1, 1, 1, 0, 2]), label=f"{name} count")):
            pairs.append((name, draw(parameter_value(name), label=name)))
    pairs.append((UNKNOWN_PARAMETER, draw(hostile_text(), label=UNKNOWN_PARAMETER)))
    return pairs


@pytest.mark.db
def test_no_query_parameter_gives_a_server_error(
    app: Flask, people: dict[str, FlaskClient], values: dict[str, object]
) -> None:
    paths = get_paths(app, values)
    readers = read_parameters(app, people, paths)
    # The walk found the parameters the issue names (a broken recorder finds none).
    every_name = frozenset().union(*readers.values())
    assert {"page", "order", "next", "q", "state", "group", "action"} <= every_name, every_name
    names = sorted(every_name | {"lang"})

    # Each example opens a few of the pages that read parameters (the walk above
    # opened each of them once already), to keep `make test` quick; `make fuzz`
    # opens each of them many times.
    @FUZZ
    @given(
        query=query_strings(names),
        pages=st.lists(st.sampled_from(sorted(readers)), min_size=1, max_size=5, unique=True),
        other=st.tuples(st.sampled_from(sorted(people)), st.sampled_from(paths)),
        lang=st.one_of(st.just("en"), hostile_text(12)),
    )
    def fuzz(
        query: list[tuple[str, str]],
        pages: list[tuple[str, str]],
        other: tuple[str, str],
        lang: str,
    ) -> None:
        counted("query parameters")
        with rolled_back(people):
            for role, path in pages:
                read = readers[(role, path)]
                sent = [(name, value) for name, value in query if name in read or name == "zz"]
                response = send(people[role], "GET", path, query_string=sent)
                assert_no_failure(response, (role, path, sent))
            # One more page, any page, with every parameter and a hostile language.
            role, path = other
            path = re.sub(r"^/en/", "/" + quote(lang, safe="") + "/", path)
            response = send(people[role], "GET", path, query_string=query)
            assert_no_failure(response, (role, path, query))

    fuzz()


# --- every form ----------------------------------------------------------------


class FormFields(HTMLParser):
    """Each form on a page: its action and its fields with a valid value each."""

    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: dict[str, dict[str, list[str]]] = {}
        self._action: str | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        name = attributes.get("name")
        if tag == "form" and attributes.get("method", "get").lower() == "post":
            self._action = urlsplit(attributes.get("action") or self.page_path).path
            self.forms.setdefault(self._action, {})
        if self._action is None:
            return
        fields = self.forms[self._action]
        if tag in ("input", "button") and name:
            kind = attributes.get("type", "text")
            value = attributes.get("value", "y" if kind == "checkbox" else "")
            chosen = fields.setdefault(name, [])
            if kind in ("radio", "submit") or tag == "button":
                if "checked" in attributes or not chosen:
                    fields[name] = [value]
            elif (kind != "checkbox" or "checked" in attributes or not chosen) and (
                value not in chosen
            ):
                chosen.append(value)
        elif tag == "textarea" and name:
            fields[name] = [""]
            self._textarea = name
        elif tag == "select" and name:
            fields.setdefault(name, [])
            self._select = name
        elif tag == "option" and self._select:
            chosen = fields[self._select]
            value = attributes.get("value", "")
            if "selected" in attributes:
                fields[self._select] = [value]
            elif not chosen:
                chosen.append(value)

    def handle_data(self, data: str) -> None:
        if self._action is not None and self._textarea:
            self.forms[self._action][self._textarea] = [data.lstrip("\n")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._action = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def role_for(route: str) -> str:
    if "/manage/" in route or "/two-step/" in route:
        return ADMIN
    if route.startswith("/en/account/") and any(
        part in route for part in ("sign-in", "/link/", "/password/")
    ):
        return VISITOR
    return PARTICIPANT


def post_path(route: str, values: dict[str, object]) -> str:
    """The route with real objects: the participant's own comment where they withdraw."""
    if "/withdraw" in route:
        values = {**values, "comment_id": values["own_comment_id"]}
    if "<int:user_id>" in route:
        values = {**values, "user_id": values["other_user_id"]}
    return concrete(route.replace("/en/", "/<lang>/", 1), values)


def forms_on_pages(
    people: dict[str, FlaskClient], paths: list[str]
) -> dict[tuple[str, str], dict[str, list[str]]]:
    """Every POST form on every page, by (person, action)."""
    found: dict[tuple[str, str], dict[str, list[str]]] = {}
    for role, client in people.items():
        for path in paths:
            response = send(client, "GET", path)
            if "html" not in response.content_type:
                continue
            parser = FormFields(path)
            parser.feed(response.get_data(as_text=True))
            for action, fields in parser.forms.items():
                found.setdefault((role, action), {}).update(fields)
    return found


# The participant text fields whose stored value is checked against what was sent.
ROUND_TRIP_ROUTES = {"sections/<key>/", "comments/", "profile", "report", "questionnaire/"}


def field_limit(route: str, name: str) -> int | None:
    for (part, prefix), limit in ROUTE_FIELD_LIMITS.items():
        if part in route and name.startswith(prefix):
            return limit
    return FIELD_LIMITS.get(name)


@st.composite
def form_data(draw: st.DrawFn, route: str, fields: dict[str, list[str]]) -> dict[str, Any]:
    """Each field left as the page had it, or hostile text, or (for lists) one value."""
    data: dict[str, Any] = {}
    for name, valid in sorted(fields.items()):
        if name == "csrf_token":
            continue
        fuzzed = draw(st.booleans(), label=f"fuzz {name}")
        data[name] = draw(hostile_text(field_limit(route, name)), label=name) if fuzzed else valid
    if draw(st.booleans(), label="unknown field"):
        data[UNKNOWN_PARAMETER] = draw(hostile_text(), label=UNKNOWN_PARAMETER)
    return data


@pytest.fixture
def forms(
    app: Flask, people: dict[str, FlaskClient], values: dict[str, object]
) -> dict[str, tuple[str, str, dict[str, list[str]]]]:
    """For each POST route: who sends it, to which address, with which fields."""
    other = user("author@example.org")
    values["other_user_id"] = other.id
    on_pages = forms_on_pages(people, get_paths(app, {**values, "user_id": other.id}))
    found = {}
    for route, listed in EXPIRED_FORM_CASES.items():
        role = role_for(route)
        path = post_path(route, values)
        question_id = str(values["question_id"])
        fields = {
            name.replace("<question_id>", question_id): [value] for name, value in listed.items()
        }
        fields.update(on_pages.get((role, path), {}))
        found[route] = (role, path, fields)
    return found


# Each form with text to type is fuzzed with the fields its page really has (its
# token among them), not only the few listed for the expired-form test.
FORMS_WITH_TEXT = [
    "/en/account/sign-in",
    "/en/account/staff/sign-in",
    "/en/account/profile",
    "/en/consultations/<slug>/sections/<key>/",
    "/en/consultations/<slug>/comments/",
    "/en/consultations/<slug>/comments/<int:comment_id>/report",
    "/en/consultations/<slug>/questionnaire/",
    "/en/manage/users/invite",
    "/en/manage/users/<int:user_id>/disable",
    "/en/manage/consultations/new",
    "/en/manage/consultations/<slug>/settings",
    "/en/manage/consultations/<slug>/texts/<locale>",
    "/en/manage/consultations/<slug>/paper/import",
    "/en/manage/consultations/<slug>/paper/sections/<key>/<locale>",
    "/en/manage/consultations/<slug>/paper/sections/new",
    "/en/manage/consultations/<slug>/questionnaire/new",
    "/en/manage/consultations/<slug>/questionnaire/<int:question_id>/<locale>",
    "/en/manage/consultations/<slug>/exports/",
]


def stored_text(route: str, sent: dict[str, Any], values: dict[str, object]) -> dict[str, Any]:
    """What the database holds now for the participant text sent to `route`."""
    participant = user(PARTICIPANT_EMAIL)
    if "profile" in route:
        return {"display_name": participant.display_name, "organisation": participant.organisation}
    if "report" in route:
        report = db.session.scalars(select(CommentReport).order_by(CommentReport.id.desc())).first()
        return {"note": report.note if report else None}
    if "questionnaire" in route:
        answer = db.session.scalars(
            select(Answer)
            .join(Response)
            .where(
                Response.author_id == participant.id, Answer.question_id == values["question_id"]
            )
        ).first()
        return {f"q-{values['question_id']}": answer.text if answer else None}
    comment = db.session.scalars(
        select(Comment).where(Comment.author_id == participant.id).order_by(Comment.id.desc())
    ).first()
    return {"body": comment.body if comment else None}


def expected_text(route: str, name: str, value: Any) -> str | None:
    """The documented normalisation: NFC, Unix line breaks, no controls, trimmed."""
    text = normalise_plain_text(value if isinstance(value, str) else value[0]).strip()
    if name == "organisation":
        return text or None
    if name == "note" and "report" in route:
        return text[:MAX_REPORT_NOTE_LENGTH]
    if name.startswith("q-"):
        return text or None
    return text


def check_round_trip(
    route: str, sent: dict[str, Any], client: FlaskClient, values: dict[str, object]
) -> None:
    """Accepted participant text is stored as normalised and shown escaped."""
    stored = stored_text(route, sent, values)
    for name, value in stored.items():
        if name in sent:
            assert value == expected_text(route, name, sent[name]), (route, name, sent[name])
    if "body" in stored and stored["body"] is not None:
        page = send(client, "GET", "/en/account/contributions/").get_data(as_text=True)
        assert str(render_plain(stored["body"])) in page, route
    if "profile" in route:
        page = send(client, "GET", "/en/account/profile").get_data(as_text=True)
        from markupsafe import escape

        assert f'value="{escape(stored["display_name"])}"' in page, route


@pytest.mark.db
def test_no_form_gives_a_server_error_and_accepted_text_round_trips(
    people: dict[str, FlaskClient],
    values: dict[str, object],
    forms: dict[str, tuple[str, str, dict[str, list[str]]]],
) -> None:
    assert [route for route in FORMS_WITH_TEXT if "csrf_token" not in forms[route][2]] == []
    routes = sorted(forms)
    tokens = {
        role: csrf_token_of(send(client, "GET", "/en/account/sign-in").get_data(as_text=True))
        for role, client in people.items()
    }
    round_trips = [route for route in routes if route.endswith(tuple(ROUND_TRIP_ROUTES))]
    others = [route for route in routes if route not in round_trips]
    accepted: Counter[str] = Counter()

    # Each example sends every form with participant text, and a few others
    # (`make fuzz` sends each of them many times), to keep `make test` quick.
    @FUZZ
    @given(
        chosen=st.lists(st.sampled_from(others), min_size=1, max_size=6, unique=True),
        data=st.data(),
    )
    def fuzz(chosen: list[str], data: st.DataObject) -> None:
        counted("forms")
        for route in [*round_trips, *chosen]:
            role, path, fields = forms[route]
            sent = data.draw(form_data(route, fields), label=route)
            with rolled_back(people):
                response = send(
                    people[role],
                    "POST",
                    path,
                    data={**sent, "csrf_token": tokens[role]},
                )
                assert_no_failure(response, (route, sent))
                if response.status_code == 302 and any(
                    route.endswith(end) for end in ROUND_TRIP_ROUTES
                ):
                    accepted[route] += 1
                    check_round_trip(route, sent, people[role], values)

    fuzz()
    # The round trips were really checked (with half the fields valid, many pass).
    assert accepted, accepted


# --- `next` never leaves the site ---------------------------------------------


@given(next_value())
def test_safe_next_gives_a_path_on_this_site_or_nothing(url: str) -> None:
    counted("safe_next")
    kept = safe_next(url)
    if kept is not None:
        assert kept == url
        assert_same_site(kept, url)


def test_safe_next_refuses_every_known_off_site_trick() -> None:
    kept = {url: safe_next(url) for url in OFF_SITE_NEXTS}
    # A few are paths on this site after all ("/%2F%2Fevil.example" is one path
    # segment named "//evil.example"); each one kept must stay on the site.
    for url, path in kept.items():
        if path is not None:
            assert_same_site(path, url)
    assert safe_next("/en/consultations/?page=2") == "/en/consultations/?page=2"


def redirect_after_sign_in_link(client: FlaskClient, next_url: str) -> str:
    """Where "Continue" in the e-mailed link leads, when the sign-in form said `next_url`."""
    link = ask_for_link(client, PARTICIPANT_EMAIL, next=next_url)
    return press_continue(client, link).headers["Location"]


# Where a redirect leads does not depend on the database: SQLite only.
def test_no_sign_in_or_decision_leads_off_the_site(
    app: Flask, people: dict[str, FlaskClient], values: dict[str, object]
) -> None:
    admin, participant = people[ADMIN], people[PARTICIPANT]
    admin_token = csrf_token_of(send(admin, "GET", "/en/manage/").get_data(as_text=True))
    token = csrf_token_of(send(participant, "GET", "/en/account/profile").get_data(as_text=True))
    decide = f"/en/manage/moderation/comments/{values['comment_id']}/decide"

    def check_every_flow(next_url: str) -> None:
        # The sign-in pages keep only a safe `next` in their forms.
        for client, page in (
            (app.test_client(), "/en/account/sign-in"),
            (app.test_client(), "/en/account/staff/sign-in"),
        ):
            response = send(client, "GET", page, query_string={"next": next_url})
            assert_no_failure(response, next_url)
            kept = re.search(
                r'name="next" type="hidden" value="([^"]*)"', response.get_data(as_text=True)
            )
            if kept and kept[1]:
                assert_same_site(kept[1].replace("&amp;", "&"), next_url)
        # Signed-in staff opening the staff sign-in page are sent on at once.
        assert_no_failure(
            send(admin, "GET", "/en/account/staff/sign-in", query_string={"next": next_url}),
            next_url,
        )
        # A participant's profile, and a moderator's decision, go back to `next`.
        assert_no_failure(
            send(
                participant,
                "POST",
                "/en/account/profile",
                query_string={"next": next_url},
                data={
                    "display_name": "Amina Diallo",
                    "stakeholder_group": "parliament",
                    "country": "SN",
                    "preferred_locale": "fr",
                    "csrf_token": token,
                },
            ),
            next_url,
        )
        assert_no_failure(
            send(
                admin,
                "POST",
                decide,
                data={"decision": "hide", "next": next_url, "csrf_token": admin_token},
            ),
            next_url,
        )

    with rolled_back(people):
        for next_url in OFF_SITE_NEXTS:
            check_every_flow(next_url)

    @FUZZ
    @given(next_value())
    def fuzz(next_url: str) -> None:
        counted("next")
        with rolled_back(people):
            check_every_flow(next_url)
            # The e-mailed sign-in link, asked for with it.
            visitor = app.test_client()
            assert_same_site(redirect_after_sign_in_link(visitor, next_url), next_url)

    fuzz()
    # A staff password sign-in takes half a second to check (argon2, on purpose):
    # a few of the worst tricks, not every example. It keeps `next` through the
    # same `safe_next` as the signed-in case in `check_every_flow`.
    for next_url in ("//evil.example", "/\\evil.example", "\t//evil.example", "/%2F%2Fevil"):
        response = sign_in_staff(app.test_client(), "admin@example.org", next_url=next_url)
        assert response.status_code == 302
        assert_same_site(response.headers["Location"], next_url)
