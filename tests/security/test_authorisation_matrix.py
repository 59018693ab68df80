"""The authorisation matrix: every route of the URL map, for every kind of reader,
on a consultation in each state, against an outcome written down beforehand.

The table `ROUTES` names, for each route (method and rule), which access rule
governs it; the rules below are PRODUCT.md's "What each role may do" and the
consultation's states (draft, open, closed), written as code. The expected outcome
of a cell comes from the rule, never from running the application. A route missing
from the table fails `test_every_route_is_in_the_matrix`, so a new route is
classified before it ships.

Each cell is one request with a valid form token and a minimal valid form. A
refused request must write nothing; an allowed one is undone after it (a savepoint
around each request), so that every cell starts from the same world.

The second half checks what becomes of comments in each state: only published ones
reach public pages, counts, open data, exports that did not ask for others, and
e-mails to anyone but their author.
"""

from __future__ import annotations

import enum
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session
from werkzeug.test import TestResponse

from consult.accounts.models import Role, User
from consult.comments.models import CommentStatus
from consult.core.models import utcnow
from consult.extensions import db
from consult.mail.models import OutboxMessage
from tests.accounts.helpers import (
    ask_for_link,
    csrf_token_of,
    press_continue,
    sign_in_participant,
)
from tests.accounts.staff_helpers import (
    STAFF_PASSWORD,
    error_messages,
    make_staff,
    staff_client,
)
from tests.core.test_route_walk import database_writes
from tests.factories import make_comment, make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

# ---------------------------------------------------------------------------
# Who, and in which state
# ---------------------------------------------------------------------------

VISITOR, PARTICIPANT, AUTHOR = "visitor", "participant", "author"
MODERATOR, EDITOR, ADMIN = "moderator", "editor", "admin"
# The author is the participant who wrote the comment (and the response) the
# addresses name; the participant is anyone else signed in by e-mail link.
READERS = [VISITOR, PARTICIPANT, AUTHOR, MODERATOR, EDITOR, ADMIN]
STAFF_RANK = {MODERATOR: Role.MODERATOR.rank, EDITOR: Role.EDITOR.rank, ADMIN: Role.ADMIN.rank}

DRAFT, OPEN, CLOSED = "draft", "open", "closed"
STATES = [DRAFT, OPEN, CLOSED]


class Outcome(enum.Enum):
    ALLOWED = "allowed"  # 2xx, or 3xx to the intended place
    SIGN_IN = "sign-in"  # sent to the e-mail sign-in (a POST: the form, with what was typed)
    STAFF_SIGN_IN = "staff sign-in"  # sent to the staff (password) sign-in
    FORBIDDEN = "403"
    NOT_FOUND = "404"
    CLOSED = "closed"  # the translated refusal, the typed text given back, nothing saved
    GONE = "410"  # a link token that does not work (the routes' own credential)


Rule = Callable[[str, str], Outcome]


# ---------------------------------------------------------------------------
# The rules: PRODUCT.md "What each role may do", per consultation state
# ---------------------------------------------------------------------------


def anyone(reader: str, state: str) -> Outcome:
    """Pages of the site itself: home, sign-in forms, privacy notice, health, assets."""
    return Outcome.ALLOWED


def token_link(reader: str, state: str) -> Outcome:
    """A one-time link is its own credential: without a working token, nobody gets in."""
    return Outcome.GONE


def public_read(reader: str, state: str) -> Outcome:
    """Read published consultations and comments: everyone. A draft does not exist
    for the public, staff included (they have the preview)."""
    return Outcome.NOT_FOUND if state == DRAFT else Outcome.ALLOWED


def open_data(reader: str, state: str) -> Outcome:
    """Open data: everyone, once the consultation offers it (here: after the close)."""
    return Outcome.ALLOWED if state == CLOSED else Outcome.NOT_FOUND


def signed_in(reader: str, state: str) -> Outcome:
    """One's own account and contributions: anyone signed in."""
    return Outcome.SIGN_IN if reader == VISITOR else Outcome.ALLOWED


def contribute(reader: str, state: str) -> Outcome:
    """Comment, answer: signed-in readers (staff too, profile complete), while open."""
    if state == DRAFT:
        return Outcome.NOT_FOUND
    if reader == VISITOR:
        return Outcome.SIGN_IN
    return Outcome.ALLOWED if state == OPEN else Outcome.CLOSED


def report(reader: str, state: str) -> Outcome:
    """Report a published comment while the consultation is published: any signed-in
    reader but its author."""
    if reader == VISITOR:
        return Outcome.SIGN_IN
    if state == DRAFT:
        return Outcome.NOT_FOUND
    return Outcome.FORBIDDEN if reader == AUTHOR else Outcome.ALLOWED


def withdraw(reader: str, state: str) -> Outcome:
    """Withdraw a pending comment: its author only; for anyone else it does not exist."""
    if reader == VISITOR:
        return Outcome.SIGN_IN
    return Outcome.ALLOWED if reader == AUTHOR else Outcome.NOT_FOUND


