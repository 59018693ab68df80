"""Comments on a paper's sections, and readers' reports about them."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.models import Base, enum_column, utcnow

if TYPE_CHECKING:
    from consult.accounts.models import User
    from consult.consultations.models import Consultation
    from consult.papers.models import Section


class CommentStatus(enum.Enum):
    """Where a comment stands. Author withdrawal, rejection and hiding stay distinct facts."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        labels = {
            CommentStatus.PENDING: _l("Awaiting moderation"),
            CommentStatus.PUBLISHED: _l("Published"),
            CommentStatus.REJECTED: _l("Rejected"),
            CommentStatus.HIDDEN: _l("Hidden by a moderator"),
            CommentStatus.WITHDRAWN: _l("Withdrawn"),
        }
        return str(labels[self])


class Identity(enum.Enum):
    """How the author chose to appear on this comment (PRODUCT.md, "Who sees whose name")."""

    NAME_AND_ORGANISATION = "name"
    ORGANISATION_ONLY = "organisation"
    ANONYMOUS = "anonymous"

    @property
    def label(self) -> str:
        labels = {
            Identity.NAME_AND_ORGANISATION: _l("With my name and organisation"),
            Identity.ORGANISATION_ONLY: _l("With my organisation only"),
            Identity.ANONYMOUS: _l("Anonymously"),
        }
        return str(labels[self])


class RejectionReason(enum.Enum):
    OFF_TOPIC = "off_topic"
    ABUSIVE = "abusive"
    SPAM = "spam"
    PERSONAL_DATA = "personal_data"
    DUPLICATE = "duplicate"
    OTHER = "other"

    @property
    def label(self) -> str:
        labels = {
            RejectionReason.OFF_TOPIC: _l("Off-topic"),
            RejectionReason.ABUSIVE: _l("Abusive"),
            RejectionReason.SPAM: _l("Spam"),
            RejectionReason.PERSONAL_DATA: _l("Contains personal data"),
            RejectionReason.DUPLICATE: _l("Duplicate"),
            RejectionReason.OTHER: _l("Other"),
        }
        return str(labels[self])


class Comment(Base):
    """A participant's comment on one section, or on the paper as a whole (no section).

    The author's name, organisation, group and country are copied at submission:
    what every page and export shows is the person as they were when they wrote.
    """

    __tablename__ = "comments"
    __table_args__ = (
        # One comment per form, however often it is sent (double clicks, resends).
        UniqueConstraint("author_id", "form_key"),
        CheckConstraint(
            "(status = 'rejected') = (rejection_reason IS NOT NULL)", name="rejected_has_reason"
        ),
        # Each state carries the time it was reached.
        CheckConstraint(
            "status != 'published' OR published_at IS NOT NULL", name="published_has_time"
        ),
        CheckConstraint("status != 'hidden' OR hidden_at IS NOT NULL", name="hidden_has_time"),
        CheckConstraint(
            "status != 'withdrawn' OR withdrawn_at IS NOT NULL", name="withdrawn_has_time"
        ),
        Index("ix_comments_section_status_created", "section_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    # None: a general comment on the paper as a whole.
    # RESTRICT: a section with comments is never deleted (it can only be archived).
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="RESTRICT"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    form_key: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(35))
    body: Mapped[str] = mapped_column(Text)
    identity: Mapped[Identity] = mapped_column(enum_column(Identity, "identity", 16))
    author_name: Mapped[str] = mapped_column(String(120))
    author_organisation: Mapped[str | None] = mapped_column(String(200))
    author_group: Mapped[str] = mapped_column(String(40))
    author_country: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[CommentStatus] = mapped_column(
        enum_column(CommentStatus, "comment_status", 16), index=True
    )
    # The shown time: when it was sent. Moderation never changes it.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    # The latest decision, for the queue and the author's page; history is in decisions.
    decided_at: Mapped[datetime | None]
    rejection_reason: Mapped[RejectionReason | None] = mapped_column(
        enum_column(RejectionReason, "rejection_reason", 16)
    )
    moderator_note: Mapped[str | None] = mapped_column(Text)
    hidden_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship()
    section: Mapped[Section | None] = relationship()
    author: Mapped[User] = relationship()

    def can_withdraw(self, user: User) -> bool:
        """Its author, while it waits for moderation."""
        return self.author_id == user.id and self.status is CommentStatus.PENDING

    def is_visible_to(self, user: User | None) -> bool:
        """Published comments to everyone; the author also sees their own pending one."""
        if self.status is CommentStatus.PUBLISHED:
            return True
        return (
            user is not None
            and user.id == self.author_id
            and (self.status is CommentStatus.PENDING)
        )

    def can_report(self, user: User) -> bool:
        """A signed-in reader other than its author, while it is published and public."""
        return (
            self.status is CommentStatus.PUBLISHED
            and self.author_id != user.id
            and self.consultation.is_published
        )

    def public_attribution(self, locale: str) -> Attribution:
        """The author as public pages show them, from the snapshot taken at submission."""
        return public_attribution(
            self.identity,
            self.author_name,
            self.author_organisation,
            self.author_group,
            self.author_country,
            locale,
        )


class CommentReport(Base):
    """A reader's report that a published comment needs a moderator's look; once each."""

    __tablename__ = "comment_reports"
    __table_args__ = (UniqueConstraint("comment_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a moderator decides on the comment after this report: a reviewed
    # report no longer puts the comment in the queue.
    reviewed_at: Mapped[datetime | None]

    comment: Mapped[Comment] = relationship()


@dataclass(frozen=True)
class Attribution:
    """Who a comment is from, in parts: the page writes each in its own `<bdi>`
    (a Latin name in an Arabic sentence keeps its order) and joins them in the
    reader's language ("attribution" macro in templates/comments/_macros.html)."""

    anonymous: bool = False
    name: str = ""
    organisation: str = ""
    # The stakeholder group, then the country (never for anonymous comments).
    where: tuple[str, ...] = ()


def public_attribution(
    identity: Identity,
    name: str,
    organisation: str | None,
    group: str,
    country: str | None,
    locale: str,
) -> Attribution:
    """Who a comment is from, as public pages show it (PRODUCT.md, "Who sees whose name"):
    the snapshot cut by `shown_author` for open data, group and country named in `locale`.
    """
    from consult.accounts.countries import country_name
    from consult.accounts.stakeholders import group_label
    from consult.comments.attribution import Audience, shown_author

    shown = shown_author(identity, name, organisation, group, country, None, Audience.OPEN_DATA)
    where = [str(group_label(shown.group))] if shown.group else []
    if shown.country:
        where.append(country_name(shown.country, locale))
    return Attribution(
        anonymous=shown.anonymous,
        name=shown.name,
        organisation=shown.organisation,
        where=tuple(where),
    )
