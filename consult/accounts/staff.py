"""Writing staff accounts: passwords, invitations, roles, disabling.

Operations flush but never commit, and each writes its audit entry in the same
transaction, so the log records exactly what was saved. A session opened with an
e-mail link never carries staff rights (see `SignedInUser.role`); these
operations are the only way to a password, and so to staff rights.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from consult.accounts.models import EmailLink, LinkPurpose, Role, User
from consult.accounts.operations import (
    AccountDisabled,
    get_user_by_email,
    normalise_email,
    record_sign_in,
    send_link,
)
from consult.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    spend_verification_time,
    verify_password,
)
from consult.accounts.sessions import end_all_sessions
from consult.accounts.two_factor import NotEnabled, clear_two_step, two_step_on
from consult.audit.operations import record
from consult.core.models import utcnow
from consult.core.text import normalise_plain_text
from consult.extensions import db
from consult.i18n.locale import enabled_locales

STAFF_ROLES = (Role.MODERATOR, Role.EDITOR, Role.ADMIN)
# What a failed sign-in records of the address typed, at most (the column's size).
_MAX_TYPED_EMAIL = 254


class SignInFailed(Exception):
    """Wrong address, wrong password, no password or a disabled account: one answer for all."""


class WeakPassword(ValueError):
    """The password breaks the policy; the message says how, in the user's language."""


class NotStaff(Exception):
    """A participant's account: it signs in with e-mail links and has no password."""


class OwnAccount(Exception):
    """An administrator tried to demote or disable themselves."""


class LastAdmin(Exception):
    """The change would leave no enabled administrator."""


class AccountDeleted(Exception):
    """The account was deleted: it keeps its row for what it wrote, and no more changes."""


class LinkUnusable(Exception):
    """The link is used, expired, cancelled, or not a password link."""


def create_staff_user(email: str, role: Role, password: str) -> User:
    """Create a staff account with a password, or give an existing one this role and password.

    For the command line: no actor. A changed role or password ends the account's
    open sessions.
    """
    _require_staff_role(role)
    address = normalise_email(email)
    _require_strong(password, address)
    user = get_user_by_email(address)
    if user is None:
        user = User(email=address, role=role)
        db.session.add(user)
        db.session.flush()
        record("user.created", subject_type="user", subject_id=user.id, role=role.value)
    else:
        _set_role(user, role, actor_id=None)
        end_all_sessions(user)
    user.password_hash = hash_password(password)
    db.session.flush()
    record("user.password_set", subject_type="user", subject_id=user.id, method="command_line")
    return user


def sign_in_with_password(email: str, password: str) -> User:
    """The staff account behind `email` and `password`, or SignInFailed.

    The same exception, after the same argon2 work, for an unknown address, a
    wrong password, an account without a password, a participant and a disabled
    account, so that the answer tells nothing about which addresses have
    accounts. Both outcomes are audited; the caller commits either way and opens
    the session on success. With two-step sign-in on, the right password is
    only the first step: the sign-in is recorded when the code is
    (`consult.accounts.two_factor.complete_sign_in`).
    """
    user = get_user_by_email(email)
    if user is None or user.password_hash is None:
        spend_verification_time(password)
        cause = "unknown_email" if user is None else "no_password"
        _record_failure(email, user, cause)
        raise SignInFailed
    if not verify_password(user.password_hash, password):
        _record_failure(email, user, "wrong_password")
        raise SignInFailed
    if user.is_disabled or not user.is_staff:
        _record_failure(email, user, "disabled" if user.is_disabled else "not_staff")
        raise SignInFailed
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if not two_step_on(user):
        record_sign_in(user, "password")
    return user


def _record_failure(email: str, user: User | None, cause: str) -> None:
    record(
        "auth.sign_in_failed",
        subject_type="user" if user else None,
        subject_id=user.id if user else None,
        method="password",
        email=email.strip()[:_MAX_TYPED_EMAIL],
        cause=cause,
    )


