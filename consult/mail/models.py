"""The outbox: messages written in the same transaction as the event that causes them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.core.models import Base, enum_column, utcnow


class OutboxStatus(enum.Enum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Not sent: past its `expires_at` (a sign-in link that no longer works) before it could go.
    EXPIRED = "expired"


class OutboxMessage(Base):
    """One e-mail, rendered in its recipient's language when it was queued.

    A sender claims a message (PENDING -> SENDING) in a single conditional UPDATE,
    so two senders never deliver the same message; a claim that is never finished
    (a sender that died) is taken back after a while. A message with an
    `expires_at` (one carrying a short-lived link) is never sent after it.
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(35))
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status", 8),
        default=OutboxStatus.PENDING,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Past this, the message is useless (its link no longer works): never sent late.
    expires_at: Mapped[datetime | None]
