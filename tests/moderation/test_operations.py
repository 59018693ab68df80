"""Moderation decisions: status, history, audit, reports, and the author's e-mail."""

from __future__ import annotations

import dataclasses

import pytest
from flask import current_app
from sqlalchemy import select

from consult.accounts.models import Role, User
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentStatus, RejectionReason
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.extensions import db
from consult.moderation.models import DecisionKind, ModerationDecision
from consult.moderation.operations import (
    ModerationRefused,
    approve_comment,
    can_approve,
    can_hide,
    can_reject,
    can_restore,
    decide_many,
    hide_comment,
    reject_comment,
    restore_comment,
    undo_last_decision,
)
from consult.moderation.queries import QueueState, comments_for_update, queue_query
from tests.accounts.staff_helpers import make_staff
from tests.factories import make_comment, make_consultation, make_participant
from tests.moderation.helpers import (
    audit_actions,
    author,
    mails_to,
    paper,
    reading,
    report,
    statements,
)

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("app_context")]


def decisions(comment_id: int) -> list[ModerationDecision]:
    return list(
        db.session.scalars(
            select(ModerationDecision)
            .where(ModerationDecision.comment_id == comment_id)
            .order_by(ModerationDecision.id)
        )
    )


def test_approve_publishes_records_audits_and_tells_the_author_in_their_language() -> None:
    comment = make_comment(paper(), author(), status=CommentStatus.PENDING, section_key="1")
    moderator = make_staff("mod@example.org", Role.MODERATOR)

    approve_comment(comment, moderator)

    assert comment.status is CommentStatus.PUBLISHED
    assert comment.published_at is not None and comment.decided_at is not None
    [decision] = decisions(comment.id)
    assert decision.kind is DecisionKind.APPROVE
    assert decision.previous_status is CommentStatus.PENDING
    assert decision.new_status is CommentStatus.PUBLISHED
    assert decision.moderator_id == moderator.id
    assert audit_actions(comment) == ["moderation.approved"]
    [mail] = mails_to("ana@example.org")
    assert mail.locale == "es"
    assert "Regulación de la IA" in mail.text_body
    assert "/es/consultations/ai-paper/sections/1/" in mail.text_body


def test_reject_keeps_reason_and_note_and_mails_them_in_french() -> None:
    writer = author("luc@example.org", "fr")
    comment = make_comment(paper(), writer, status=CommentStatus.PENDING)
    moderator = make_staff("mod@example.org", Role.MODERATOR)

    reject_comment(comment, moderator, RejectionReason.PERSONAL_DATA, "Remove the phone number.")

    assert comment.status is CommentStatus.REJECTED
    assert comment.rejection_reason is RejectionReason.PERSONAL_DATA
    assert comment.moderator_note == "Remove the phone number."
    assert comment.published_at is None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_id == comment.id)).one()
    assert entry.action == "moderation.rejected"
    assert entry.reason == "Remove the phone number."
    assert entry.details["rejection_reason"] == "personal_data"
    [mail] = mails_to("luc@example.org")
    assert mail.locale == "fr"
    assert "Remove the phone number." in mail.text_body
    assert comment.body in mail.text_body


def test_reject_needs_a_reason_and_a_moderator() -> None:
    comment = make_comment(paper(), author(), status=CommentStatus.PENDING)
    participant = make_participant("someone@example.org")
    with pytest.raises(ModerationRefused):
        approve_comment(comment, participant)
    assert comment.status is CommentStatus.PENDING
    assert decisions(comment.id) == []


def test_hide_then_restore_a_published_comment() -> None:
    comment = make_comment(paper(), author())
    first_published = comment.published_at
    moderator = make_staff("mod@example.org", Role.EDITOR)

    hide_comment(comment, moderator, "Off-topic rant.")
    assert comment.status is CommentStatus.HIDDEN and comment.hidden_at is not None
    restore_comment(comment, moderator)

    assert comment.status is CommentStatus.PUBLISHED
    assert comment.hidden_at is None
    assert comment.published_at == first_published
    assert audit_actions(comment) == ["moderation.hidden", "moderation.restored"]
    # The author hears of the hiding, then of the restore, in their language.
    hidden, restored = mails_to("ana@example.org")
    assert restored.locale == "es" and restored.subject != hidden.subject
    assert "/es/consultations/ai-paper/" in restored.text_body
    assert "/es/consultations/ai-paper/" in restored.html_body


def test_decisions_apply_only_from_their_states() -> None:
    comment = make_comment(paper(), author(), status=CommentStatus.PENDING)
    moderator = make_staff("mod@example.org", Role.MODERATOR)
    with pytest.raises(ModerationRefused):
        hide_comment(comment, moderator)
    with pytest.raises(ModerationRefused):
        restore_comment(comment, moderator)
    approve_comment(comment, moderator)
    with pytest.raises(ModerationRefused):
        approve_comment(comment, moderator)


