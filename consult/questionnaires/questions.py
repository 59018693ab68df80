"""Writing a questionnaire: adding, editing, translating, ordering and removing questions.

Operations flush but never commit; the caller (a view or a command) commits once.

Once a participant has submitted a response the questionnaire is *locked*: the
answers given must keep their meaning, so a question can no longer be removed or
change type (or, for a scale, its number of points), an option can no longer
be removed, and a maximum of choices can no longer be set or lowered (raising it
or removing it stays possible). Wording and translations stay editable, and options can be added.
The operations enforce this (`QuestionnaireLocked`), not only the pages.
Until then every response is a draft, and a change that makes a draft's answer
meaningless deletes that answer (the draft's other answers stay).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from consult.audit.operations import record
from consult.consultations.models import Consultation
from consult.consultations.queries import holds_paper
from consult.core.text import normalise_plain_text
from consult.extensions import db
from consult.questionnaires.models import (
    MAX_SCALE_POINTS,
    MIN_SCALE_POINTS,
    Answer,
    OptionTranslation,
    Question,
    QuestionKind,
    QuestionOption,
    QuestionTranslation,
    Response,
    ResponseStatus,
)

if TYPE_CHECKING:
    from consult.accounts.models import User

# The columns' widths, checked here so that every database refuses alike and clearly.
MAX_QUESTION_LENGTH = 1000
MAX_SCALE_LABEL_LENGTH = 200
MAX_OPTION_LENGTH = 300
# A choice among fewer than two options is no choice.
MIN_OPTIONS = 2


class QuestionnaireLocked(ValueError):
    """Submitted responses answer this questionnaire: the change would alter their meaning."""


class LastQuestionOfPublishedConsultation(ValueError):
    """A published consultation without a paper keeps at least one question."""


@dataclass(frozen=True)
class QuestionSettings:
    """What a question asks for: set in the default language's form only."""

    kind: QuestionKind
    required: bool = False
    # Multiple choice only; None: no limit.
    max_choices: int | None = None
    # Scale only.
    scale_max: int | None = None


@dataclass(frozen=True)
class QuestionTexts:
    """A question's texts in one language, as an editor typed them.

    In another language than the default, an empty text removes that translation.
    """

    text: str
    help: str = ""
    scale_min_label: str = ""
    scale_max_label: str = ""
    # Existing options' labels by option id; an option left out keeps its labels.
    option_labels: Mapping[int, str] = field(default_factory=dict)


def is_locked(consultation: Consultation) -> bool:
    """Whether any response to the consultation's questionnaire has been submitted."""
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Response.consultation_id == consultation.id,
                    Response.status == ResponseStatus.SUBMITTED,
                )
            )
        )
    )


def _lock_consultation(consultation: Consultation) -> None:
    """Hold the consultation's row until the commit before checking `is_locked`.

    A submission takes the same lock (`operations.save_response`), so on
    PostgreSQL it cannot slip in between the check and the change it allows.
    """
    db.session.execute(
        select(Consultation.id).where(Consultation.id == consultation.id).with_for_update()
    )


def answer_count(question: Question) -> int:
    """How many responses, drafts or submitted, hold an answer to `question`."""
    return (
        db.session.scalar(
            select(func.count()).select_from(Answer).where(Answer.question_id == question.id)
        )
        or 0
    )


def submitted_response_count(consultation: Consultation) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(
                Response.consultation_id == consultation.id,
                Response.status == ResponseStatus.SUBMITTED,
            )
        )
        or 0
    )


