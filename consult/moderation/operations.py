"""Moderation decisions: approve, reject, hide, restore and undo.

Each decision changes the comment's status (never its text nor its shown time),
is kept as a `ModerationDecision` with the status it replaced, is written to the
audit log, marks the comment's open reports reviewed, and tells the author by
e-mail where the outcome concerns them. Flushed, never committed.

Callers load the comment with its row locked (`comment_for_update_or_404`,
`comments_for_update`), so the status checked here is the one the decision
replaces even when two moderators act at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from sqlalchemy import select, update

from consult.accounts.models import Role, User
from consult.audit.operations import record
from consult.comments.models import Comment, CommentReport, CommentStatus, RejectionReason
from consult.config import Config
from consult.core.models import utcnow
from consult.core.text import normalise_plain_text
from consult.core.urls import absolute_url
from consult.extensions import db
from consult.mail.operations import queue_mail
from consult.moderation.models import DecisionKind, ModerationDecision
from consult.moderation.permissions import MODERATING_ROLES, can_moderate
from consult.moderation.queries import waiting_counts

MAX_NOTE_LENGTH = 2000

# What each decision may apply to, and the status it leads to. Only a pending
# comment is rejected: a published one is hidden, so that readers see "Hidden by
# a moderator on DATE" instead of a comment vanishing without notice.
TRANSITIONS: dict[DecisionKind, tuple[frozenset[CommentStatus], CommentStatus]] = {
    DecisionKind.APPROVE: (frozenset({CommentStatus.PENDING}), CommentStatus.PUBLISHED),
    DecisionKind.REJECT: (frozenset({CommentStatus.PENDING}), CommentStatus.REJECTED),
    DecisionKind.HIDE: (frozenset({CommentStatus.PUBLISHED}), CommentStatus.HIDDEN),
    DecisionKind.RESTORE: (
        frozenset({CommentStatus.HIDDEN, CommentStatus.REJECTED}),
        CommentStatus.PUBLISHED,
    ),
}

AUDIT_ACTIONS = {
    DecisionKind.APPROVE: "moderation.approved",
    DecisionKind.REJECT: "moderation.rejected",
    DecisionKind.HIDE: "moderation.hidden",
    DecisionKind.RESTORE: "moderation.restored",
    DecisionKind.UNDO: "moderation.undone",
}

# The author's e-mail for the outcomes that concern them, with its subject.
AUTHOR_MAILS = {
    DecisionKind.APPROVE: ("comment_approved", _l("Your comment is published")),
    DecisionKind.REJECT: ("comment_rejected", _l("Your comment was not published")),
    DecisionKind.HIDE: ("comment_hidden", _l("Your comment was hidden by a moderator")),
    DecisionKind.RESTORE: ("comment_restored", _l("Your comment is published again")),
}


def can_decide(user: User, comment: Comment, kind: DecisionKind) -> bool:
    """Whether `user` may make decision `kind` (not undo) on `comment` as it stands.

    An erased comment takes no decision: there is no text left to publish again.
    """
    allowed_from, _new_status = TRANSITIONS[kind]
    return (
        can_moderate(user) and comment.status in allowed_from and not comment_text_erased(comment)
    )


# What `erase_comment` leaves of a comment's text. A comment is never sent empty
# (`MIN_COMMENT_LENGTH`), so an empty text is an erased one.
ERASED_COMMENT_TEXT = ""

# What an administrator may erase: what is still shown, or kept for staff exports.
ERASABLE = frozenset(
    {CommentStatus.PUBLISHED, CommentStatus.HIDDEN, CommentStatus.REJECTED, CommentStatus.WITHDRAWN}
)


def comment_text_erased(comment: Comment) -> bool:
    """Whether an administrator erased the comment's text (`erase_comment`)."""
    return comment.body == ERASED_COMMENT_TEXT