def test_moderation_never_changes_the_text_or_the_shown_time() -> None:
    comment = make_comment(paper(), author(), status=CommentStatus.PENDING)
    body, created_at = comment.body, comment.created_at
    moderator = make_staff("mod@example.org", Role.ADMIN)

    approve_comment(comment, moderator)
    published_at = comment.published_at
    hide_comment(comment, moderator, "note")
    restore_comment(comment, moderator)
    hide_comment(comment, moderator)
    undo_last_decision(comment, moderator)
    db.session.commit()
    db.session.refresh(comment)

    assert comment.body == body
    assert comment.created_at == created_at
    # Published the first time only: a later restore keeps the first date.
    assert comment.published_at == published_at


def test_undo_brings_back_status_reason_and_note() -> None:
    comment = make_comment(paper(), author(), status=CommentStatus.PENDING)
    moderator = make_staff("mod@example.org", Role.MODERATOR)
    reject_comment(comment, moderator, RejectionReason.DUPLICATE, "Same as comment 3.")
    restore_comment(comment, moderator)
    assert comment.rejection_reason is None

    undo_last_decision(comment, moderator)
    assert comment.status is CommentStatus.REJECTED
    assert comment.rejection_reason is RejectionReason.DUPLICATE
    assert comment.moderator_note == "Same as comment 3."

    undo_last_decision(comment, moderator)
    assert comment.status is CommentStatus.PENDING
    assert comment.rejection_reason is None and comment.moderator_note is None
    assert comment.published_at is None and comment.decided_at is None

    kinds = [(d.kind, d.undone_at is not None) for d in decisions(comment.id)]
    assert kinds == [
        (DecisionKind.REJECT, True),
        (DecisionKind.RESTORE, True),
        (DecisionKind.UNDO, False),
        (DecisionKind.UNDO, False),
    ]
    assert audit_actions(comment)[-2:] == ["moderation.undone", "moderation.undone"]
    with pytest.raises(ModerationRefused):
        undo_last_decision(comment, moderator)


def test_undo_of_a_hide_publishes_again() -> None:
    comment = make_comment(paper(), author())
    moderator = make_staff("mod@example.org", Role.MODERATOR)
    hide_comment(comment, moderator, "note")
    undo_last_decision(comment, moderator)
    assert comment.status is CommentStatus.PUBLISHED
    assert comment.hidden_at is None and comment.moderator_note is None


def test_bulk_approve_publishes_each_and_skips_what_was_decided() -> None:
    consultation = paper()
    writer = author()
    waiting = [
        make_comment(consultation, writer, status=CommentStatus.PENDING, body=f"Comment {n}")
        for n in range(3)
    ]
    already = make_comment(consultation, writer, status=CommentStatus.REJECTED)
    moderator = make_staff("mod@example.org", Role.MODERATOR)

    made, skipped = decide_many([*waiting, already], moderator, DecisionKind.APPROVE)

    assert len(made) == 3 and skipped == [already]
    assert all(c.status is CommentStatus.PUBLISHED for c in waiting)
    assert len(mails_to("ana@example.org")) == 3


def reported_ids() -> set[int]:
    return {c.id for c in db.session.scalars(queue_query(state=QueueState.REPORTED))}


def test_a_decision_reviews_reports_and_a_new_report_returns_the_comment() -> None:
    comment = make_comment(paper(), author())
    moderator = make_staff("mod@example.org", Role.MODERATOR)
    first = report(comment, make_participant("r1@example.org"))
    assert reported_ids() == {comment.id}

    hide_comment(comment, moderator, "Insults.")
    assert first.reviewed_at is not None
    assert reported_ids() == set()

    # A moderator's restore is not undone by the old report: it was reviewed.
    restore_comment(comment, moderator)
    db.session.commit()
    assert reported_ids() == set()

    # Reported again, by someone else: back in the queue.
    report(comment, make_participant("r2@example.org"))
    assert reported_ids() == {comment.id}


def comment_in(
    status: CommentStatus, writer: User | None = None, section_key: str | None = None
) -> Comment:
    """A comment in any status, its times as the status needs them."""
    made_as = status if status in (CommentStatus.PENDING, CommentStatus.REJECTED) else None
    comment = make_comment(
        paper(),
        writer or author(),
        status=made_as or CommentStatus.PUBLISHED,
        section_key=section_key,
    )
    if status is CommentStatus.HIDDEN:
        comment.status, comment.hidden_at = status, utcnow()
    elif status is CommentStatus.WITHDRAWN:
        comment.status, comment.withdrawn_at = status, utcnow()
    db.session.commit()
    return comment


# Stated here on purpose, apart from the code's table: the two must agree.
APPLIES_FROM = {
    "approve": {CommentStatus.PENDING},
    "reject": {CommentStatus.PENDING},
    "hide": {CommentStatus.PUBLISHED},
    "restore": {CommentStatus.HIDDEN, CommentStatus.REJECTED},
}
CHECKS = {"approve": can_approve, "reject": can_reject, "hide": can_hide, "restore": can_restore}


