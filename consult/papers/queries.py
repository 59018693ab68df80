"""Reading a paper's sections."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult.comments.models import Comment
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.papers.models import Section


def sections_with_translations(
    consultation: Consultation, *, include_archived: bool = False
) -> list[Section]:
    """A paper's sections in order, translations loaded in one more query.

    Archived sections have left the paper: only editors' pages ask for them.
    """
    query = (
        select(Section)
        .where(Section.consultation_id == consultation.id)
        .options(selectinload(Section.translations))
        .order_by(Section.position)
    )
    if not include_archived:
        query = query.where(Section.archived_at.is_(None))
    return list(db.session.scalars(query))


def archived_sections(consultation: Consultation) -> list[Section]:
    """Sections taken out of the paper, kept so that their comments stay reachable."""
    return list(
        db.session.scalars(
            select(Section)
            .where(Section.consultation_id == consultation.id, Section.archived_at.is_not(None))
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
    """The section at `key`, archived or not; its neighbours are the paper's own sections.

    An archived section keeps its address (comments link to it), but it has no
    place in the paper, so it has no previous or next section.
    """
    sections = sections_with_translations(consultation)
    archived = next((s for s in archived_sections(consultation) if s.key == key), None)
    if archived is not None:
        return SectionInContext(section=archived, previous=None, next=None)
    for index, section in enumerate(sections):
        if section.key == key:
            return SectionInContext(
                section=section,
                previous=sections[index - 1] if index > 0 else None,
                next=sections[index + 1] if index + 1 < len(sections) else None,
            )
    abort(404)


def section_or_404(consultation: Consultation, key: str) -> Section:
    """The section at `key`, archived or not; 404 if the paper has none."""
    section = db.session.scalar(
        select(Section)
        .where(Section.consultation_id == consultation.id, Section.key == key)
        .options(selectinload(Section.translations))
    )
    if section is None:
        abort(404)
    return section


def comment_counts(consultation: Consultation) -> dict[int, int]:
    """How many comments each section has, in every state, by section id.

    Editors see every comment a section carries (pending, rejected, withdrawn
    included): it tells them what an archive or a correction would concern.
    """
    rows = db.session.execute(
        select(Comment.section_id, func.count(Comment.id))
        .where(Comment.consultation_id == consultation.id)
        .group_by(Comment.section_id)
    )
    # General comments (no section) make a group of their own, left out here.
    return {section_id: count for section_id, count in rows if section_id is not None}
