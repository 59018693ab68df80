"""`flask consult create-user EMAIL --role ROLE`: a staff account with a password.

The password is typed at a hidden prompt (twice) on a terminal, or read as one
line from standard input otherwise (`... < password-file`, a secrets manager's
pipe), and never echoed, logged or put on the command line, where other users of
the machine could read it in the process list.
"""

from __future__ import annotations

import sys

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import with_appcontext

from consult.accounts.models import Role
from consult.accounts.operations import get_user_by_email
from consult.accounts.staff import STAFF_ROLES, LastAdmin, WeakPassword, create_staff_user
from consult.extensions import db


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_password() -> str:
    if _stdin_is_terminal():
        password: str = click.prompt(
            "Password", hide_input=True, confirmation_prompt=True, prompt_suffix=": "
        )
        return password
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    "role_name",
    type=click.Choice([role.value for role in STAFF_ROLES]),
    required=True,
    help="The staff role the account will have.",
)
@with_appcontext
def create_user_command(email: str, role_name: str) -> None:
    """Create a staff account, or set the role and password of an existing one.

    The password is asked for at a hidden prompt, or read as one line from
    standard input when that is not a terminal.
    """
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.ClickException(f"{email!r} is not an e-mail address: {error}") from error
    password = _read_password()
    role = Role(role_name)
    existing = get_user_by_email(email)
    try:
        user = create_staff_user(email, role, password)
    except WeakPassword as problem:
        raise click.ClickException(str(problem)) from None
    except LastAdmin as error:
        raise click.ClickException(
            "this is the last enabled administrator: make another one first"
        ) from error
    db.session.commit()
    action = "updated (its open sessions were ended)" if existing else "created"
    click.echo(f"{user.email}: {role.value} account {action}.")
    if user.is_disabled:
        click.echo("Note: this account is disabled; an administrator can enable it.")
