"""Two senders at once deliver each message exactly once.

They commit for real, each in its own session and connection, on a database of
the test's own: the suite's savepoint-per-test session cannot be shared by threads.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from consult.core.models import utcnow
from consult.extensions import db
from consult.mail.delivery import DeliveryReport, deliver_pending
from consult.mail.models import OutboxMessage, OutboxStatus
from consult.mail.operations import queue_mail
from tests.mail.conftest import MAIL_FROM, SmtpServer

MESSAGES = 40


@pytest.mark.db
def test_two_senders_at_once_deliver_each_message_exactly_once(
    own_app: Flask, smtp_server: SmtpServer
) -> None:
    recipients = [f"reader{n}@example.org" for n in range(MESSAGES)]
    with own_app.test_request_context("/en/"):
        for recipient in recipients:
            queue_mail(recipient, "Sign in", "sign_in_link", "en", link="https://x/", minutes=30)
        db.session.commit()
    now = utcnow() + timedelta(minutes=1)
    start = threading.Barrier(2)

    def sender() -> DeliveryReport:
        # Each thread has an application context, hence a session and connection, of its own.
        with own_app.app_context():
            start.wait(timeout=10)
            return deliver_pending(smtp_server.settings, MAIL_FROM, now=now)

    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = [future.result() for future in [pool.submit(sender) for _ in range(2)]]

    assert sorted(smtp_server.recipients()) == sorted(recipients)
    assert sum(report.sent for report in reports) == MESSAGES
    assert all(report.retried == report.failed == 0 for report in reports)
    with own_app.app_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert {row.status for row in rows} == {OutboxStatus.SENT}
        assert {row.attempts for row in rows} == {1}