def _run(kind: str, comment: Comment, moderator: User) -> None:
    if kind == "approve":
        approve_comment(comment, moderator)
    elif kind == "reject":
        reject_comment(comment, moderator, RejectionReason.SPAM)
    elif kind == "hide":
        hide_comment(comment, moderator)
    else:
        restore_comment(comment, moderator)


@pytest.mark.parametrize("kind", sorted(APPLIES_FROM))
@pytest.mark.parametrize("status", list(CommentStatus))
def test_can_checks_and_operations_agree_on_where_each_decision_applies(
    kind: str, status: CommentStatus
) -> None:
    comment = comment_in(status)
    moderator = make_staff("mod@example.org", Role.MODERATOR)
    participant = make_participant("someone@example.org")
    expected = status in APPLIES_FROM[kind]
    assert CHECKS[kind](moderator, comment) is expected
    assert CHECKS[kind](participant, comment) is False
    if expected:
        _run(kind, comment, moderator)
        assert comment.status is not status
    else:
        with pytest.raises(ModerationRefused):
            _run(kind, comment, moderator)
        assert comment.status is status and decisions(comment.id) == []


def test_a_published_comment_is_hidden_not_rejected() -> None:
    comment = make_comment(paper(), author())
    moderator = make_staff("mod@example.org", Role.ADMIN)
    with pytest.raises(ModerationRefused):
        reject_comment(comment, moderator, RejectionReason.OFF_TOPIC)
    made, skipped = decide_many(
        [comment], moderator, DecisionKind.REJECT, reason=RejectionReason.OFF_TOPIC
    )
    assert made == [] and skipped == [comment]
    assert comment.status is CommentStatus.PUBLISHED and mails_to("ana@example.org") == []


@pytest.mark.parametrize("kind", ["approve", "reject", "hide", "restore"])
def test_the_authors_link_is_in_an_enabled_language(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = {
        "approve": CommentStatus.PENDING,
        "reject": CommentStatus.PENDING,
        "hide": CommentStatus.PUBLISHED,
        "restore": CommentStatus.REJECTED,
    }[kind]
    comment = comment_in(status, author(locale="ar"), section_key="1")
    moderator = make_staff("mod@example.org", Role.MODERATOR)
    config = current_app.extensions["consult_config"]
    # Arabic switched off since the author chose it.
    monkeypatch.setitem(
        current_app.extensions,
        "consult_config",
        dataclasses.replace(config, locales=tuple(c for c in config.locales if c != "ar")),
    )
    _run(kind, comment, moderator)
    [mail] = mails_to("ana@example.org")
    assert mail.locale == "en"
    assert "/en/consultations/ai-paper/sections/1/" in mail.text_body
    assert "/ar/" not in mail.text_body and "/ar/" not in mail.html_body


def test_bulk_decisions_load_and_review_in_a_fixed_number_of_queries() -> None:
    def bulk_statements(count: int, email: str) -> list[str]:
        consultation = paper() if count == 2 else make_consultation_like(email)
        writer = author(email)
        moderator_id = make_staff(f"mod-{email}", Role.MODERATOR).id
        ids = []
        for _ in range(count):
            comment = make_comment(
                consultation, writer, status=CommentStatus.PENDING, section_key="1"
            )
            ids.append(comment.id)
        db.session.commit()
        db.session.expunge_all()
        moderator = db.session.get(User, moderator_id)
        assert moderator is not None
        with statements() as seen:
            made, skipped = decide_many(comments_for_update(ids), moderator, DecisionKind.APPROVE)
        assert len(made) == count and skipped == []
        return seen

    few = bulk_statements(2, "few@example.org")
    many = bulk_statements(5, "many@example.org")
    for table in ("users", "consultations", "consultation_translations", "sections"):
        assert len(reading(many, table)) == len(reading(few, table)), table
    assert len([s for s in many if s.startswith("UPDATE comment_reports")]) == 1


def make_consultation_like(email: str) -> Consultation:
    return make_consultation(
        "other-paper", titles={"en": "Other"}, sections={"1": {"en": "First."}}
    )


def test_bulk_marks_the_reports_of_the_decided_comments_reviewed() -> None:
    consultation = paper()
    writer = author()
    moderator = make_staff("mod@example.org", Role.MODERATOR)
    reported = make_comment(consultation, writer)
    pending = make_comment(consultation, writer, status=CommentStatus.PENDING)
    first = report(reported, make_participant("r1@example.org"))
    hide_comment(reported, moderator)
    restore_comment(reported, moderator)
    again = report(reported, make_participant("r2@example.org"))
    made, skipped = decide_many(
        comments_for_update([pending.id, reported.id]), moderator, DecisionKind.APPROVE
    )
    assert [d.comment_id for d in made] == [pending.id] and skipped == [reported]
    assert first.reviewed_at is not None
    # Not decided by the bulk: its new report stays open.
    db.session.refresh(again)
    assert again.reviewed_at is None
