"""Moderation decisions: the history behind a comment's status, and what undo restores."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.comments.models import CommentStatus, RejectionReason
from consult.core.models import Base, enum_column, utcnow


class DecisionKind(enum.Enum):
    APPROVE = "approve"
    REJECT = "reject"
    HIDE = "hide"
    RESTORE = "restore"
    UNDO = "undo"


class ModerationDecision(Base):
    """One moderator decision on one comment, with the status it replaced."""

    __tablename__ = "moderation_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind, "decision_kind", 16))
    previous_status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus, "previous_status", 16)
    )
    new_status: Mapped[CommentStatus] = mapped_column(enum_column(CommentStatus, "new_status", 16))
    reason: Mapped[RejectionReason | None] = mapped_column(
        enum_column(RejectionReason, "decision_reason", 16)
    )
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # An undone decision is kept, marked, so the history stays whole.
    undone_at: Mapped[datetime | None]
