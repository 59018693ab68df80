"""Answering a questionnaire: validation, saving a draft, submitting, the receipt e-mail.

Answers arrive as the form sends them: `q-<question id>` for one value,
`q-<question id>-<option id>` for each ticked box of a multiple choice (one name
per box, so that a visitor's answers survive the sign-in link, which keeps one
value per name). `validate_answers` is the one place that checks them.

The window is checked in the same transaction as the write, after the write
lock is taken (SQLite: BEGIN IMMEDIATE; PostgreSQL: the consultation row is
locked), as for comments: a deadline that passes while the form is sent is
respected, and two first submissions at once make one response.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consult.accounts.countries import ISO_CODES, country_name
from consult.accounts.models import User
from consult.audit.operations import record
from consult.comments.models import Identity
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.core.text import normalise_plain_text
from consult.core.urls import absolute_url
from consult.extensions import db
from consult.mail.operations import queue_mail
from consult.questionnaires.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
)
from consult.questionnaires.queries import questions_of

MAX_SHORT_TEXT_LENGTH = 500
MAX_LONG_TEXT_LENGTH = 10_000
TEXT_LIMITS = {
    QuestionKind.SHORT_TEXT: MAX_SHORT_TEXT_LENGTH,
    QuestionKind.LONG_TEXT: MAX_LONG_TEXT_LENGTH,
}
YES, NO = "yes", "no"
# The identity radio group's name, beside the questions' `q-…` names.
IDENTITY_FIELD = "identity"

# What the form sends is a mapping of names to the values under each name.
TypedAnswers = Mapping[str, Sequence[str]]


def field_name(question: Question) -> str:
    return f"q-{question.id}"


def option_field_name(question: Question, option_id: int) -> str:
    return f"q-{question.id}-{option_id}"


@dataclass(frozen=True)
class AnswerValue:
    """One question's cleaned answer, in the field its kind is stored in."""

    text: str | None = None
    option_ids: list[int] | None = None
    number: int | None = None
    flag: bool | None = None


@dataclass
class Validated:
    """Answers that passed (by question id) and messages for those that did not."""

    answers: dict[int, AnswerValue] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _values(typed: TypedAnswers, name: str) -> list[str]:
    """The non-blank values sent under `name` (a blank select or text is no answer)."""
    return [value for value in typed.get(name, ()) if value.strip()]


def validate_answers(
    questions: Sequence[Question], typed: TypedAnswers, *, submit: bool
) -> Validated:
    """Check what the form sent against the questions; no database, no request needed.

    Refused in a draft as in a submission: an option that is not the question's,
    two options for a single choice, more options than allowed, a point off the
    scale, a text over its length, an unknown country. A submission also needs
    every required question answered; a draft may leave any unanswered.
    """
    result = Validated()
    for question in questions:
        try:
            value = _clean(question, typed)
        except ValueError as problem:
            result.errors[question.id] = str(problem)
            continue
        if value is not None:
            result.answers[question.id] = value
        elif submit and question.required:
            result.errors[question.id] = (
                _("Please choose at least one option.")
                if question.kind is QuestionKind.MULTIPLE_CHOICE
                else _("Please answer this question.")
            )
    return result


def _clean(question: Question, typed: TypedAnswers) -> AnswerValue | None:
    """The answer to `question` as stored, None if unanswered; ValueError saying what is wrong."""
    kind = question.kind
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return _clean_choices(question, typed)
    values = _values(typed, field_name(question))
    if not values:
        return None
    if len(values) > 1:
        # Radio buttons and selects send one value; more is a forged form.
        raise ValueError(_("Please choose only one answer."))
    value = values[0]
    if kind in TEXT_LIMITS:
        text = normalise_plain_text(value).strip()
        limit = TEXT_LIMITS[kind]
        if len(text) > limit:
            raise ValueError(
                _(
                    "An answer here has at most %(max)s characters; yours has %(count)s. "
                    "Please shorten it.",
                    max=f"{limit:,}",
                    count=f"{len(text):,}",
                )
            )
        return AnswerValue(text=text) if text else None
    if kind is QuestionKind.SINGLE_CHOICE:
        chosen = _option_id(question, value)
        if chosen is None:
            raise ValueError(_("Please choose one of the options offered."))
        return AnswerValue(option_ids=[chosen])
    if kind is QuestionKind.SCALE:
        points = question.scale_max or 0
        number = int(value) if value.strip().isdecimal() else 0
        if not 1 <= number <= points:
            raise ValueError(_("Please choose a point from 1 to %(max)d.", max=points))
        return AnswerValue(number=number)
    if kind is QuestionKind.YES_NO:
        if value not in (YES, NO):
            raise ValueError(_("Please answer yes or no."))
        return AnswerValue(flag=value == YES)
    # Country.
    code = value.strip().upper()
    if code not in ISO_CODES:
        raise ValueError(_("Please choose a country from the list."))
    return AnswerValue(text=code)


def _option_id(question: Question, value: str) -> int | None:
    """The id of the question's own option that `value` names, or None."""
    ids = {option.id for option in question.options}
    number = int(value) if value.strip().isdecimal() else None
    return number if number in ids else None


