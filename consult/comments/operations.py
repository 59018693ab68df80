"""Writing comments: submit, withdraw and report.

The window is checked in the same transaction as the insert, after the write
lock is taken (SQLite: BEGIN IMMEDIATE; PostgreSQL: the consultation row is
locked), so a deadline that passes while the form is sent is respected.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.accounts.models import User
from consult.audit.operations import record
from consult.comments.models import Comment, CommentReport, CommentStatus, Identity
from consult.consultations.models import Consultation, ModerationMode
from consult.core.models import utcnow
from consult.core.text import normalise_plain_text
from consult.extensions import db
from consult.papers.models import Section

MAX_COMMENT_LENGTH = 10_000
MIN_COMMENT_LENGTH = 2
MAX_REPORT_NOTE_LENGTH = 2_000


class CommentRefused(Exception):
    """The comment was not saved; `reason` says why ("closed", "not_open", ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class CommentDraft:
    """What the form sends: the comment and how its author chose to appear."""

    body: str
    language: str
    identity: Identity
    # A random key the form was rendered with: the same key twice is one comment.
    form_key: str


def submit_comment(
    consultation: Consultation, section: Section | None, author: User, draft: CommentDraft
) -> Comment:
    """Save a comment on `section` (None: the paper as a whole) and return it.

    Pre-moderated consultations keep it pending; post-moderated ones publish it
    at once. The same form sent twice returns the first comment. Raises
    CommentRefused when the consultation is not open at this instant, the
    section was withdrawn from the paper (archived), the text is empty or too
    long, the author chose to appear by an organisation their profile does not
    name, or a general comment has no paper to be on.
    Flushes; the caller commits.
    """
    body = normalise_plain_text(draft.body).strip()
    if len(body) < MIN_COMMENT_LENGTH:
        raise CommentRefused("empty")
    if len(body) > MAX_COMMENT_LENGTH:
        raise CommentRefused("too_long")
    if draft.identity is Identity.ORGANISATION_ONLY and not author.organisation:
        raise CommentRefused("no_organisation")
    if section is None and not consultation.sections:
        # A general comment is on the paper as a whole: without a paper there is none.
        raise CommentRefused("no_paper")
    # Read the window under a lock, so the check and the insert see the same instant.
    # The same form sent twice at once queues here, and the second one then finds
    # the first one's comment (committed before the lock was released).
    locked = db.session.scalar(
        select(Consultation).where(Consultation.id == consultation.id).with_for_update()
    )
    assert locked is not None
    existing = db.session.scalar(
        select(Comment).where(Comment.author_id == author.id, Comment.form_key == draft.form_key)
    )
    if existing is not None:
        return existing
    now = utcnow()
    if not locked.is_published or locked.window.not_yet_open(now):
        raise CommentRefused("not_open")
    if not locked.window.is_open(now):
        raise CommentRefused("closed")
    # Read again under the lock: the section may have been withdrawn since the page
    # loaded it. Its comments stay readable, but it takes no new ones.
    if section is not None and db.session.scalar(
        select(Section.archived_at).where(Section.id == section.id)
    ):
        raise CommentRefused("archived")
    published = locked.moderation_mode is ModerationMode.POST
    comment = Comment(
        consultation_id=consultation.id,
        section_id=section.id if section else None,
        author_id=author.id,
        form_key=draft.form_key,
        language=draft.language,
        body=body,
        identity=draft.identity,
        author_name=author.display_name or "",
        author_organisation=author.organisation,
        author_group=author.stakeholder_group or "",
        author_country=author.country,
        status=CommentStatus.PUBLISHED if published else CommentStatus.PENDING,
        created_at=now,
        published_at=now if published else None,
    )
    try:
        # Added inside the savepoint, so that a lost race leaves nothing pending behind.
        with db.session.begin_nested():
            db.session.add(comment)
            db.session.flush()
    except IntegrityError:
        # The same form won a race with itself (a double click on two servers).
        existing = db.session.scalar(
            select(Comment).where(
                Comment.author_id == author.id, Comment.form_key == draft.form_key
            )
        )
        if existing is None:
            raise
        return existing
    record(
        "comment.submitted",
        actor_id=author.id,
        subject_type="comment",
        subject_id=comment.id,
        consultation=consultation.slug,
        section=section.key if section else "",
    )
    return comment


def withdraw_comment(comment: Comment, author: User) -> None:
    """The author takes back a comment that no moderator has decided on yet."""
    if not comment.can_withdraw(author):
        raise CommentRefused("not_withdrawable")
    comment.status = CommentStatus.WITHDRAWN
    comment.withdrawn_at = utcnow()
    record("comment.withdrawn", actor_id=author.id, subject_type="comment", subject_id=comment.id)
    db.session.flush()


def report_comment(comment: Comment, reporter: User, note: str) -> CommentReport:
    """A reader asks moderators to look at a published comment; once per reader.

    Raises CommentRefused("not_reportable") for the author, a comment that is not
    published, or a consultation that is not; CommentRefused("already_reported")
    for a second report by the same reader. Flushes; the caller commits.
    """
    if not comment.can_report(reporter):
        raise CommentRefused("not_reportable")
    note = normalise_plain_text(note).strip()[:MAX_REPORT_NOTE_LENGTH]
    report = CommentReport(comment_id=comment.id, reporter_id=reporter.id, note=note)
    try:
        # The unique constraint decides, also when two tabs report at once.
        with db.session.begin_nested():
            db.session.add(report)
            db.session.flush()
    except IntegrityError:
        raise CommentRefused("already_reported") from None
    record(
        "comment.reported",
        actor_id=reporter.id,
        subject_type="comment",
        subject_id=comment.id,
        consultation=comment.consultation.slug,
    )
    return report
