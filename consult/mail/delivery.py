"""Delivering the outbox over SMTP, with retries, each message once.

Run by `flask consult send-mail`, possibly by several senders at once. Unlike an
operation this commits, message by message: a claim must be visible to other
senders before the message goes out, and its outcome recorded as soon as known.

A sender claims a message with one conditional UPDATE (PENDING -> SENDING) and
commits; only the sender whose UPDATE changed the row sends it. A claim left by a
sender that died is taken back after `STALE_CLAIM`; if that sender had in fact
sent the message, it goes out twice, with the same Message-ID so that mail
clients can drop the copy.

An attempt counts against a message only when the server answered about that
message (or lost the connection while taking it). A server that cannot be used
at all (refused or timed-out connection, TLS failure, refused sign-in, a sender
address or session refused, 421) is nobody's message's fault: the connection is
made before anything is claimed, and a claim the server turns away as a whole
is given back uncounted. The sender then waits `server_backoff`, which grows
with the outages in a row, so that a long outage, or wrong credentials, never
fail a message.

A message with an `expires_at` is never sent after it: each pass first marks
the waiting ones past it EXPIRED, whether or not the server is up.

Every write here is a short transaction whose first statement is the UPDATE: on
SQLite a transaction that read first and writes later fails at once ("database is
locked") when another sender wrote in between, instead of waiting its turn.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, or_, select, update

from consult.config import SmtpSettings
from consult.core.models import utcnow
from consult.extensions import db
from consult.mail.models import OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 10
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
# Far longer than one message takes (the SMTP timeout is 30 s per exchange).
STALE_CLAIM = timedelta(minutes=10)
# The wait after a pass that found the server unusable: 30 s, 1, 2, 4 minutes, then 5.
FIRST_SERVER_BACKOFF = timedelta(seconds=30)
MAX_SERVER_BACKOFF = timedelta(minutes=5)
MAX_ERROR_LENGTH = 2000


@dataclass
class DeliveryReport:
    """What one pass over the outbox did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    # The connection was lost while a message was being sent (counted against it).
    stopped_by: str | None = None
    # The server could not be used at all; nothing was counted against any message.
    server_unusable: str | None = None
    # With `server_unusable`: how long to leave the server alone.
    server_backoff: timedelta | None = None

    def summary(self) -> str:
        """One line for the command's output."""
        line = (
            f"sent {self.sent}, will retry {self.retried}, failed {self.failed},"
            f" expired {self.expired}"
        )
        if self.stopped_by:
            line += f"; stopped early: {self.stopped_by}"
        if self.server_unusable:
            line += f"; SMTP server unusable: {self.server_unusable}"
            line += "; nothing counted against messages"
        return line


@dataclass(frozen=True)
class _Claimed:
    """A message this sender holds, read in the claim's transaction."""

    id: int
    recipient: str
    subject: str
    text_body: str
    html_body: str
    locale: str
    attempts: int
    created_at: datetime
    claimed_at: datetime


class _PermanentFailure(Exception):
    """This message can never be delivered as it is; retrying will not help."""


class _TemporaryFailure(Exception):
    """This message was not accepted this time (a 4xx answer); the connection is fine."""


class _ServerUnusable(Exception):
    """The server cannot be used at all: not reached, or refusing us rather than the message."""


class _ConnectionLost(Exception):
    """The connection broke while this message was being sent: it may be the message's doing."""


