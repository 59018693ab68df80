"""Reading the audit log: which entries each role reads, and which details it sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, and_, false, not_, or_, select, true

from consult.accounts.models import Role, User
from consult.audit.models import AuditEntry
from consult.extensions import db

# Accounts are managed by administrators only, so only they read about accounts
# and sign-ins (PRODUCT.md, "What each role may do").
ACCOUNT_ACTION_PREFIXES = ("user.", "auth.")
# Moderators read the moderation entries only.
MODERATION_ACTION_PREFIXES = ("comment.", "moderation.")

# Details that hold contact data (e-mail addresses), which only administrators
# read (PRODUCT.md, "Who sees whose name"). An action that records contact data
# under another name lists it here, in the second table if the name means
# something else elsewhere ("old" is a role in `user.role_changed`).
CONTACT_DETAILS = frozenset({"email"})
CONTACT_DETAILS_BY_ACTION: dict[str, frozenset[str]] = {
    "user.email_changed": frozenset({"old", "new"}),
}


@dataclass(frozen=True)
class AuditScope:
    """The entries a role reads: actions that start with one of `only` (any action
    when None) and with none of `excluded`."""

    only: tuple[str, ...] | None = None
    excluded: tuple[str, ...] = ()

    def condition(self) -> ColumnElement[bool]:
        action = AuditEntry.action
        included = (
            true()
            if self.only is None
            else or_(false(), *(action.startswith(p, autoescape=True) for p in self.only))
        )
        return and_(included, *(not_(action.startswith(p, autoescape=True)) for p in self.excluded))


def audit_scope(role: Role) -> AuditScope:
    """What `role` reads: administrators everything, editors all but accounts and
    sign-ins, moderators the moderation entries, anyone else nothing."""
    if role is Role.ADMIN:
        return AuditScope()
    if role is Role.EDITOR:
        return AuditScope(excluded=ACCOUNT_ACTION_PREFIXES)
    if role is Role.MODERATOR:
        return AuditScope(only=MODERATION_ACTION_PREFIXES)
    return AuditScope(only=())


def audit_entries(
    role: Role, *, action_prefix: str = "", page: int = 1, per_page: int = 50
) -> Pagination:
    """The entries `role` may read whose action starts with `action_prefix`, newest first."""
    query: Select[tuple[AuditEntry]] = select(AuditEntry)
    query = query.where(audit_scope(role).condition())
    prefix = action_prefix.strip().lower()
    if prefix:
        query = query.where(AuditEntry.action.startswith(prefix, autoescape=True))
    query = query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


@dataclass(frozen=True)
class ReadableEntry:
    """An audit entry as one reader may see it.

    `details` leaves out the contact data the reader may not see, and `hidden`
    names what was left out; the actor's e-mail address is there for
    administrators only.
    """

    created_at: datetime
    action: str
    actor_id: int | None
    actor_name: str | None
    actor_email: str | None
    subject_type: str | None
    subject_id: int | None
    reason: str | None
    details: dict[str, object]
    hidden: tuple[str, ...]


def contact_details(action: str) -> frozenset[str]:
    """The details of an `action` entry that hold contact data."""
    return CONTACT_DETAILS | CONTACT_DETAILS_BY_ACTION.get(action, frozenset())


def readable_entries(entries: Sequence[AuditEntry], role: Role) -> list[ReadableEntry]:
    """`entries` as `role` may read them, with their actors loaded in one query."""
    sees_contact_data = role is Role.ADMIN
    actors = _actors_of(entries)
    readable = []
    for entry in entries:
        actor = actors.get(entry.actor_id) if entry.actor_id is not None else None
        secret = frozenset() if sees_contact_data else contact_details(entry.action)
        details = dict(entry.details or {})
        readable.append(
            ReadableEntry(
                created_at=entry.created_at,
                action=entry.action,
                actor_id=entry.actor_id,
                actor_name=actor.display_name if actor else None,
                actor_email=actor.email if actor and sees_contact_data else None,
                subject_type=entry.subject_type,
                subject_id=entry.subject_id,
                reason=entry.reason,
                details={k: v for k, v in details.items() if k not in secret},
                hidden=tuple(sorted(k for k in details if k in secret)),
            )
        )
    return readable


def _actors_of(entries: Sequence[AuditEntry]) -> dict[int, User]:
    ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
