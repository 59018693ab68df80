"""Audit entries: append-only facts about who did what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.models import Base, utcnow


class AuditEntry(Base):
    """One fact: `actor` did `action` to `subject` at `created_at`, because `reason`.

    Actions are dotted names (`auth.sign_in`, `user.role_changed`); `details` holds
    what a reader needs to understand the entry without other tables (the old and
    new role, the e-mail address typed at a failed sign-in).
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # The visitor's network address as a keyed hash (`network_hash`), never the
    # address itself; cleared after CONSULT_NETWORK_HASH_DAYS by `consult purge`.
    network_hash: Mapped[str | None] = mapped_column(String(64))
