"""Forms for the staff sign-in and for choosing a password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from consult.accounts.forms import email_field
from consult.accounts.passwords import MAX_PASSWORD_LENGTH, password_problem
from consult.core.urls import safe_next


class StaffSignInForm(FlaskForm):
    """An address and a password; the page to come back to afterwards."""

    email = email_field(_l("E-mail address"))
    # No length rule beyond a sane maximum: a sign-in only compares, the policy
    # applies when a password is chosen.
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Please enter your password.")),
            Length(max=MAX_PASSWORD_LENGTH * 4),
        ],
    )
    next = HiddenField()

    def safe_next(self) -> str | None:
        return safe_next(self.next.data)


class PasswordSetForm(FlaskForm):
    """A new password, typed twice, checked against the policy."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(_l("Please choose a password."))]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Please type the password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )

    def __init__(self, account_email: str, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.account_email = account_email

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", self.account_email)
        if problem is not None:
            raise ValidationError(problem)
