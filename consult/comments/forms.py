"""Forms for writing, withdrawing and reporting comments."""

from __future__ import annotations

import secrets
from functools import cache

from babel import Locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from consult.comments.models import Identity
from consult.comments.operations import MAX_REPORT_NOTE_LENGTH
from consult.core.bots import BotCheckedForm
from consult.i18n.locale import language_name

# The column's width: a longer key would not fit.
FORM_KEY_LENGTH = 64


def new_form_key() -> str:
    """The random key a comment form is rendered with: sending it twice makes one comment."""
    return secrets.token_urlsafe(24)


@cache
def language_choices(reader_locale: str, interface: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every CLDR language, named in the reader's language, the interface's languages first."""
    names = Locale.parse(reader_locale).languages
    # Plain language codes: regional variants ("en_GB") and scripts add length, not meaning.
    others = sorted(
        ((code, str(name)) for code, name in names.items() if "_" not in code),
        key=lambda choice: choice[1].casefold(),
    )
    first = [(code, language_name(code, reader_locale)) for code in interface]
    return first + [choice for choice in others if choice[0] not in interface]


class CommentSubmitForm(BotCheckedForm):
    body = TextAreaField(
        _l("Your comment"),
        # The length is checked by submit_comment on the text as stored (line
        # breaks normalised), not on what the browser sent.
        validators=[DataRequired(_l("Please write your comment."))],
    )
    language = SelectField(_l("Language of your comment"))
    identity = RadioField(
        _l("Show my comment"),
        default=Identity.NAME_AND_ORGANISATION.value,
        validators=[DataRequired(_l("Please choose how your comment appears."))],
    )
    # Made when the form is shown (never on sending: a form sent without its key
    # would make a new comment each time it is sent again).
    form_key = HiddenField(
        _l("Comment form"),
        validators=[
            DataRequired(_l("This form is out of date: please send it again.")),
            Length(
                max=FORM_KEY_LENGTH,
                message=_l("This form is out of date: please send it again."),
            ),
            # What new_form_key makes; anything else is forged (and a NUL in it
            # would reach PostgreSQL, which refuses it).
            Regexp(
                r"^[A-Za-z0-9_-]+\Z", message=_l("This form is out of date: please send it again.")
            ),
        ],
    )

    def fill_choices(self, reader_locale: str, interface: tuple[str, ...]) -> None:
        self.language.choices = language_choices(reader_locale, interface)
        # Labels are translated per request, so the choices are made per request too.
        self.identity.choices = [(identity.value, identity.label) for identity in Identity]


class CommentReportForm(BotCheckedForm):
    note = TextAreaField(
        _l("What is wrong with this comment? (optional)"),
        validators=[
            Optional(),
            Length(
                max=MAX_REPORT_NOTE_LENGTH,
                message=_l(
                    "A report note has at most %(max)d characters: please shorten yours.",
                    max=MAX_REPORT_NOTE_LENGTH,
                ),
            ),
        ],
    )


class CommentWithdrawForm(FlaskForm):
    """The "Withdraw" button on a pending comment."""