def add_question(
    consultation: Consultation,
    settings: QuestionSettings,
    texts: QuestionTexts,
    options: Sequence[str],
    editor: User,
) -> Question:
    """Add a question at the end of the questionnaire, written in the default language.

    `options` are the labels of a choice question's options, in order (at least
    two; ignored for other kinds). Raises `ValueError` for settings or texts the
    forms refuse. Allowed on a locked questionnaire: existing answers keep their
    meaning. Audited as `question.added`.
    """
    labels = [clean_label(label) for label in options] if settings.kind.has_options else []
    _check_settings(settings, len(labels))
    question = Question(
        position=max((q.position for q in consultation.questions), default=-1) + 1,
        kind=settings.kind,
        required=settings.required,
        max_choices=settings.max_choices,
        scale_max=settings.scale_max,
    )
    default = consultation.default_locale
    for position, label in enumerate(labels):
        _check_option_label(label)
        option = QuestionOption(position=position)
        option.translations[default] = OptionTranslation(locale=default, label=label)
        question.options.append(option)
    consultation.questions.append(question)
    _set_texts(question, default, texts)
    db.session.flush()
    _record("question.added", question, editor, kind=settings.kind.value)
    return question


def edit_question(
    question: Question,
    locale: str,
    texts: QuestionTexts,
    editor: User,
    *,
    settings: QuestionSettings | None = None,
    new_options: Sequence[str] = (),
    removed_option_ids: Collection[int] = (),
) -> bool:
    """Change a question's texts in one offered language; False if nothing changed.

    In the default language, `settings` (required there) may change the kind,
    whether an answer is required, the maximum of choices and the scale's points;
    `new_options` are added after the existing ones and `removed_option_ids` are
    removed. In another language only the texts change: empty ones remove that
    language's translation (readers then see the default language).

    Raises `QuestionnaireLocked` when a submitted response exists and the change
    would alter the meaning of its answers (kind, scale points, removed options,
    a new or lower maximum of choices), and `ValueError` for what the forms refuse.
    Audited as `question.edited`; once locked, a changed wording is recorded with
    the previous one (`previous_text`), as the answers were given to that one.
    """
    consultation = question.consultation
    if locale not in consultation.offered_locales:
        raise ValueError(f"{locale!r} is not offered by {consultation.slug!r}")
    is_default = locale == consultation.default_locale
    if not is_default and (settings is not None or new_options or removed_option_ids):
        raise ValueError("settings and options change in the default language only")
    before = _snapshot(question)
    current = question.translations.get(locale)
    previous_text = current.text if current is not None else ""
    if settings is not None:
        _change_settings(question, settings, new_options, removed_option_ids)
    _set_texts(question, locale, texts)
    db.session.flush()
    if _snapshot(question) == before:
        return False
    current = question.translations.get(locale)
    details = {"locale": locale}
    # A first translation has no previous wording to keep.
    wording_changed = (current.text if current is not None else "") != previous_text
    if previous_text and wording_changed and is_locked(consultation):
        details["previous_text"] = previous_text
    _record("question.edited", question, editor, **details)
    return True


def move_question(question: Question, direction: Literal["up", "down"], editor: User) -> bool:
    """Swap a question with its neighbour; False when it is already at that end.

    Answers are tied to questions, not to places, so this is allowed when locked.
    Audited as `question.moved`.
    """
    questions = list(question.consultation.questions)
    index = questions.index(question)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(questions):
        return False
    neighbour = questions[other]
    question.position, neighbour.position = neighbour.position, question.position
    db.session.flush()
    # The relationship's order was read before the swap.
    db.session.expire(question.consultation, ["questions"])
    _record("question.moved", question, editor, direction=direction)
    return True


def remove_question(question: Question, editor: User) -> None:
    """Delete a question, its translations and options, and the drafts' answers to it.

    Raises `QuestionnaireLocked` once a response has been submitted, and
    `LastQuestionOfPublishedConsultation` for the only content of a published
    consultation (publishing needs something to read or answer). The questions
    after it move up one place. Audited as `question.removed`.
    """
    consultation = question.consultation
    _lock_consultation(consultation)
    if is_locked(consultation):
        raise QuestionnaireLocked(
            _l(
                "Responses have been submitted: questions can no longer be removed, "
                "so that every answer keeps its question."
            )
        )
    if (
        consultation.is_published
        and len(consultation.questions) == 1
        and not holds_paper(consultation)
    ):
        raise LastQuestionOfPublishedConsultation(question.id)
    _delete_draft_answers(question)
    _record("question.removed", question, editor, kind=question.kind.value)
    remaining = [q for q in consultation.questions if q is not question]
    consultation.questions.remove(question)
    for position, other in enumerate(remaining):
        other.position = position
    db.session.flush()


