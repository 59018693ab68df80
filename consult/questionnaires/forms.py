"""The answer form: its token, buttons and identity choice, and each question's field.

The questions' fields are not WTForms fields: they are built per question, in
the reader's language, from what was typed (or saved), and checked by
`operations.validate_answers`, the one place that knows what an answer may be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext, pgettext

from consult.accounts.countries import country_choices
from consult.accounts.models import User
from consult.comments.models import Attribution, Identity, public_attribution
from consult.core.bots import BotCheckedForm
from consult.i18n.content import Localised
from consult.questionnaires.models import Question, QuestionKind
from consult.questionnaires.operations import (
    IDENTITY_FIELD,
    MAX_LONG_TEXT_LENGTH,
    MAX_SHORT_TEXT_LENGTH,
    NO,
    YES,
    TypedAnswers,
    field_name,
    option_field_name,
)

# The buttons' values (`name="action"`): keep a draft, or send.
SAVE_DRAFT = "draft"
SUBMIT = "submit"


class ResponseSaveForm(BotCheckedForm):
    """The questionnaire form's token and bot checks; the answers are read by
    `validate_answers`, the identity choice by `identity_of`."""


def identity_of(typed: TypedAnswers) -> Identity | None:
    """The identity chosen in what was sent; None if none, or not one of the choices."""
    values = typed.get(IDENTITY_FIELD) or [""]
    try:
        return Identity(values[0])
    except ValueError:
        return None


@dataclass(frozen=True)
class IdentityChoice:
    """One way to appear, as a radio button, with how it would show the reader."""

    value: str
    id: str
    label: str
    checked: bool
    preview: Attribution | None


def identity_choices(typed: TypedAnswers, viewer: User | None, locale: str) -> list[IdentityChoice]:
    """The identity radio group, the typed (or saved) choice checked, else the first one.

    A signed-in reader sees how each choice would show them, from their profile.
    """
    chosen = identity_of(typed) or Identity.NAME_AND_ORGANISATION
    return [
        IdentityChoice(
            value=identity.value,
            id=f"{IDENTITY_FIELD}-{identity.value}",
            label=identity.label,
            checked=identity is chosen,
            preview=public_attribution(
                identity,
                viewer.display_name or "",
                viewer.organisation,
                viewer.stakeholder_group or "",
                viewer.country,
                locale,
            )
            if viewer is not None
            else None,
        )
        for identity in Identity
    ]


@dataclass(frozen=True)
class Choice:
    """A radio button, a checkbox or a select option."""

    name: str
    value: str
    id: str
    label: Localised[str]
    checked: bool


@dataclass(frozen=True)
class QuestionField:
    """One question as the form shows it: wording, help, control, value, error."""

    question: Question
    # The control's name (a checkbox has its own, see Choice.name) and its id, or
    # the id of the first choice: where the error summary leads.
    name: str
    id: str
    text: Localised[str]
    help: Localised[str] | None
    hint: str | None
    error: str | None
    # What a text control or a select shows.
    value: str = ""
    choices: list[Choice] = field(default_factory=list)
    low_label: Localised[str] | None = None
    high_label: Localised[str] | None = None

    @property
    def kind(self) -> str:
        return self.question.kind.value

    @property
    def required(self) -> bool:
        return self.question.required

    @property
    def is_group(self) -> bool:
        """Radio buttons or checkboxes: a fieldset with a legend, not a label."""
        return self.question.kind not in (
            QuestionKind.SHORT_TEXT,
            QuestionKind.LONG_TEXT,
            QuestionKind.COUNTRY,
        )

    @property
    def max_length(self) -> int | None:
        if self.question.kind is QuestionKind.SHORT_TEXT:
            return MAX_SHORT_TEXT_LENGTH
        if self.question.kind is QuestionKind.LONG_TEXT:
            return MAX_LONG_TEXT_LENGTH
        return None


def answer_fields(
    questions: Sequence[Question],
    typed: TypedAnswers,
    locale: str,
    errors: Mapping[int, str] | None = None,
) -> list[QuestionField]:
    """Each question's field in `locale`, filled with `typed`, with its error if any."""
    return [
        _field(question, typed, locale, (errors or {}).get(question.id)) for question in questions
    ]


def _first(typed: TypedAnswers, name: str) -> str:
    values = typed.get(name) or [""]
    return values[0]


def _plain(text: str, locale: str) -> Localised[str]:
    return Localised(text, locale, is_fallback=False)


def _field(
    question: Question, typed: TypedAnswers, locale: str, error: str | None
) -> QuestionField:
    name = field_name(question)
    value = _first(typed, name)
    kind = question.kind
    choices: list[Choice] = []
    hint: str | None = None
    low_label = high_label = None
    if kind is QuestionKind.SHORT_TEXT:
        hint = _("At most %(max)s characters.", max=f"{MAX_SHORT_TEXT_LENGTH:,}")
    elif kind is QuestionKind.LONG_TEXT:
        hint = _("At most %(max)s characters.", max=f"{MAX_LONG_TEXT_LENGTH:,}")
    elif kind is QuestionKind.SINGLE_CHOICE:
        choices = [
            Choice(name, str(option.id), f"{name}-{option.id}", option.label_in(locale),
                   value == str(option.id))
            for option in question.options
        ]  # fmt: skip
    elif kind is QuestionKind.MULTIPLE_CHOICE:
        for option in question.options:
            box = option_field_name(question, option.id)
            checked = bool(_first(typed, box).strip())
            choices.append(Choice(box, "y", box, option.label_in(locale), checked))
        if question.max_choices is not None:
            hint = ngettext(
                "Choose at most %(num)d option.",
                "Choose at most %(num)d options.",
                question.max_choices,
            )
        else:
            hint = _("Choose as many as apply.")
    elif kind is QuestionKind.SCALE:
        points = range(1, (question.scale_max or 0) + 1)
        choices = [
            Choice(name, str(n), f"{name}-{n}", _plain(f"{n}", locale), value == str(n))
            for n in points
        ]
        low_label, high_label = question.scale_labels_in(locale)
        hint = _("From 1 to %(max)d.", max=question.scale_max or 0)
    elif kind is QuestionKind.YES_NO:
        yes, no = pgettext("answer", "Yes"), pgettext("answer", "No")
        choices = [
            Choice(name, YES, f"{name}-{YES}", _plain(yes, locale), value == YES),
            Choice(name, NO, f"{name}-{NO}", _plain(no, locale), value == NO),
        ]
    else:
        choices = [
            Choice(name, code, f"{name}-{code}", _plain(country, locale), value == code)
            for code, country in country_choices(locale)
        ]
    return QuestionField(
        question=question,
        name=name,
        id=choices[0].id if choices and kind is not QuestionKind.COUNTRY else name,
        text=question.text_in(locale),
        help=question.help_in(locale),
        hint=hint,
        error=error,
        value=value,
        choices=choices,
        low_label=low_label,
        high_label=high_label,
    )