def deliver_pending(
    settings: SmtpSettings,
    mail_from: str,
    *,
    now: datetime | None = None,
    batch: int = 50,
    outages: int = 0,
) -> DeliveryReport:
    """Send up to `batch` due messages over one SMTP connection; commit each outcome.

    Waiting messages past their `expires_at` are marked EXPIRED first. A temporary
    refusal of a message (4xx) puts it back with a growing delay (1, 2, 4 ...
    minutes, at most an hour) until `MAX_ATTEMPTS`; a permanent refusal (5xx for
    the recipient or the content) fails it at once. A server that cannot be used
    at all ends the pass without counting an attempt against any message, and
    `report.server_unusable` says why: `outages` (how many passes in a row before
    this one found it so) sets `report.server_backoff`. A connection lost while
    sending counts against that message and ends the pass.
    `now` fixes the clock (tests); by default each step reads the time. Raises
    ValueError for a `mail_from` that is not an address.
    """
    if "@" not in parseaddr(mail_from)[1]:
        # Checked before claiming anything: every message would fail alike.
        raise ValueError(f"MAIL_FROM is not an e-mail address: {mail_from!r}")
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    report = DeliveryReport(expired=_expire(clock()))
    candidates = db.session.scalars(
        select(OutboxMessage.id)
        .where(_claimable(clock()))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(batch)
    ).all()
    db.session.commit()  # end the read, so that each claim starts afresh
    if not candidates:
        return report
    wait = server_backoff(outages + 1)
    try:
        # Before claiming anything: a server that is down then costs no message an attempt.
        connection = _connect(settings)
    except _ServerUnusable as error:
        report.server_unusable, report.server_backoff = str(error), wait
        return report
    try:
        for message_id in candidates:
            message = _claim(message_id, clock())
            if message is None:
                continue  # another sender has it, or it just expired
            try:
                email = _build(message, mail_from, clock())
                _send(connection, email, message.recipient, settings)
            except _PermanentFailure as error:
                _fail(message, str(error), report)
            except _TemporaryFailure as error:
                _retry_or_fail(message, str(error), clock(), report)
            except _ServerUnusable as error:
                _release(message, str(error), clock() + wait)
                report.server_unusable, report.server_backoff = str(error), wait
                break
            except _ConnectionLost as error:
                _retry_or_fail(message, str(error), clock(), report)
                report.stopped_by = str(error)
                break
            except Exception as error:
                # A bug, or a message the email package cannot write: never leave it
                # claimed, to be taken back and break every sender again.
                current_app.logger.exception("outbox message %s could not be sent", message.id)
                _fail(message, _describe(error), report)
            else:
                if _finish(message, status=OutboxStatus.SENT, sent_at=clock(), last_error=None):
                    report.sent += 1
    finally:
        _quit(connection)
    return report


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 2, 4 ... minutes, at most an hour."""
    doublings = min(max(attempts - 1, 0), 30)  # 2**30 minutes is past any cap
    return min(FIRST_BACKOFF * (1 << doublings), MAX_BACKOFF)


def server_backoff(outages: int) -> timedelta:
    """The wait after the `outages`-th pass in a row that found the server unusable."""
    doublings = min(max(outages - 1, 0), 30)
    return min(FIRST_SERVER_BACKOFF * (1 << doublings), MAX_SERVER_BACKOFF)


def _abandoned(now: datetime) -> ColumnElement[bool]:
    """Claimed by a sender that died while sending."""
    return and_(
        OutboxMessage.status == OutboxStatus.SENDING,
        OutboxMessage.claimed_at < now - STALE_CLAIM,
    )


def _claimable(now: datetime) -> ColumnElement[bool]:
    return and_(
        or_(
            and_(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            ),
            _abandoned(now),
        ),
        or_(OutboxMessage.expires_at.is_(None), OutboxMessage.expires_at > now),
    )


def _expire(now: datetime) -> int:
    """Mark EXPIRED, committed, the waiting messages past their `expires_at`; how many."""
    result = db.session.connection().execute(
        update(OutboxMessage)
        .where(
            or_(OutboxMessage.status == OutboxStatus.PENDING, _abandoned(now)),
            OutboxMessage.expires_at <= now,
        )
        .values(status=OutboxStatus.EXPIRED, claimed_at=None)
    )
    db.session.commit()
    return result.rowcount


def _claim(message_id: int, now: datetime) -> _Claimed | None:
    """Take the message for this sender, committed; None when another sender has it."""
    connection = db.session.connection()
    claimed = connection.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now))
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
    )
    row = None
    if claimed.rowcount == 1:
        row = connection.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.recipient,
                OutboxMessage.subject,
                OutboxMessage.text_body,
                OutboxMessage.html_body,
                OutboxMessage.locale,
                OutboxMessage.attempts,
                OutboxMessage.created_at,
                OutboxMessage.claimed_at,
            ).where(OutboxMessage.id == message_id)
        ).one()
    db.session.commit()
    return _Claimed(**row._mapping) if row is not None else None


def _finish(message: _Claimed, **values: Any) -> bool:
    """Record the outcome, if the claim is still ours (it is, unless we took over 10 minutes)."""
    result = db.session.connection().execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message.id,
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at == message.claimed_at,
        )
        .values(claimed_at=None, **values)
    )
    db.session.commit()
    return result.rowcount == 1


def _fail(message: _Claimed, error: str, report: DeliveryReport) -> None:
    if _finish(message, status=OutboxStatus.FAILED, last_error=error[:MAX_ERROR_LENGTH]):
        report.failed += 1


def _release(message: _Claimed, error: str, not_before: datetime) -> None:
    """Back to PENDING, the claim's attempt taken back: the server refused us, not it."""
    _finish(
        message,
        status=OutboxStatus.PENDING,
        attempts=OutboxMessage.attempts - 1,
        next_attempt_at=not_before,
        last_error=error[:MAX_ERROR_LENGTH],
    )


