"""In development, queued mail is printed to the console once its transaction commits.

So a newcomer under `make run` can copy a sign-in link without a mail server. The
messages stay in the outbox either way; printing is not delivery.

The listeners are global, on SQLAlchemy's `Session` class, rather than on
`db.session`: the test suite swaps `db.session` for a session of its own, and a
listener on the class serves both. They act only on sessions that hold
messages queued with the console on.
"""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask import Flask, current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction, object_session

from consult.config import Config
from consult.mail.models import OutboxMessage

# In `app.extensions`: whether this application prints queued mail.
EXTENSION_KEY = "consult_mail_console"
# In `Session.info`: messages queued in the session's current transaction.
_QUEUED_KEY = "consult_mail_console_queued"
_RULE = "-" * 72

_listening = False


@dataclass(frozen=True)
class _Queued:
    message: OutboxMessage
    # Copied when queued: after a commit the message's attributes are expired,
    # and an `after_commit` listener may not load them again.
    recipient: str
    subject: str
    text_body: str

    def as_text(self) -> str:
        return "\n".join(
            [
                f"{_RULE}\nE-mail kept in the outbox (development: not sent)",
                f"To: {self.recipient}",
                f"Subject: {self.subject}",
                "",
                self.text_body.rstrip(),
                _RULE,
            ]
        )


def init_app(app: Flask) -> None:
    """Turn the console on for `app` unless it runs under production settings."""
    config: Config = app.extensions["consult_config"]
    app.extensions[EXTENSION_KEY] = not config.production
    _listen_once()


def remember_for_console(message: OutboxMessage) -> None:
    """Note a just-flushed message, to be printed if its transaction commits."""
    if not current_app.extensions.get(EXTENSION_KEY):
        return
    session = object_session(message)
    if session is None:
        return
    queued: list[_Queued] = session.info.setdefault(_QUEUED_KEY, [])
    queued.append(_Queued(message, message.recipient, message.subject, message.text_body))


def _listen_once() -> None:
    global _listening
    if _listening:
        return
    _listening = True
    event.listen(Session, "after_commit", _print_committed)
    event.listen(Session, "after_transaction_end", _forget_rolled_back)


def _print_committed(session: Session) -> None:
    queued: list[_Queued] | None = session.info.pop(_QUEUED_KEY, None)
    for item in queued or ():
        # Deleted again before the commit: never really queued.
        if inspect(item.message).persistent:
            click.echo(item.as_text())


def _forget_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    queued: list[_Queued] | None = session.info.get(_QUEUED_KEY)
    if not queued:
        return
    if transaction.parent is None:
        # The whole transaction is over; had it committed, `after_commit` printed
        # and emptied the list first. What is left was rolled back or abandoned.
        del session.info[_QUEUED_KEY]
        return
    # A savepoint ended: rolled back, it expunged the messages added inside it.
    session.info[_QUEUED_KEY] = [q for q in queued if inspect(q.message).persistent]
