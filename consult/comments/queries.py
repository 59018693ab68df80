"""Reading comments: the lists on section pages, counts, permalinks, one's own."""

from __future__ import annotations

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_
from sqlalchemy.orm import selectinload

from consult.accounts.models import User
from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.papers.models import Section

COMMENTS_PER_PAGE = 20
ORDERS = ("oldest", "newest")


def _listed_for(viewer: User | None) -> ColumnElement[bool]:
    """What a reader sees in a list: published ones, hidden ones as a bare notice,
    and their own comments that wait for a moderator."""
    shown = Comment.status.in_([CommentStatus.PUBLISHED, CommentStatus.HIDDEN])
    if viewer is None:
        return shown
    return or_(shown, and_(Comment.status == CommentStatus.PENDING, Comment.author_id == viewer.id))


def _on(consultation: Consultation, section: Section | None) -> ColumnElement[bool]:
    where_section = (
        Comment.section_id.is_(None) if section is None else Comment.section_id == section.id
    )
    return and_(Comment.consultation_id == consultation.id, where_section)


def comments_page(
    consultation: Consultation,
    section: Section | None,
    viewer: User | None,
    *,
    page: int = 1,
    order: str = "oldest",
) -> Pagination:
    """One page of the comments on `section` (None: general comments) that `viewer` may see.

    The author's snapshot is on each row, so a page is one query (and one to count).
    """
    newest = order == "newest"
    statement = (
        select(Comment)
        .where(_on(consultation, section), _listed_for(viewer))
        .order_by(
            Comment.created_at.desc() if newest else Comment.created_at,
            Comment.id.desc() if newest else Comment.id,
        )
    )
    return db.paginate(statement, page=page, per_page=COMMENTS_PER_PAGE, error_out=False)


def published_counts(consultation: Consultation) -> dict[int | None, int]:
    """Published comments per section id (None: general comments), in one query."""
    rows = db.session.execute(
        select(Comment.section_id, func.count().label("count"))
        .where(
            Comment.consultation_id == consultation.id,
            Comment.status == CommentStatus.PUBLISHED,
        )
        .group_by(Comment.section_id)
    )
    return dict(rows.all())


def page_of(comment: Comment, viewer: User | None) -> int:
    """The page (oldest first) on which `comment` appears in its list for `viewer`."""
    before = db.session.scalar(
        select(func.count())
        .select_from(Comment)
        .where(
            Comment.consultation_id == comment.consultation_id,
            Comment.section_id.is_(None)
            if comment.section_id is None
            else Comment.section_id == comment.section_id,
            _listed_for(viewer),
            tuple_(Comment.created_at, Comment.id) < tuple_(comment.created_at, comment.id),
        )
    )
    return (before or 0) // COMMENTS_PER_PAGE + 1


def comment_or_404(consultation: Consultation, comment_id: int, viewer: User | None) -> Comment:
    """A comment of this consultation that `viewer` may at least see a notice of.

    Rejected comments, and pending or never-published withdrawn ones of others,
    do not exist for them.
    """
    comment = db.session.scalar(
        select(Comment).where(Comment.id == comment_id, Comment.consultation_id == consultation.id)
    )
    if comment is None:
        abort(404)
    if comment.status is CommentStatus.HIDDEN:
        return comment
    if comment.status is CommentStatus.WITHDRAWN and (
        comment.published_at is not None or (viewer is not None and viewer.id == comment.author_id)
    ):
        # A notice that it was withdrawn, where it was public once; for others a
        # comment withdrawn before any moderator published it never existed.
        return comment
    if not comment.is_visible_to(viewer):
        abort(404)
    return comment


def contributions_of(user: User) -> list[Comment]:
    """Every comment `user` wrote, newest first, with what the page shows loaded."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.author_id == user.id)
            .options(
                selectinload(Comment.consultation).selectinload(Consultation.translations),
                selectinload(Comment.section),
            )
            .order_by(Comment.created_at.desc(), Comment.id.desc())
        )
    )


def comment_for_update_or_404(comment_id: int) -> Comment:
    """A comment about to change status, its row locked until the commit.

    Two moderators (or a moderator and the author withdrawing) acting at once
    then decide one after the other, each on the status the other left; on
    SQLite the write transaction's lock does the same.
    """
    comment = db.session.scalar(select(Comment).where(Comment.id == comment_id).with_for_update())
    if comment is None:
        abort(404)
    return comment
