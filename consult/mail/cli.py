"""`flask consult send-mail`: deliver the outbox, once or until stopped."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from consult.config import Config
from consult.core.models import utcnow
from consult.extensions import db
from consult.mail.delivery import deliver_pending


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep delivering until stopped (SIGTERM or Ctrl-C).")
@click.option(
    "--interval",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Seconds between passes with --loop.",
)
@with_appcontext
def send_mail_command(loop: bool, interval: float) -> None:
    """Deliver queued e-mail over SMTP (settings from SMTP_* variables).

    A pass that finds the server unusable (down, TLS or sign-in refused) counts
    nothing against the messages; with --loop the next pass waits longer after
    each such pass in a row (up to 5 minutes), and without it the command exits 1.
    """
    config: Config = current_app.extensions["consult_config"]
    if config.smtp is None:
        hint = (
            "in development, queued mail is printed to the console when its "
            "transaction commits, and stays in the outbox"
            if not config.production
            else "queued mail stays in the outbox until a server is configured"
        )
        raise click.ClickException(f"no SMTP server is configured (set SMTP_HOST): {hint}")
    stop = threading.Event()
    previous = _stop_on_signals(stop) if loop else {}
    outages = 0  # passes in a row that found the SMTP server unusable
    try:
        while True:
            wait = interval
            try:
                report = deliver_pending(config.smtp, config.mail_from, outages=outages)
            except ValueError as error:
                raise click.ClickException(str(error)) from error
            except OperationalError as error:
                if not loop:
                    raise
                # A database that is briefly away (a restart, a failover) must not end
                # the sender; the next pass tries again.
                db.session.rollback()
                summary = f"database unavailable, trying again: {error.orig or error}"
            else:
                summary = report.summary()
                if report.server_unusable is None:
                    outages = 0
                else:
                    outages += 1
                    if loop and report.server_backoff is not None:
                        wait = max(interval, report.server_backoff.total_seconds())
                        summary += f"; next try in {wait:g} s"
            click.echo(f"{utcnow():%Y-%m-%dT%H:%M:%SZ} {summary}")
            if not loop:
                if outages:
                    # For cron and monitoring: the mail waits, and someone should know why.
                    raise click.exceptions.Exit(1)
                break
            if stop.wait(wait):
                break
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if stop.is_set():
        click.echo("stopped")


# What `signal.signal` hands back: a function, SIG_DFL, SIG_IGN or None.
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


def _stop_on_signals(stop: threading.Event) -> dict[int, _Handler]:
    """Make SIGTERM and Ctrl-C end the loop between passes, never mid-message.

    A second signal gets the usual behaviour back, for a sender that must stop now
    (its claimed message is taken back by another sender later).
    """
    previous: dict[int, _Handler] = {}

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()
        signal.signal(signum, previous[signum])

    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, request_stop)
    return previous
