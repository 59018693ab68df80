"""Staff sign-in with a password (and a code, with two-step sign-in), and choosing a
password from an e-mailed link.

These routes belong to the `accounts` blueprint; `consult.accounts.views` imports
this module so that they are registered with it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec

from flask import (
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from consult.accounts.models import LinkPurpose, User
from consult.accounts.operations import (
    LINK_MINUTES,
    AccountDisabled,
    find_usable_link,
    normalise_email,
)
from consult.accounts.passwords import MIN_PASSWORD_LENGTH
from consult.accounts.permissions import page_at, signed_in_user
from consult.accounts.sessions import start_session
from consult.accounts.staff import (
    LinkUnusable,
    SignInFailed,
    WeakPassword,
    set_password_with_link,
    sign_in_with_password,
)
from consult.accounts.staff_forms import (
    KeptPost,
    PasswordSetForm,
    StaffCodeForm,
    StaffSignInForm,
)
from consult.accounts.tokens import hash_token
from consult.accounts.two_factor import (
    WrongCode,
    complete_sign_in,
    recovery_codes_left,
    two_step_on,
)
from consult.accounts.views import blueprint
from consult.core.forms import form_expired, form_submitted
from consult.core.models import utcnow
from consult.core.urls import safe_next
from consult.extensions import db, limiter

P = ParamSpec("P")

# Every attempt from one machine counts.
STAFF_SIGN_IN_LIMIT = "5 per minute; 20 per hour"
# Per address, failures only: see `staff_sign_in`.
FAILED_SIGN_INS_PER_ADDRESS = "10 per hour"
# Per account, wrong codes only: see `staff_sign_in_code`.
FAILED_CODES_PER_ACCOUNT = "10 per hour"
# How long the code step waits after the right password (in the signed cookie).
PASSWORD_STEP_MINUTES = 5
_PASSWORD_STEP_KEY = "staff_password_step"  # noqa: S105 - a cookie key, not a password


def _typed_address() -> str:
    """The rate-limit key for the address typed in the form."""
    return "staff-sign-in:" + normalise_email(request.form.get("email", ""))[:254]


def _failed(_response: Response) -> bool:
    """Whether the request tried a password or a code, and it was wrong (a request
    refused by a limit, or whose form was not valid, tried nothing).

    Flask-Limiter hands `deduct_when` the response, but the response cannot tell:
    a wrong password, a wrong code and an incomplete form all show the form again
    with 200. The view says so in `g` instead.
    """
    return bool(g.get("sign_in_failed", False))


def _no_store(view: Callable[P, ResponseReturnValue]) -> Callable[P, Response]:
    """Keep a view's pages, whatever their status, out of every cache."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapper


@blueprint.route("/staff/sign-in", methods=["GET", "POST"])
@limiter.limit(STAFF_SIGN_IN_LIMIT, methods=["POST"])
@limiter.limit(
    FAILED_SIGN_INS_PER_ADDRESS, methods=["POST"], key_func=_typed_address, deduct_when=_failed
)
# The page may carry what a lapsed form sent, and leads to the page that shows it.
@_no_store
def staff_sign_in() -> str | Response:
    """Sign in with a password, limited per machine and per address.

    Each machine has 5 tries a minute and 20 an hour, successful or not. Each
    address has 10 failed tries an hour from all machines together, so that many
    machines cannot guess one account's password; as only failures count, the
    staff member who knows the password is not locked out by someone else's few
    wrong guesses (it takes 10 within the hour).

    With two-step sign-in on, the right password leads to the code step
    (`staff_sign_in_code`) and signs nothing in yet.
    """
    form = StaffSignInForm()
    if form_expired():
        # Sent without this browser's form token: nothing kept travels on.
        form.kept.data = ""
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
        signed_in = signed_in_user()
        if signed_in is not None and signed_in.user_session.with_password:
            return redirect(form.safe_next() or url_for("manage.index"))
    if form_submitted(form):
        try:
            user = sign_in_with_password(form.email.data, form.password.data)
        except SignInFailed:
            g.sign_in_failed = True
            db.session.commit()  # the failure is audited
            form.password.errors = [_("The e-mail address or the password is not right.")]
        else:
            if two_step_on(user):
                _remember_password_step(user)
                db.session.commit()  # a rehashed password
                kept = form.kept.data if form.kept_post_for(user) is not None else ""
                code_form = StaffCodeForm(formdata=None, next=form.safe_next(), kept=kept)
                return render_template("accounts/staff_code.html", form=code_form)
            start_session(user, with_password=True)
            db.session.commit()
            return _signed_in(form.safe_next(), form.kept_post_for(user))
    return render_template("accounts/staff_sign_in.html", form=form)


