"""Who may do what, checked on the server for every staff page."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from consult.accounts.forms import SignInForm
from consult.accounts.models import Role, User
from consult.accounts.sessions import SignedInUser
from consult.core.urls import current_path

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


def require_role(role: Role) -> Callable[[Callable[P, R]], Callable[P, R | Response]]:
    """The view needs at least `role`, in a session opened with the password.

    A visitor is sent to the staff sign-in and brought back; a signed-in user
    without the rights gets 403 (the page exists; they may not see it).
    """

    def decorator(view: Callable[P, R]) -> Callable[P, R | Response]:
        @wraps(view)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R | Response:
            user = signed_in_user()
            if user is None or not user.user_session.with_password:
                return redirect(url_for("accounts.staff_sign_in", next=current_path()))
            if not user.role.rank >= role.rank:
                abort(403)
            return view(*args, **kwargs)

        return checked

    return decorator


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