def can_erase(user: User, comment: Comment) -> bool:
    """Administrators erase the comments of participants who deleted their account
    (the only way those leave the site: their author can no longer ask)."""
    return (
        user.role is Role.ADMIN
        and not user.is_disabled
        and comment.author.deleted_at is not None
        and comment.status in ERASABLE
        and not comment_text_erased(comment)
    )


def erase_comment(comment: Comment, admin: User) -> None:
    """Overwrite the text of a deleted participant's comment, for good.

    A published one becomes hidden: readers see what a hidden comment shows, a
    notice without text, and nothing can publish it again (`can_decide`). Its
    open reports are reviewed. No decision is kept (there is nothing to undo);
    the audit entry says who erased it and when.
    """
    if not can_erase(admin, comment):
        raise ModerationRefused("not_erasable")
    now = utcnow()
    previous_status = comment.status
    comment.body = ERASED_COMMENT_TEXT
    if comment.status is CommentStatus.PUBLISHED:
        comment.status = CommentStatus.HIDDEN
        comment.hidden_at = now
        comment.decided_at = now
    record(
        "comment.erased",
        actor_id=admin.id,
        subject_type="comment",
        subject_id=comment.id,
        old=previous_status.value,
        new=comment.status.value,
    )
    _mark_reports_reviewed([comment.id], now)


def can_approve(user: User, comment: Comment) -> bool:
    return can_decide(user, comment, DecisionKind.APPROVE)


def can_reject(user: User, comment: Comment) -> bool:
    return can_decide(user, comment, DecisionKind.REJECT)


def can_hide(user: User, comment: Comment) -> bool:
    return can_decide(user, comment, DecisionKind.HIDE)


def can_restore(user: User, comment: Comment) -> bool:
    return can_decide(user, comment, DecisionKind.RESTORE)


def recipient_locale(user: User) -> str:
    """The language to write to `user` in: theirs if still enabled, else the default."""
    config: Config = current_app.extensions["consult_config"]
    locale = user.preferred_locale or config.default_locale
    return locale if locale in config.locales else config.default_locale


class ModerationRefused(Exception):
    """The decision does not apply: not a moderator, or not from the comment's status."""


def approve_comment(
    comment: Comment, moderator: User, note: str | None = None
) -> ModerationDecision:
    """Publish a pending comment. `published_at` is set the first time only."""
    return _decide(comment, moderator, DecisionKind.APPROVE, note=note)


def reject_comment(
    comment: Comment, moderator: User, reason: RejectionReason, note: str | None = None
) -> ModerationDecision:
    """Reject a pending comment, with a reason from the list and a note (a published
    one is hidden instead)."""
    return _decide(comment, moderator, DecisionKind.REJECT, reason=reason, note=note)


def hide_comment(comment: Comment, moderator: User, note: str | None = None) -> ModerationDecision:
    """Hide a published comment: readers see only "Hidden by a moderator on DATE"."""
    return _decide(comment, moderator, DecisionKind.HIDE, note=note)


def restore_comment(
    comment: Comment, moderator: User, note: str | None = None
) -> ModerationDecision:
    """Publish again a hidden or rejected comment."""
    return _decide(comment, moderator, DecisionKind.RESTORE, note=note)


def last_undoable_decision(comment: Comment) -> ModerationDecision | None:
    """The latest decision on `comment` that is not an undo and not undone."""
    return db.session.scalar(
        select(ModerationDecision)
        .where(
            ModerationDecision.comment_id == comment.id,
            ModerationDecision.kind != DecisionKind.UNDO,
            ModerationDecision.undone_at.is_(None),
        )
        .order_by(ModerationDecision.created_at.desc(), ModerationDecision.id.desc())
        .limit(1)
    )


