"""`flask consult moderation-digest`: tell moderators what waits for them."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from consult.extensions import db
from consult.moderation.operations import send_moderation_digest


@click.command("moderation-digest")
@with_appcontext
def moderation_digest_command() -> None:
    """E-mail each moderator, editor and administrator how many comments wait and how
    many are reported, per consultation; nothing when nothing waits. Run it from cron
    (daily, say); `consult send-mail` delivers the messages."""
    sent = send_moderation_digest()
    db.session.commit()
    click.echo(f"moderation digest queued for {sent} staff member(s)")
