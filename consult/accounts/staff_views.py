"""Staff sign-in with a password, and choosing a password from an e-mailed link.

These routes belong to the `accounts` blueprint; `consult.accounts.views` imports
this module so that they are registered with it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from flask import flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.accounts.models import LinkPurpose
from consult.accounts.operations import (
    LINK_MINUTES,
    AccountDisabled,
    find_usable_link,
    normalise_email,
)
from consult.accounts.passwords import MIN_PASSWORD_LENGTH
from consult.accounts.permissions import signed_in_user
from consult.accounts.sessions import start_session
from consult.accounts.staff import (
    LinkUnusable,
    SignInFailed,
    WeakPassword,
    set_password_with_link,
    sign_in_with_password,
)
from consult.accounts.staff_forms import PasswordSetForm, StaffSignInForm
from consult.accounts.views import blueprint
from consult.core.forms import form_submitted
from consult.core.urls import safe_next
from consult.extensions import db, limiter

P = ParamSpec("P")

# Every attempt from one machine counts.
STAFF_SIGN_IN_LIMIT = "5 per minute; 20 per hour"
# Per address, failures only: see `staff_sign_in`.
FAILED_SIGN_INS_PER_ADDRESS = "10 per hour"


def _typed_address() -> str:
    """The rate-limit key for the address typed in the form."""
    return "staff-sign-in:" + normalise_email(request.form.get("email", ""))[:254]


def _failed(response: Response) -> bool:
    """Whether a sign-in did not get in: success is the only redirect, and a
    request already refused by a limit tried no password."""
    return response.status_code not in (302, 429)


@blueprint.route("/staff/sign-in", methods=["GET", "POST"])
@limiter.limit(STAFF_SIGN_IN_LIMIT, methods=["POST"])
@limiter.limit(
    FAILED_SIGN_INS_PER_ADDRESS, methods=["POST"], key_func=_typed_address, deduct_when=_failed
)
def staff_sign_in() -> str | Response:
    """Sign in with a password, limited per machine and per address.

    Each machine has 5 tries a minute and 20 an hour, successful or not. Each
    address has 10 failed tries an hour from all machines together, so that many
    machines cannot guess one account's password; as only failures count, the
    staff member who knows the password is not locked out by someone else's few
    wrong guesses (it takes 10 within the hour).
    """
    form = StaffSignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
        signed_in = signed_in_user()
        if signed_in is not None and signed_in.user_session.with_password:
            return redirect(form.safe_next() or url_for("manage.index"))
    if form_submitted(form):
        try:
            user = sign_in_with_password(form.email.data, form.password.data)
        except SignInFailed:
            db.session.commit()  # the failure is audited
            form.password.errors = [_("The e-mail address or the password is not right.")]
        else:
            start_session(user, with_password=True)
            db.session.commit()
            return redirect(form.safe_next() or url_for("manage.index"))
    return render_template("accounts/staff_sign_in.html", form=form)


def _no_store(view: Callable[P, ResponseReturnValue]) -> Callable[P, Response]:
    """Keep a view's pages, whatever their status, out of every cache."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapper


@blueprint.route("/password/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
# The token is in the address and the page shows the account's e-mail address.
@_no_store
def set_password(token: str) -> str | Response | tuple[str, int]:
    """Choose a password with a link from an invitation or a reset.

    Showing the form changes nothing; only a valid new password uses the link.
    """
    link = find_usable_link(token)
    if link is None or link.purpose is not LinkPurpose.SET_PASSWORD:
        return _link_unusable()
    form = PasswordSetForm(link.email)
    if form_submitted(form):
        try:
            user = set_password_with_link(link, form.password.data)
        except (LinkUnusable, AccountDisabled):
            return _link_unusable()
        except WeakPassword as problem:
            form.password.errors = [str(problem)]
        else:
            start_session(user, with_password=True)
            db.session.commit()
            flash(_("Your password is set. You are signed in."))
            return redirect(url_for("manage.index"))
    return render_template(
        "accounts/set_password.html",
        form=form,
        email=link.email,
        min_length=MIN_PASSWORD_LENGTH,
    )


def _link_unusable() -> tuple[str, int]:
    minutes = LINK_MINUTES
    return render_template("accounts/password_link_unusable.html", minutes=minutes), 410
