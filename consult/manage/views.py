"""Staff pages: the dashboard, accounts and roles (admins), the audit log.

Every view needs a session opened with the password (`require_role`): a visitor
or a session opened with an e-mail link is sent to the staff sign-in, a lower
role gets 403.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.accounts.models import Role, User
from consult.accounts.operations import AccountDisabled
from consult.accounts.permissions import require_role, signed_in_user
from consult.accounts.queries import list_users
from consult.accounts.sessions import SignedInUser
from consult.accounts.staff import (
    AccountDeleted,
    LastAdmin,
    NotStaff,
    OwnAccount,
    change_role,
    disable_user,
    enable_user,
    invite_staff,
    reset_two_step,
    send_password_reset,
)
from consult.accounts.staff_forms import TwoStepResetForm
from consult.accounts.two_factor import NotEnabled, two_step_on
from consult.audit.labels import action_label, detail_lines, subject_label
from consult.audit.queries import audit_entries, audit_scope, readable_entries
from consult.core.forms import form_submitted
from consult.core.urls import requested_page
from consult.extensions import db
from consult.manage.forms import (
    AuditFilterForm,
    PasswordResetForm,
    RoleChangeForm,
    StaffInviteForm,
    UserDisableForm,
    UserEnableForm,
    UserSearchForm,
)

blueprint = Blueprint("manage", __name__, url_prefix="/<lang:lang>/manage")

USERS_PER_PAGE = 50
AUDIT_ENTRIES_PER_PAGE = 50


def _staff() -> SignedInUser:
    """The signed-in staff member (the views' `require_role` has made sure of one)."""
    signed_in = signed_in_user()
    assert signed_in is not None
    return signed_in


def _page() -> int:
    return requested_page()


@blueprint.get("/")
@require_role(Role.MODERATOR)
def index() -> str:
    return render_template("manage/index.html", role=_staff().role)


@blueprint.get("/users/")
@require_role(Role.ADMIN)
def users() -> str:
    return _render_users(StaffInviteForm(formdata=None))


def _render_users(invite_form: StaffInviteForm) -> str:
    search = UserSearchForm(formdata=request.args)
    search.validate()
    listing = list_users(
        staff_only=not search.everyone.data,
        search=(search.q.data or "") if not search.q.errors else "",
        page=_page(),
        per_page=USERS_PER_PAGE,
    )
    return render_template(
        "manage/users.html", listing=listing, search=search, invite_form=invite_form
    )


@blueprint.post("/users/invite")
@require_role(Role.ADMIN)
def invite() -> str | Response:
    form = StaffInviteForm()
    if form_submitted(form):
        try:
            user = invite_staff(
                form.email.data, form.chosen_role(), _staff().user, str(get_locale())
            )
        except AccountDisabled:
            form.email.errors = [_("This account is disabled. Enable it first.")]
        except OwnAccount:
            form.email.errors = [_("You cannot change your own role.")]
        else:
            db.session.commit()
            flash(
                _(
                    "%(email)s is invited as %(role)s: we sent a link to choose a password.",
                    email=user.email,
                    role=user.role.label,
                )
            )
            return redirect(url_for("manage.user", user_id=user.id))
    return _render_users(form)


@blueprint.get("/users/<int:user_id>/")
@require_role(Role.ADMIN)
def user(user_id: int) -> str:
    account = db.get_or_404(User, user_id)
    return _render_user(account)


def _render_user(
    account: User,
    *,
    role_form: RoleChangeForm | None = None,
    disable_form: UserDisableForm | None = None,
) -> str:
    return render_template(
        "manage/user.html",
        account=account,
        own_account=account.id == _staff().user.id,
        role_form=role_form or RoleChangeForm(formdata=None, role=account.role.value),
        disable_form=disable_form or UserDisableForm(formdata=None),
        enable_form=UserEnableForm(formdata=None),
        reset_form=PasswordResetForm(formdata=None),
        two_step_on=two_step_on(account),
        two_step_reset_form=TwoStepResetForm(formdata=None),
    )


@blueprint.post("/users/<int:user_id>/role")
@require_role(Role.ADMIN)
def change_user_role(user_id: int) -> str | Response:
    account = db.get_or_404(User, user_id)
    form = RoleChangeForm()
    if not form_submitted(form):
        return _render_user(account, role_form=form)
    old_role = account.role
    try:
        change_role(account, form.chosen_role(), _staff().user)
    except OwnAccount:
        flash(_("You cannot change your own role: ask another administrator."), "error")
    except AccountDeleted:
        _say_deleted()
    except LastAdmin:
        flash(_("There must always be an enabled administrator."), "error")
    else:
        db.session.commit()
        if account.role is not old_role:
            flash(
                _(
                    "%(email)s is now %(role)s, and was signed out everywhere.",
                    email=account.email,
                    role=account.role.label,
                )
            )
        if account.is_staff and account.password_hash is None:
            flash(_("This account has no password yet: send a password link."))
    return redirect(url_for("manage.user", user_id=account.id))


@blueprint.post("/users/<int:user_id>/disable")
@require_role(Role.ADMIN)
def disable(user_id: int) -> str | Response:
    account = db.get_or_404(User, user_id)
    form = UserDisableForm()
    if not form_submitted(form):
        return _render_user(account, disable_form=form)
    try:
        disable_user(account, _staff().user, form.reason.data)
    except OwnAccount:
        flash(_("You cannot disable your own account: ask another administrator."), "error")
    except LastAdmin:
        flash(_("There must always be an enabled administrator."), "error")
    else:
        db.session.commit()
        flash(_("%(email)s is disabled and was signed out everywhere.", email=account.email))
    return redirect(url_for("manage.user", user_id=account.id))


@blueprint.post("/users/<int:user_id>/enable")
@require_role(Role.ADMIN)
def enable(user_id: int) -> str | Response:
    account = db.get_or_404(User, user_id)
    if form_submitted(UserEnableForm()):
        enable_user(account, _staff().user)
        db.session.commit()
        flash(_("%(email)s can sign in again.", email=account.email))
    return redirect(url_for("manage.user", user_id=account.id))


@blueprint.post("/users/<int:user_id>/password-reset")
@require_role(Role.ADMIN)
def reset_password(user_id: int) -> str | Response:
    account = db.get_or_404(User, user_id)
    if form_submitted(PasswordResetForm()):
        try:
            send_password_reset(account, _staff().user, str(get_locale()))
        except AccountDeleted:
            _say_deleted()
        except (NotStaff, AccountDisabled):
            flash(_("Only enabled staff accounts have a password."), "error")
        else:
            db.session.commit()
            flash(_("We sent %(email)s a link to choose a new password.", email=account.email))
    return redirect(url_for("manage.user", user_id=account.id))


@blueprint.post("/users/<int:user_id>/two-step-reset")
@require_role(Role.ADMIN)
def reset_user_two_step(user_id: int) -> str | Response:
    """Remove a staff member's two-step sign-in (a lost phone); they are signed out."""
    account = db.get_or_404(User, user_id)
    if form_submitted(TwoStepResetForm()):
        try:
            reset_two_step(account, _staff().user)
        except OwnAccount:
            flash(
                _("You cannot reset your own two-step sign-in: ask another administrator."),
                "error",
            )
        except AccountDeleted:
            _say_deleted()
        except NotEnabled:
            flash(_("This account does not use two-step sign-in."), "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Two-step sign-in of %(email)s is reset, and they were signed out everywhere. "
                    "They sign in with their password and set it up again.",
                    email=account.email,
                )
            )
    return redirect(url_for("manage.user", user_id=account.id))


def _say_deleted() -> None:
    flash(_("This account was deleted: it can no longer be changed."), "error")


@blueprint.get("/audit/")
@require_role(Role.MODERATOR)
def audit() -> str:
    role = _staff().role
    form = AuditFilterForm(formdata=request.args)
    # Action names are lower case: "Comment." finds what "comment." finds.
    prefix = (form.action.data or "").strip().lower() if form.validate() else ""
    entries = audit_entries(
        role, action_prefix=prefix, page=_page(), per_page=AUDIT_ENTRIES_PER_PAGE
    )
    return render_template(
        "manage/audit.html",
        form=form,
        entries=entries,
        lines=readable_entries(entries.items, role),
        scope=audit_scope(role),
        links_to_accounts=role is Role.ADMIN,
        action_label=action_label,
        subject_label=subject_label,
        detail_lines=detail_lines,
        action_prefix=prefix,
    )
