"""Reading a questionnaire's responses for editors and admins: lists, one response, tallies.

Reads only. Drafts are private to their authors: only their number is read here;
every list, page and tally is of submitted responses, whose respondent is the
snapshot taken at submission, shown as the respondent chose (`respondent`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from consult.accounts.countries import country_name
from consult.accounts.stakeholders import group_label
from consult.comments.attribution import Audience, shown_author
from consult.comments.models import Attribution, Identity
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.i18n.content import Localised
from consult.questionnaires.models import (
    Answer,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
)
from consult.questionnaires.queries import questions_of

# Free-text answers listed under a question before "show all".
TEXT_ANSWERS_SHOWN = 10


@dataclass(frozen=True)
class ResponseFilters:
    """What the list of submitted responses is narrowed to; None means any."""

    group: str | None = None
    country: str | None = None
    language: str | None = None


def attribution(
    identity: Identity | None,
    name: str | None,
    organisation: str | None,
    *,
    full: bool,
    where: tuple[str, ...] = (),
) -> Attribution:
    """Who sent a response, as editors (or with `full`, admins) may name them.

    PRODUCT.md, "Who sees whose name" (`shown_author`): editors see what the
    respondent chose to show, admins see the name and organisation whatever the
    choice. The group and country (`where`, already in the reader's language) are
    shown to both.
    """
    shown = shown_author(
        identity or Identity.ANONYMOUS,
        name,
        organisation,
        None,
        None,
        None,
        Audience.CONTACT if full else Audience.EDITOR,
    )
    return Attribution(
        anonymous=shown.anonymous,
        name=shown.name,
        organisation=shown.organisation,
        where=where,
    )


@dataclass(frozen=True)
class Respondent:
    """Who sent a submitted response, from the snapshot taken then, as the reader may see it."""

    identity: Identity | None
    shown: Attribution
    group: str | None
    country: str | None
    # Contact data, for administrators only; None for editors.
    email: str | None


def respondent(response: Response, *, full: bool) -> Respondent:
    """The respondent as an editor sees them, or with `full` as an admin does (with e-mail)."""
    return Respondent(
        response.identity,
        attribution(
            response.identity, response.author_name, response.author_organisation, full=full
        ),
        response.author_group,
        response.author_country,
        # A deleted account's address is a placeholder: there is no one to contact.
        response.author.email if full and response.author.deleted_at is None else None,
    )


def _filtered(consultation: Consultation, filters: ResponseFilters) -> Select[Response]:
    statement = select(Response).where(
        Response.consultation_id == consultation.id,
        Response.status == ResponseStatus.SUBMITTED,
    )
    if filters.group:
        statement = statement.where(Response.author_group == filters.group)
    if filters.country:
        statement = statement.where(Response.author_country == filters.country)
    if filters.language:
        statement = statement.where(Response.language == filters.language)
    return statement


def responses_page(
    consultation: Consultation, filters: ResponseFilters, page: int, per_page: int
) -> Pagination:
    """The filtered responses, last changed first, with their authors loaded."""
    statement = (
        _filtered(consultation, filters)
        .options(selectinload(Response.author))
        .order_by(Response.updated_at.desc(), Response.id.desc())
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def draft_count(consultation: Consultation) -> int:
    """How many drafts are saved: their number is all editors learn of them."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(
                Response.consultation_id == consultation.id,
                Response.status == ResponseStatus.DRAFT,
            )
        )
        or 0
    )


def submitted_count(consultation: Consultation, filters: ResponseFilters) -> int:
    """How many submitted responses match the filters: the list's size and the tallies' base."""
    matching = _filtered(consultation, filters).subquery()
    return db.session.scalar(select(func.count()).select_from(matching)) or 0


def response_countries(consultation: Consultation) -> list[str]:
    """The countries respondents are from, for the country filter."""
    rows = db.session.scalars(
        _filtered(consultation, ResponseFilters())
        .with_only_columns(Response.author_country)
        .distinct()
    )
    return sorted(code for code in rows if code)


def response_languages(consultation: Consultation) -> list[str]:
    """The languages offered and those responses were written in, for the language filter."""
    used = db.session.scalars(
        _filtered(consultation, ResponseFilters()).with_only_columns(Response.language).distinct()
    )
    return sorted(set(consultation.offered_locales) | set(used))


def response_or_404(consultation: Consultation, response_id: int) -> Response:
    """One submitted response of this consultation; a draft, private to its author,
    and another consultation's response are not found here."""
    response = db.session.scalar(
        _filtered(consultation, ResponseFilters())
        .where(Response.id == response_id)
        .options(selectinload(Response.answers), selectinload(Response.author))
    )
    if response is None:
        abort(404)
    return response


class AnswerFields(Protocol):
    """What an answer holds, wherever it was read from: a stored `Answer`, a row of
    its values, an export's `AnswerValues`."""

    @property
    def text(self) -> str | None: ...
    @property
    def option_ids(self) -> list[int] | None: ...
    @property
    def number(self) -> int | None: ...
    @property
    def flag(self) -> bool | None: ...


def is_answered(answer: AnswerFields | None) -> bool:
    """Whether an answer holds anything: drafts keep empty answers to optional questions."""
    if answer is None:
        return False
    return bool(
        (answer.text or "").strip()
        or answer.option_ids
        or answer.number is not None
        or answer.flag is not None
    )