def delete_account(reader: str, state: str) -> Outcome:
    """Delete one's account: participants; a staff account leaves by losing its rights
    first (an administrator's decision), so staff get 403."""
    if reader == VISITOR:
        return Outcome.SIGN_IN
    return Outcome.FORBIDDEN if reader in STAFF_RANK else Outcome.ALLOWED


def password_first(reader: str, state: str) -> Outcome:
    """The second step of the staff sign-in: only within minutes of the right
    password; anyone else is sent back to the password."""
    return Outcome.STAFF_SIGN_IN


def new_key_image(reader: str, state: str) -> Outcome:
    """The QR code of a new authenticator key: staff setting up two-step sign-in.
    Administrators have it on (it is required of them): there is no new key to show."""
    if reader not in STAFF_RANK:
        return Outcome.STAFF_SIGN_IN
    return Outcome.NOT_FOUND if reader == ADMIN else Outcome.ALLOWED


def staff(role: Role) -> Rule:
    """Staff pages: at least `role`, in a session opened with the password, in any
    state (drafts included). An e-mail link never grants staff rights: without a
    password session, the answer is the staff sign-in; staff below `role` get 403."""

    def rule(reader: str, state: str) -> Outcome:
        if reader not in STAFF_RANK:
            return Outcome.STAFF_SIGN_IN
        return Outcome.FORBIDDEN if STAFF_RANK[reader] < role.rank else Outcome.ALLOWED

    rule.__doc__ = f"Staff pages for {role.value}s and above."
    return rule


moderators, editors, admins = staff(Role.MODERATOR), staff(Role.EDITOR), staff(Role.ADMIN)


# ---------------------------------------------------------------------------
# The table: every route, its rule, and the form a POST sends
# ---------------------------------------------------------------------------

TYPED = "Typed text that must not be lost"
COMMENT_FORM = {"body": TYPED, "language": "en", "identity": "name", "form_key": "f" * 32}
PROFILE_FORM = {
    "display_name": "Typed name",
    "organisation": "Typed organisation",
    "stakeholder_group": "parliament",
    "country": "SN",
    "preferred_locale": "en",
    "accept_privacy": "y",
}


@dataclass(frozen=True)
class Case:
    rule: Rule
    # A POST's minimal valid form; `{name}` is filled from the world.
    form: Mapping[str, str | list[str]] | None = None
    # In which states an allowed POST does what it is for, which writes something
    # (sign-out only ends a session, which is bookkeeping; publishing what is
    # published changes nothing).
    writes_in: tuple[str, ...] = tuple(STATES)
    # Which object of the world an address names, where it is not the usual one.
    names: dict[str, str] | None = None
    # A page opened just before, in the same session (what a person does first).
    after: str | None = None
    # False where no minimal form can be valid (a code from an authenticator app):
    # the cell checks who reaches the form, not what the form does.
    valid_form: bool = True


