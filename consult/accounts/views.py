"""Participant sign-in by e-mail link, profiles and e-mail changes."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import logout_user
from werkzeug.wrappers import Response

from consult.accounts.countries import country_choices
from consult.accounts.drafts import remember_draft_to_restore
from consult.accounts.forms import (
    NO_COUNTRY,
    AccountDeleteForm,
    ContinueForm,
    DataDownloadForm,
    EmailChangeForm,
    ProfileForm,
    SignInForm,
    SignOutForm,
)
from consult.accounts.models import EmailLink, LinkPurpose, User
from consult.accounts.operations import (
    LINK_MINUTES,
    AccountDisabled,
    EmailTaken,
    ProfileData,
    SameEmail,
    StaffAccount,
    change_email_with_link,
    delete_account,
    find_link,
    refuse_link,
    request_email_change,
    save_profile,
    send_sign_in_link,
    sign_in_with_link,
)
from consult.accounts.permissions import require_signed_in, signed_in_user
from consult.accounts.privacy import download_personal_data
from consult.accounts.sessions import end_this_browsers_session, start_session
from consult.accounts.stakeholders import group_choices
from consult.config import Config
from consult.core.bots import page_status
from consult.core.forms import form_expired, form_submitted
from consult.core.models import utcnow
from consult.core.urls import safe_next
from consult.extensions import db, limiter
from consult.i18n.locale import native_language_name

blueprint = Blueprint("accounts", __name__, url_prefix="/<lang:lang>/account")


def _locale() -> str:
    return str(get_locale())


def _posted_email() -> str:
    """Limits per address as well as per network: a mailbox is not to be flooded."""
    return "link-to:" + request.form.get("email", "").strip().lower()


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"], key_func=_posted_email)
def sign_in() -> str | Response | tuple[str, int]:
    form = SignInForm()
    if request.method == "GET":
        # Where the visitor was sent from (a page that needs signing in).
        form.next.data = safe_next(request.args.get("next"))
    if form_submitted(form):
        send_sign_in_link(
            form.email.data,
            _locale(),
            next_url=form.safe_next(),
            draft=form.draft_fields(),
        )
        db.session.commit()
        session["link_sent_to"] = form.email.data.strip()
        return redirect(url_for("accounts.link_sent"))
    return render_template("accounts/sign_in.html", form=form), page_status(form)


@blueprint.get("/sign-in/sent")
def link_sent() -> str:
    # The same page whether or not the address has an account.
    return render_template(
        "accounts/link_sent.html", email=session.get("link_sent_to"), minutes=LINK_MINUTES
    )


@blueprint.after_request
def _keep_links_out_of_caches(response: Response) -> Response:
    # Link pages carry a token in their address and show an e-mail address.
    if request.endpoint == "accounts.use_link":
        response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/link/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def use_link(token: str) -> str | Response | tuple[str, int]:
    """GET shows a "Continue" button and changes nothing (mail scanners open links);
    only the POST uses the token."""
    link = find_link(token)
    form = ContinueForm()
    if link is None or not link.is_usable():
        return _link_unusable(link)
    if not form_submitted(form):
        return render_template("accounts/continue.html", form=form, link=link)
    if link.purpose is LinkPurpose.SIGN_IN:
        return _sign_in(link)
    if link.purpose is LinkPurpose.CHANGE_EMAIL:
        return _change_email(link)
    return redirect(url_for("accounts.set_password", token=token))


def _link_unusable(link: EmailLink | None) -> tuple[str, int]:
    """A used, expired or replaced link: offer a new one, keeping what it carried."""
    form = SignInForm(formdata=None)
    if link is not None and link.purpose is LinkPurpose.SIGN_IN:
        form.email.data = link.email
        form.next.data = link.next_url
        form.draft.data = json.dumps(link.draft) if link.draft else ""
    if request.method == "POST" and not form_expired():
        refuse_link(link)
        db.session.commit()
    return render_template("accounts/link_unusable.html", form=form, minutes=LINK_MINUTES), 410


def _sign_in(link: EmailLink) -> Response:
    try:
        user = sign_in_with_link(link)
    except AccountDisabled:
        db.session.commit()  # the refusal is audited
        flash(_("This account has been disabled. Please contact the secretariat."), "error")
        return redirect(url_for("consultations.index"))
    start_session(user, with_password=False)
    db.session.commit()
    if link.draft:
        remember_draft_to_restore(link)
    destination = safe_next(link.next_url) or url_for("consultations.index")
    if not user.has_complete_profile:
        return redirect(url_for("accounts.profile", next=destination))
    return redirect(destination)


def _change_email(link: EmailLink) -> Response:
    signed_in = signed_in_user()
    if signed_in is None:
        flash(_("Please sign in with your current address first, then use the link again."))
        return redirect(url_for("accounts.sign_in"))
    try:
        change_email_with_link(link, signed_in.user)
    except PermissionError:
        flash(_("This link was sent for another account."), "error")
        return redirect(url_for("accounts.profile"))
    except EmailTaken:
        flash(_("Another account already uses this address."), "error")
        return redirect(url_for("accounts.profile"))
    db.session.commit()
    flash(_("Your e-mail address is now %(email)s.", email=link.email))
    return redirect(url_for("accounts.profile"))


@blueprint.route("/profile", methods=["GET", "POST"])
@require_signed_in
def profile() -> str | Response:
    signed_in = signed_in_user()
    assert signed_in is not None
    user = signed_in.user
    form = ProfileForm(obj=_profile_values(user))
    _fill_choices(form)
    first_time = not user.has_complete_profile
    if first_time:
        form.require_privacy()
    if form_submitted(form):
        save_profile(
            user,
            ProfileData(
                display_name=form.display_name.data,
                organisation=form.organisation.data or "",
                stakeholder_group=form.stakeholder_group.data,
                country=None if form.country.data == NO_COUNTRY else form.country.data,
                preferred_locale=form.preferred_locale.data,
            ),
            accepts_privacy_notice=bool(form.accept_privacy.data),
        )
        db.session.commit()
        flash(_("Your profile is saved."))
        return redirect(safe_next(request.args.get("next")) or url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html",
        form=form,
        first_time=first_time,
        user=user,
        email_form=EmailChangeForm(formdata=None),
        download_form=DataDownloadForm(formdata=None),
    )


@blueprint.post("/email")
@require_signed_in
@limiter.limit("10 per hour")
def change_email() -> str | Response:
    signed_in = signed_in_user()
    assert signed_in is not None
    form = EmailChangeForm()
    if form_submitted(form):
        try:
            request_email_change(signed_in.user, form.email.data, _locale())
        except SameEmail:
            form.email.errors = [_("This is already your address.")]
        else:
            db.session.commit()
            flash(
                _(
                    "We sent a link to %(email)s. Your address changes when you use it.",
                    email=form.email.data.strip(),
                )
            )
            return redirect(url_for("accounts.profile"))
    profile_form = ProfileForm(obj=_profile_values(signed_in.user))
    _fill_choices(profile_form)
    return render_template(
        "accounts/profile.html",
        form=profile_form,
        first_time=not signed_in.user.has_complete_profile,
        user=signed_in.user,
        email_form=form,
        download_form=DataDownloadForm(formdata=None),
    )


@blueprint.post("/sign-out")
def sign_out() -> Response:
    form = SignOutForm()
    # Whatever the state of the session: a lapsed staff session ends on the server too.
    if form_submitted(form) and end_this_browsers_session():
        db.session.commit()
        flash(_("You are signed out."))
    return redirect(url_for("consultations.index"))


@blueprint.get("/privacy")
def privacy() -> str:
    return render_template("accounts/privacy.html")


def _signed_in_key() -> str:
    """Limits per account: a download or a deletion concerns one person."""
    signed_in = signed_in_user()
    return f"user:{signed_in.user.id}" if signed_in else "visitor"


@blueprint.post("/data")
@require_signed_in
@limiter.limit("10 per hour", key_func=_signed_in_key)
def download_data() -> Response:
    """One JSON file with everything Consult holds about the signed-in person."""
    signed_in = signed_in_user()
    assert signed_in is not None
    user = signed_in.user
    form = DataDownloadForm()
    if not form_submitted(form):
        return redirect(url_for("accounts.profile"))
    document = download_personal_data(user)
    db.session.commit()
    name = f"consult-my-data-{utcnow():%Y-%m-%d}.json"
    return Response(
        document.encode("utf-8"),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@blueprint.route("/delete", methods=["GET", "POST"])
@require_signed_in
@limiter.limit("10 per hour", methods=["POST"], key_func=_signed_in_key)
def delete() -> str | Response:
    """What deleting the account removes and keeps, and the confirmation.

    Staff accounts are not deleted here: the page tells them to ask an
    administrator (an account with staff rights leaves by losing them first).
    """
    signed_in = signed_in_user()
    assert signed_in is not None
    user = signed_in.user
    form = AccountDeleteForm()
    if form_submitted(form):
        try:
            # Ends every session of the account, this browser's among them.
            delete_account(user)
        except StaffAccount:
            abort(403)
        db.session.commit()
        # This browser's cookie forgets the account too.
        logout_user()
        session.clear()
        flash(_("Your account is deleted. Thank you for taking part."))
        return redirect(url_for("consultations.index"))
    return render_template("accounts/delete.html", form=form, user=user)


class _ProfileValues:
    """A user's profile as the form's initial values."""

    def __init__(self, user: User, default_locale: str) -> None:
        self.display_name = user.display_name
        self.organisation = user.organisation
        self.stakeholder_group = user.stakeholder_group
        self.country = user.country or (NO_COUNTRY if user.has_complete_profile else "")
        self.preferred_locale = user.preferred_locale or default_locale
        self.accept_privacy = user.privacy_accepted_at is not None


def _profile_values(user: User) -> _ProfileValues:
    return _ProfileValues(user, _locale())


def _fill_choices(form: ProfileForm) -> None:
    config: Config = current_app.extensions["consult_config"]
    locale = _locale()
    form.stakeholder_group.choices = [("", _("Choose…")), *group_choices()]
    form.country.choices = [
        ("", _("Choose…")),
        (NO_COUNTRY, _("None / international organisation")),
        *country_choices(locale),
    ]
    form.preferred_locale.choices = [(code, native_language_name(code)) for code in config.locales]


# The staff sign-in and password pages add their routes to this blueprint.
from consult.accounts import staff_views  # noqa: E402, F401