def undo_last_decision(comment: Comment, moderator: User) -> ModerationDecision:
    """Revert the latest decision still in force: status, reason and note as before it.

    The reverted decision is kept and marked undone; the undo is a decision of its
    own, audited like the others. The author gets no e-mail (the outcome they were
    told of may come back with the next decision).
    """
    if not can_moderate(moderator):
        raise ModerationRefused("not_moderator")
    if comment_text_erased(comment):
        raise ModerationRefused("erased")
    target = last_undoable_decision(comment)
    if target is None or target.new_status is not comment.status:
        # A status that changed since (withdrawn, or by another way) is not ours to revert.
        raise ModerationRefused("nothing_to_undo")
    earlier = db.session.scalar(
        select(ModerationDecision)
        .where(
            ModerationDecision.comment_id == comment.id,
            ModerationDecision.kind != DecisionKind.UNDO,
            ModerationDecision.undone_at.is_(None),
            ModerationDecision.id != target.id,
            ModerationDecision.created_at <= target.created_at,
        )
        .order_by(ModerationDecision.created_at.desc(), ModerationDecision.id.desc())
        .limit(1)
    )
    now = utcnow()
    previous_status = comment.status
    comment.status = target.previous_status
    # The reason and note that were in force: the earlier decision's, else none.
    in_force = earlier if earlier is not None and earlier.new_status is comment.status else None
    comment.rejection_reason = in_force.reason if in_force is not None else None
    comment.moderator_note = in_force.note if in_force is not None else None
    comment.decided_at = earlier.created_at if earlier is not None else None
    if comment.status is CommentStatus.HIDDEN:
        comment.hidden_at = in_force.created_at if in_force is not None else now
    else:
        comment.hidden_at = None
    if comment.status is CommentStatus.PENDING:
        # Back in the queue as if never approved: a pending comment was never public.
        comment.published_at = None
    target.undone_at = now
    decision = ModerationDecision(
        comment_id=comment.id,
        moderator_id=moderator.id,
        kind=DecisionKind.UNDO,
        previous_status=previous_status,
        new_status=comment.status,
        reason=comment.rejection_reason,
        note=comment.moderator_note,
        created_at=now,
    )
    db.session.add(decision)
    _mark_reports_reviewed([comment.id], now)
    record(
        AUDIT_ACTIONS[DecisionKind.UNDO],
        actor_id=moderator.id,
        subject_type="comment",
        subject_id=comment.id,
        undone=target.kind.value,
        old=previous_status.value,
        new=comment.status.value,
    )
    return decision


def _decide(
    comment: Comment,
    moderator: User,
    kind: DecisionKind,
    *,
    reason: RejectionReason | None = None,
    note: str | None = None,
) -> ModerationDecision:
    now = utcnow()
    decision = _apply(comment, moderator, kind, reason=reason, note=note, now=now)
    _mark_reports_reviewed([comment.id], now)
    return decision


def _apply(
    comment: Comment,
    moderator: User,
    kind: DecisionKind,
    *,
    reason: RejectionReason | None,
    note: str | None,
    now: datetime,
) -> ModerationDecision:
    """The decision without marking reports reviewed (one comment's or a batch's)."""
    if not can_moderate(moderator):
        raise ModerationRefused("not_moderator")
    if not can_decide(moderator, comment, kind):
        raise ModerationRefused("wrong_status")
    new_status = TRANSITIONS[kind][1]
    if kind is DecisionKind.REJECT and reason is None:
        raise ModerationRefused("no_reason")
    note = normalise_plain_text(note or "").strip()[:MAX_NOTE_LENGTH] or None
    previous_status = comment.status
    comment.status = new_status
    comment.decided_at = now
    comment.moderator_note = note
    comment.rejection_reason = reason if new_status is CommentStatus.REJECTED else None
    comment.hidden_at = now if new_status is CommentStatus.HIDDEN else None
    if new_status is CommentStatus.PUBLISHED and comment.published_at is None:
        comment.published_at = now
    decision = ModerationDecision(
        comment_id=comment.id,
        moderator_id=moderator.id,
        kind=kind,
        previous_status=previous_status,
        new_status=new_status,
        reason=comment.rejection_reason,
        note=note,
        created_at=now,
    )
    db.session.add(decision)
    details: dict[str, object] = {"old": previous_status.value, "new": new_status.value}
    if reason is not None:
        details["rejection_reason"] = reason.value
    # The note is the decision's "why", in the log's reason like other staff decisions.
    record(
        AUDIT_ACTIONS[kind],
        actor_id=moderator.id,
        subject_type="comment",
        subject_id=comment.id,
        reason=note,
        **details,
    )
    _tell_author(comment, kind)
    return decision


