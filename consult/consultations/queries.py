"""Reading consultations."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult.comments.models import Comment
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.extensions import db
from consult.papers.models import Section
from consult.papers.queries import sections_with_translations
from consult.questionnaires.models import Question, QuestionOption, Response, ResponseStatus
from consult.questionnaires.question_texts import question_texts


@dataclass(frozen=True)
class HomeListing:
    """Published consultations as the home page groups them."""

    open: list[Consultation]
    upcoming: list[Consultation]
    closed: list[Consultation]


def home_listing(now: datetime | None = None) -> HomeListing:
    """Open ones first (closing soonest first), then upcoming, then closed (latest first)."""
    now = now or utcnow()
    published = db.session.scalars(
        select(Consultation)
        .where(Consultation.published_at.is_not(None))
        .options(selectinload(Consultation.translations))
        .order_by(Consultation.closes_at)
    ).all()
    return HomeListing(
        open=[c for c in published if c.window.is_open(now)],
        upcoming=[c for c in published if c.window.not_yet_open(now)],
        closed=sorted(
            (c for c in published if c.window.has_ended(now)),
            key=lambda c: c.closes_at or now,
            reverse=True,
        ),
    )


def get_published_or_404(slug: str) -> Consultation:
    """The public's view: a draft does not exist for them."""
    consultation = db.session.scalar(
        select(Consultation)
        .where(Consultation.slug == slug)
        .options(selectinload(Consultation.translations))
    )
    if consultation is None or not consultation.is_published:
        abort(404)
    return consultation


def get_by_slug(slug: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def get_any_or_404(slug: str) -> Consultation:
    """Staff's view: drafts and published consultations alike."""
    consultation = get_by_slug(slug)
    if consultation is None:
        abort(404)
    return consultation


def all_consultations() -> list[Consultation]:
    """Every consultation, drafts and published, the newest first (the editors' list)."""
    return list(
        db.session.scalars(
            select(Consultation)
            .options(selectinload(Consultation.translations))
            .order_by(Consultation.created_at.desc(), Consultation.id.desc())
        )
    )


@dataclass(frozen=True)
class ConsultationCounts:
    sections: int
    archived_sections: int
    comments: int
    questions: int = 0
    submitted_responses: int = 0
    draft_responses: int = 0


def consultation_counts(consultation: Consultation) -> ConsultationCounts:
    """How much a consultation holds: sections in its paper, archived ones, comments
    (in every state: an editor needs to know what an edit or unpublishing concerns),
    questions, and responses submitted and in draft."""
    sections = db.session.execute(
        select(
            func.count().filter(Section.archived_at.is_(None)),
            func.count().filter(Section.archived_at.is_not(None)),
        ).where(Section.consultation_id == consultation.id)
    ).one()
    comments = db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.consultation_id == consultation.id)
    )
    questions = db.session.scalar(
        select(func.count())
        .select_from(Question)
        .where(Question.consultation_id == consultation.id)
    )
    responses = db.session.execute(
        select(
            func.count().filter(Response.status == ResponseStatus.SUBMITTED),
            func.count().filter(Response.status == ResponseStatus.DRAFT),
        ).where(Response.consultation_id == consultation.id)
    ).one()
    return ConsultationCounts(
        sections=sections[0] or 0,
        archived_sections=sections[1] or 0,
        comments=comments or 0,
        questions=questions or 0,
        submitted_responses=responses[0] or 0,
        draft_responses=responses[1] or 0,
    )


class PublicationBlocker(enum.Enum):
    """Something a consultation lacks before the public may see it."""

    NO_WINDOW = "no_window"
    NO_TITLE = "no_title"
    NO_CONTENT = "no_content"

    @property
    def label(self) -> str:
        labels = {
            PublicationBlocker.NO_WINDOW: _l("It has no opening and closing time."),
            PublicationBlocker.NO_TITLE: _l("It has no title in its default language."),
            PublicationBlocker.NO_CONTENT: _l(
                "It has nothing to read or answer yet: no section in its paper "
                "and no question in its questionnaire."
            ),
        }
        return str(labels[self])


def holds_paper(consultation: Consultation) -> bool:
    """A paper with at least one section in it (archived ones have left it)."""
    return any(not section.is_archived for section in consultation.sections)


def holds_content(consultation: Consultation) -> bool:
    """Something for the public to read or answer: a paper with a section, a
    questionnaire with a question, or both."""
    return holds_paper(consultation) or bool(consultation.questions)


def publication_blockers(consultation: Consultation) -> list[PublicationBlocker]:
    """What still stands between a consultation and its publication; empty when nothing."""
    blockers = []
    if not consultation.window.is_set:
        blockers.append(PublicationBlocker.NO_WINDOW)
    default = consultation.translations.get(consultation.default_locale)
    if default is None or not default.title.strip():
        blockers.append(PublicationBlocker.NO_TITLE)
    if not holds_content(consultation):
        blockers.append(PublicationBlocker.NO_CONTENT)
    return blockers


TextKind = Literal[
    "title",
    "summary",
    "heading",
    "body",
    "question",
    "help",
    "scale_min_label",
    "scale_max_label",
    "option",
]


@dataclass(frozen=True)
class TextStatus:
    """One text of a consultation and, for each offered language, whether it is written.

    A section's texts name their `section`; a question's texts their `question`,
    and an option's label its `option` too.
    """

    kind: TextKind
    section: Section | None
    present: Mapping[str, bool]
    question: Question | None = None
    option: QuestionOption | None = None


@dataclass(frozen=True)
class TranslationGaps:
    """Which texts are missing in which offered language (the translations page)."""

    locales: tuple[str, ...]
    texts: tuple[TextStatus, ...]

    def missing_count(self, locale: str) -> int:
        return sum(1 for text in self.texts if not text.present[locale])


def translation_gaps(consultation: Consultation) -> TranslationGaps:
    """Title, summary, each section's heading and body, and each question's texts,
    per offered language.

    A heading counts only where the default language has one: many papers number
    their paragraphs without headings, and a translation cannot miss what the
    original lacks. Likewise a question's help and scale labels; its wording and
    its options' labels always count. Archived sections have left the paper and
    are not listed.
    """
    locales = tuple(consultation.offered_locales)
    texts: list[TextStatus] = []

    def written(values: Mapping[str, str | None]) -> dict[str, bool]:
        return {locale: bool((values.get(locale) or "").strip()) for locale in locales}

    translations = consultation.translations
    texts.append(
        TextStatus("title", None, written({code: t.title for code, t in translations.items()}))
    )
    texts.append(
        TextStatus("summary", None, written({code: t.summary for code, t in translations.items()}))
    )
    for section in sections_with_translations(consultation):
        headings = {code: t.heading for code, t in section.translations.items()}
        if (headings.get(consultation.default_locale) or "").strip():
            texts.append(TextStatus("heading", section, written(headings)))
        bodies = {code: t.body for code, t in section.translations.items()}
        # A section may be a heading alone ("## 3. Review"): then it has no body to miss.
        if (bodies.get(consultation.default_locale) or "").strip() or not (
            headings.get(consultation.default_locale) or ""
        ).strip():
            texts.append(TextStatus("body", section, written(bodies)))
    for question in consultation.questions:
        for text in question_texts(question):
            present = {locale: text.written_in(locale) for locale in locales}
            texts.append(TextStatus(text.kind, None, present, question, text.option))
    return TranslationGaps(locales=locales, texts=tuple(texts))
