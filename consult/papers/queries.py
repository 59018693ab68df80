"""Reading a paper's sections."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.papers.models import Section


def sections_with_translations(consultation: Consultation) -> list[Section]:
    """All of a paper's sections in order, translations loaded in one more query."""
    return list(
        db.session.scalars(
            select(Section)
            .where(Section.consultation_id == consultation.id)
            .options(selectinload(Section.translations))
            .order_by(Section.position)
        )
    )


@dataclass(frozen=True)
class SectionInContext:
    """A section with its neighbours, for the section page's previous and next links."""

    section: Section
    previous: Section | None
    next: Section | None


def section_in_context_or_404(consultation: Consultation, key: str) -> SectionInContext:
    sections = sections_with_translations(consultation)
    for index, section in enumerate(sections):
        if section.key == key:
            return SectionInContext(
                section=section,
                previous=sections[index - 1] if index > 0 else None,
                next=sections[index + 1] if index + 1 < len(sections) else None,
            )
    abort(404)