# "/en" stands for the "/<lang:lang>" every page address starts with. A route may
# appear more than once, as "METHOD /rule (variant)".
ROUTES: dict[str, Case] = {
    # The site
    "GET /": Case(anyone),
    "GET /healthz": Case(anyone),
    "GET /static/<path:filename>": Case(anyone),
    "GET /en/": Case(anyone),
    "GET /en/account/privacy": Case(anyone),
    # Signing in and one's account
    "GET /en/account/sign-in": Case(anyone),
    "POST /en/account/sign-in": Case(anyone, {"email": "typed@example.org"}),
    "GET /en/account/sign-in/sent": Case(anyone),
    "GET /en/account/link/<token>": Case(token_link),
    "POST /en/account/link/<token>": Case(token_link, {}),
    "GET /en/account/staff/sign-in": Case(anyone),
    "POST /en/account/staff/sign-in": Case(
        anyone, {"email": "other@example.org", "password": STAFF_PASSWORD}
    ),
    "GET /en/account/staff/sign-in/code": Case(password_first),
    "POST /en/account/staff/sign-in/code": Case(password_first, {"code": "123456"}),
    # Two-step sign-in, set up by each staff member for themselves
    "GET /en/account/two-step": Case(moderators),
    "GET /en/account/two-step/qr-code.svg": Case(new_key_image, after="/en/account/two-step"),
    "POST /en/account/two-step/enable": Case(
        moderators, {"code": "123456"}, writes_in=(), valid_form=False
    ),
    "POST /en/account/two-step/recovery-codes": Case(
        moderators, {"renew-code": "123456"}, writes_in=(), valid_form=False
    ),
    "POST /en/account/two-step/disable": Case(
        moderators, {"off-code": "123456"}, writes_in=(), valid_form=False
    ),
    "GET /en/account/password/<token>": Case(token_link),
    "POST /en/account/password/<token>": Case(token_link, {"password": "y" * 14}),
    "GET /en/account/profile": Case(signed_in),
    "POST /en/account/profile": Case(signed_in, PROFILE_FORM),
    "POST /en/account/email": Case(signed_in, {"email": "typed.new@example.org"}),
    "POST /en/account/data": Case(signed_in, {}),
    "GET /en/account/delete": Case(signed_in),
    "POST /en/account/delete": Case(delete_account, {"confirm": "y"}),
    "POST /en/account/sign-out": Case(anyone, {}, writes_in=()),
    "GET /en/account/contributions/": Case(signed_in),
    "GET /en/account/contributions/<int:comment_id>/withdraw": Case(signed_in),
    "POST /en/account/contributions/<int:comment_id>/withdraw": Case(
        withdraw, {}, names={"comment_id": "pending_comment_id"}
    ),
    # Public pages of a consultation
    "GET /en/consultations/<slug>/": Case(public_read),
    "GET /en/consultations/<slug>/sections/<key>/": Case(public_read),
    "POST /en/consultations/<slug>/sections/<key>/": Case(contribute, COMMENT_FORM),
    "GET /en/consultations/<slug>/comments/": Case(public_read),
    "POST /en/consultations/<slug>/comments/": Case(contribute, COMMENT_FORM),
    "GET /en/consultations/<slug>/comments/<int:comment_id>/": Case(public_read),
    "GET /en/consultations/<slug>/comments/<int:comment_id>/report": Case(report),
    "POST /en/consultations/<slug>/comments/<int:comment_id>/report": Case(report, {"note": TYPED}),
    "GET /en/consultations/<slug>/questionnaire/": Case(public_read),
    "POST /en/consultations/<slug>/questionnaire/": Case(
        contribute, {"q-{question_id}": TYPED, "identity": "name", "action": "submit"}
    ),
    "GET /en/consultations/<slug>/open-data/comments.csv": Case(open_data),
    "GET /en/consultations/<slug>/open-data/comments.json": Case(open_data),
    # Moderation
    "GET /en/manage/": Case(moderators),
    "GET /en/manage/audit/": Case(moderators),
    "GET /en/manage/moderation/": Case(moderators),
    "GET /en/manage/moderation/<slug>/": Case(moderators),
    "POST /en/manage/moderation/comments/<int:comment_id>/decide": Case(
        moderators, {"decision": "hide", "note": TYPED}
    ),
    # Only administrators erase, and only the comments of a deleted participant.
    "POST /en/manage/moderation/comments/<int:comment_id>/erase": Case(
        admins, {"confirm": "y"}, names={"comment_id": "deleted_authors_comment_id"}
    ),
    "POST /en/manage/moderation/bulk": Case(
        moderators, {"decision": "approve", "comment_ids": "{pending_comment_id}"}
    ),
    # Editing consultations
    "GET /en/manage/consultations/": Case(editors),
    "GET /en/manage/consultations/new": Case(editors),
    "POST /en/manage/consultations/new": Case(
        editors,
        {"slug": "typed", "default_locale": "en", "title": TYPED, "timezone": "UTC"},
    ),
    "GET /en/manage/consultations/<slug>/": Case(editors),
    "GET /en/manage/consultations/<slug>/settings": Case(editors),
    "POST /en/manage/consultations/<slug>/settings": Case(
        editors,
        {
            "slug": "c",
            "default_locale": "en",
            "offered_locales": ["en"],
            "timezone": "Europe/Zurich",
            "opens_at": "2020-01-01T09:00",
            "closes_at": "2040-01-01T09:00",
            "moderation_mode": "post",
        },
    ),
    "GET /en/manage/consultations/<slug>/texts/<locale>": Case(editors),
    "POST /en/manage/consultations/<slug>/texts/<locale>": Case(
        editors, {"title": TYPED, "summary": TYPED, "save": "Save"}
    ),
    "GET /en/manage/consultations/<slug>/translations": Case(editors),
    "POST /en/manage/consultations/<slug>/publish": Case(editors, {}, writes_in=(DRAFT,)),
    "POST /en/manage/consultations/<slug>/unpublish": Case(editors, {}, writes_in=(OPEN, CLOSED)),
    "GET /en/manage/consultations/<slug>/preview/": Case(editors),
    "GET /en/manage/consultations/<slug>/preview/sections/<key>/": Case(editors),
    "GET /en/manage/consultations/<slug>/preview/comments/": Case(editors),
    "GET /en/manage/consultations/<slug>/preview/questionnaire/": Case(editors),
    "GET /en/manage/consultations/<slug>/paper/": Case(editors),
    "GET /en/manage/consultations/<slug>/paper/import": Case(editors),
    "POST /en/manage/consultations/<slug>/paper/import": Case(
        editors, {"locale": "en", "text": "1. Typed paragraph.", "confirm": "Import"}
    ),
    "GET /en/manage/consultations/<slug>/paper/sections/new": Case(editors),
    "POST /en/manage/consultations/<slug>/paper/sections/new": Case(
        editors, {"key": "9", "body": TYPED, "place": "1", "save": "Save"}
    ),
    "GET /en/manage/consultations/<slug>/paper/sections/<key>/<locale>": Case(editors),
    "POST /en/manage/consultations/<slug>/paper/sections/<key>/<locale>": Case(
        editors, {"body": TYPED, "save": "Save"}
    ),
    "POST /en/manage/consultations/<slug>/paper/sections/<key>/move": Case(
        editors, {"direction": "down"}
    ),
    "POST /en/manage/consultations/<slug>/paper/sections/<key>/archive": Case(editors, {}),
    "POST /en/manage/consultations/<slug>/paper/sections/<key>/restore": Case(
        editors, {}, names={"key": "archived_key"}
    ),
    "GET /en/manage/consultations/<slug>/questionnaire/": Case(editors),
    "GET /en/manage/consultations/<slug>/questionnaire/new": Case(editors),
    "POST /en/manage/consultations/<slug>/questionnaire/new": Case(
        editors, {"kind": "short_text", "text": TYPED, "save": "Save"}
    ),
    "GET /en/manage/consultations/<slug>/questionnaire/<int:question_id>/<locale>": Case(editors),
    "POST /en/manage/consultations/<slug>/questionnaire/<int:question_id>/<locale>": Case(
        editors, {"kind": "short_text", "text": TYPED, "save": "Save"}
    ),
    "POST /en/manage/consultations/<slug>/questionnaire/<int:question_id>/move": Case(
        editors, {"direction": "up"}, names={"question_id": "spare_question_id"}
    ),
    "POST /en/manage/consultations/<slug>/questionnaire/<int:question_id>/remove": Case(
        # Allowed, but the questionnaire is locked by the author's submitted
        # response: the page says so (tests/questionnaires pins the lock).
        editors,
        {"confirm": "Remove the question"},
        names={"question_id": "spare_question_id"},
        writes_in=(),
    ),
    "GET /en/manage/consultations/<slug>/responses/": Case(editors),
    "GET /en/manage/consultations/<slug>/responses/<int:response_id>/": Case(editors),
    "GET /en/manage/consultations/<slug>/exports/": Case(editors),
    "POST /en/manage/consultations/<slug>/exports/": Case(
        editors, {"format": "csv", "content": "comments", "statuses": ["published"]}
    ),
    # Contact data leaves only with an administrator who asks for it.
    "POST /en/manage/consultations/<slug>/exports/ (with contact data)": Case(
        admins,
        {"format": "csv", "content": "comments", "statuses": ["published"], "contact": "y"},
    ),
    # Accounts and roles
    "GET /en/manage/users/": Case(admins),
    "POST /en/manage/users/invite": Case(
        admins, {"email": "typed@example.org", "role": "moderator"}
    ),
    "GET /en/manage/users/<int:user_id>/": Case(admins),
    "POST /en/manage/users/<int:user_id>/role": Case(admins, {"role": "editor"}),
    "POST /en/manage/users/<int:user_id>/disable": Case(admins, {"reason": TYPED}),
    "POST /en/manage/users/<int:user_id>/enable": Case(
        admins, {}, names={"user_id": "disabled_user_id"}
    ),
    "POST /en/manage/users/<int:user_id>/password-reset": Case(admins, {}),
    "POST /en/manage/users/<int:user_id>/two-step-reset": Case(
        admins, {}, names={"user_id": "two_step_user_id"}
    ),
}


