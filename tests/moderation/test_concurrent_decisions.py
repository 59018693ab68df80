"""Two moderators deciding on one comment at the same moment, on PostgreSQL with real
commits: the row lock makes them decide one after the other, so only one wins."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.accounts.models import Role, User
from consult.comments.models import Comment, CommentStatus, RejectionReason
from consult.comments.queries import comment_for_update_or_404
from consult.extensions import db
from consult.mail.models import OutboxMessage
from consult.moderation.models import DecisionKind, ModerationDecision
from consult.moderation.operations import ModerationRefused, approve_comment, decide_many
from consult.moderation.queries import comments_for_update
from tests.accounts.staff_helpers import make_staff
from tests.concurrency import app_on_own_database
from tests.factories import make_comment
from tests.moderation.helpers import author, paper


@pytest.fixture
def committing_app(tmp_path: Path) -> Iterator[Flask]:
    with app_on_own_database("postgresql", tmp_path, "moderation_race") as app:
        yield app


def test_an_approve_and_a_bulk_reject_at_once_make_one_decision(committing_app: Flask) -> None:
    with committing_app.test_request_context("/en/"):
        comment_id = make_comment(paper(), author(), status=CommentStatus.PENDING).id
        first = make_staff("first@example.org", Role.MODERATOR).id
        second = make_staff("second@example.org", Role.EDITOR).id
    start = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def decide(moderator_id: int, bulk: bool) -> None:
        try:
            with committing_app.test_request_context("/en/"):
                moderator = db.session.get(User, moderator_id)
                assert moderator is not None
                start.wait()
                if bulk:
                    made, _skipped = decide_many(
                        comments_for_update([comment_id]),
                        moderator,
                        DecisionKind.REJECT,
                        reason=RejectionReason.SPAM,
                    )
                    won = bool(made)
                else:
                    try:
                        approve_comment(comment_for_update_or_404(comment_id), moderator)
                        won = True
                    except ModerationRefused:
                        won = False
                # Hold the row a while: the other decision has read it by now if unlocked.
                time.sleep(0.5)
                db.session.commit()
                outcomes.append("won" if won else "refused")
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=decide, args=(first, False)),
        threading.Thread(target=decide, args=(second, True)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(outcomes) == ["refused", "won"]
    with committing_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModerationDecision)) == 1
        comment = db.session.get(Comment, comment_id)
        assert comment is not None
        assert comment.status in (CommentStatus.PUBLISHED, CommentStatus.REJECTED)
        mails = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.recipient == "ana@example.org")
        )
        assert mails == 1
