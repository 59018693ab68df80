"""Writing mail: put a rendered message in the outbox, in the caller's transaction.

Like every operation this flushes but never commits: the message leaves only if
the event that caused it is committed with it, and a rollback takes it back.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale

from consult.config import Config
from consult.extensions import db
from consult.mail.console import remember_for_console
from consult.mail.models import OutboxMessage

# The columns' sizes, checked here so that every database refuses alike.
MAX_RECIPIENT_LENGTH = 254
MAX_SUBJECT_LENGTH = 300


def queue_mail(
    recipient: str,
    subject: str,
    template: str,
    locale: str,
    *,
    expires_at: datetime | None = None,
    **context: object,
) -> OutboxMessage:
    """Render `templates/emails/<template>.txt` and `.html` in `locale` and queue them.

    `subject` may be a lazy string: it is translated here, in the recipient's
    language, like the templates' own strings. A locale that is not (or no longer)
    enabled falls back to the default one. A message that is useless once late
    (one carrying a link that stops working) gets an aware `expires_at`: it is
    never sent after that, but marked expired. The message is added to the
    session and flushed, never committed.
    """
    config: Config = current_app.extensions["consult_config"]
    if locale not in config.locales:
        locale = config.default_locale
    recipient = recipient.strip()
    if "@" not in recipient or len(recipient) > MAX_RECIPIENT_LENGTH or _has_line_break(recipient):
        raise ValueError(f"not an e-mail address: {recipient!r}")
    if expires_at is not None and expires_at.utcoffset() is None:
        raise ValueError("expires_at must be an aware datetime")
    with force_locale(locale):
        # A translation must not be able to inject a header through the subject.
        subject_text = " ".join(str(subject).split())[:MAX_SUBJECT_LENGTH]
        values = {**context, "subject": subject_text, "lang_code": locale}
        text_body = render_template(f"emails/{template}.txt", **values)
        html_body = render_template(f"emails/{template}.html", **values)
    message = OutboxMessage(
        recipient=recipient,
        subject=subject_text,
        text_body=text_body,
        html_body=html_body,
        locale=locale,
        expires_at=expires_at,
    )
    db.session.add(message)
    db.session.flush()
    remember_for_console(message)
    return message


def _has_line_break(value: str) -> bool:
    return any(char in value for char in "\r\n")