def _check_settings(settings: QuestionSettings, option_count: int) -> None:
    kind = settings.kind
    if kind.has_options and option_count < MIN_OPTIONS:
        raise ValueError(f"a choice needs at least {MIN_OPTIONS} options")
    if settings.max_choices is not None and not (
        kind is QuestionKind.MULTIPLE_CHOICE and 1 <= settings.max_choices <= option_count
    ):
        raise ValueError("a maximum of choices is for multiple choice, within its options")
    if (kind is QuestionKind.SCALE) != (settings.scale_max is not None) or (
        settings.scale_max is not None
        and not MIN_SCALE_POINTS <= settings.scale_max <= MAX_SCALE_POINTS
    ):
        raise ValueError("a scale, and only a scale, has between 2 and 10 points")


def _change_settings(
    question: Question,
    settings: QuestionSettings,
    new_options: Sequence[str],
    removed_option_ids: Collection[int],
) -> None:
    kind_changes = settings.kind is not question.kind
    scale_changes = settings.scale_max != question.scale_max and not kind_changes
    removed = [option for option in question.options if option.id in set(removed_option_ids)]
    # A lower maximum would make answers with more choices than it wrong.
    limit_lowers = (
        not kind_changes
        and settings.max_choices is not None
        and (question.max_choices is None or settings.max_choices < question.max_choices)
    )
    if kind_changes or scale_changes or removed or limit_lowers:
        _lock_consultation(question.consultation)
        if is_locked(question.consultation):
            raise QuestionnaireLocked(_locked_reason(kind_changes, scale_changes, limit_lowers))
    if len(removed) != len(set(removed_option_ids)):
        raise ValueError("an option to remove is not one of the question's")
    kept = [option for option in question.options if option not in removed]
    if not settings.kind.has_options:
        # A question that no longer offers options has no use for its old ones.
        removed, kept = list(question.options), []
    added = [clean_label(label) for label in new_options] if settings.kind.has_options else []
    for label in added:
        _check_option_label(label)
    _check_settings(settings, len(kept) + len(added))

    if kind_changes:
        # Drafts answered another kind of question: their answer no longer fits.
        _delete_draft_answers(question)
    else:
        if removed:
            _drop_draft_choices(question, {option.id for option in removed})
        if scale_changes and settings.scale_max is not None:
            _drop_draft_numbers_above(question, settings.scale_max)
    for option in removed:
        question.options.remove(option)
    default = question.consultation.default_locale
    for label in added:
        option = QuestionOption(position=0)
        option.translations[default] = OptionTranslation(locale=default, label=label)
        kept.append(option)
        question.options.append(option)
    for position, option in enumerate(kept):
        option.position = position
    if settings.kind is not QuestionKind.SCALE:
        for translation in question.translations.values():
            translation.scale_min_label = translation.scale_max_label = None
    question.kind = settings.kind
    question.required = settings.required
    question.max_choices = settings.max_choices
    question.scale_max = settings.scale_max


def _locked_reason(kind_changes: bool, scale_changes: bool, limit_lowers: bool) -> str:
    if kind_changes:
        return str(
            _l(
                "Responses have been submitted: the question can no longer change type, "
                "so that every answer keeps its meaning."
            )
        )
    if scale_changes:
        return str(
            _l(
                "Responses have been submitted: the scale can no longer change its number "
                "of points, so that every answer keeps its meaning."
            )
        )
    if limit_lowers:
        return str(
            _l(
                "Responses have been submitted: the most options a participant may choose "
                "can be raised or removed, not set or lowered, so that every answer stays "
                "within it."
            )
        )
    return str(
        _l(
            "Responses have been submitted: options can no longer be removed, so that "
            "every answer keeps its choices."
        )
    )