def _clean_choices(question: Question, typed: TypedAnswers) -> AnswerValue | None:
    prefix = f"{field_name(question)}-"
    chosen: list[int] = []
    for name in typed:
        if not name.startswith(prefix) or not _values(typed, name):
            continue
        option_id = _option_id(question, name.removeprefix(prefix))
        if option_id is None:
            raise ValueError(_("Please choose among the options offered."))
        chosen.append(option_id)
    if not chosen:
        return None
    if question.max_choices is not None and len(chosen) > question.max_choices:
        raise ValueError(
            ngettext(
                "Please choose at most %(num)d option.",
                "Please choose at most %(num)d options.",
                question.max_choices,
            )
        )
    # In the options' order, whatever order the browser sent them in.
    positions = {option.id: option.position for option in question.options}
    return AnswerValue(option_ids=sorted(set(chosen), key=positions.__getitem__))


def typed_answers_of(response: Response) -> dict[str, list[str]]:
    """A saved response as the form would send it, to fill the form with."""
    typed: dict[str, list[str]] = {}
    if response.identity is not None:
        typed[IDENTITY_FIELD] = [response.identity.value]
    for answer in response.answers.values():
        question = answer.question
        kind = question.kind
        if kind is QuestionKind.MULTIPLE_CHOICE:
            for option_id in answer.option_ids or []:
                typed[option_field_name(question, option_id)] = ["y"]
        elif kind is QuestionKind.SINGLE_CHOICE and answer.option_ids:
            typed[field_name(question)] = [str(answer.option_ids[0])]
        elif kind is QuestionKind.SCALE and answer.number is not None:
            typed[field_name(question)] = [str(answer.number)]
        elif kind is QuestionKind.YES_NO and answer.flag is not None:
            typed[field_name(question)] = [YES if answer.flag else NO]
        elif answer.text is not None:
            typed[field_name(question)] = [answer.text]
    return typed


def identity_error(identity: Identity | None, author: User, *, submit: bool) -> str | None:
    """What is wrong with how the author chose to appear, None if nothing.

    A submission needs a choice (a draft may leave it for later); appearing by
    one's organisation needs an organisation in the profile.
    """
    if identity is None and submit:
        return str(_("Please choose how your response appears."))
    if identity is Identity.ORGANISATION_ONLY and not author.organisation:
        return str(_("Your profile names no organisation: please choose another way to appear."))
    return None


class RefusalReason(enum.Enum):
    """Why a response was not saved."""

    # An answer or the identity choice is wrong: see ResponseRefused's errors.
    INVALID = "invalid"
    NOT_OPEN = "not_open"
    CLOSED = "closed"


class ResponseRefused(Exception):
    """Nothing was saved, for `reason`; when INVALID, the messages by question id and
    for the identity choice say what to correct."""

    def __init__(
        self,
        reason: RefusalReason,
        errors: dict[int, str] | None = None,
        identity_error: str | None = None,
    ) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.errors = errors or {}
        self.identity_error = identity_error


class SaveOutcome(enum.Enum):
    """What a save did, for the page to say so."""

    DRAFT_SAVED = "draft_saved"
    SUBMITTED = "submitted"
    CHANGED = "changed"
    # A submitted response sent again as it was: nothing written, no copy mailed.
    UNCHANGED = "unchanged"


def save_response(
    consultation: Consultation,
    author: User,
    typed: TypedAnswers,
    *,
    identity: Identity | None,
    submit: bool,
    locale: str,
) -> tuple[Response, SaveOutcome]:
    """Save `author`'s answers as their one response to the consultation.

    A draft (`submit=False`) keeps whatever is answered, and the identity choice
    if one was made; a submission needs the required answers and the choice of
    how the author appears, copies the author's profile, is audited and sends
    the author a copy of the answers in `locale`, the language the form was read
    in. A submitted response stays submitted: saving it again is an edit (the
    same checks, audit and copy), unless nothing changed, when nothing is
    written (so a double-clicked submit makes one response and one copy).
    Raises ResponseRefused when an answer or the identity is invalid or the
    consultation is not open at this instant; then nothing is written.
    Returns the response and what was done. Flushes; the caller commits.
    """
    # Read the window under a lock, so that the check and the write see the same
    # instant; two first submissions at once queue here, and the second one finds
    # the first one's response.
    locked = db.session.scalar(
        select(Consultation).where(Consultation.id == consultation.id).with_for_update()
    )
    assert locked is not None
    # The questions as they are now, not as the page that was sent read them: an
    # editor may have changed them since.
    questions = questions_of(locked, refresh=True)
    existing = _response_of(consultation, author)
    now = utcnow()
    if not locked.is_published or locked.window.not_yet_open(now):
        raise ResponseRefused(RefusalReason.NOT_OPEN)
    if not locked.window.is_open(now):
        raise ResponseRefused(RefusalReason.CLOSED)
    # Once submitted, a response is edited, never turned back into a draft.
    was_submitted = existing is not None and existing.is_submitted
    submit = submit or was_submitted
    validated = validate_answers(questions, typed, submit=submit)
    problem = identity_error(identity, author, submit=submit)
    if not validated.is_valid or problem:
        raise ResponseRefused(RefusalReason.INVALID, validated.errors, problem)
    if (
        existing is not None
        and was_submitted
        and existing.identity is identity
        and _stored_answers(existing) == validated.answers
    ):
        return existing, SaveOutcome.UNCHANGED
    response = existing or _new_response(consultation, author, locale, now)
    _store(response, questions, validated.answers)
    response.language = locale
    response.updated_at = now
    if identity is not None:
        response.identity = identity
    if submit:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = response.submitted_at or now
        # The profile as it is at each submission: what drafters read is what was sent.
        response.author_name = author.display_name
        response.author_organisation = author.organisation
        response.author_group = author.stakeholder_group
        response.author_country = author.country
    db.session.flush()
    if not submit:
        return response, SaveOutcome.DRAFT_SAVED
    record(
        "response.updated" if was_submitted else "response.submitted",
        actor_id=author.id,
        subject_type="response",
        subject_id=response.id,
        consultation=consultation.slug,
    )
    _send_receipt(response, questions, updated=was_submitted)
    return response, SaveOutcome.CHANGED if was_submitted else SaveOutcome.SUBMITTED