def base(key: str) -> str:
    """The route of a table key: "METHOD /rule", without its variant."""
    return key.split(" (")[0]


def route_keys(app: Flask) -> set[str]:
    return {
        f"{method} {rule.rule.replace('/<lang:lang>', '/en', 1)}"
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    # A new route must be classified here before it ships.
    assert {base(key) for key in ROUTES} == route_keys(app)


def test_the_rules_follow_the_role_table() -> None:
    # A few cells read straight from PRODUCT.md, so that a rule cannot drift from it.
    assert ROUTES["GET /en/consultations/<slug>/"].rule(VISITOR, OPEN) is Outcome.ALLOWED
    assert ROUTES["GET /en/consultations/<slug>/"].rule(ADMIN, DRAFT) is Outcome.NOT_FOUND
    comment = ROUTES["POST /en/consultations/<slug>/sections/<key>/"].rule
    assert comment(PARTICIPANT, CLOSED) is Outcome.CLOSED
    assert comment(VISITOR, OPEN) is Outcome.SIGN_IN
    assert (
        ROUTES["GET /en/manage/consultations/<slug>/responses/"].rule(MODERATOR, OPEN)
        is Outcome.FORBIDDEN
    )
    assert ROUTES["GET /en/manage/"].rule(PARTICIPANT, OPEN) is Outcome.STAFF_SIGN_IN
    assert ROUTES["GET /en/manage/audit/"].rule(MODERATOR, OPEN) is Outcome.ALLOWED
    contact = ROUTES["POST /en/manage/consultations/<slug>/exports/ (with contact data)"].rule
    assert contact(EDITOR, CLOSED) is Outcome.FORBIDDEN
    assert contact(ADMIN, CLOSED) is Outcome.ALLOWED
    assert ROUTES["GET /en/manage/users/"].rule(EDITOR, OPEN) is Outcome.FORBIDDEN


# ---------------------------------------------------------------------------
# The world each cell is tried in
# ---------------------------------------------------------------------------

TITLE = "Consultation title 7f3a"
SECTION_TEXT = "Section text 7f3a"
PUBLISHED_TEXT = "Published comment 7f3a"
PENDING_TEXT = "Pending comment 7f3a"
AUTHOR_EMAIL = "author@example.org"
PARTICIPANT_EMAIL = "amina@example.org"


def build_world(state: str) -> dict[str, object]:
    """One consultation "c" in `state`, with sections (one archived), the author's
    published and pending comments, a comment of a participant who deleted their
    account, two questions (the first answered by the author), and staff accounts
    other than the reader's (one disabled, one with two-step sign-in).

    The draft one was published once (it has comments), then taken back.
    """
    now = utcnow()
    if state == CLOSED:
        opens_at, closes_at = now - timedelta(days=30), now - timedelta(days=1)
    else:
        opens_at, closes_at = now - timedelta(days=1), now + timedelta(days=28)
    consultation = make_consultation(
        "c",
        titles={"en": TITLE},
        sections={"1": {"en": SECTION_TEXT}, "2": {"en": "Second."}, "0": {"en": "Archived."}},
        published=state != DRAFT,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    archived = next(section for section in consultation.sections if section.key == "0")
    archived.archived_at = now
    author = make_participant(AUTHOR_EMAIL, display_name="Author Name 7f3a")
    published = make_comment(consultation, author, section_key="1", body=PUBLISHED_TEXT)
    pending = make_comment(
        consultation, author, section_key="1", body=PENDING_TEXT, status=CommentStatus.PENDING
    )
    question = make_question(consultation)
    spare = make_question(consultation)
    response = make_response(consultation, author, {question: "The author's answer."})
    gone = make_participant("gone@example.org", display_name="Gone Name 7f3a")
    gone_comment = make_comment(consultation, gone, section_key="1", body="Gone comment 7f3a")
    gone.deleted_at = now
    other = make_staff("other@example.org", Role.MODERATOR)
    two_step = make_staff("two-step@example.org", Role.EDITOR, two_step=True)
    disabled = make_staff("disabled@example.org", Role.MODERATOR)
    disabled.disabled_at = now
    db.session.commit()
    return {
        "slug": "c",
        "key": "1",
        "archived_key": "0",
        "locale": "en",
        "comment_id": published.id,
        "pending_comment_id": pending.id,
        "deleted_authors_comment_id": gone_comment.id,
        "question_id": question.id,
        "spare_question_id": spare.id,
        "response_id": response.id,
        "user_id": other.id,
        "disabled_user_id": disabled.id,
        "two_step_user_id": two_step.id,
        "token": "not-a-token",
        "filename": "consult.css",
    }


def sign_in_as(client: FlaskClient, reader: str) -> str:
    """Sign `client` in as `reader`; return a valid form token of its session.

    Staff complete the participant profile, as they must before they comment.
    """
    if reader == PARTICIPANT:
        sign_in_participant(client, PARTICIPANT_EMAIL)
    elif reader == AUTHOR:
        press_continue(client, ask_for_link(client, AUTHOR_EMAIL))
    elif reader != VISITOR:
        email = f"{reader}@example.org"
        staff_client(client, email, Role(reader))
        user = db.session.scalars(select(User).where(User.email == email)).one()
        user.display_name, user.stakeholder_group = reader.title(), "individual"
        user.privacy_accepted_at = user.profile_completed_at = utcnow()
        db.session.commit()
    return csrf_token_of(client.get("/en/account/sign-in").get_data(as_text=True))


def fill(text: str, world: dict[str, object]) -> str:
    """`text` with each `<converter:name>` and `{name}` taken from the world."""
    text = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda match: str(world[match.group(1)]), text)
    return re.sub(r"\{(\w+)\}", lambda match: str(world[match.group(1)]), text)


@contextmanager
def undone(db_session: scoped_session[Session], client: FlaskClient) -> Iterator[None]:
    """Whatever the block writes, and the cookies it changes, undone after it."""
    db_session.remove()
    savepoint = db_session().get_bind().begin_nested()  # type: ignore[union-attr]
    # The client's own jar: a sign-out or an account deletion must not end the walk.
    jar = client._cookies
    assert jar is not None
    cookies = dict(jar)
    try:
        yield
    finally:
        db_session.remove()
        savepoint.rollback()
        jar.clear()
        jar.update(cookies)


def send(
    client: FlaskClient, key: str, case: Case, world: dict[str, object], token: str
) -> TestResponse:
    method, rule = base(key).split(" ", 1)
    values = {**world, **{name: world[other] for name, other in (case.names or {}).items()}}
    path = fill(rule, values)
    if case.after:
        client.get(case.after)
    if method == "GET":
        return client.get(path, buffered=True)
    form = {
        fill(name, values): [fill(item, values) for item in value]
        if isinstance(value, list)
        else fill(value, values)
        for name, value in (case.form or {}).items()
    }
    return client.post(path, data={**form, "csrf_token": token}, buffered=True)


def location_path(response: TestResponse) -> str:
    return (response.headers.get("Location") or "").split("?")[0].split("#")[0]


def mismatch(
    expected: Outcome,
    response: TestResponse,
    case: Case,
    written: list[str],
    method: str,
    state: str,
) -> str | None:
    """Why `response` is not `expected`, or None when it is."""
    status = response.status_code
    page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    typed_kept = TYPED not in str(case.form) or TYPED in page
    if expected is Outcome.ALLOWED:
        if status not in (200, 302, 303):
            return f"status {status}"
        if location_path(response) in ("/en/account/sign-in", "/en/account/staff/sign-in"):
            return f"sent to {response.headers['Location']}"
        if method == "POST" and case.valid_form and 'class="error-message"' in page:
            return "the form was refused: " + ", ".join(error_messages(page))
        if method == "POST" and state in case.writes_in and not written:
            return f"status {status}, but nothing was done"
        return None
    if expected is Outcome.GONE:
        # Trying a link that does not work is audited; nothing else is written.
        written = [table for table in written if table != "INSERT audit_entries"]
    if written:
        return f"refused with {status} but wrote {written}"
    if expected is Outcome.SIGN_IN:
        if status == 302 and location_path(response) == "/en/account/sign-in":
            return None
        if status == 200 and 'action="/en/account/sign-in"' in page and typed_kept:
            return None
        return f"status {status} {response.headers.get('Location')}, not the sign-in"
    if expected is Outcome.STAFF_SIGN_IN:
        if status == 302 and location_path(response) == "/en/account/staff/sign-in":
            return None
        # What was typed travels signed, for the account of this browser's session
        # only (tests/accounts/test_staff_session_lifetime.py): not readable here.
        if 'action="/en/account/staff/sign-in"' in page:
            return None
        return f"status {status} {response.headers.get('Location')}, not the staff sign-in"
    if expected is Outcome.CLOSED:
        if status == 200 and "This consultation closed on" in page and typed_kept:
            return None
        return f"status {status}, not the refusal with the text kept"
    wanted = {Outcome.FORBIDDEN: 403, Outcome.NOT_FOUND: 404, Outcome.GONE: 410}[expected]
    return None if status == wanted else f"status {status}"


def leaks(reader: str, state: str, body: str) -> list[str]:
    """What this reader must never read anywhere: a draft's content (but staff,
    who preview it; the author keeps their own comments on "my contributions"),
    another's pending comment."""
    never = []
    if state == DRAFT and reader not in STAFF_RANK:
        never.append(SECTION_TEXT)
        if reader != AUTHOR:
            never += [TITLE, PUBLISHED_TEXT]
    if reader in (VISITOR, PARTICIPANT):
        never.append(PENDING_TEXT)
    return [text for text in never if text in body]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("reader", READERS)
def test_every_route_gives_each_reader_what_the_role_table_says(
    client: FlaskClient, db_session: scoped_session[Session], reader: str, state: str
) -> None:
    world = build_world(state)
    token = sign_in_as(client, reader)
    failures = []
    for key, case in ROUTES.items():
        expected = case.rule(reader, state)
        with undone(db_session, client), database_writes() as written:
            response = send(client, key, case, world, token)
        problem = mismatch(expected, response, case, written, base(key).split(" ")[0], state)
        if problem:
            failures.append(f"{key}: expected {expected.value}, {problem}")
        body = response.get_data(as_text=True) if response.mimetype != "text/css" else ""
        for leaked in leaks(reader, state, body):
            failures.append(f"{key}: shows {leaked!r}")
    assert failures == [], "\n".join(failures)


# ---------------------------------------------------------------------------
# Comments in each state: who reads them where
# ---------------------------------------------------------------------------

NOT_PUBLISHED = [status for status in CommentStatus if status is not CommentStatus.PUBLISHED]
PLACES = {"1": "on-section", None: "general"}


def body_of(status: CommentStatus, key: str | None) -> str:
    return f"{status.value}-{PLACES[key]}-text 5b2c"


def writer_of(status: CommentStatus) -> str:
    return f"Writer-{status.value} 5b2c"


def writer_email(status: CommentStatus) -> str:
    return f"writer-{status.value}@example.org"


@dataclass(frozen=True)
class Gallery:
    """A published consultation "g" with one comment in each state on section 1
    and one on the paper as a whole, each state by its own writer."""

    comment_ids: dict[tuple[CommentStatus, str | None], int]

    def permalink(self, status: CommentStatus, key: str | None) -> str:
        return f"/en/consultations/g/comments/{self.comment_ids[(status, key)]}/"


def build_gallery(state: str) -> Gallery:
    now = utcnow()
    closes_at = now - timedelta(days=1) if state == CLOSED else now + timedelta(days=28)
    consultation = make_consultation(
        "g",
        sections={"1": {"en": "Section one."}},
        opens_at=now - timedelta(days=30),
        closes_at=closes_at,
    )
    # Open data before the close too, so that it is read in both states.
    consultation.open_data_before_close = True
    ids = {}
    for status in CommentStatus:
        writer = make_participant(writer_email(status), display_name=writer_of(status))
        for key in PLACES:
            comment = make_comment(
                consultation, writer, section_key=key, body=body_of(status, key), status=status
            )
            ids[(status, key)] = comment.id
    db.session.commit()
    return Gallery(ids)


def shown(page: str, status: CommentStatus, key: str | None = None) -> list[str]:
    """What of a comment in `status` `page` shows: its text, its writer's name."""
    texts = [body_of(status, place) for place in PLACES if key in (None, place)]
    return [text for text in [*texts, writer_of(status)] if text in page]


def public_pages(client: FlaskClient, gallery: Gallery) -> dict[str, str]:
    """Every public page and file that shows comments or counts them, as read by `client`."""
    paths = [
        "/en/",
        "/en/consultations/g/",
        "/en/consultations/g/sections/1/",
        "/en/consultations/g/sections/1/?order=newest",
        "/en/consultations/g/comments/",
        "/en/consultations/g/comments/?order=newest",
        "/en/consultations/g/open-data/comments.csv",
        "/en/consultations/g/open-data/comments.json",
    ]
    pages = {}
    for path in paths:
        response = client.get(path, buffered=True)
        assert response.status_code == 200, path
        pages[path] = response.get_data(as_text=True)
    for status, key in gallery.comment_ids:
        response = client.get(gallery.permalink(status, key), follow_redirects=True)
        pages[f"permalink of the {status.value} comment {key}"] = response.get_data(as_text=True)
    return pages


@pytest.mark.parametrize("state", [OPEN, CLOSED])
@pytest.mark.parametrize("reader", [VISITOR, PARTICIPANT, MODERATOR, EDITOR, ADMIN])
def test_only_published_comments_reach_public_pages_counts_and_open_data(
    client: FlaskClient, reader: str, state: str
) -> None:
    gallery = build_gallery(state)
    sign_in_as(client, reader)
    pages = public_pages(client, gallery)
    for where, page in pages.items():
        for status in NOT_PUBLISHED:
            assert shown(page, status) == [], (reader, where)
    for where in (
        "/en/consultations/g/sections/1/",
        "/en/consultations/g/open-data/comments.csv",
        "/en/consultations/g/open-data/comments.json",
    ):
        assert shown(pages[where], CommentStatus.PUBLISHED, "1") != [], where
    # Counted: the published comment alone, on the paper's page and above each list.
    assert "1 comment</a>" in pages["/en/consultations/g/"]
    assert "1 comment on the paper as a whole" in pages["/en/consultations/g/"]
    for path in ("/en/consultations/g/sections/1/", "/en/consultations/g/comments/"):
        assert ">1 comment</h2>" in pages[path], path
        # A hidden comment leaves a notice in its place, without author or text.
        assert "Hidden by a moderator on" in pages[path]
    # Addresses of comments that never were public do not exist for this reader.
    for status in (CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.WITHDRAWN):
        assert client.get(gallery.permalink(status, "1")).status_code == 404, status


def sign_in_writer(client: FlaskClient, status: CommentStatus) -> None:
    press_continue(client, ask_for_link(client, writer_email(status)))


def test_a_pending_comment_is_shown_to_its_author_alone_awaiting_moderation(
    client: FlaskClient,
) -> None:
    gallery = build_gallery(OPEN)
    sign_in_writer(client, CommentStatus.PENDING)
    pages = public_pages(client, gallery)
    section = pages["/en/consultations/g/sections/1/"]
    assert body_of(CommentStatus.PENDING, "1") in section
    assert "Awaiting moderation" in section
    assert body_of(CommentStatus.PENDING, None) in pages["/en/consultations/g/comments/"]
    # Still not counted, not in open data (the page header names the reader: only
    # the texts are looked for), and no other comment that is not public shows.
    assert ">1 comment</h2>" in section
    for where in ("/en/consultations/g/open-data/comments.csv", "/en/consultations/g/"):
        assert body_of(CommentStatus.PENDING, "1") not in pages[where], where
    for where, page in pages.items():
        for status in NOT_PUBLISHED:
            if status is not CommentStatus.PENDING:
                assert shown(page, status) == [], where


@pytest.mark.parametrize("status", list(CommentStatus))
def test_my_contributions_lists_a_comment_in_any_state_for_its_author_only(
    client: FlaskClient, status: CommentStatus
) -> None:
    build_gallery(CLOSED)
    sign_in_writer(client, status)
    own = client.get("/en/account/contributions/").get_data(as_text=True)
    assert body_of(status, "1") in own
    assert body_of(status, None) in own
    assert status.label in own
    for other in CommentStatus:
        if other is not status:
            assert body_of(other, "1") not in own, other


def export(client: FlaskClient, format: str, statuses: list[str]) -> str:
    """An editor's export of "g", as text (the XML inside XLSX and DOCX files)."""
    page = client.get("/en/manage/consultations/g/exports/").get_data(as_text=True)
    response = client.post(
        "/en/manage/consultations/g/exports/",
        data={
            "format": format,
            "content": "comments",
            "statuses": statuses,
            "csrf_token": csrf_token_of(page),
        },
        buffered=True,
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_data()
    if format in ("xlsx", "docx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(
                archive.read(name).decode() for name in archive.namelist() if name.endswith(".xml")
            )
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("format", ["csv", "json", "xlsx", "docx"])
def test_staff_exports_hold_the_states_asked_for_and_never_a_withdrawn_comment(
    client: FlaskClient, format: str
) -> None:
    build_gallery(CLOSED)
    staff_client(client, "editor@example.org", Role.EDITOR)
    published = export(client, format, ["published"])
    assert shown(published, CommentStatus.PUBLISHED) != []
    for status in NOT_PUBLISHED:
        assert shown(published, status) == [], status
    asked = [CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.HIDDEN]
    others = export(client, format, [kind.value for kind in asked])
    for kind in asked:
        assert body_of(kind, "1") in others, kind
        assert body_of(kind, None) in others, kind
    assert body_of(CommentStatus.PUBLISHED, "1") not in others
    assert shown(others, CommentStatus.WITHDRAWN) == []


def test_the_moderation_queue_shows_pending_comments_to_moderators(client: FlaskClient) -> None:
    build_gallery(OPEN)
    staff_client(client, "moderator@example.org", Role.MODERATOR)
    queue = client.get("/en/manage/moderation/g/").get_data(as_text=True)
    assert body_of(CommentStatus.PENDING, "1") in queue
    assert body_of(CommentStatus.PENDING, None) in queue
    assert writer_of(CommentStatus.PENDING) in queue


REPORT_NOTE = "Report note 5b2c"


def decide(client: FlaskClient, comment_id: int, **form: str) -> None:
    page = client.get("/en/manage/moderation/").get_data(as_text=True)
    response = client.post(
        f"/en/manage/moderation/comments/{comment_id}/decide",
        data={**form, "csrf_token": csrf_token_of(page)},
    )
    assert response.status_code == 302


def test_e_mails_carry_a_comment_that_is_not_published_to_its_author_alone(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    consultation = make_consultation("m", sections={"1": {"en": "Section one."}})
    comments = {}
    for name, status in (
        ("approved", CommentStatus.PENDING),
        ("rejected", CommentStatus.PENDING),
        ("waiting", CommentStatus.PENDING),
        ("hidden", CommentStatus.PUBLISHED),
        ("reported", CommentStatus.PUBLISHED),
    ):
        writer = make_participant(f"{name}@example.org", preferred_locale="en")
        comments[name] = make_comment(
            consultation, writer, section_key="1", body=f"The {name} comment 5b2c", status=status
        ).id
    moderator = staff_client(client, "moderator@example.org", Role.MODERATOR)
    decide(moderator, comments["approved"], decision="approve")
    decide(moderator, comments["rejected"], decision="reject", reason="off_topic")
    decide(moderator, comments["hidden"], decision="hide", note="Moderator note 5b2c")
    reader = app.test_client()
    sign_in_participant(reader, PARTICIPANT_EMAIL)
    report_page = f"/en/consultations/m/comments/{comments['reported']}/report"
    token = csrf_token_of(reader.get(report_page).get_data(as_text=True))
    assert (
        reader.post(report_page, data={"note": REPORT_NOTE, "csrf_token": token}).status_code == 302
    )
    assert runner.invoke(args=["consult", "moderation-digest"]).exit_code == 0

    messages = db.session.scalars(select(OutboxMessage)).all()
    staff = {"moderator@example.org"}
    digests = [m for m in messages if "moderation" in m.subject]
    assert {m.recipient for m in digests} == staff
    for message in messages:
        text = message.text_body + message.html_body
        for name in ("rejected", "waiting", "hidden"):
            if message.recipient != f"{name}@example.org":
                assert f"The {name} comment 5b2c" not in text, (name, message.recipient)
        if message.recipient not in staff:
            assert REPORT_NOTE not in text, message.recipient
            assert PARTICIPANT_EMAIL not in text or message.recipient == PARTICIPANT_EMAIL
    # The detector sees what it looks for: the author is told, with their text.
    rejected = [m for m in messages if m.recipient == "rejected@example.org"]
    assert ["The rejected comment 5b2c" in m.text_body for m in rejected] == [True]


@pytest.mark.parametrize("reader", [EDITOR, ADMIN])
def test_a_draft_is_previewed_by_editors_and_admins_and_public_to_nobody(
    client: FlaskClient, reader: str
) -> None:
    # The other readers: the matrix (404 on public addresses, staff sign-in or 403
    # on the preview, and nothing of the draft on any page).
    build_world(DRAFT)
    sign_in_as(client, reader)
    preview = client.get("/en/manage/consultations/c/preview/").get_data(as_text=True)
    assert TITLE in preview
    section = client.get("/en/manage/consultations/c/preview/sections/1/")
    assert SECTION_TEXT in section.get_data(as_text=True)
    assert PUBLISHED_TEXT in section.get_data(as_text=True)
    assert PENDING_TEXT not in section.get_data(as_text=True)
    assert client.get("/en/consultations/c/").status_code == 404
    assert client.get("/en/consultations/c/sections/1/").status_code == 404
