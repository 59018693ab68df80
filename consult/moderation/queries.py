"""Reading the moderation queue: what waits, what was reported, what was decided."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from consult.comments.models import Comment, CommentReport, CommentStatus
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.moderation.models import DecisionKind, ModerationDecision
from consult.papers.models import Section


class QueueState(enum.Enum):
    """The queue's state filter."""

    WAITING = "waiting"
    PENDING = "pending"
    REPORTED = "reported"
    PUBLISHED = "published"
    DECIDED = "decided"

    @property
    def label(self) -> str:
        labels = {
            QueueState.WAITING: _l("Waiting (pending and reported)"),
            QueueState.PENDING: _l("Pending"),
            QueueState.REPORTED: _l("Reported"),
            QueueState.PUBLISHED: _l("All published"),
            QueueState.DECIDED: _l("Decided"),
        }
        return str(labels[self])


def _has_open_report() -> ColumnElement[bool]:
    return exists().where(
        CommentReport.comment_id == Comment.id, CommentReport.reviewed_at.is_(None)
    )


def _is_reported() -> ColumnElement[bool]:
    # Only a published comment can be reported; a decision reviews its reports.
    return and_(Comment.status == CommentStatus.PUBLISHED, _has_open_report())


def _state_condition(state: QueueState) -> ColumnElement[bool]:
    if state is QueueState.PENDING:
        return Comment.status == CommentStatus.PENDING
    if state is QueueState.REPORTED:
        return _is_reported()
    if state is QueueState.PUBLISHED:
        return Comment.status == CommentStatus.PUBLISHED
    if state is QueueState.DECIDED:
        return and_(Comment.decided_at.is_not(None), Comment.status != CommentStatus.WITHDRAWN)
    return or_(Comment.status == CommentStatus.PENDING, _is_reported())


def queue_query(
    *,
    consultation: Consultation | None = None,
    state: QueueState = QueueState.WAITING,
    section_key: str | None = None,
    language: str | None = None,
) -> Select[tuple[Comment]]:
    """The comments of the queue, oldest waiting first (latest decided first)."""
    query: Select[tuple[Comment]] = select(Comment)
    query = query.where(_state_condition(state))
    if consultation is not None:
        query = query.where(Comment.consultation_id == consultation.id)
    if section_key == "":
        query = query.where(Comment.section_id.is_(None))
    elif section_key is not None:
        query = query.join(Section, Comment.section_id == Section.id).where(
            Section.key == section_key
        )
    if language:
        query = query.where(Comment.language == language)
    query = query.options(
        # Administrators are offered to erase the comments of deleted accounts.
        selectinload(Comment.author),
        selectinload(Comment.section),
        # Each comment shows its consultation's title: one query for all titles.
        selectinload(Comment.consultation).selectinload(Consultation.translations),
    )
    if state is QueueState.DECIDED:
        return query.order_by(Comment.decided_at.desc(), Comment.id.desc())
    return query.order_by(Comment.created_at, Comment.id)


def queue_page(page: int, per_page: int, **filters: object) -> Pagination:
    return db.paginate(queue_query(**filters), page=page, per_page=per_page, error_out=False)  # type: ignore[arg-type]


def open_reports(comment_ids: Sequence[int]) -> dict[int, list[CommentReport]]:
    """Each comment's reports not yet reviewed, oldest first."""
    found: dict[int, list[CommentReport]] = defaultdict(list)
    if not comment_ids:
        return found
    reports = db.session.scalars(
        select(CommentReport)
        .where(CommentReport.comment_id.in_(comment_ids), CommentReport.reviewed_at.is_(None))
        .order_by(CommentReport.created_at, CommentReport.id)
    )
    for report in reports:
        found[report.comment_id].append(report)
    return found


def undoable_comment_ids(comment_ids: Sequence[int]) -> set[int]:
    """Those of `comment_ids` with a decision still in force that undo may revert."""
    if not comment_ids:
        return set()
    return set(
        db.session.scalars(
            select(ModerationDecision.comment_id).where(
                ModerationDecision.comment_id.in_(comment_ids),
                ModerationDecision.kind != DecisionKind.UNDO,
                ModerationDecision.undone_at.is_(None),
            )
        )
    )


def queue_languages(consultation: Consultation | None = None) -> list[str]:
    """The languages comments in the queue's consultation(s) are written in."""
    query = select(Comment.language).distinct().order_by(Comment.language)
    if consultation is not None:
        query = query.where(Comment.consultation_id == consultation.id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class WaitingCount:
    """How many comments of one consultation wait for a moderator."""

    consultation: Consultation
    pending: int
    reported: int

    @property
    def total(self) -> int:
        return self.pending + self.reported


def waiting_counts() -> list[WaitingCount]:
    """Per consultation with anything waiting: pending and reported comments, by slug."""
    pending = func.count().filter(Comment.status == CommentStatus.PENDING)
    reported = func.count().filter(_is_reported())
    rows = db.session.execute(
        select(Comment.consultation_id, pending, reported)
        .where(_state_condition(QueueState.WAITING))
        .group_by(Comment.consultation_id)
    ).all()
    if not rows:
        return []
    consultations = {
        c.id: c
        for c in db.session.scalars(
            select(Consultation)
            .where(Consultation.id.in_([row[0] for row in rows]))
            .options(selectinload(Consultation.translations))
        )
    }
    counts = [WaitingCount(consultations[row[0]], int(row[1]), int(row[2])) for row in rows]
    return sorted(counts, key=lambda count: count.consultation.slug)


def consultation_by_slug(slug: str) -> Consultation | None:
    return db.session.scalar(select(Consultation).where(Consultation.slug == slug))


def comments_for_update(comment_ids: Sequence[int]) -> list[Comment]:
    """The comments of a bulk decision, their rows locked until the commit.

    Locked in the order of their number, so that two bulk decisions never wait
    on each other crosswise; with what the decisions and the author's e-mail
    read loaded in a few queries, not one per comment.
    """
    if not comment_ids:
        return []
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.id.in_(comment_ids))
            .order_by(Comment.id)
            .with_for_update()
            .options(
                selectinload(Comment.author),
                selectinload(Comment.section),
                selectinload(Comment.consultation).selectinload(Consultation.translations),
            )
            .execution_options(populate_existing=True)
        )
    )
