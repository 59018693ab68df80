"""Who may moderate: the one rule, for a user and for a query.

Which decisions apply to a comment as it stands follows from the transitions
table in `consult.moderation.operations` (`can_approve`, `can_reject`, ...).
"""

from __future__ import annotations

from consult.accounts.models import Role, User

# Moderators and every role above them.
MODERATING_ROLES: tuple[Role, ...] = tuple(
    role for role in Role if role.rank >= Role.MODERATOR.rank
)


def can_moderate(user: User) -> bool:
    """Moderators, editors and administrators whose account is enabled."""
    return user.role in MODERATING_ROLES and not user.is_disabled
