"""Signed-in sessions, kept on the server so they can be ended there.

Flask-Login keeps the session's random token in the signed cookie; the user is
loaded through the `user_sessions` row with that token's hash. Ending the row
(sign-out, a disabled account, a changed role) ends the session everywhere,
even for someone who kept a copy of the old cookie.
"""

from __future__ import annotations

from flask import Flask, session
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import select, update

from consult.accounts.models import Role, User, UserSession
from consult.accounts.tokens import hash_token, new_token
from consult.core.models import utcnow
from consult.extensions import db

login_manager = LoginManager()


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
    if user_session is None or user_session.user.is_disabled:
        return None
    return SignedInUser(user_session.user, user_session, token)


def start_session(user: User, *, with_password: bool) -> UserSession:
    """Sign `user` in on this browser, in a brand-new session (no fixation).

    A session this browser already had (another account, or the same one by
    link before the password) is ended on the server, not just forgotten.
    """
    previous = current_user._get_current_object()
    if isinstance(previous, SignedInUser):
        previous.user_session.ended_at = utcnow()
    session.clear()
    token, token_hash = new_token()
    user_session = UserSession(token_hash=token_hash, user=user, with_password=with_password)
    db.session.add(user_session)
    user.last_sign_in_at = utcnow()
    db.session.flush()
    login_user(SignedInUser(user, user_session, token))
    return user_session


def end_session(user_session: UserSession) -> None:
    """Sign this browser out, on the server as well as in the cookie."""
    user_session.ended_at = utcnow()
    logout_user()
    session.clear()


def end_all_sessions(user: User) -> int:
    """End every open session of `user` (disabled account, changed role); how many ended."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
