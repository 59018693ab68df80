"""Calls for input: a consultation's questions, their options, and participants' responses."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from consult.comments.models import Identity
from consult.core.models import Base, enum_column, utcnow
from consult.i18n.content import Localised, pick_translation

if TYPE_CHECKING:
    from consult.accounts.models import User
    from consult.consultations.models import Consultation

# Scales run from 1 to `scale_max`; beyond ten points answers stop being comparable.
MIN_SCALE_POINTS = 2
MAX_SCALE_POINTS = 10


class QuestionKind(enum.Enum):
    """What a question asks for, and so how its answer is stored and checked."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    SCALE = "scale"
    YES_NO = "yes_no"
    COUNTRY = "country"

    @property
    def label(self) -> str:
        labels = {
            QuestionKind.SHORT_TEXT: _l("Short text"),
            QuestionKind.LONG_TEXT: _l("Long text"),
            QuestionKind.SINGLE_CHOICE: _l("One choice among options"),
            QuestionKind.MULTIPLE_CHOICE: _l("Several choices among options"),
            QuestionKind.SCALE: _l("Scale"),
            QuestionKind.YES_NO: _l("Yes or no"),
            QuestionKind.COUNTRY: _l("Country"),
        }
        return str(labels[self])

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class Question(Base):
    """One question of a consultation's questionnaire, in the order `position` gives."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint(
            "kind = 'multiple_choice' OR max_choices IS NULL", name="max_choices_only_multiple"
        ),
        CheckConstraint("max_choices IS NULL OR max_choices >= 1", name="max_choices_positive"),
        CheckConstraint(
            f"(kind = 'scale' AND scale_max BETWEEN {MIN_SCALE_POINTS} AND {MAX_SCALE_POINTS})"
            " OR (kind != 'scale' AND scale_max IS NULL)",
            name="scale_has_points",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, "question_kind", 20))
    required: Mapped[bool] = mapped_column(default=False)
    # Multiple choice: at most this many options may be chosen (None: no limit).
    max_choices: Mapped[int | None]
    # Scale: answers run from 1 to scale_max.
    scale_max: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="questions")
    translations: Mapped[dict[str, QuestionTranslation]] = relationship(
        collection_class=attribute_keyed_dict("locale"),
        cascade="all, delete-orphan",
        back_populates="question",
    )
    options: Mapped[list[QuestionOption]] = relationship(
        order_by="QuestionOption.position",
        cascade="all, delete-orphan",
        back_populates="question",
    )

    def _pick(self, field: str, locale: str) -> Localised[str] | None:
        values = {
            code: value for code, t in self.translations.items() if (value := getattr(t, field))
        }
        if not values:
            return None
        return pick_translation(values, locale, self.consultation.default_locale)

    def text_in(self, locale: str) -> Localised[str]:
        """The question itself (the default language always has it)."""
        return self._pick("text", locale) or Localised("", self.consultation.default_locale, False)

    def help_in(self, locale: str) -> Localised[str] | None:
        return self._pick("help", locale)

    def scale_labels_in(self, locale: str) -> tuple[Localised[str] | None, Localised[str] | None]:
        """What 1 and `scale_max` mean ("Not at all", "Very much"), where given."""
        return self._pick("scale_min_label", locale), self._pick("scale_max_label", locale)


class QuestionTranslation(Base):
    """A question's wording, help and scale labels in one language."""

    __tablename__ = "question_translations"
    __table_args__ = (UniqueConstraint("question_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(35))
    text: Mapped[str] = mapped_column(String(1000))
    # Markdown, rendered by the one helper like every editor text.
    help: Mapped[str] = mapped_column(Text, default="")
    scale_min_label: Mapped[str | None] = mapped_column(String(200))
    scale_max_label: Mapped[str | None] = mapped_column(String(200))

    question: Mapped[Question] = relationship(back_populates="translations")


class QuestionOption(Base):
    """One choice of a single- or multiple-choice question.

    Answers refer to options by id, so an option's wording can be corrected or
    translated without touching the answers that chose it.
    """

    __tablename__ = "question_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]

    question: Mapped[Question] = relationship(back_populates="options")
    translations: Mapped[dict[str, OptionTranslation]] = relationship(
        collection_class=attribute_keyed_dict("locale"),
        cascade="all, delete-orphan",
        back_populates="option",
    )

    def label_in(self, locale: str) -> Localised[str]:
        labels = {code: t.label for code, t in self.translations.items() if t.label}
        default = self.question.consultation.default_locale
        if not labels:
            return Localised("", default, False)
        return pick_translation(labels, locale, default)


class OptionTranslation(Base):
    """An option's label in one language."""

    __tablename__ = "option_translations"
    __table_args__ = (UniqueConstraint("option_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(
        ForeignKey("question_options.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(35))
    label: Mapped[str] = mapped_column(String(300))

    option: Mapped[QuestionOption] = relationship(back_populates="translations")


class ResponseStatus(enum.Enum):
    """A response is a draft until its author submits it; it stays editable until the close."""

    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def label(self) -> str:
        labels = {
            ResponseStatus.DRAFT: _l("Draft, not sent"),
            ResponseStatus.SUBMITTED: _l("Submitted"),
        }
        return str(labels[self])


class Response(Base):
    """A participant's answers to a consultation's questionnaire: one per person.

    Private to its author, editors and admins. The author's profile is copied at
    submission, as for comments, so that what the drafters read does not change
    when a profile does.
    """

    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("consultation_id", "author_id"),
        CheckConstraint(
            "status != 'submitted' OR (submitted_at IS NOT NULL AND identity IS NOT NULL)",
            name="submitted_has_time_and_identity",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ResponseStatus] = mapped_column(
        enum_column(ResponseStatus, "response_status", 16), index=True
    )
    # The language the questions were read and answered in.
    language: Mapped[str] = mapped_column(String(35))
    # How the author chose to appear, chosen at submission with the snapshot below
    # (PRODUCT.md "Who sees whose name"); None while a draft.
    identity: Mapped[Identity | None] = mapped_column(enum_column(Identity, "identity", 16))
    author_name: Mapped[str | None] = mapped_column(String(120))
    author_organisation: Mapped[str | None] = mapped_column(String(200))
    author_group: Mapped[str | None] = mapped_column(String(40))
    author_country: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # First submission; `updated_at` says when it last changed.
    submitted_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship()
    author: Mapped[User] = relationship()
    answers: Mapped[dict[int, Answer]] = relationship(
        collection_class=attribute_keyed_dict("question_id"),
        cascade="all, delete-orphan",
        back_populates="response",
    )

    @property
    def is_submitted(self) -> bool:
        return self.status is ResponseStatus.SUBMITTED


class Answer(Base):
    """One question's answer within a response; the field used depends on the question's kind.

    Short and long text, and country (an ISO 3166-1 code): `text`. Single and
    multiple choice: `option_ids`. Scale: `number`. Yes/no: `flag`.
    """

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    # RESTRICT: a question with submitted answers is never deleted.
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="RESTRICT"), index=True
    )
    text: Mapped[str | None] = mapped_column(Text)
    option_ids: Mapped[list[int] | None] = mapped_column(JSON)
    number: Mapped[int | None]
    flag: Mapped[bool | None]

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
