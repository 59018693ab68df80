"""Forms for signing in and for profiles."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from consult.core.bots import BotCheckedForm
from consult.core.text import normalise_plain_text
from consult.core.urls import safe_next

# The longest address SMTP allows.
MAX_EMAIL_LENGTH = 254
# "none / international organisation" in the country list.
NO_COUNTRY = "none"


def _strip(value: str | None) -> str | None:
    """Spaces copied around an address are not part of it."""
    return value.strip() if isinstance(value, str) else value


def email_field(label: str) -> EmailField:
    """An e-mail address field: required, checked, trimmed, no longer than SMTP allows."""
    return EmailField(
        label,
        filters=[_strip],
        validators=[
            DataRequired(_l("Please enter an e-mail address.")),
            Email(_l("This does not look like an e-mail address."), check_deliverability=False),
            Length(max=MAX_EMAIL_LENGTH),
        ],
    )


class SignInForm(BotCheckedForm):
    """An address to send a sign-in link to, and what to come back to afterwards."""

    email = email_field(_l("E-mail address"))
    next = HiddenField()
    # What the visitor had typed when asked to sign in, as JSON, to restore later.
    draft = HiddenField()

    def safe_next(self) -> str | None:
        return safe_next(self.next.data)

    def draft_fields(self) -> dict[str, str] | None:
        if not self.draft.data:
            return None
        try:
            value: Any = json.loads(self.draft.data)
        except ValueError:
            return None
        if not isinstance(value, dict):
            return None
        return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


class ContinueForm(FlaskForm):
    """The "Continue" button behind a link: only this POST uses the link's token."""


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Name to show with your contributions"),
        validators=[DataRequired(_l("Please enter a name.")), Length(max=120)],
    )
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=200)])
    stakeholder_group = SelectField(
        _l("Stakeholder group"),
        validators=[DataRequired(_l("Please choose a stakeholder group."))],
    )
    country = SelectField(_l("Country"), validators=[DataRequired(_l("Please choose a country."))])
    preferred_locale = SelectField(_l("Preferred language for e-mails"))
    accept_privacy = BooleanField(_l("I have read and accept the privacy notice"))

    def validate_display_name(self, field: StringField) -> None:
        # A name needs a visible character: one of control characters would be
        # stored empty, and an empty name on a comment means its author deleted
        # their account; one of spaces or format marks shows as nothing.
        name = normalise_plain_text(field.data or "")
        if not any(unicodedata.category(char)[0] not in "CZ" for char in name):
            raise ValidationError(_l("Please enter a name."))

    def require_privacy(self) -> None:
        """The first completion needs the notice accepted."""
        self.accept_privacy.validators = [
            DataRequired(_l("Please accept the privacy notice to continue."))
        ]

    def validate_country(self, field: SelectField) -> None:
        if field.data not in {code for code, _ in field.choices or []}:
            raise ValidationError(_l("Please choose a country."))


class EmailChangeForm(FlaskForm):
    email = email_field(_l("New e-mail address"))


class SignOutForm(FlaskForm):
    """Signing out is a POST, so that no link or image can sign anyone out."""


class DataDownloadForm(FlaskForm):
    """The "Download my data" button: a POST, as it writes an audit entry (no GET may)."""


class AccountDeleteForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand: my account is deleted for good and this cannot be undone"),
        validators=[DataRequired(_l("Please tick the box to confirm."))],
    )