def _password_step_account() -> str:
    """The rate-limit key for the code step: the account whose password was right."""
    pending = session.get(_PASSWORD_STEP_KEY)
    user_id = pending.get("user") if isinstance(pending, dict) else None
    return f"staff-code:{user_id}"


@blueprint.route("/staff/sign-in/code", methods=["GET", "POST"])
@limiter.limit(STAFF_SIGN_IN_LIMIT, methods=["POST"])
@limiter.limit(
    FAILED_CODES_PER_ACCOUNT,
    methods=["POST"],
    key_func=_password_step_account,
    deduct_when=_failed,
)
@_no_store
def staff_sign_in_code() -> str | Response:
    """The second step: a code from the app, or a recovery code.

    Within 5 minutes of the right password (kept in the signed cookie). Limited
    per machine like the password, and to 10 wrong codes an hour per account
    from all machines together.
    """
    form = StaffCodeForm()
    if form_expired():
        form.kept.data = ""
    user = _password_step_user()
    if user is None:
        if request.method == "GET":
            return redirect(
                url_for("accounts.staff_sign_in", next=safe_next(request.args.get("next")))
            )
        # Too late: the password again, still carrying what a lapsed form sent.
        sign_in_form = StaffSignInForm(
            formdata=None, next=form.safe_next(), kept=form.kept.data or ""
        )
        too_late = ngettext(
            "That took more than %(num)d minute: please sign in again.",
            "That took more than %(num)d minutes: please sign in again.",
            PASSWORD_STEP_MINUTES,
        )
        flash(too_late, "error")
        return render_template("accounts/staff_sign_in.html", form=sign_in_form)
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    if form_submitted(form):
        try:
            method = complete_sign_in(user, form.code.data)
        except WrongCode:
            g.sign_in_failed = True
            db.session.commit()  # the failure is audited
            form.code.errors = [_("This code is not right, or was used already.")]
        else:
            start_session(user, with_password=True)
            db.session.commit()
            if method == "password_recovery_code":
                left = recovery_codes_left(user)
                flash(
                    ngettext(
                        "You signed in with a recovery code. %(num)d recovery code is left.",
                        "You signed in with a recovery code. %(num)d recovery codes are left.",
                        left,
                    ),
                    "error" if left <= 3 else "message",
                )
            return _signed_in(form.safe_next(), form.kept_post_for(user))
    return render_template("accounts/staff_code.html", form=form)


def _remember_password_step(user: User) -> None:
    session[_PASSWORD_STEP_KEY] = {
        "user": user.id,
        "at": int(utcnow().timestamp()),
        "password": _password_fingerprint(user),
    }


def _password_step_user() -> User | None:
    """The account whose password this browser gave in the last 5 minutes, if it
    still has that password, two-step sign-in and staff rights."""
    pending = session.get(_PASSWORD_STEP_KEY)
    if not isinstance(pending, dict):
        return None
    user_id, at = pending.get("user"), pending.get("at")
    if not isinstance(user_id, int) or not isinstance(at, int):
        return None
    if utcnow().timestamp() - at > PASSWORD_STEP_MINUTES * 60:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.is_disabled or not user.is_staff or not two_step_on(user):
        return None
    if pending.get("password") != _password_fingerprint(user):
        return None
    return user


def _password_fingerprint(user: User) -> str:
    """Changes when the password does, so that a new password voids a pending step."""
    return hash_token(user.password_hash or "")[:16]


def _signed_in(next_url: str | None, kept: KeptPost | None) -> str | Response:
    """Where a staff member goes once signed in: back to `next_url`, or, when
    their own form had been sent to it after the session lapsed (`kept`, checked
    by `CarriesKeptPost.kept_post_for`), to a page that shows it and offers to
    send it again (never by itself)."""
    if kept is not None:
        return render_template(
            "accounts/staff_send_again.html",
            kept=kept,
            action=kept.target,
            back=kept.back or page_at(kept.target) or url_for("manage.index"),
        )
    # A form's address (a lapsed form not kept) is no page to open: the dashboard.
    return redirect((page_at(next_url) if next_url else None) or url_for("manage.index"))


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
            if two_step_on(user):
                # The link replaces the password, not the code: the code step next.
                _remember_password_step(user)
                db.session.commit()
                flash(_("Your password is set. Now type the code from your authenticator app."))
                return redirect(url_for("accounts.staff_sign_in_code"))
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


# Setting up and changing two-step sign-in add their routes to this blueprint.
from consult.accounts import two_step_views  # noqa: E402, F401
