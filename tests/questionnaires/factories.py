"""Questions and responses for tests, built through the models the application uses."""

from __future__ import annotations

from datetime import datetime

from consult.accounts.models import User
from consult.comments.models import Identity
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.extensions import db
from consult.questionnaires.models import (
    Answer,
    OptionTranslation,
    Question,
    QuestionKind,
    QuestionOption,
    QuestionTranslation,
    Response,
    ResponseStatus,
)


def make_question(
    consultation: Consultation,
    kind: QuestionKind = QuestionKind.SHORT_TEXT,
    *,
    texts: dict[str, str] | None = None,
    helps: dict[str, str] | None = None,
    options: list[dict[str, str]] | None = None,
    required: bool = False,
    max_choices: int | None = None,
    scale_max: int | None = None,
    scale_labels: dict[str, tuple[str | None, str | None]] | None = None,
    position: int | None = None,
) -> Question:
    """A question appended to the consultation's questionnaire, committed.

    `texts`, `helps` and each option map a locale to its wording; `scale_labels`
    maps a locale to the (lowest, highest) end labels. A scale has five points
    unless told otherwise.
    """
    texts = texts or {consultation.default_locale: f"Question {len(consultation.questions) + 1}?"}
    if kind is QuestionKind.SCALE and scale_max is None:
        scale_max = 5
    if kind.has_options and options is None:
        options = [{consultation.default_locale: label} for label in ("A", "B", "C")]
    question = Question(
        kind=kind,
        required=required,
        max_choices=max_choices,
        scale_max=scale_max,
        position=len(consultation.questions) if position is None else position,
    )
    for locale, text in texts.items():
        low, high = (scale_labels or {}).get(locale, (None, None))
        question.translations[locale] = QuestionTranslation(
            locale=locale,
            text=text,
            help=(helps or {}).get(locale, ""),
            scale_min_label=low,
            scale_max_label=high,
        )
    for index, labels in enumerate(options or []):
        option = QuestionOption(position=index)
        for locale, label in labels.items():
            option.translations[locale] = OptionTranslation(locale=locale, label=label)
        question.options.append(option)
    consultation.questions.append(question)
    db.session.commit()
    return question


def make_response(
    consultation: Consultation,
    author: User,
    answers: dict[Question, str | list[int] | int | bool] | None = None,
    *,
    status: ResponseStatus = ResponseStatus.SUBMITTED,
    language: str = "en",
    submitted_at: datetime | None = None,
    identity: Identity = Identity.NAME_AND_ORGANISATION,
) -> Response:
    """A response with its answers (each stored in the field its question's kind uses), committed.

    Text and country answers are strings, choices lists of option ids, scales
    integers, yes/no booleans. A submitted response copies the author's profile
    and has `identity`; a draft has none.
    """
    now = utcnow()
    submitted = status is ResponseStatus.SUBMITTED
    response = Response(
        consultation=consultation,
        author=author,
        status=status,
        language=language,
        author_name=author.display_name if submitted else None,
        author_organisation=author.organisation if submitted else None,
        author_group=author.stakeholder_group if submitted else None,
        author_country=author.country if submitted else None,
        submitted_at=(submitted_at or now) if submitted else None,
        identity=identity if submitted else None,
    )
    for question, value in (answers or {}).items():
        answer = Answer(question=question)
        if isinstance(value, bool):
            answer.flag = value
        elif isinstance(value, int):
            answer.number = value
        elif isinstance(value, list):
            answer.option_ids = value
        else:
            answer.text = value
        response.answers[question.id] = answer
    db.session.add(response)
    db.session.commit()
    return response
