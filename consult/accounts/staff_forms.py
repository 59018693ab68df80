"""Forms for the staff sign-in, its second step, and for choosing a password."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from consult.accounts.forms import email_field
from consult.accounts.models import User
from consult.accounts.passwords import MAX_PASSWORD_LENGTH, password_problem
from consult.config import Config
from consult.core.urls import safe_next

# Signs the kept form, so that only what Consult itself kept is offered again.
_KEPT_SALT = "consult.accounts.kept-post"


def _kept_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_KEPT_SALT)


@dataclass(frozen=True)
class KeptPost:
    """A staff form sent after the session lapsed, kept through the sign-in.

    `fields` are the (name, value) pairs as sent, every value of a repeated
    name included, the form token left out; `back` is the page the form was on;
    `target` the address it was sent to; `user_id` the account whose lapsed
    session sent it. It travels in a hidden field, signed with the app's key
    (readable, not secret: it is the person's own text, in their own browser),
    so that nothing another site posts is ever offered. It is only shown and
    offered to send again, never sent by itself, and only to the same account,
    for the same address, within a staff session's lifetime.
    """

    fields: tuple[tuple[str, str], ...]
    back: str | None
    target: str
    user_id: int

    def signed(self) -> str:
        return _kept_serializer().dumps(
            {
                "user": self.user_id,
                "to": self.target,
                "fields": [list(pair) for pair in self.fields],
                "back": self.back,
            }
        )

    @classmethod
    def from_signed(cls, text: str | None) -> KeptPost | None:
        """The kept form in `text` if Consult signed it in the last
        `staff_session_hours`, else None."""
        if not text:
            return None
        config: Config = current_app.extensions["consult_config"]
        try:
            value: Any = _kept_serializer().loads(text, max_age=config.staff_session_hours * 3600)
        except BadData:
            return None
        if not isinstance(value, dict) or not isinstance(value.get("fields"), list):
            return None
        user_id, to = value.get("user"), value.get("to")
        target = safe_next(to) if isinstance(to, str) else None
        if not isinstance(user_id, int) or isinstance(user_id, bool) or target is None:
            return None
        fields = tuple(
            (pair[0], pair[1])
            for pair in value["fields"]
            if isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(part, str) for part in pair)
            and pair[0] != "csrf_token"
        )
        back = value.get("back")
        return cls(fields, safe_next(back) if isinstance(back, str) else None, target, user_id)

    @property
    def shown(self) -> list[tuple[str, str]]:
        """The fields with something in them, to show the person what they sent."""
        return [(name, value) for name, value in self.fields if value.strip()]


class ReturnsToPage(FlaskForm):
    """A form that carries the page to go to afterwards (`next`), never off the site."""

    next = HiddenField()

    def safe_next(self) -> str | None:
        return safe_next(self.next.data)


class CarriesKeptPost(ReturnsToPage):
    """A step of the staff sign-in: where to go afterwards, and what a staff form
    had sent when the session had lapsed (`KeptPost`, signed)."""

    kept = HiddenField()

    def carries_kept(self) -> bool:
        """Whether a form kept by Consult travels with this one (the page says so)."""
        return KeptPost.from_signed(self.kept.data) is not None

    def kept_post_for(self, user: User) -> KeptPost | None:
        """The kept form, if `user` sent it and it was sent to this form's `next`."""
        kept = KeptPost.from_signed(self.kept.data)
        if kept is None or kept.user_id != user.id or kept.target != self.safe_next():
            return None
        return kept


class StaffSignInForm(CarriesKeptPost):
    """An address and a password (and what `CarriesKeptPost` carries)."""

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


def code_field(label: str) -> StringField:
    """A one-time code from the app (6 digits) or, where allowed, a recovery code."""
    return StringField(
        label,
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(_l("Please enter the code.")), Length(max=64)],
    )


class StaffCodeForm(CarriesKeptPost):
    """The second step of a staff sign-in: a code, and what the first step carried."""

    # i18n: the 6-digit code an authenticator app shows, or a single-use recovery code.
    code = code_field(_l("Code from your authenticator app, or a recovery code"))


class TwoStepSetUpForm(ReturnsToPage):
    """The first code from the app, proving it holds the key."""

    code = code_field(_l("Code from your authenticator app"))


class TwoStepCodeForm(FlaskForm):
    """A current code, to confirm a change to two-step sign-in."""

    code = code_field(_l("Code from your authenticator app"))


class TwoStepResetForm(FlaskForm):
    """An administrator resets someone's two-step sign-in: a POST with a form token."""


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
