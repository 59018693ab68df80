"""Consultations and their per-language title and summary."""

from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship, validates

from consult.core.models import Base, enum_column, utcnow
from consult.i18n.content import Localised, pick_translation

if TYPE_CHECKING:
    from consult.papers.models import Section
    from consult.questionnaires.models import Question

# A consultation's address name, as in /consultations/<slug>/: lower-case letters,
# digits and single hyphens, at most the column's width.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80


class NoticeKind(enum.Enum):
    """What changed after publication, as the consultation page tells its readers."""

    DEADLINE_CHANGED = "deadline_changed"
    OPENING_CHANGED = "opening_changed"
    INTRODUCTION_CORRECTED = "introduction_corrected"
    SECTION_CORRECTED = "section_corrected"
    SECTION_ADDED = "section_added"
    SECTION_ARCHIVED = "section_archived"
    SECTION_RESTORED = "section_restored"


class ModerationMode(enum.Enum):
    """When a moderator sees a comment: before it is published, or after."""

    PRE = "pre"
    POST = "post"


class Window:
    """The half-open period [opens_at, closes_at) in which a consultation takes input.

    The one place deadlines are compared, so that "open" means the same thing on
    every page and in every check.
    """

    def __init__(self, opens_at: datetime | None, closes_at: datetime | None) -> None:
        self.opens_at = opens_at
        self.closes_at = closes_at

    @property
    def is_set(self) -> bool:
        return self.opens_at is not None and self.closes_at is not None

    def is_open(self, now: datetime | None = None) -> bool:
        if self.opens_at is None or self.closes_at is None:
            return False
        now = now or utcnow()
        return self.opens_at <= now < self.closes_at

    def has_ended(self, now: datetime | None = None) -> bool:
        return self.closes_at is not None and (now or utcnow()) >= self.closes_at

    def not_yet_open(self, now: datetime | None = None) -> bool:
        return self.opens_at is not None and (now or utcnow()) < self.opens_at


class Consultation(Base):
    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint("opens_at < closes_at", name="window_order"),
        # Publishing requires a window: a published consultation always has a deadline.
        CheckConstraint(
            "published_at IS NULL OR (opens_at IS NOT NULL AND closes_at IS NOT NULL)",
            name="published_has_window",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(MAX_SLUG_LENGTH), unique=True)
    default_locale: Mapped[str] = mapped_column(String(35))
    # The languages readers are offered, in display order, the default among them.
    offered_locales: Mapped[list[str]] = mapped_column(JSON)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    moderation_mode: Mapped[ModerationMode] = mapped_column(
        enum_column(ModerationMode, "moderation_mode", 8),
        default=ModerationMode.PRE,
    )
    published_at: Mapped[datetime | None]
    # Anyone may download the published comments as open data once the consultation
    # has closed; with this, from its publication on (the editor's choice).
    open_data_before_close: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set at the first publication and never cleared: from then on readers may have
    # seen it, and changes get notices even while it is unpublished for a while.
    first_published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    translations: Mapped[dict[str, ConsultationTranslation]] = relationship(
        collection_class=attribute_keyed_dict("locale"),
        cascade="all, delete-orphan",
        back_populates="consultation",
    )
    sections: Mapped[list[Section]] = relationship(
        order_by="Section.position",
        cascade="all, delete-orphan",
        back_populates="consultation",
    )
    questions: Mapped[list[Question]] = relationship(
        order_by="Question.position",
        cascade="all, delete-orphan",
        back_populates="consultation",
    )
    notices: Mapped[list[ConsultationNotice]] = relationship(
        order_by="ConsultationNotice.created_at.desc()",
        cascade="all, delete-orphan",
        back_populates="consultation",
    )

    @validates("timezone")
    def _check_timezone(self, key: str, zone: str) -> str:
        # Every page formats dates in this zone: an unknown name would break them all.
        if zone not in available_timezones():
            raise ValueError(f"{zone!r} is not an IANA time zone (e.g. Europe/Zurich)")
        return zone

    @property
    def window(self) -> Window:
        return Window(self.opens_at, self.closes_at)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_been_published(self) -> bool:
        """Published now or before: readers may have its address and have read its text."""
        return self.first_published_at is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, now: datetime | None = None) -> bool:
        """Published and inside its window: the only state in which it takes input."""
        return self.is_published and self.window.is_open(now)

    @property
    def offers_open_data(self) -> bool:
        """Whether anyone may download its published comments (PRODUCT.md C6, open data)."""
        return self.is_published and (self.open_data_before_close or self.window.has_ended())

    def title_in(self, locale: str) -> Localised[str]:
        return pick_translation(
            {code: t.title for code, t in self.translations.items() if t.title},
            locale,
            self.default_locale,
        )

    def summary_in(self, locale: str) -> Localised[str]:
        return pick_translation(
            {code: t.summary for code, t in self.translations.items() if t.summary},
            locale,
            self.default_locale,
        )


class ConsultationTranslation(Base):
    """A consultation's title and Markdown summary in one language."""

    __tablename__ = "consultation_translations"
    __table_args__ = (UniqueConstraint("consultation_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(35))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="translations")


class ConsultationNotice(Base):
    """A dated public notice of a change made after publication.

    Stored as facts (the kind, the section key, the new time, the language), not
    as a sentence, so that every reader gets it in their own language.
    """

    __tablename__ = "consultation_notices"
    __table_args__ = (
        CheckConstraint(
            "kind NOT IN ('deadline_changed', 'opening_changed') OR moment IS NOT NULL",
            name="window_notice_has_moment",
        ),
        CheckConstraint(
            "kind NOT IN ('section_corrected', 'section_added', 'section_archived', "
            "'section_restored') OR section_key IS NOT NULL",
            name="section_notice_has_key",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind, "notice_kind", 32))
    # The section's stable key (sections are archived, never deleted).
    section_key: Mapped[str | None] = mapped_column(String(32))
    # The language whose text was corrected; None when every reader is concerned.
    locale: Mapped[str | None] = mapped_column(String(35))
    # For window changes: the new opening or closing time, and the one it replaced.
    moment: Mapped[datetime | None]
    previous_moment: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="notices")

    @property
    def is_extension(self) -> bool:
        """A later deadline or opening than before (False when brought forward)."""
        return (
            self.moment is not None
            and self.previous_moment is not None
            and self.moment > self.previous_moment
        )