def invite_staff(email: str, role: Role, inviter: User, page_locale: str) -> User:
    """Give `email` a staff role and e-mail it a link to set a password.

    Creates the account if there is none; an existing account (a participant, or
    staff with another role) takes the new role. A disabled account must be
    enabled first (AccountDisabled). The e-mail is in the account's chosen
    language, else in `page_locale` (the inviter's), which a new account keeps.
    """
    _require_staff_role(role)
    address = normalise_email(email)
    user = get_user_by_email(address)
    if user is not None and user.is_disabled:
        raise AccountDisabled
    if user is None:
        user = User(email=address, role=role, preferred_locale=page_locale)
        db.session.add(user)
        db.session.flush()
        record(
            "user.created",
            actor_id=inviter.id,
            subject_type="user",
            subject_id=user.id,
            role=role.value,
        )
    else:
        if user.id == inviter.id and role is not user.role:
            raise OwnAccount
        _set_role(user, role, actor_id=inviter.id)
    _send_password_link(
        user,
        _mail_locale(user, page_locale),
        _l("You are invited to Consult: set your password"),
        "staff_invitation",
    )
    record(
        "user.invited",
        actor_id=inviter.id,
        subject_type="user",
        subject_id=user.id,
        role=role.value,
    )
    return user


def send_password_reset(user: User, actor: User, page_locale: str) -> EmailLink:
    """E-mail a staff member a link to choose a new password.

    The current password keeps working until the link is used. Only for staff
    accounts (NotStaff) that are enabled (AccountDisabled) and not deleted
    (AccountDeleted). The e-mail is in the account's chosen language, else in
    `page_locale` (the sender's).
    """
    _require_not_deleted(user)
    if not user.is_staff:
        raise NotStaff
    if user.is_disabled:
        raise AccountDisabled
    link = _send_password_link(
        user,
        _mail_locale(user, page_locale),
        _l("Choose a new password for Consult"),
        "password_reset",
    )
    record("user.password_reset_sent", actor_id=actor.id, subject_type="user", subject_id=user.id)
    return link


def _mail_locale(user: User, page_locale: str) -> str:
    """The language the account chose, if it is still offered; else `page_locale`."""
    chosen = user.preferred_locale
    if chosen is not None and chosen in enabled_locales():
        return chosen
    return page_locale


def _send_password_link(user: User, locale: str, subject: str, template: str) -> EmailLink:
    """Save a password link for `user` and queue the e-mail (`subject` may be lazy)."""
    return send_link(
        LinkPurpose.SET_PASSWORD, user.email, locale, subject, template, user=user, role=user.role
    )


def set_password_with_link(link: EmailLink, password: str) -> User:
    """Use a password link: set the password, end the account's other sessions.

    The caller then opens a session with the password (staff rights), or, with
    two-step sign-in on, asks for the code (the sign-in is recorded then, by
    `complete_sign_in`). The link is refused (LinkUnusable) if it was used, has
    expired or was replaced, and the account if it is disabled (AccountDisabled)
    or no longer staff.
    """
    if link.purpose is not LinkPurpose.SET_PASSWORD or not link.is_usable():
        raise LinkUnusable
    user = db.session.get(User, link.user_id) if link.user_id is not None else None
    if user is None or user.email != link.email or not user.is_staff:
        raise LinkUnusable
    if user.is_disabled:
        raise AccountDisabled
    _require_strong(password, user.email)
    link.used_at = utcnow()
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    record(
        "user.password_set",
        actor_id=user.id,
        subject_type="user",
        subject_id=user.id,
        method="link",
    )
    if not two_step_on(user):
        record_sign_in(user, "password_link")
    db.session.flush()
    return user


def change_role(user: User, role: Role, actor: User) -> None:
    """Give `user` another role and end their open sessions, so it applies at once.

    An administrator cannot change their own role (OwnAccount), so there is
    always an administrator. Back to participant, the password is removed: a
    participant signs in with e-mail links. Not for a deleted account
    (AccountDeleted).
    """
    _require_not_deleted(user)
    if user.id == actor.id:
        raise OwnAccount
    _set_role(user, role, actor_id=actor.id)