def _set_texts(question: Question, locale: str, texts: QuestionTexts) -> None:
    is_default = locale == question.consultation.default_locale
    text = normalise_plain_text(texts.text).strip()
    help_text = normalise_plain_text(texts.help).strip()
    is_scale = question.kind is QuestionKind.SCALE
    low = clean_label(texts.scale_min_label) if is_scale else ""
    high = clean_label(texts.scale_max_label) if is_scale else ""
    if is_default and not text:
        raise ValueError("the default language needs the question's wording")
    if len(text) > MAX_QUESTION_LENGTH:
        raise ValueError(f"a question has at most {MAX_QUESTION_LENGTH} characters")
    if max(len(low), len(high)) > MAX_SCALE_LABEL_LENGTH:
        raise ValueError(f"a scale label has at most {MAX_SCALE_LABEL_LENGTH} characters")
    current = question.translations.get(locale)
    if not any((text, help_text, low, high)):
        if current is not None:
            del question.translations[locale]
    elif current is None:
        question.translations[locale] = QuestionTranslation(
            locale=locale,
            text=text,
            help=help_text,
            scale_min_label=low or None,
            scale_max_label=high or None,
        )
    else:
        current.text, current.help = text, help_text
        current.scale_min_label, current.scale_max_label = low or None, high or None

    for option in question.options:
        if option.id is None or option.id not in texts.option_labels:
            continue
        label = clean_label(texts.option_labels[option.id])
        if is_default and not label:
            raise ValueError("in the default language every option needs a label")
        _check_option_label(label)
        existing = option.translations.get(locale)
        if not label:
            if existing is not None:
                del option.translations[locale]
        elif existing is None:
            option.translations[locale] = OptionTranslation(locale=locale, label=label)
        else:
            existing.label = label


def clean_label(value: str) -> str:
    """An option or scale label as stored: normalised, on one line."""
    # Labels are one line: a pasted line break would only split them oddly.
    return " ".join(normalise_plain_text(value).split())


def _check_option_label(label: str) -> None:
    if len(label) > MAX_OPTION_LENGTH:
        raise ValueError(f"an option has at most {MAX_OPTION_LENGTH} characters")


def _snapshot(question: Question) -> tuple[object, ...]:
    """Everything an edit can change, to tell whether it changed anything."""
    return (
        question.kind,
        question.required,
        question.max_choices,
        question.scale_max,
        sorted(
            (code, t.text, t.help, t.scale_min_label, t.scale_max_label)
            for code, t in question.translations.items()
        ),
        [
            (option.id, sorted((code, t.label) for code, t in option.translations.items()))
            for option in question.options
        ],
    )


def _draft_answers(question: Question) -> list[Answer]:
    return list(
        db.session.scalars(
            select(Answer)
            .join(Response)
            .where(Answer.question_id == question.id, Response.status == ResponseStatus.DRAFT)
        )
    )


def _delete_draft_answers(question: Question) -> None:
    for answer in _draft_answers(question):
        answer.response.answers.pop(question.id, None)
        db.session.delete(answer)
    db.session.flush()


def _drop_draft_choices(question: Question, option_ids: set[int]) -> None:
    for answer in _draft_answers(question):
        remaining = [i for i in answer.option_ids or [] if i not in option_ids]
        if remaining:
            answer.option_ids = remaining
        else:
            answer.response.answers.pop(question.id, None)
            db.session.delete(answer)


def _drop_draft_numbers_above(question: Question, scale_max: int) -> None:
    for answer in _draft_answers(question):
        if answer.number is not None and answer.number > scale_max:
            answer.response.answers.pop(question.id, None)
            db.session.delete(answer)


def _record(action: str, question: Question, editor: User, **details: str) -> None:
    record(
        action,
        actor_id=editor.id,
        subject_type="question",
        subject_id=question.id,
        consultation=question.consultation.slug,
        # Its number as editors see it, counted from 1.
        question=str(question.position + 1),
        **details,
    )
