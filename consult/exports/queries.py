"""Reading what an export holds, in batches, so that memory does not grow with its size.

Comments come in the paper's order (general comments last), then by the time
they were sent; responses by the time they were first submitted. Rows are plain
tuples from one query (no ORM objects), read `BATCH_SIZE` at a time; on
PostgreSQL through a server-side cursor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import QueryableAttribute, aliased

from consult.accounts.models import User
from consult.comments.attribution import Audience, ShownAuthor, shown_author
from consult.comments.models import (
    Comment,
    CommentReport,
    CommentStatus,
    Identity,
    RejectionReason,
)
from consult.consultations.models import Consultation
from consult.exports.spec import ExportFilters, ExportSpec
from consult.extensions import db
from consult.moderation.queries import queue_languages
from consult.papers.models import Section, SectionTranslation
from consult.questionnaires.models import Answer, Response, ResponseStatus
from consult.questionnaires.reports import response_languages

BATCH_SIZE = 1000

# Any SELECT the filters below narrow; they give back the same kind of statement.
AnySelect = Select[*tuple[Any, ...]]
Statement = TypeVar("Statement", bound=AnySelect)


class CommentRow(NamedTuple):
    """One comment as an export writes it: the author already cut to the audience."""

    id: int
    # "" for a general comment (on the paper as a whole).
    section_key: str
    # The section's heading in the export's language (or the default one); "" if none.
    section_title: str
    language: str
    status: CommentStatus
    submitted_at: datetime
    published_at: datetime | None
    # The latest moderation decision (approval, rejection, hiding, undo).
    moderated_at: datetime | None
    rejection_reason: RejectionReason | None
    author: ShownAuthor
    body: str
    # Readers' reports about it, reviewed or not.
    reports: int


class AnswerValues(NamedTuple):
    """One answer's stored values (see `consult.questionnaires.models.Answer`)."""

    text: str | None
    option_ids: list[int] | None
    number: int | None
    flag: bool | None


@dataclass(frozen=True, slots=True)
class ResponseRow:
    """One submitted response: its respondent cut to the audience, its answers by question id."""

    id: int
    language: str
    submitted_at: datetime
    updated_at: datetime
    author: ShownAuthor
    answers: dict[int, AnswerValues] = field(default_factory=dict)


def comment_statement(spec: ExportSpec) -> AnySelect:
    """The one query behind every comment export (the benchmark runs it bare)."""
    consultation = spec.consultation
    filters = spec.filters
    wanted = aliased(SectionTranslation)
    default = aliased(SectionTranslation)
    reports = (
        select(func.count(CommentReport.id))
        .where(CommentReport.comment_id == Comment.id)
        .scalar_subquery()
    )
    columns: list[Any] = [
        Comment.id,
        Section.key,
        func.coalesce(func.nullif(wanted.heading, ""), default.heading),
        Comment.language,
        Comment.status,
        Comment.created_at,
        Comment.published_at,
        Comment.decided_at,
        Comment.rejection_reason,
        Comment.identity,
        Comment.author_name,
        Comment.author_organisation,
        Comment.author_group,
        Comment.author_country,
        Comment.body,
        reports,
    ]
    statement = (
        select(*columns)
        .select_from(Comment)
        .outerjoin(Section, Comment.section_id == Section.id)
        .outerjoin(wanted, and_(wanted.section_id == Section.id, wanted.locale == spec.locale))
        .outerjoin(
            default,
            and_(default.section_id == Section.id, default.locale == consultation.default_locale),
        )
        .where(Comment.consultation_id == consultation.id)
        .order_by(
            case((Comment.section_id.is_(None), 1), else_=0),
            Section.position,
            # Positions are unique today; the id keeps each section's comments together anyway.
            Section.id,
            Comment.created_at,
            Comment.id,
        )
    )
    if spec.with_email:
        statement = statement.join(User, Comment.author_id == User.id).add_columns(User.email)
    return _filter_comments(statement, filters)


