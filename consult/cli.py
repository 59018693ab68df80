"""`flask consult ...`: the command-line interface operators and editors rely on."""

from __future__ import annotations

from flask.cli import AppGroup

from consult.accounts.cli import create_user_command
from consult.audit.cli import purge_command
from consult.demo.cli import demo
from consult.exports.cli import export_command
from consult.mail.cli import send_mail_command
from consult.moderation.cli import moderation_digest_command
from consult.papers.cli import import_paper_command

consult_cli = AppGroup("consult", help="Consult's own commands (see README).")
consult_cli.add_command(create_user_command)
consult_cli.add_command(demo)
consult_cli.add_command(import_paper_command)
consult_cli.add_command(send_mail_command)
consult_cli.add_command(moderation_digest_command)
consult_cli.add_command(export_command)
consult_cli.add_command(purge_command)
