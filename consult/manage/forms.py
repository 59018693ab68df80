"""Forms of the staff pages: inviting staff, changing roles, disabling accounts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.accounts.forms import email_field
from consult.accounts.models import Role
from consult.accounts.staff import STAFF_ROLES
from consult.core.text import normalise_plain_text


def _searchable(value: str | None) -> str | None:
    """What a filter typed in an address may search for: no control characters
    (PostgreSQL refuses a NUL in any text it is given, even to compare)."""
    return normalise_plain_text(value) if isinstance(value, str) else value


def _role_choices(roles: tuple[Role, ...]) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in roles]


class StaffInviteForm(FlaskForm):
    """An address to invite, and the staff role it will have."""

    email = email_field(_l("E-mail address"))
    role = SelectField(_l("Role"), validators=[DataRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices(STAFF_ROLES)

    def chosen_role(self) -> Role:
        return Role(self.role.data)


class RoleChangeForm(FlaskForm):
    """Any role, participant included (which removes the password)."""

    role = SelectField(_l("Role"), validators=[DataRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices(tuple(Role))

    def chosen_role(self) -> Role:
        return Role(self.role.data)


class UserDisableForm(FlaskForm):
    """Why the account is disabled: the reason goes to the audit log."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Please give a reason.")), Length(max=1000)],
    )


class UserEnableForm(FlaskForm):
    """Enabling an account is a POST with a form token, like every change."""


class PasswordResetForm(FlaskForm):
    """Sending a password link is a POST with a form token, like every change."""


class UserSearchForm(FlaskForm):
    """The filters of the account list, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(
        _l("E-mail address contains"),
        filters=[_searchable],
        validators=[Optional(), Length(max=254)],
    )
    everyone = BooleanField(_l("Include participants"))


class AuditFilterForm(FlaskForm):
    """The audit log's filter, read from the query string."""

    class Meta:
        csrf = False

    action = StringField(
        _l("Action starts with"), filters=[_searchable], validators=[Optional(), Length(max=64)]
    )