def _filter_comments(statement: Statement, filters: ExportFilters) -> Statement:
    statement = statement.where(Comment.status.in_(filters.statuses))
    if filters.general_only:
        statement = statement.where(Comment.section_id.is_(None))
    elif filters.section_key:
        statement = statement.where(Section.key == filters.section_key)
    return _narrowed(
        statement,
        filters,
        language=Comment.language,
        group=Comment.author_group,
        country=Comment.author_country,
        moment=Comment.created_at,
    )


def comment_rows(spec: ExportSpec) -> Iterator[CommentRow]:
    """The comments `spec` asks for, read in batches.

    Run on the session's connection as a Core statement: plain rows, without the
    ORM's per-row bookkeeping, which would cost more than the writing.
    """
    result = db.session.connection().execute(
        comment_statement(spec).execution_options(yield_per=BATCH_SIZE)
    )
    audience = spec.audience
    for row in result:
        (
            comment_id,
            key,
            title,
            language,
            status,
            submitted_at,
            published_at,
            decided_at,
            rejection_reason,
            identity,
            name,
            organisation,
            group,
            country,
            body,
            reports,
            *email,
        ) = row
        yield CommentRow(
            comment_id,
            key or "",
            title or "",
            language,
            status,
            submitted_at,
            published_at,
            decided_at,
            rejection_reason,
            shown_author(
                identity, name, organisation, group, country, email[0] if email else None, audience
            ),
            body,
            reports or 0,
        )


def _filter_responses(
    statement: Statement, consultation: Consultation, filters: ExportFilters
) -> Statement:
    statement = statement.where(
        Response.consultation_id == consultation.id,
        Response.status == ResponseStatus.SUBMITTED,
    )
    return _narrowed(
        statement,
        filters,
        language=Response.language,
        group=Response.author_group,
        country=Response.author_country,
        moment=Response.submitted_at,
    )


def _narrowed(
    statement: Statement,
    filters: ExportFilters,
    *,
    language: QueryableAttribute[str],
    group: QueryableAttribute[str | None],
    country: QueryableAttribute[str | None],
    moment: QueryableAttribute[datetime | None],
) -> Statement:
    """The filters comments and responses share, on one kind's columns: its language,
    its author's group and country, and the time it was sent (`moment`)."""
    if filters.language:
        statement = statement.where(language == filters.language)
    if filters.group:
        statement = statement.where(group == filters.group)
    if filters.country:
        statement = statement.where(country == filters.country)
    if filters.since:
        statement = statement.where(moment >= filters.since)
    if filters.until:
        statement = statement.where(moment < filters.until)
    return statement


def response_rows(spec: ExportSpec) -> Iterator[ResponseRow]:
    """The submitted responses `spec` asks for, each with its answers, in batches.

    Drafts are their authors' own until sent: they are never exported. Responses
    are never open data.
    """
    if spec.audience is Audience.OPEN_DATA:
        return
    statement: AnySelect = select(
        Response.id,
        Response.language,
        Response.submitted_at,
        Response.updated_at,
        Response.identity,
        Response.author_name,
        Response.author_organisation,
        Response.author_group,
        Response.author_country,
    ).order_by(Response.submitted_at, Response.id)
    if spec.with_email:
        # Contact data leaves the database only for the export that asked for it.
        statement = statement.join(User, Response.author_id == User.id).add_columns(User.email)
    statement = _filter_responses(statement, spec.consultation, spec.filters)
    result = db.session.connection().execute(statement.execution_options(yield_per=BATCH_SIZE))
    for batch in result.partitions():
        answers: dict[int, dict[int, AnswerValues]] = {}
        for response_id, question_id, text, option_ids, number, flag in db.session.execute(
            select(
                Answer.response_id,
                Answer.question_id,
                Answer.text,
                Answer.option_ids,
                Answer.number,
                Answer.flag,
            ).where(Answer.response_id.in_([row[0] for row in batch]))
        ):
            answers.setdefault(response_id, {})[question_id] = AnswerValues(
                text, option_ids, number, flag
            )
        for (
            response_id,
            language,
            submitted_at,
            updated_at,
            identity,
            name,
            organisation,
            group,
            country,
            *email,
        ) in batch:
            yield ResponseRow(
                response_id,
                language,
                submitted_at,
                updated_at,
                shown_author(
                    identity or Identity.ANONYMOUS,
                    name,
                    organisation,
                    group,
                    country,
                    email[0] if email else None,
                    spec.audience,
                ),
                answers.get(response_id, {}),
            )