def _stored_answers(response: Response) -> dict[int, AnswerValue]:
    """The response's answers as `validate_answers` gives them, to compare."""
    return {
        question_id: AnswerValue(
            text=answer.text,
            option_ids=list(answer.option_ids) if answer.option_ids is not None else None,
            number=answer.number,
            flag=answer.flag,
        )
        for question_id, answer in response.answers.items()
    }


def _response_of(consultation: Consultation, author: User) -> Response | None:
    """The author's response as committed now (another tab may have changed it since the
    page read it), with its answers."""
    return db.session.scalar(
        select(Response)
        .where(Response.consultation_id == consultation.id, Response.author_id == author.id)
        .options(selectinload(Response.answers))
        .execution_options(populate_existing=True)
    )


def _new_response(consultation: Consultation, author: User, locale: str, now: datetime) -> Response:
    """The author's response, inserted now; the one already there if a race put it first."""
    response = Response(
        consultation_id=consultation.id,
        author_id=author.id,
        status=ResponseStatus.DRAFT,
        language=locale,
        created_at=now,
        updated_at=now,
    )
    try:
        # Inside a savepoint, so that a lost race leaves nothing pending behind.
        with db.session.begin_nested():
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        # The unique constraint is the last word when two servers insert at once.
        existing = _response_of(consultation, author)
        if existing is None:
            raise
        return existing
    return response


def _store(response: Response, questions: list[Question], answers: dict[int, AnswerValue]) -> None:
    """Make the response's answers exactly `answers`: a question left blank loses its answer."""
    for question in questions:
        value = answers.get(question.id)
        current = response.answers.get(question.id)
        if value is None:
            if current is not None:
                del response.answers[question.id]
            continue
        answer = current or Answer(question_id=question.id)
        answer.text = value.text
        answer.option_ids = value.option_ids
        answer.number = value.number
        answer.flag = value.flag
        response.answers[question.id] = answer


@dataclass(frozen=True)
class ReceiptItem:
    """One question and its answer as the receipt writes them, in the response's language.

    The template phrases scales ("4 of 5") and yes/no in that language too.
    """

    question: str
    kind: QuestionKind
    # Choices' labels, a country's name, or the text typed; empty when unanswered.
    texts: list[str]
    number: int | None = None
    scale_max: int | None = None
    flag: bool | None = None


def _send_receipt(response: Response, questions: list[Question], *, updated: bool) -> None:
    if not response.author.receives_mail:
        return
    locale = response.language
    consultation = response.consultation
    items = []
    for question in questions:
        answer = response.answers.get(question.id)
        texts: list[str] = []
        if answer is not None and answer.option_ids:
            labels = {option.id: option.label_in(locale).value for option in question.options}
            texts = [labels[option_id] for option_id in answer.option_ids if option_id in labels]
        elif answer is not None and answer.text is not None:
            is_country = question.kind is QuestionKind.COUNTRY
            texts = [country_name(answer.text, locale) if is_country else answer.text]
        items.append(
            ReceiptItem(
                question=question.text_in(locale).value,
                kind=question.kind,
                texts=texts,
                number=answer.number if answer else None,
                scale_max=question.scale_max,
                flag=answer.flag if answer else None,
            )
        )
    title = consultation.title_in(locale).value
    # Lazy: queue_mail translates it in the response's language.
    subject = (
        _l("Your changed response to “%(title)s”", title=title)
        if updated
        else _l("Your response to “%(title)s”", title=title)
    )
    queue_mail(
        response.author.email,
        subject,
        "response_receipt",
        locale,
        consultation_title=title,
        items=items,
        identity=response.identity,
        updated=updated,
        closes_at=consultation.closes_at,
        timezone=consultation.timezone,
        link=absolute_url("questionnaires.answer", lang=locale, slug=consultation.slug),
    )
