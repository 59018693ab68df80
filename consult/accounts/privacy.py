"""Everything Consult holds about one person, as one JSON document they may download.

`download_personal_data` makes the file and audits the download (flushes, never
commits). Texts are given exactly as stored; times in ISO 8601 UTC. Network
hashes, token hashes and password hashes are not the person's data but the
site's safeguards, and are left out.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from consult.accounts.models import User, UserSession
from consult.audit.models import AuditEntry
from consult.audit.operations import record
from consult.comments.models import Comment, CommentReport
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.exports.cells import utc_text
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.questionnaires.models import Answer, Question, QuestionKind, Response

# Bumped when a field changes meaning, so that a reader of the file knows which it has.
FORMAT = "consult-personal-data/1"


def _time(moment: datetime | None) -> str | None:
    return utc_text(moment) or None


def entries_by_or_about(user: User) -> Select[AuditEntry]:
    """The audit entries of what `user` did, or of what was done to their account,
    oldest first: what they download, and what deleting the account scrubs."""
    return (
        select(AuditEntry)
        .where(
            or_(
                AuditEntry.actor_id == user.id,
                (AuditEntry.subject_type == "user") & (AuditEntry.subject_id == user.id),
            )
        )
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )


def download_personal_data(user: User) -> str:
    """The file `user` asked for (`personal_data_json`), the download audited. Flushes."""
    document = personal_data_json(user)
    record("user.data_downloaded", actor_id=user.id, subject_type="user", subject_id=user.id)
    db.session.flush()
    return document


def personal_data(user: User) -> dict[str, object]:
    """What Consult holds about `user`, by kind."""
    return {
        "format": FORMAT,
        "made_at": _time(utcnow()),
        "account": _account(user),
        "comments": _comments(user),
        "reports": _reports(user),
        "responses": _responses(user),
        "audit_log": _audit(user),
        "sessions": _sessions(user),
        "emails": _emails(user),
    }


def personal_data_json(user: User) -> str:
    """`personal_data` as the file: UTF-8 text, indented to be read by a person."""
    return json.dumps(personal_data(user), ensure_ascii=False, indent=2) + "\n"


def _account(user: User) -> dict[str, object]:
    return {
        "id": user.id,
        "email": user.email,
        "role": user.role.value,
        "display_name": user.display_name,
        "organisation": user.organisation,
        "stakeholder_group": user.stakeholder_group,
        "country": user.country,
        "preferred_language": user.preferred_locale,
        "created_at": _time(user.created_at),
        "privacy_notice_accepted_at": _time(user.privacy_accepted_at),
        "profile_completed_at": _time(user.profile_completed_at),
        "last_sign_in_at": _time(user.last_sign_in_at),
        "disabled_at": _time(user.disabled_at),
        "two_step_sign_in_since": _time(user.totp_enabled_at),
    }


def _consultation(consultation: Consultation, locale: str) -> dict[str, object]:
    return {"slug": consultation.slug, "title": consultation.title_in(locale).value}


def _comments(user: User) -> list[dict[str, object]]:
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.author_id == user.id)
        .options(
            selectinload(Comment.consultation).selectinload(Consultation.translations),
            selectinload(Comment.section),
        )
        .order_by(Comment.created_at, Comment.id)
    )
    return [
        {
            "id": comment.id,
            "consultation": _consultation(comment.consultation, comment.language),
            # None: a general comment on the paper as a whole.
            "section_key": comment.section.key if comment.section is not None else None,
            "language": comment.language,
            "text": comment.body,
            "status": comment.status.value,
            "rejection_reason": comment.rejection_reason.value
            if comment.rejection_reason
            else None,
            "moderator_note": comment.moderator_note,
            "shown_as": comment.identity.value,
            "author_snapshot": {
                "name": comment.author_name,
                "organisation": comment.author_organisation,
                "stakeholder_group": comment.author_group,
                "country": comment.author_country,
            },
            "submitted_at": _time(comment.created_at),
            "published_at": _time(comment.published_at),
            "decided_at": _time(comment.decided_at),
            "hidden_at": _time(comment.hidden_at),
            "withdrawn_at": _time(comment.withdrawn_at),
        }
        for comment in comments
    ]


def _reports(user: User) -> list[dict[str, object]]:
    """The reports `user` made about others' comments: their own note, not the comment."""
    reports = db.session.scalars(
        select(CommentReport)
        .where(CommentReport.reporter_id == user.id)
        .order_by(CommentReport.created_at, CommentReport.id)
    )
    return [
        {
            "comment_id": report.comment_id,
            "note": report.note,
            "reported_at": _time(report.created_at),
        }
        for report in reports
    ]


def _responses(user: User) -> list[dict[str, object]]:
    responses = db.session.scalars(
        select(Response)
        .where(Response.author_id == user.id)
        .options(
            selectinload(Response.consultation).selectinload(Consultation.translations),
            selectinload(Response.answers)
            .selectinload(Answer.question)
            .selectinload(Question.translations),
        )
        .order_by(Response.created_at, Response.id)
    )
    return [
        {
            "id": response.id,
            "consultation": _consultation(response.consultation, response.language),
            "status": response.status.value,
            "language": response.language,
            "shown_as": response.identity.value if response.identity else None,
            "author_snapshot": {
                "name": response.author_name,
                "organisation": response.author_organisation,
                "stakeholder_group": response.author_group,
                "country": response.author_country,
            },
            "created_at": _time(response.created_at),
            "updated_at": _time(response.updated_at),
            "submitted_at": _time(response.submitted_at),
            "answers": [
                _answer(answer, response.language)
                for answer in sorted(
                    response.answers.values(), key=lambda a: (a.question.position, a.question_id)
                )
            ],
        }
        for response in responses
    ]


def _answer(answer: Answer, locale: str) -> dict[str, object]:
    """One answer, with the question as the respondent read it (their response's language)."""
    question = answer.question
    value: object
    if question.kind.has_options:
        labels = {option.id: option.label_in(locale).value for option in question.options}
        value = [labels.get(option_id, str(option_id)) for option_id in answer.option_ids or []]
    elif question.kind is QuestionKind.SCALE:
        value = answer.number
    elif question.kind is QuestionKind.YES_NO:
        value = answer.flag
    else:
        value = answer.text
    return {"question": question.text_in(locale).value, "answer": value}


def _audit(user: User) -> list[dict[str, object]]:
    """Entries of what `user` did, or what was done to their account."""
    entries = db.session.scalars(entries_by_or_about(user))
    return [
        {
            "at": _time(entry.created_at),
            "action": entry.action,
            "by_you": entry.actor_id == user.id,
            "subject": {"type": entry.subject_type, "id": entry.subject_id}
            if entry.subject_type
            else None,
            "reason": entry.reason,
            "details": entry.details or {},
        }
        for entry in entries
    ]


def _sessions(user: User) -> list[dict[str, object]]:
    sessions = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.created_at, UserSession.id)
    )
    return [
        {
            "started_at": _time(session.created_at),
            "ended_at": _time(session.ended_at),
            "with_password": session.with_password,
        }
        for session in sessions
    ]


def _emails(user: User) -> list[dict[str, object]]:
    """E-mail Consult sent or will send to the address: when, and about what."""
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == user.email)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return [
        {
            "subject": message.subject,
            "status": message.status.value,
            "queued_at": _time(message.created_at),
            "sent_at": _time(message.sent_at),
        }
        for message in messages
    ]
