"""Writing accounts: links, sign-in, profiles, e-mail changes.

Operations flush but never commit; e-mail goes to the outbox in the same
transaction, so a link is sent if and only if it was saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from consult.accounts.models import EmailLink, LinkPurpose, User
from consult.accounts.tokens import hash_token, new_token
from consult.audit.operations import record
from consult.core.models import utcnow
from consult.core.text import normalise_plain_text
from consult.core.urls import absolute_url
from consult.extensions import db
from consult.mail.operations import queue_mail

LINK_LIFETIME = timedelta(minutes=30)
LINK_MINUTES = int(LINK_LIFETIME.total_seconds() // 60)


class AccountDisabled(Exception):
    """The account exists but an administrator disabled it."""


class EmailTaken(Exception):
    """Another account already has this address."""


class SameEmail(Exception):
    """The "new" address is the one the account already has."""


def normalise_email(email: str) -> str:
    """One address, one account: compared without case or surrounding spaces."""
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def find_link(token: str) -> EmailLink | None:
    """The link behind `token`, used or not (an expired link still knows its draft)."""
    return db.session.scalar(select(EmailLink).where(EmailLink.token_hash == hash_token(token)))


def find_usable_link(token: str, now: datetime | None = None) -> EmailLink | None:
    """The link behind `token`, if it can still be used."""
    link = find_link(token)
    if link is None or not link.is_usable(now):
        return None
    return link


def refuse_link(link: EmailLink | None) -> None:
    """Audit a "Continue" pressed on a link that no longer works."""
    if link is None:
        record("auth.link_refused", cause="unknown")
        return
    cause = "used" if link.used_at else "replaced" if link.cancelled_at else "expired"
    record("auth.link_refused", subject_type="email_link", subject_id=link.id, cause=cause)


def send_link(
    purpose: LinkPurpose,
    email: str,
    locale: str,
    subject: str,
    template: str,
    *,
    user: User | None = None,
    next_url: str | None = None,
    draft: dict[str, str] | None = None,
    **context: Any,
) -> EmailLink:
    """Save a one-time link and queue the e-mail that carries it (`subject` may be lazy).

    Older unused links for the same address and purpose are cancelled: only the
    newest works. The e-mail template gets `link` and `minutes` besides `context`.
    """
    now = utcnow()
    db.session.execute(
        update(EmailLink)
        .where(
            EmailLink.email == email,
            EmailLink.purpose == purpose,
            EmailLink.used_at.is_(None),
            EmailLink.cancelled_at.is_(None),
        )
        .values(cancelled_at=now)
    )
    token, token_hash = new_token()
    link = EmailLink(
        token_hash=token_hash,
        purpose=purpose,
        email=email,
        user_id=user.id if user else None,
        locale=locale,
        next_url=next_url,
        draft=draft,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    db.session.add(link)
    db.session.flush()
    queue_mail(
        email,
        subject,
        template,
        locale,
        link=absolute_url("accounts.use_link", lang=locale, token=token),
        minutes=LINK_MINUTES,
        # A link e-mail delivered after the link expired is only noise.
        expires_at=link.expires_at,
        **context,
    )
    return link


def send_sign_in_link(
    email: str,
    locale: str,
    *,
    next_url: str | None = None,
    draft: dict[str, str] | None = None,
) -> EmailLink:
    """E-mail a sign-in link (also a sign-up link for a new address).

    The visitor sees the same answer whether or not the address has an account;
    what they were doing (`next_url`, `draft`) is kept with the link.
    """
    address = normalise_email(email)
    # The recipient's language when we know it; the page's for a new address.
    known = get_user_by_email(address)
    return send_link(
        LinkPurpose.SIGN_IN,
        address,
        (known.preferred_locale if known and known.preferred_locale else locale),
        _l("Your link to sign in to Consult"),
        "sign_in_link",
        next_url=next_url,
        draft=draft,
    )


def sign_in_with_link(link: EmailLink) -> User:
    """Use a sign-in link: the account behind the address, created on first use.

    A link grants participant rights only, whatever the account's role.
    """
    user = get_user_by_email(link.email)
    if user is not None and user.is_disabled:
        record("auth.sign_in_refused", subject_type="user", subject_id=user.id, method="link")
        raise AccountDisabled
    link.used_at = utcnow()
    if user is None:
        user = User(email=link.email, preferred_locale=link.locale)
        db.session.add(user)
        db.session.flush()
        record("user.created", actor_id=user.id, subject_type="user", subject_id=user.id)
    record("auth.sign_in", actor_id=user.id, subject_type="user", subject_id=user.id, method="link")
    return user


@dataclass(frozen=True)
class ProfileData:
    display_name: str
    organisation: str
    stakeholder_group: str
    # ISO 3166-1 alpha-2, or None for "none / international organisation".
    country: str | None
    preferred_locale: str


def save_profile(user: User, data: ProfileData, *, accepts_privacy_notice: bool) -> None:
    """Complete or update a profile; the first completion needs the privacy notice accepted."""
    if not user.has_complete_profile and not accepts_privacy_notice:
        raise ValueError("the privacy notice must be accepted to complete a profile")
    now = utcnow()
    user.display_name = normalise_plain_text(data.display_name).strip()
    user.organisation = normalise_plain_text(data.organisation).strip() or None
    user.stakeholder_group = data.stakeholder_group
    user.country = data.country
    user.preferred_locale = data.preferred_locale
    if accepts_privacy_notice and user.privacy_accepted_at is None:
        user.privacy_accepted_at = now
    if user.profile_completed_at is None:
        user.profile_completed_at = now
    db.session.flush()


def request_email_change(user: User, new_email: str, locale: str) -> EmailLink | None:
    """Send a link to the new address; the change happens only when it is used.

    An address that belongs to another account gets nothing, but the person asking
    is told the same as for a free one: the form must not reveal who has an account.
    """
    address = normalise_email(new_email)
    if address == user.email:
        raise SameEmail
    if get_user_by_email(address) is not None:
        record("user.email_change_refused", actor_id=user.id, subject_type="user",
               subject_id=user.id, cause="taken")  # fmt: skip
        return None
    return send_link(
        LinkPurpose.CHANGE_EMAIL,
        address,
        locale,
        _l("Confirm your new e-mail address for Consult"),
        "change_email_link",
        user=user,
    )


def change_email_with_link(link: EmailLink, user: User) -> None:
    """Use an e-mail change link, only by the account that asked for it."""
    if link.user_id != user.id:
        raise PermissionError("this link belongs to another account")
    if get_user_by_email(link.email) is not None:
        raise EmailTaken
    old = user.email
    link.used_at = utcnow()
    user.email = link.email
    record(
        "user.email_changed",
        actor_id=user.id,
        subject_type="user",
        subject_id=user.id,
        old=old,
        new=link.email,
    )
    db.session.flush()