@dataclass
class CommentCounts:
    """How many comments an export holds, by section and group, language and country.

    `by_section_group` is keyed by section key ("" for general comments), then by
    stakeholder group; countries are not counted for anonymous comments in open data.
    """

    total: int = 0
    by_section_group: dict[str, Counter[str]] = field(default_factory=dict)
    by_language: Counter[str] = field(default_factory=Counter)
    by_country: Counter[str] = field(default_factory=Counter)
    by_group: Counter[str] = field(default_factory=Counter)


def _matching_comments(statement: Statement, spec: ExportSpec) -> Statement:
    """`statement` over the comments `spec` asks for (it selects from `Comment`)."""
    statement = statement.outerjoin(Section, Comment.section_id == Section.id).where(
        Comment.consultation_id == spec.consultation.id
    )
    return _filter_comments(statement, spec.filters)


def comment_total(spec: ExportSpec) -> int:
    """How many comments the export holds: one COUNT, for where no breakdown is needed."""
    return (
        db.session.scalar(_matching_comments(select(func.count()).select_from(Comment), spec)) or 0
    )


def comment_counts(spec: ExportSpec) -> CommentCounts:
    """The counts of the comments `spec` asks for, from grouped queries (no rows loaded)."""
    matching = _matching_comments(select(Comment.id).select_from(Comment), spec).subquery()
    counts = CommentCounts()
    grouped = (
        select(Section.key, Comment.author_group, func.count())
        .select_from(Comment)
        .join(matching, matching.c.id == Comment.id)
        .outerjoin(Section, Comment.section_id == Section.id)
        .group_by(Section.key, Comment.author_group)
    )
    for key, group, count in db.session.execute(grouped):
        counts.by_section_group.setdefault(key or "", Counter())[group] += count
        counts.by_group[group] += count
        counts.total += count
    for language, count in db.session.execute(
        select(Comment.language, func.count())
        .join(matching, matching.c.id == Comment.id)
        .group_by(Comment.language)
    ):
        counts.by_language[language] = count
    country_query = (
        select(Comment.author_country, func.count())
        .join(matching, matching.c.id == Comment.id)
        .where(Comment.author_country.is_not(None))
        .group_by(Comment.author_country)
    )
    if spec.audience is Audience.OPEN_DATA:
        country_query = country_query.where(Comment.identity != Identity.ANONYMOUS)
    for country, count in db.session.execute(country_query):
        if country:
            counts.by_country[country] = count
    return counts


def response_count(spec: ExportSpec) -> int:
    """How many submitted responses the export holds (0 for open data)."""
    if spec.audience is Audience.OPEN_DATA:
        return 0
    statement = _filter_responses(
        select(func.count()).select_from(Response), spec.consultation, spec.filters
    )
    return db.session.scalar(statement) or 0


def export_languages(consultation: Consultation) -> list[str]:
    """The languages the language filter offers: the consultation's, and any its
    comments or responses were written in."""
    return sorted(set(response_languages(consultation)) | set(queue_languages(consultation)))


def export_sections(consultation: Consultation) -> list[Section]:
    """Every section, in the paper's order, archived ones included (their comments stay)."""
    return list(
        db.session.scalars(
            select(Section)
            .where(Section.consultation_id == consultation.id)
            .order_by(Section.position, Section.id)
        )
    )
