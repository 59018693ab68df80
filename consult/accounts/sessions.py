"""Signed-in sessions, kept on the server so they can be ended there.

Flask-Login keeps the session's random token in the signed cookie; the user is
loaded through the `user_sessions` row with that token's hash. Ending the row
(sign-out, a disabled account, a changed role) ends the session everywhere,
even for someone who kept a copy of the old cookie.

A session opened with the password (staff rights) also lapses: after
`staff_idle_minutes` without a request, and `staff_session_hours` after it
began, whichever comes first. The idle clock is a timestamp in the signed cookie,
refreshed by each request, so reading a page writes nothing to the database. A
lapsed session gives no rights at all, and stays lapsed: every copy of the
cookie holds a time no later than the last one handed out, and the start is on
the server.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app, g, session
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import select, update

from consult.accounts.models import Role, User, UserSession
from consult.accounts.tokens import hash_token, new_token
from consult.config import Config
from consult.core.models import utcnow
from consult.extensions import db

login_manager = LoginManager()

# The cookie's idle clock: when this browser last made a request in its staff session.
STAFF_SEEN_KEY = "staff_seen_at"


class SignedInUser:
    """What Flask-Login holds for a request: the account and the session it came with."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user: User, user_session: UserSession, token: str) -> None:
        self.user = user
        self.user_session = user_session
        self._token = token

    def get_id(self) -> str:
        return self._token

    @property
    def role(self) -> Role:
        """Staff rights only with the password: a link gives participant rights."""
        if self.user_session.with_password:
            return self.user.role
        return Role.PARTICIPANT


def init_sessions(app: Flask) -> None:
    login_manager.init_app(app)
    # Our own sign-in pages redirect with the language and the `next` they need.
    login_manager.login_view = None

    login_manager.user_loader(load_user)


def load_user(token: str) -> SignedInUser | None:
    """The signed-in user for the session token in the cookie, if that session is open."""
    user_session = db.session.scalar(
        select(UserSession).where(
            UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None)
        )
    )
    if user_session is None:
        return None
    user = user_session.user
    # A deleted account ended its sessions; a row left open is refused all the same.
    if user.is_disabled or user.deleted_at is not None:
        return None
    if user_session.with_password:
        now = utcnow()
        if staff_session_lapsed(user_session, session.get(STAFF_SEEN_KEY), now):
            return None
        session[STAFF_SEEN_KEY] = int(now.timestamp())
    return SignedInUser(user, user_session, token)


def staff_session_lapsed(user_session: UserSession, seen_at: object, now: datetime) -> bool:
    """Whether a session opened with the password has run out, idle or too old.

    `seen_at` is the cookie's idle clock (seconds since the epoch); a cookie
    without one, or with something else, is treated as idle for too long.
    """
    config: Config = current_app.extensions["consult_config"]
    if now - user_session.created_at >= timedelta(hours=config.staff_session_hours):
        return True
    if not isinstance(seen_at, int) or isinstance(seen_at, bool):
        return True
    idle = now.timestamp() - seen_at
    return idle >= config.staff_idle_minutes * 60


def start_session(user: User, *, with_password: bool) -> UserSession:
    """Sign `user` in on this browser, in a brand-new session (no fixation).

    A session this browser already had (another account, or the same one by
    link before the password) is ended on the server, not just forgotten.
    """
    previous = _cookie_session()
    if previous is not None:
        previous.ended_at = utcnow()
    session.clear()
    # The form token too is new: Flask-WTF caches this request's in `g`.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    token, token_hash = new_token()
    user_session = UserSession(token_hash=token_hash, user=user, with_password=with_password)
    db.session.add(user_session)
    user.last_sign_in_at = utcnow()
    db.session.flush()
    login_user(SignedInUser(user, user_session, token))
    if with_password:
        session[STAFF_SEEN_KEY] = int(utcnow().timestamp())
    return user_session


def _cookie_session() -> UserSession | None:
    """The open session this browser's cookie names, lapsed or not."""
    signed_in = current_user._get_current_object()
    if isinstance(signed_in, SignedInUser):
        return signed_in.user_session
    token = session.get("_user_id")
    if not isinstance(token, str):
        return None
    return db.session.scalar(
        select(UserSession).where(
            UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None)
        )
    )


def end_session(user_session: UserSession) -> None:
    """Sign this browser out, on the server as well as in the cookie."""
    user_session.ended_at = utcnow()
    logout_user()
    session.clear()


def end_this_browsers_session() -> bool:
    """Sign this browser out, its session lapsed or not (a lapsed staff session
    is still open on the server, and a copy of the cookie would name it): the
    row ends and the cookie is emptied. Whether there was a session to end."""
    user_session = _cookie_session()
    if user_session is not None:
        user_session.ended_at = utcnow()
    logout_user()
    session.clear()
    return user_session is not None


def cookie_account_id() -> int | None:
    """The account of the session this browser's cookie names, lapsed or not."""
    user_session = _cookie_session()
    return user_session.user_id if user_session is not None else None


def end_all_sessions(user: User, *, keep: UserSession | None = None) -> int:
    """End every open session of `user` (disabled account, changed role), except
    `keep` if given (the browser that asked for the change); how many ended."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = db.session.execute(query.values(ended_at=utcnow()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