def _retry_or_fail(message: _Claimed, error: str, now: datetime, report: DeliveryReport) -> None:
    """Back to PENDING after a delay, or FAILED after the last attempt."""
    if message.attempts >= MAX_ATTEMPTS:
        _fail(message, error, report)
        return
    if _finish(
        message,
        status=OutboxStatus.PENDING,
        next_attempt_at=now + backoff(message.attempts),
        last_error=error[:MAX_ERROR_LENGTH],
    ):
        report.retried += 1


def _build(message: _Claimed, mail_from: str, now: datetime) -> EmailMessage:
    """A multipart/alternative message, text first; the email package encodes UTF-8 headers."""
    email = EmailMessage()
    email["From"] = mail_from
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    email["Message-ID"] = _message_id(message, mail_from)
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    # After the parts: setting the content clears the Content-* headers.
    email["Content-Language"] = message.locale.replace("_", "-")
    return email


def _message_id(message: _Claimed, mail_from: str) -> str:
    # Stable across attempts, so that a copy sent twice is known as the same message.
    domain = parseaddr(mail_from)[1].rpartition("@")[2]
    return f"<{message.created_at:%Y%m%d%H%M%S}.{message.id}.outbox@{domain}>"


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An SMTP session ready to send, or _ServerUnusable saying which step failed."""
    where = _where(settings)
    context = ssl.create_default_context()
    connection: smtplib.SMTP | None = None
    step = f"cannot connect to {where}"
    try:
        if settings.security == "ssl":
            connection = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        step = f"{where} did not accept our greeting"
        connection.ehlo_or_helo_if_needed()
        if settings.security == "starttls":
            step = f"STARTTLS with {where} failed"
            connection.starttls(context=context)
        if settings.username:
            step = f"{where} refused the sign-in (check SMTP_USERNAME and SMTP_PASSWORD)"
            connection.login(settings.username, settings.password or "")
    except (smtplib.SMTPException, OSError) as error:
        _quit(connection)
        raise _ServerUnusable(f"{step}: {_describe(error)}") from error
    return connection


def _send(
    connection: smtplib.SMTP, email: EmailMessage, recipient: str, settings: SmtpSettings
) -> None:
    """Send to one recipient, sorting what can go wrong by what to do about it."""
    try:
        connection.send_message(email, to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as error:
        code, _reply = next(iter(error.recipients.values()), (0, b""))
        raise _by_code(code, _describe(error), settings) from error
    except smtplib.SMTPNotSupportedError as error:
        # An internationalised address, and a server without SMTPUTF8.
        raise _PermanentFailure(_describe(error)) from error
    except smtplib.SMTPSenderRefused as error:
        if error.smtp_code == 552:
            # MAIL FROM with SIZE=: this message is larger than the server ever takes.
            raise _PermanentFailure(_describe(error)) from error
        # Our own address refused, or sign-in required: the same for every message.
        raise _ServerUnusable(f"{_where(settings)}: {_describe(error)}") from error
    except smtplib.SMTPDataError as error:
        # After the content: refused for what it is (size, policy), or busy.
        raise _by_code(error.smtp_code, _describe(error), settings) from error
    except smtplib.SMTPResponseException as error:
        # Not about this message (a greeting refused, say).
        raise _ServerUnusable(f"{_where(settings)}: {_describe(error)}") from error
    except (smtplib.SMTPException, OSError) as error:
        # Dropped, or timed out, with this message under way: maybe because of it.
        lost = f"connection to {_where(settings)} lost: {_describe(error)}"
        raise _ConnectionLost(lost) from error


def _by_code(code: int, error: str, settings: SmtpSettings) -> Exception:
    """A 5xx reply about this message is final; 421 closes the session for all; else later."""
    if code == 421:
        return _ServerUnusable(f"{_where(settings)}: {error}")
    return _PermanentFailure(error) if code >= 500 else _TemporaryFailure(error)


def _where(settings: SmtpSettings) -> str:
    return f"{settings.host}:{settings.port}"


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address} refused: {_reply_text(code, reply)}"
            for address, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {_reply_text(error.smtp_code, error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _reply_text(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {text}"


def _quit(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