def reset_two_step(user: User, actor: User) -> None:
    """An administrator removes a staff member's two-step sign-in (a lost phone).

    The account's sessions end; it signs in with the password alone and sets
    two-step sign-in up again (an administrator must). Not on one's own account
    (OwnAccount) nor a deleted one (AccountDeleted); NotEnabled if it is off.
    """
    _require_not_deleted(user)
    if user.id == actor.id:
        raise OwnAccount
    if not two_step_on(user):
        raise NotEnabled
    clear_two_step(user)
    end_all_sessions(user)
    record("user.two_factor_reset", actor_id=actor.id, subject_type="user", subject_id=user.id)
    db.session.flush()


def _set_role(user: User, role: Role, *, actor_id: int | None) -> None:
    if user.role is role:
        return
    old = user.role
    if old is Role.ADMIN and not user.is_disabled:
        _require_another_admin(user)
    user.role = role
    if role is Role.PARTICIPANT:
        user.password_hash = None
        _cancel_password_links(user)
    end_all_sessions(user)
    record(
        "user.role_changed",
        actor_id=actor_id,
        subject_type="user",
        subject_id=user.id,
        old=old.value,
        new=role.value,
    )
    db.session.flush()


def disable_user(user: User, actor: User, reason: str) -> None:
    """Disable an account: its sessions end at once and it can no longer sign in.

    Nothing it wrote is removed. An administrator cannot disable themselves.
    Disabling a disabled account changes nothing.
    """
    if user.id == actor.id:
        raise OwnAccount
    if user.is_disabled:
        return
    if user.role is Role.ADMIN:
        _require_another_admin(user)
    user.disabled_at = utcnow()
    end_all_sessions(user)
    _cancel_password_links(user)
    record(
        "user.disabled",
        actor_id=actor.id,
        subject_type="user",
        subject_id=user.id,
        reason=normalise_plain_text(reason).strip() or None,
    )
    db.session.flush()


def enable_user(user: User, actor: User) -> None:
    """Let a disabled account sign in again (staff need a new password link if theirs expired)."""
    if not user.is_disabled:
        return
    user.disabled_at = None
    record("user.enabled", actor_id=actor.id, subject_type="user", subject_id=user.id)
    db.session.flush()


def _require_staff_role(role: Role) -> None:
    if role not in STAFF_ROLES:
        raise ValueError(f"not a staff role: {role.value}")


def _require_not_deleted(user: User) -> None:
    if user.deleted_at is not None:
        raise AccountDeleted


def _require_strong(password: str, email: str) -> None:
    problem = password_problem(password, email)
    if problem is not None:
        raise WeakPassword(problem)


def _require_another_admin(user: User) -> None:
    """LastAdmin unless an enabled administrator other than `user` remains.

    The enabled administrators' rows are locked before they are counted, so that
    two administrators demoting or disabling each other at the same moment
    cannot both succeed: the second waits for the first to commit, then counts
    again. Rows are locked in id order, so two such changes queue rather than
    deadlock. On SQLite `FOR UPDATE` is left out, and not needed: a writing
    transaction holds the database's write lock from its start.
    """
    admin_ids = db.session.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN, User.disabled_at.is_(None))
        .order_by(User.id)
        .with_for_update()
    ).all()
    if not any(admin_id != user.id for admin_id in admin_ids):
        raise LastAdmin


def _cancel_password_links(user: User) -> None:
    db.session.execute(
        update(EmailLink)
        .where(
            EmailLink.user_id == user.id,
            EmailLink.purpose == LinkPurpose.SET_PASSWORD,
            EmailLink.used_at.is_(None),
            EmailLink.cancelled_at.is_(None),
        )
        .values(cancelled_at=utcnow())
    )
