"""Comments and reports for moderation tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from consult.accounts.models import User
from consult.audit.models import AuditEntry
from consult.comments.models import Comment, CommentReport
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.mail.models import OutboxMessage
from tests.factories import make_consultation, make_participant


def paper() -> Consultation:
    return make_consultation(
        "ai-paper",
        titles={"en": "AI regulation", "es": "Regulación de la IA", "fr": "Régulation de l’IA"},
        sections={"1": {"en": "First."}, "1.a": {"en": "Sub."}},
    )


def author(email: str = "ana@example.org", locale: str = "es") -> User:
    return make_participant(email, preferred_locale=locale)


def report(comment: Comment, reporter: User, note: str = "Insulting") -> CommentReport:
    row = CommentReport(comment_id=comment.id, reporter_id=reporter.id, note=note)
    db.session.add(row)
    db.session.commit()
    return row


def audit_actions(comment: Comment) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject_type == "comment", AuditEntry.subject_id == comment.id)
            .order_by(AuditEntry.id)
        )
    )


def mails_to(address: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == address)
            .order_by(OutboxMessage.id)
        )
    )


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run on the test's connection meanwhile, as sent."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()))

    connection = db.session.connection()
    event.listen(connection, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", note)


def reading(seen: list[str], table: str) -> list[str]:
    """The SELECTs among `seen` that read `table`."""
    return [s for s in seen if s.startswith("SELECT") and f"FROM {table} " in s + " "]
