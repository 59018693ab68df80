"""Setting up and changing two-step sign-in: the staff member's own page.

Routes of the `accounts` blueprint (`consult.accounts.staff_views` imports this
module). Any staff member may turn it on; an administrator must, and is sent
here by every staff page until it is on. Showing the page writes nothing: the
new key waits in the signed cookie until the first code confirms it.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.accounts.models import Role, User
from consult.accounts.permissions import require_role, signed_in_user, staff_user
from consult.accounts.staff_forms import TwoStepCodeForm, TwoStepSetUpForm
from consult.accounts.two_factor import (
    TwoStepRequired,
    WrongCode,
    disable_two_step,
    enable_two_step,
    grouped,
    must_set_up_two_step,
    new_secret,
    qr_code_svg,
    recovery_codes_left,
    renew_recovery_codes,
    two_step_on,
)
from consult.accounts.views import blueprint
from consult.core.forms import form_submitted
from consult.core.urls import safe_next
from consult.extensions import db

# The key shown on the set-up page, until the first code confirms it. It waits in
# the session cookie, which is signed, not encrypted: readable by whoever holds
# the cookie. That is acceptable: the cookie is HttpOnly (no script reads it),
# Secure in production, and goes only to this site; the key is not in use until
# the first code confirms it, and it is removed then (`two_step_enable`), as on
# signing out or in (the session is cleared). Whoever could read the cookie holds
# the staff session itself, which is worth more than a key not yet in use.
_NEW_KEY = "two_step_new_key"


@blueprint.get("/two-step")
@require_role(Role.MODERATOR, before_two_step=True)
def two_step() -> str:
    """Set two-step sign-in up, or renew the recovery codes and turn it off."""
    set_up = TwoStepSetUpForm(formdata=None, next=safe_next(request.args.get("next")))
    return _render_page(staff_user(), set_up=set_up)


@blueprint.get("/two-step/qr-code.svg")
@require_role(Role.MODERATOR, before_two_step=True)
def two_step_qr_code() -> Response:
    """The new key as a QR code, for the set-up page (an image of our own: no data: URI)."""
    user = staff_user()
    key = session.get(_NEW_KEY)
    if not isinstance(key, str) or two_step_on(user):
        abort(404)
    response = make_response(qr_code_svg(key, user.email))
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/two-step/enable")
@require_role(Role.MODERATOR, before_two_step=True)
def two_step_enable() -> str | Response:
    user = staff_user()
    if two_step_on(user):
        return redirect(url_for("accounts.two_step"))
    form = TwoStepSetUpForm()
    key = session.get(_NEW_KEY)
    if not isinstance(key, str):
        # The cookie lost the key (another browser, a new sign-in): start again.
        flash(_("Please scan the new key below and type its first code."), "error")
        return redirect(url_for("accounts.two_step", next=form.safe_next()))
    if form_submitted(form):
        signed_in = signed_in_user()
        try:
            codes = enable_two_step(
                user, key, form.code.data, signed_in.user_session if signed_in else None
            )
        except WrongCode:
            form.code.errors = [
                _("This code is not right. Check the key in your app and type its current code.")
            ]
        else:
            db.session.commit()
            session.pop(_NEW_KEY, None)
            return _recovery_codes_page(codes, form.safe_next(), first_time=True)
    return _render_page(user, set_up=form)


@blueprint.post("/two-step/recovery-codes")
@require_role(Role.MODERATOR, before_two_step=True)
def two_step_renew() -> str | Response:
    user = staff_user()
    if not two_step_on(user):
        return redirect(url_for("accounts.two_step"))
    form = TwoStepCodeForm(prefix="renew")
    if form_submitted(form):
        try:
            codes = renew_recovery_codes(user, form.code.data)
        except WrongCode:
            form.code.errors = [_("This code is not right, or was used already.")]
        else:
            db.session.commit()
            return _recovery_codes_page(codes, None, first_time=False)
    return _render_page(user, renew=form)


@blueprint.post("/two-step/disable")
@require_role(Role.MODERATOR, before_two_step=True)
def two_step_disable() -> str | Response:
    user = staff_user()
    if not two_step_on(user):
        return redirect(url_for("accounts.two_step"))
    form = TwoStepCodeForm(prefix="off")
    if form_submitted(form):
        try:
            disable_two_step(user, form.code.data)
        except TwoStepRequired:
            flash(_("Administrators must keep two-step sign-in on."), "error")
            return redirect(url_for("accounts.two_step"))
        except WrongCode:
            form.code.errors = [_("This code is not right, or was used already.")]
        else:
            db.session.commit()
            flash(_("Two-step sign-in is off: you sign in with your password alone."))
            return redirect(url_for("accounts.two_step"))
    return _render_page(user, turn_off=form)


def _render_page(
    user: User,
    *,
    set_up: TwoStepSetUpForm | None = None,
    renew: TwoStepCodeForm | None = None,
    turn_off: TwoStepCodeForm | None = None,
) -> str:
    if two_step_on(user):
        return render_template(
            "accounts/two_step.html",
            user=user,
            codes_left=recovery_codes_left(user),
            renew_form=renew or TwoStepCodeForm(formdata=None, prefix="renew"),
            off_form=(turn_off or TwoStepCodeForm(formdata=None, prefix="off"))
            if user.role is not Role.ADMIN
            else None,
        )
    key = session.get(_NEW_KEY)
    if not isinstance(key, str):
        # Kept in the signed cookie, not the database: showing a page writes nothing.
        key = session[_NEW_KEY] = new_secret()
    return render_template(
        "accounts/two_step_set_up.html",
        user=user,
        key=grouped(key),
        required=must_set_up_two_step(user),
        form=set_up or TwoStepSetUpForm(formdata=None),
    )


def _recovery_codes_page(codes: list[str], next_url: str | None, *, first_time: bool) -> Response:
    """The new recovery codes, shown this once and kept out of every cache."""
    response = make_response(
        render_template(
            "accounts/two_step_recovery_codes.html",
            codes=codes,
            first_time=first_time,
            continue_to=next_url or url_for("manage.index"),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response
