"""Sections of a consultation's paper and their per-language heading and body."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from consult.core.models import Base, utcnow
from consult.i18n.content import Localised, pick_translation
from consult.papers.importing import PREAMBLE_KEY

if TYPE_CHECKING:
    from consult.consultations.models import Consultation


class Section(Base):
    """One numbered paragraph (or the preamble) of a paper.

    The key comes from the document's own numbering (`1`, `1.a`, `3.g`) and never
    changes, so that links, comments and exports keep pointing at the same text.
    """

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("consultation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    # An archived section has left the paper but is never deleted: its comments and
    # its address stay reachable.
    archived_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="sections")
    translations: Mapped[dict[str, SectionTranslation]] = relationship(
        collection_class=attribute_keyed_dict("locale"),
        cascade="all, delete-orphan",
        back_populates="section",
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_preamble(self) -> bool:
        return self.key == PREAMBLE_KEY

    def heading_in(self, locale: str) -> Localised[str] | None:
        """The heading in `locale`, falling back to the default language; None if none."""
        headings = {code: t.heading for code, t in self.translations.items() if t.heading}
        if not headings:
            return None
        return pick_translation(headings, locale, self.consultation.default_locale)

    def body_in(self, locale: str) -> Localised[str]:
        return pick_translation(
            {code: t.body for code, t in self.translations.items() if t.body},
            locale,
            self.consultation.default_locale,
        )


class SectionTranslation(Base):
    """A section's optional heading and Markdown body in one language."""

    __tablename__ = "section_translations"
    __table_args__ = (UniqueConstraint("section_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(35))
    heading: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")

    section: Mapped[Section] = relationship(back_populates="translations")
