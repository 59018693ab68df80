"""Writing accounts: links, sign-in, profiles, e-mail changes.

Operations flush but never commit; e-mail goes to the outbox in the same
transaction, so a link is sent if and only if it was saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from consult.accounts.models import EmailLink, LinkPurpose, User
from consult.accounts.privacy import entries_by_or_about
from consult.accounts.sessions import end_all_sessions
from consult.accounts.tokens import hash_token, new_token
from consult.audit.models import AuditEntry
from consult.audit.operations import record
from consult.comments.attribution import ERASED_AUTHOR_NAME
from consult.comments.models import Comment, CommentStatus
from consult.comments.operations import withdraw_comment
from consult.core.models import utcnow
from consult.core.text import normalise_plain_text
from consult.core.urls import absolute_url
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.mail.operations import queue_mail
from consult.questionnaires.models import Response, ResponseStatus

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
    if user is not None and (user.is_disabled or user.deleted_at is not None):
        # A deleted account keeps a placeholder address no mail reaches; refused all the same.
        record("auth.sign_in_refused", subject_type="user", subject_id=user.id, method="link")
        raise AccountDisabled
    link.used_at = utcnow()
    if user is None:
        user = User(email=link.email, preferred_locale=link.locale)
        db.session.add(user)
        db.session.flush()
        record("user.created", actor_id=user.id, subject_type="user", subject_id=user.id)
    record_sign_in(user, "link")
    return user


def record_sign_in(user: User, method: str) -> None:
    """Audit a sign-in that opens a session: `method` is link, password, password_link,
    password_code or password_recovery_code."""
    record("auth.sign_in", actor_id=user.id, subject_type="user", subject_id=user.id, method=method)


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


class StaffAccount(Exception):
    """Staff accounts are not deleted by their owner: an administrator handles them."""


# Written over a name in the audit log (an address becomes `deleted_email`).
ERASED_IN_LOG = "[erased]"

# The audit details that may hold a person's name or address; the others are
# labels (a method, a status, a role...), left alone even if a name matches one.
PERSONAL_DETAILS = frozenset({"email", "old", "new", "name", "organisation", "display_name"})


def deleted_email(user: User) -> str:
    """The address a deleted account keeps: unique, and one no mail can reach
    (`.invalid` is reserved for that, RFC 2606)."""
    return f"deleted-{user.id}@invalid"


def delete_account(user: User) -> None:
    """Delete a participant's account at their request (PRODUCT.md privacy promise).

    Name, organisation and e-mail address are overwritten everywhere Consult keeps
    them: on the account, on the snapshot of every comment and submitted response,
    in the audit entries by or about the account, and in e-mail links and outbox
    mail to the address (deleted). Pending comments are withdrawn, response drafts
    deleted, every session ended. Published comments and submitted responses stay,
    from "a deleted participant" (`consult.comments.attribution.shown_author`); the
    stakeholder group and country of their snapshots stay for the drafters' counts,
    shown as for an anonymous author. The account row stays, so that what it wrote
    keeps an author, but can never sign in again; the address may sign up afresh.

    Raises StaffAccount for staff. Flushes; the caller commits and signs the
    browser out.
    """
    if user.is_staff:
        raise StaffAccount
    if user.deleted_at is not None:
        return
    comments = list(
        db.session.scalars(select(Comment).where(Comment.author_id == user.id).with_for_update())
    )
    responses = list(db.session.scalars(select(Response).where(Response.author_id == user.id)))
    addresses = _addresses_of(user)
    # Mail to, links for and failed sign-ins with an address someone else has now are theirs.
    hers_alone = addresses - _held_by_others(user, addresses)
    names = {user.display_name, user.organisation}
    names |= {c.author_name for c in comments} | {c.author_organisation for c in comments}
    names |= {r.author_name for r in responses} | {r.author_organisation for r in responses}
    for comment in comments:
        if comment.status is CommentStatus.PENDING:
            withdraw_comment(comment, user)
        comment.author_name = ERASED_AUTHOR_NAME
        comment.author_organisation = None
    for response in responses:
        if response.status is ResponseStatus.DRAFT:
            db.session.delete(response)
        else:
            response.author_name = ERASED_AUTHOR_NAME
            response.author_organisation = None
    _forget_mail(user, hers_alone)
    _scrub_audit(user, addresses, hers_alone, {name for name in names if name})
    end_all_sessions(user)
    user.email = deleted_email(user)
    user.display_name = None
    user.organisation = None
    user.stakeholder_group = None
    user.country = None
    user.preferred_locale = None
    user.password_hash = None
    user.profile_completed_at = None
    user.deleted_at = utcnow()
    record("user.deleted", actor_id=user.id, subject_type="user", subject_id=user.id)
    db.session.flush()


def _addresses_of(user: User) -> set[str]:
    """Every address the account has had: its own and those of its e-mail changes."""
    addresses = {user.email}
    for entry in db.session.scalars(
        entries_by_or_about(user).where(AuditEntry.action == "user.email_changed")
    ):
        addresses |= {
            normalise_email(str(entry.details.get(key)))
            for key in ("old", "new")
            if entry.details.get(key)
        }
    return addresses


def _held_by_others(user: User, addresses: set[str]) -> set[str]:
    """Those of `addresses` another account has now (one the person left, taken since)."""
    return set(
        db.session.scalars(select(User.email).where(User.email.in_(addresses), User.id != user.id))
    )


def _forget_mail(user: User, addresses: set[str]) -> None:
    """E-mail links and outbox mail to the person's addresses go, sent or not: the
    outbox is a delivery queue, not an archive of what they were told. A link made
    for another account (an e-mail change to an address she left) is not hers."""
    db.session.execute(
        delete(EmailLink).where(
            (EmailLink.user_id == user.id)
            | (
                EmailLink.email.in_(addresses)
                & (EmailLink.user_id.is_(None) | (EmailLink.user_id == user.id))
            )
        )
    )
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.in_(addresses)))


def _scrub_audit(user: User, addresses: set[str], hers_alone: set[str], names: set[str]) -> None:
    """Overwrite the person's addresses and names in the log: in the entries by or
    about the account, and in failed sign-ins typed with one of the addresses that
    no other account has now (`hers_alone`).

    The entries stay (who did what, when, is the log's purpose). A detail whose
    value is one of the addresses becomes the account's placeholder address; one
    of `PERSONAL_DETAILS` whose value is one of the names becomes `ERASED_IN_LOG`.
    Other details are labels, left as they are even for someone named "link".
    The reason, free text a person typed, loses every whole-word occurrence of
    the names and addresses.
    """
    placeholder = deleted_email(user)
    as_address = {address.casefold(): placeholder for address in addresses}
    as_name = {name.strip().casefold(): ERASED_IN_LOG for name in names if name.strip()}
    in_free_text = [
        (re.compile(re.escape(address), re.IGNORECASE), placeholder) for address in addresses
    ] + [
        # Whole words only: "Ana" leaves "Banana" alone.
        (re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE), ERASED_IN_LOG)
        for name in sorted(names, key=len, reverse=True)
    ]

    def scrubbed_detail(key: str, value: object) -> object:
        if not isinstance(value, str):
            return value
        typed = value.strip().casefold()
        if key in PERSONAL_DETAILS and typed in as_name:
            return as_name[typed]
        return as_address.get(typed, value)

    def scrubbed_reason(reason: str) -> str:
        for pattern, replacement in in_free_text:
            reason = pattern.sub(replacement, reason)
        return reason

    typed = func.lower(func.trim(AuditEntry.details["email"].as_string()))
    entries = set(db.session.scalars(entries_by_or_about(user)))
    entries |= set(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "auth.sign_in_failed", typed.in_(hers_alone)
            )
        )
    )
    for entry in entries:
        entry.details = {
            key: scrubbed_detail(key, value) for key, value in (entry.details or {}).items()
        }
        if entry.reason:
            entry.reason = scrubbed_reason(entry.reason)
