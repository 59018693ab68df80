"""`flask consult demo`: load the demo consultations."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from consult.config import Config
from consult.core.models import utcnow
from consult.demo.loader import load_demo
from consult.extensions import db


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo consultations (safe to run again; refuses in production)."""
    config: Config = current_app.extensions["consult_config"]
    if config.production:
        raise click.ClickException("the demo content is not loaded under production settings")
    for line in load_demo(utcnow(), config.locales):
        click.echo(line)
    db.session.commit()