@dataclass(frozen=True)
class _SubmittedAnswer:
    """An answer's values with its response's snapshot, as the tallies read them."""

    text: str | None
    option_ids: list[int] | None
    number: int | None
    flag: bool | None
    response_id: int
    identity: Identity | None
    author_name: str | None
    author_organisation: str | None
    author_group: str | None
    author_country: str | None


@dataclass(frozen=True)
class OptionCount:
    label: Localised[str]
    count: int
    share: float  # of those who answered the question, from 0 to 1


@dataclass(frozen=True)
class TextAnswer:
    response_id: int
    # Who wrote it, as the reader may see them (`attribution`).
    shown: Attribution
    text: str


@dataclass
class QuestionTally:
    """One question's answers across the filtered submitted responses."""

    question: Question
    answered: int = 0
    options: list[OptionCount] = field(default_factory=list)
    yes: int = 0
    no: int = 0
    # Scale: (point, count) for every point from 1 to the question's scale_max.
    distribution: list[tuple[int, int]] = field(default_factory=list)
    mean: float | None = None
    # Country: (code, count), most frequent first.
    countries: list[tuple[str, int]] = field(default_factory=list)
    texts: list[TextAnswer] = field(default_factory=list)

    @property
    def texts_hidden(self) -> int:
        """Free-text answers not listed (those beyond the first few)."""
        return self.answered - len(self.texts) if self.question.kind in _TEXT_KINDS else 0


_TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


def tallies(
    consultation: Consultation,
    filters: ResponseFilters,
    locale: str,
    *,
    full: bool,
    all_texts_of: int | None = None,
) -> list[QuestionTally]:
    """Per question, what the filtered submitted responses answered.

    Free-text answers are listed up to `TEXT_ANSWERS_SHOWN` per question, except
    for the question `all_texts_of`, whose every answer is listed; each with its
    author as an editor may see them, or with `full` as an admin does.
    """
    submitted = _filtered(consultation, filters).subquery()
    rows = db.session.execute(
        select(
            Answer.question_id,
            Answer.text,
            Answer.option_ids,
            Answer.number,
            Answer.flag,
            submitted.c.id,
            submitted.c.identity,
            submitted.c.author_name,
            submitted.c.author_organisation,
            submitted.c.author_group,
            submitted.c.author_country,
        )
        .join(submitted, Answer.response_id == submitted.c.id)
        .order_by(submitted.c.submitted_at, submitted.c.id)
    ).all()
    by_question: dict[int, list[_SubmittedAnswer]] = {}
    for question_id, *values in rows:
        answer = _SubmittedAnswer(*values)
        if is_answered(answer):
            by_question.setdefault(question_id, []).append(answer)
    result = []
    for question in questions_of(consultation):
        answers = by_question.get(question.id, [])
        tally = count_answers(question, answers, locale)
        if question.kind in _TEXT_KINDS:
            limit = None if question.id == all_texts_of else TEXT_ANSWERS_SHOWN
            tally.texts = _text_answers(answers, locale, limit, full)
        result.append(tally)
    return result


def _where(group: str | None, country: str | None, locale: str) -> tuple[str, ...]:
    """The respondent's group and country, named in the reader's language."""
    where = []
    if group:
        where.append(str(group_label(group)))
    if country:
        where.append(country_name(country, locale))
    return tuple(where)


def count_answers(
    question: Question, answers: Iterable[AnswerFields], locale: str
) -> QuestionTally:
    """One question's tally over `answers`, the question's answers in the responses
    counted: how many answered, then per option (with its share of those who
    answered), yes and no, every point of a scale (and the mean), or country.

    Empty answers are not counted (`is_answered`). Free-text answers are only
    counted here: each reader lists them with their authors as it may show them.
    """
    kind = question.kind
    tally = QuestionTally(question=question)
    chosen: Counter[int] = Counter()
    points: Counter[int] = Counter()
    countries: Counter[str] = Counter()
    for answer in answers:
        if not is_answered(answer):
            continue
        tally.answered += 1
        if kind.has_options:
            chosen.update(set(answer.option_ids or []))
        elif kind is QuestionKind.YES_NO and answer.flag is not None:
            if answer.flag:
                tally.yes += 1
            else:
                tally.no += 1
        elif kind is QuestionKind.SCALE and answer.number is not None:
            points[answer.number] += 1
        elif kind is QuestionKind.COUNTRY:
            countries[(answer.text or "").strip()] += 1
    if kind.has_options:
        tally.options = [
            OptionCount(
                option.label_in(locale),
                chosen[option.id],
                chosen[option.id] / tally.answered if tally.answered else 0.0,
            )
            for option in question.options
        ]
    elif kind is QuestionKind.SCALE:
        tally.distribution = [(n, points[n]) for n in range(1, (question.scale_max or 0) + 1)]
        total = sum(points.values())
        tally.mean = sum(n * c for n, c in points.items()) / total if total else None
    elif kind is QuestionKind.COUNTRY:
        tally.countries = sorted(countries.items(), key=lambda item: (-item[1], item[0]))
    return tally


def _text_answers(
    answers: list[_SubmittedAnswer], locale: str, limit: int | None, full: bool
) -> list[TextAnswer]:
    """The first `limit` free-text answers (all with None), each with its author as
    an editor may see them, or with `full` as an admin does."""
    listed = answers if limit is None else answers[:limit]
    return [
        TextAnswer(
            a.response_id,
            attribution(
                a.identity,
                a.author_name,
                a.author_organisation,
                full=full,
                where=_where(a.author_group, a.author_country, locale),
            ),
            a.text or "",
        )
        for a in listed
    ]
