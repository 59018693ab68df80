"""`flask consult purge`: forget network addresses the audit log no longer needs."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from consult.audit.operations import purge_network_hashes
from consult.config import Config
from consult.core.models import utcnow
from consult.extensions import db


@click.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=0),
    help="Keep the hashes of the last DAYS days (default: CONSULT_NETWORK_HASH_DAYS, 30).",
)
@with_appcontext
def purge_command(days: int | None) -> None:
    """Clear the keyed hashes of network addresses from audit entries older than the
    retention period; the entries stay. Run it from cron (daily, say)."""
    config: Config = current_app.extensions["consult_config"]
    kept = config.network_hash_days if days is None else days
    cleared = purge_network_hashes(utcnow() - timedelta(days=kept))
    db.session.commit()
    click.echo(f"cleared the network hash of {cleared} audit entr{'y' if cleared == 1 else 'ies'}")
