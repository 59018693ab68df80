"""Delivering the outbox to a real SMTP server on loopback."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session, scoped_session

from consult.core.models import utcnow
from consult.mail.delivery import MAX_ATTEMPTS, STALE_CLAIM, deliver_pending
from consult.mail.models import OutboxMessage, OutboxStatus
from consult.mail.operations import queue_mail
from tests.mail.conftest import MAIL_FROM, SmtpServer

ARABIC_SUBJECT = "رابط تسجيل الدخول إلى منصة التشاور"
LINK = "https://consult.example/ar/sign-in/abc"


def queue_committed(
    db_session: scoped_session[Session],
    recipient: str = "reader@example.org",
    subject: str = ARABIC_SUBJECT,
) -> OutboxMessage:
    message = queue_mail(recipient, subject, "sign_in_link", "ar", link=LINK, minutes=30)
    db_session.commit()
    return message


def a_minute_from_now() -> datetime:
    # Messages are due from when they are queued; a pass a little later takes them.
    return utcnow() + timedelta(minutes=1)


@pytest.mark.db
def test_a_queued_message_is_delivered_once_with_text_html_and_an_arabic_subject(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    message = queue_committed(db_session)
    now = a_minute_from_now()

    first = deliver_pending(smtp_server.settings, MAIL_FROM, now=now)
    again = deliver_pending(smtp_server.settings, MAIL_FROM, now=now + timedelta(hours=1))

    assert (first.sent, first.retried, first.failed) == (1, 0, 0)
    assert (again.sent, again.retried, again.failed) == (0, 0, 0)
    assert smtp_server.recipients() == ["reader@example.org"]
    [received] = smtp_server.messages()
    assert received["Subject"] == ARABIC_SUBJECT
    # Encoded for any server: the addresses are ASCII, so SMTPUTF8 is not needed.
    assert b"=?utf-8?" in smtp_server.raw_messages()[0].lower()
    assert received["To"] == "reader@example.org"
    assert received["From"].addresses[0].addr_spec == "no-reply@consult.example"
    assert received["Message-ID"].endswith(f".{message.id}.outbox@consult.example>")
    assert received["Date"].datetime == now.replace(microsecond=0)
    assert received["Content-Language"] == "ar"
    assert received.get_content_type() == "multipart/alternative"
    text = received.get_body(preferencelist=("plain",))
    html = received.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert LINK in text.get_content()
    assert '<html lang="ar" dir="rtl">' in html.get_content()
    assert message.status is OutboxStatus.SENT
    assert message.sent_at == now
    assert message.attempts == 1
    assert message.claimed_at is None


@pytest.mark.db
def test_a_server_down_for_twenty_passes_costs_no_attempt_and_then_delivers(
    app_context: None, db_session: scoped_session[Session], smtp_server_down: SmtpServer
) -> None:
    first = queue_committed(db_session, "first@example.org")
    second = queue_committed(db_session, "second@example.org")
    due = first.next_attempt_at, second.next_attempt_at
    now = a_minute_from_now()
    backoffs = []

    for outages in range(20):
        down = deliver_pending(smtp_server_down.settings, MAIL_FROM, now=now, outages=outages)
        assert (down.sent, down.retried, down.failed) == (0, 0, 0)
        assert down.server_unusable is not None
        assert down.server_backoff is not None
        backoffs.append(down.server_backoff.total_seconds())
        now += down.server_backoff

    assert backoffs[:6] == [30, 60, 120, 240, 300, 300]
    assert set(backoffs[6:]) == {300}
    assert f"cannot connect to 127.0.0.1:{smtp_server_down.port}" in (down.server_unusable or "")
    assert "SMTP server unusable: cannot connect to" in down.summary()
    assert "nothing counted against messages" in down.summary()
    for message in (first, second):
        assert message.status is OutboxStatus.PENDING
        assert message.attempts == 0
        assert message.claimed_at is None
        assert message.last_error is None
    assert (first.next_attempt_at, second.next_attempt_at) == due

    smtp_server_down.start()
    up = deliver_pending(smtp_server_down.settings, MAIL_FROM, now=now)

    assert (up.sent, up.retried, up.failed) == (2, 0, 0)
    assert up.server_unusable is None
    assert smtp_server_down.recipients() == ["first@example.org", "second@example.org"]
    assert first.status is second.status is OutboxStatus.SENT
    assert first.attempts == second.attempts == 1


@pytest.mark.db
def test_a_wrong_smtp_password_costs_no_attempt_and_says_so(
    app_context: None, db_session: scoped_session[Session], smtp_server_with_sign_in: SmtpServer
) -> None:
    message = queue_committed(db_session)
    now = a_minute_from_now()
    wrong = smtp_server_with_sign_in.settings_with(username="consult", password="wrong")

    for outages in range(MAX_ATTEMPTS + 2):
        refused = deliver_pending(wrong, MAIL_FROM, now=now, outages=outages)
        assert refused.server_unusable is not None
        assert "refused the sign-in (check SMTP_USERNAME and SMTP_PASSWORD)" in (
            refused.server_unusable
        )
        assert "535" in refused.server_unusable

    assert message.status is OutboxStatus.PENDING
    assert message.attempts == 0

    right = smtp_server_with_sign_in.settings_with(username="consult", password="right")
    accepted = deliver_pending(right, MAIL_FROM, now=now)

    assert accepted.sent == 1
    assert message.status is OutboxStatus.SENT
    assert smtp_server_with_sign_in.recipients() == ["reader@example.org"]


@pytest.mark.db
def test_a_server_that_refuses_our_session_gives_the_claim_back_uncounted(
    app_context: None, db_session: scoped_session[Session], smtp_server_with_sign_in: SmtpServer
) -> None:
    # No user name configured: the server refuses MAIL FROM ("530 authentication
    # required"), after the message was claimed. Not the message's fault.
    claimed = queue_committed(db_session, "first@example.org")
    untouched = queue_committed(db_session, "second@example.org")
    due = untouched.next_attempt_at
    now = a_minute_from_now()

    report = deliver_pending(smtp_server_with_sign_in.settings, MAIL_FROM, now=now, outages=2)

    assert (report.sent, report.retried, report.failed) == (0, 0, 0)
    assert report.server_unusable is not None
    assert "530" in report.server_unusable
    assert report.server_backoff == timedelta(minutes=2)
    assert claimed.status is OutboxStatus.PENDING
    assert claimed.attempts == 0
    assert claimed.claimed_at is None
    assert claimed.next_attempt_at == now + timedelta(minutes=2)
    assert claimed.last_error is not None and "530" in claimed.last_error
    # The pass stopped at the first refusal.
    assert untouched.status is OutboxStatus.PENDING
    assert untouched.attempts == 0
    assert untouched.next_attempt_at == due


@pytest.mark.db
def test_a_421_closing_the_session_is_the_servers_doing_not_the_messages(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    smtp_server.handler.refuse["reader@example.org"] = "421 4.7.0 Too many messages, closing"
    message = queue_committed(db_session)
    now = a_minute_from_now()

    report = deliver_pending(smtp_server.settings, MAIL_FROM, now=now)

    assert report.server_unusable is not None
    assert "421 4.7.0" in report.server_unusable
    assert message.status is OutboxStatus.PENDING
    assert message.attempts == 0
    assert message.next_attempt_at == now + timedelta(seconds=30)


@pytest.mark.db
def test_a_connection_lost_while_sending_counts_against_that_message_only(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    # It may have been delivered, or the message may be what breaks the server:
    # counted, so that a message that always does fails in the end.
    smtp_server.handler.hang["slow@example.org"] = 3.0
    lost = queue_committed(db_session, "slow@example.org")
    untouched = queue_committed(db_session, "reader@example.org")
    now = a_minute_from_now()

    report = deliver_pending(smtp_server.settings_with(timeout=0.5), MAIL_FROM, now=now)

    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    assert report.server_unusable is None
    assert report.stopped_by is not None
    assert f"connection to 127.0.0.1:{smtp_server.port} lost" in report.stopped_by
    assert lost.status is OutboxStatus.PENDING
    assert lost.attempts == 1
    assert lost.next_attempt_at == now + timedelta(minutes=1)
    assert untouched.attempts == 0

    later = deliver_pending(smtp_server.settings, MAIL_FROM, now=now + timedelta(seconds=30))

    assert later.sent == 1
    assert untouched.status is OutboxStatus.SENT


@pytest.mark.db
def test_a_recipient_refused_for_now_is_retried_with_doubling_delays_then_given_up(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    smtp_server.handler.refuse["busy@example.org"] = "451 4.3.0 Mailbox busy, try later"
    message = queue_committed(db_session, "busy@example.org")
    now = a_minute_from_now()
    delays = []

    for _ in range(MAX_ATTEMPTS):
        deliver_pending(smtp_server.settings, MAIL_FROM, now=now)
        if message.status is not OutboxStatus.PENDING:
            break
        delays.append(message.next_attempt_at - now)
        now = message.next_attempt_at

    assert [d // timedelta(minutes=1) for d in delays] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert message.status is OutboxStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS


@pytest.mark.db
def test_a_message_past_its_expiry_is_marked_expired_and_never_sent(
    app_context: None, db_session: scoped_session[Session], smtp_server_down: SmtpServer
) -> None:
    queued_at = utcnow()
    late = queue_mail(
        "late@example.org",
        "Sign in",
        "sign_in_link",
        "en",
        link=LINK,
        minutes=30,
        expires_at=queued_at + timedelta(minutes=30),
    )
    lasting = queue_mail(
        "lasting@example.org", "Hello", "sign_in_link", "en", link=LINK, minutes=30
    )
    db_session.commit()

    # The server is down for three hours: the sign-in e-mail is noise by then.
    three_hours_later = queued_at + timedelta(hours=3)
    down = deliver_pending(smtp_server_down.settings, MAIL_FROM, now=three_hours_later)

    assert down.expired == 1
    assert "expired 1" in down.summary()
    assert late.status is OutboxStatus.EXPIRED
    assert late.attempts == 0

    smtp_server_down.start()
    up = deliver_pending(smtp_server_down.settings, MAIL_FROM, now=three_hours_later)

    assert (up.sent, up.expired) == (1, 0)
    assert smtp_server_down.recipients() == ["lasting@example.org"]
    assert late.status is OutboxStatus.EXPIRED
    assert lasting.status is OutboxStatus.SENT


@pytest.mark.db
def test_a_message_still_in_time_is_sent_and_an_abandoned_claim_past_it_expires(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    now = a_minute_from_now()
    in_time = queue_mail(
        "reader@example.org",
        "Sign in",
        "sign_in_link",
        "en",
        link=LINK,
        minutes=30,
        expires_at=now + timedelta(seconds=1),
    )
    abandoned = queue_mail(
        "other@example.org",
        "Sign in",
        "sign_in_link",
        "en",
        link=LINK,
        minutes=30,
        expires_at=now - timedelta(seconds=1),
    )
    abandoned.status = OutboxStatus.SENDING
    abandoned.claimed_at = now - STALE_CLAIM - timedelta(seconds=1)
    abandoned.attempts = 1
    db_session.commit()

    report = deliver_pending(smtp_server.settings, MAIL_FROM, now=now)

    assert (report.sent, report.expired) == (1, 1)
    assert in_time.status is OutboxStatus.SENT
    assert abandoned.status is OutboxStatus.EXPIRED
    assert abandoned.claimed_at is None
    assert smtp_server.recipients() == ["reader@example.org"]


@pytest.mark.db
def test_a_recipient_refused_for_good_fails_at_once_and_the_others_still_go(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    smtp_server.handler.refuse["nobody@example.org"] = "550 5.1.1 No such mailbox here"
    refused = queue_committed(db_session, "nobody@example.org")
    accepted = queue_committed(db_session, "reader@example.org")

    report = deliver_pending(smtp_server.settings, MAIL_FROM, now=a_minute_from_now())

    assert (report.sent, report.retried, report.failed) == (1, 0, 1)
    assert refused.status is OutboxStatus.FAILED
    assert refused.attempts == 1
    assert refused.last_error is not None
    assert "550 5.1.1 No such mailbox here" in refused.last_error
    assert accepted.status is OutboxStatus.SENT
    assert smtp_server.recipients() == ["reader@example.org"]


@pytest.mark.db
def test_a_recipient_refused_for_now_is_tried_again_later(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    smtp_server.handler.refuse["busy@example.org"] = "451 4.3.0 Mailbox busy, try later"
    message = queue_committed(db_session, "busy@example.org")
    now = a_minute_from_now()

    report = deliver_pending(smtp_server.settings, MAIL_FROM, now=now)

    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    assert report.stopped_by is None
    assert message.status is OutboxStatus.PENDING
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert message.last_error is not None
    assert "451 4.3.0" in message.last_error


@pytest.mark.db
def test_a_claim_left_by_a_sender_that_died_is_taken_back_after_ten_minutes(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    message = queue_committed(db_session)
    claimed_at = a_minute_from_now()
    message.status = OutboxStatus.SENDING
    message.claimed_at = claimed_at
    message.attempts = 1
    db_session.commit()

    while_it_may_still_be_sending = deliver_pending(
        smtp_server.settings, MAIL_FROM, now=claimed_at + STALE_CLAIM - timedelta(seconds=1)
    )
    assert while_it_may_still_be_sending.sent == 0

    later = deliver_pending(
        smtp_server.settings, MAIL_FROM, now=claimed_at + STALE_CLAIM + timedelta(seconds=1)
    )

    assert later.sent == 1
    assert message.status is OutboxStatus.SENT
    assert message.attempts == 2
    assert smtp_server.recipients() == ["reader@example.org"]


@pytest.mark.db
def test_an_international_address_goes_out_with_smtputf8(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    queue_committed(db_session, "josé@exemple.fr")

    report = deliver_pending(
        smtp_server.settings, "منصة التشاور <no-reply@consult.example>", now=a_minute_from_now()
    )

    assert report.sent == 1
    assert smtp_server.recipients() == ["josé@exemple.fr"]
    [received] = smtp_server.messages()
    assert str(received["From"]) == "منصة التشاور <no-reply@consult.example>"


def test_a_sender_address_that_is_not_one_is_refused_before_anything_is_claimed(
    app_context: None, db_session: scoped_session[Session], smtp_server: SmtpServer
) -> None:
    with pytest.raises(ValueError, match="MAIL_FROM"):
        deliver_pending(smtp_server.settings, "Consult", now=a_minute_from_now())
