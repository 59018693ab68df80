"""Who may do what, checked on the server for every staff page."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from consult.accounts.forms import SignInForm
from consult.accounts.models import Role, User
from consult.accounts.sessions import SignedInUser, cookie_account_id
from consult.accounts.staff_forms import KeptPost, StaffSignInForm
from consult.accounts.two_factor import must_set_up_two_step
from consult.core.forms import form_expired
from consult.core.urls import current_path, safe_next

P = ParamSpec("P")
R = TypeVar("R")


def signed_in_user() -> SignedInUser | None:
    """The signed-in user of this request, or None for a visitor."""
    user = current_user._get_current_object()
    return user if isinstance(user, SignedInUser) else None


def staff_user() -> User:
    """The signed-in staff member of a view that `require_role` guards."""
    signed_in = signed_in_user()
    assert signed_in is not None, "staff_user() is for views behind require_role"
    return signed_in.user


def require_role(
    role: Role, *, before_two_step: bool = False
) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """The view needs at least `role`, in a session opened with the password.

    A visitor (or a staff session that lapsed) is sent to the staff sign-in and
    brought back; a form they sent is kept through the sign-in
    (`ask_staff_to_sign_in_again`). A signed-in user without the rights gets 403
    (the page exists; they may not see it). An administrator without two-step
    sign-in is sent to set it up first, except on the pages that set it up
    (`before_two_step`).
    """

    def decorator(view: Callable[P, R]) -> Callable[P, R | Response]:
        @wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            user = signed_in_user()
            if user is None or not user.user_session.with_password:
                if request.method == "POST":
                    return ask_staff_to_sign_in_again()
                return redirect(url_for("accounts.staff_sign_in", next=current_path()))
            if not user.role.rank >= role.rank:
                abort(403)
            if not before_two_step and must_set_up_two_step(user.user):
                # A form sent is not kept (nothing is saved); afterwards, back to
                # its page (`ask_staff_to_sign_in_again` keeps a lapsed form's text).
                going_to: str | None = current_path()
                if request.method != "GET":
                    going_to = _referring_page() or page_at(current_path())
                return redirect(url_for("accounts.two_step", next=going_to))
            return view(*args, **kwargs)

        return checked

    return decorator


def ask_staff_to_sign_in_again() -> Response:
    """The staff sign-in, in answer to a staff form sent without a staff session.

    Nothing is saved. What was typed (every value, the form token and files left
    out) travels in the sign-in form, signed (`KeptPost`), through the code step,
    to a page that shows it and offers to send it again to this address.

    Only a form this browser's own lapsed session sent is kept: its form token
    was valid (a lapsed session keeps its token secret in the cookie), so
    another site cannot have posted it, and it is bound to that session's
    account. A form without a valid token, or from a browser without a session,
    gets the plain sign-in: carrying it would let another site put words in a
    staff member's mouth, one click away.
    """
    account_id = cookie_account_id()
    kept = ""
    if not form_expired() and account_id is not None:
        fields = tuple(
            (name, value)
            for name, values in request.form.lists()
            if name != "csrf_token"
            for value in values
        )
        kept = KeptPost(fields, _referring_page(), current_path(), account_id).signed()
    form = StaffSignInForm(formdata=None, next=current_path(), kept=kept)
    # Re-rendered after an expired form token too: this page has its own note.
    g.form_expired = False
    response = make_response(render_template("accounts/staff_sign_in.html", form=form), 401)
    # It carries what was typed.
    response.headers["Cache-Control"] = "no-store"
    return response


def _referring_page() -> str | None:
    """The page of this site the form was sent from, if the browser said."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return safe_next(path)


def page_at(path: str) -> str | None:
    """`path` if it is a page one can open (a GET route), else None."""
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(urlsplit(path).path, method="GET")
    except HTTPException:
        return None
    return path


def ask_to_sign_in() -> Response | str:
    """Send a visitor to sign in, keeping what they were sending.

    A form posted by a visitor (or after the session ended) is not lost: the
    sign-in page carries it, the link keeps it on the server, and the page at
    this address gets it back after "Continue" (see `restored_draft`).
    """
    if request.method != "POST":
        return redirect(url_for("accounts.sign_in", next=current_path()))
    typed = {name: value for name, value in request.form.items() if name != "csrf_token"}
    form = SignInForm(formdata=None, next=current_path(), draft=json.dumps(typed))
    return render_template("accounts/sign_in.html", form=form)


def require_participant(view: Callable[P, R]) -> Callable[P, R | Response | str]:
    """The view needs a signed-in user (any role) whose profile is complete."""

    @wraps(view)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R | Response | str:
        user = signed_in_user()
        if user is None:
            return ask_to_sign_in()
        if not user.user.has_complete_profile:
            return redirect(url_for("accounts.profile", next=current_path()))
        return view(*args, **kwargs)

    return checked


def require_signed_in(view: Callable[P, R]) -> Callable[P, R | Response | str]:
    """The view needs a signed-in user, complete profile or not (the profile page itself)."""

    @wraps(view)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R | Response | str:
        if signed_in_user() is None:
            return ask_to_sign_in()
        return view(*args, **kwargs)

    return checked