def decide_many(
    comments: Iterable[Comment],
    moderator: User,
    kind: DecisionKind,
    *,
    reason: RejectionReason | None = None,
    note: str | None = None,
) -> tuple[list[ModerationDecision], list[Comment]]:
    """Apply one decision (approve or reject) to several comments.

    Returns the decisions made and the comments it did not apply to (already
    decided by someone else meanwhile, say), which are left as they are. Load
    the comments with `comments_for_update` (rows locked, author, consultation
    and section loaded): their reports are marked reviewed in one statement.
    """
    if kind not in (DecisionKind.APPROVE, DecisionKind.REJECT):
        raise ValueError(f"not a bulk decision: {kind}")
    made: list[ModerationDecision] = []
    skipped: list[Comment] = []
    now = utcnow()
    for comment in comments:
        try:
            made.append(_apply(comment, moderator, kind, reason=reason, note=note, now=now))
        except ModerationRefused:
            skipped.append(comment)
    _mark_reports_reviewed([decision.comment_id for decision in made], now)
    return made, skipped


def _mark_reports_reviewed(comment_ids: list[int], now: datetime) -> None:
    # Reports made before this decision were looked at; a later report is new.
    if comment_ids:
        db.session.execute(
            update(CommentReport)
            .where(CommentReport.comment_id.in_(comment_ids), CommentReport.reviewed_at.is_(None))
            .values(reviewed_at=now)
            .execution_options(synchronize_session="fetch")
        )
    db.session.flush()


def _tell_author(comment: Comment, kind: DecisionKind) -> None:
    mail = AUTHOR_MAILS.get(kind)
    author = comment.author
    if mail is None or not author.receives_mail:
        return
    template, subject = mail
    # The link's language must be the one the e-mail is written in: an enabled one.
    locale = recipient_locale(author)
    consultation = comment.consultation
    if comment.section is not None:
        link = absolute_url(
            "papers.section", lang=locale, slug=consultation.slug, key=comment.section.key
        )
    else:
        link = absolute_url("consultations.show", lang=locale, slug=consultation.slug)
    queue_mail(
        author.email,
        subject,
        template,
        locale,
        comment=comment,
        consultation_title=str(consultation.title_in(locale)),
        section_key=comment.section.key if comment.section is not None else None,
        # The enum, not its label: the template translates it in the author's language.
        reason=comment.rejection_reason,
        note=comment.moderator_note,
        link=link,
    )


def send_moderation_digest() -> int:
    """Queue, for every enabled moderator, editor and administrator, an e-mail with
    what waits per consultation; nothing when nothing waits. Returns how many."""
    counts = waiting_counts()
    if not counts:
        return 0
    staff = db.session.scalars(
        select(User)
        .where(
            User.role.in_(MODERATING_ROLES), User.disabled_at.is_(None), User.deleted_at.is_(None)
        )
        .order_by(User.id)
    )
    total = sum(count.total for count in counts)
    sent = 0
    for user in staff:
        locale = recipient_locale(user)
        queue_mail(
            user.email,
            _ln(
                "%(num)d comment waits for moderation",
                "%(num)d comments wait for moderation",
                total,
            ),
            "moderation_digest",
            locale,
            counts=counts,
            reader_locale=locale,
            links={
                count.consultation.slug: absolute_url(
                    "moderation.queue", lang=locale, slug=count.consultation.slug
                )
                for count in counts
            },
            queue_link=absolute_url("moderation.queue_all", lang=locale),
        )
        sent += 1
    return sent
