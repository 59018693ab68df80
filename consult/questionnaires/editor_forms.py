"""Forms of the questionnaire editor: adding, editing, translating, ordering and removing questions.

Any POST without `save` asks for a preview of the help text, which saves nothing.
Numbers are typed in text boxes and read here, so that what was typed comes back
with a message in the reader's language when it is not a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from consult.core.text import normalise_plain_text
from consult.i18n.locale import text_direction
from consult.questionnaires.models import (
    MAX_SCALE_POINTS,
    MIN_SCALE_POINTS,
    Question,
    QuestionKind,
)
from consult.questionnaires.questions import (
    MAX_OPTION_LENGTH,
    MAX_QUESTION_LENGTH,
    MAX_SCALE_LABEL_LENGTH,
    MIN_OPTIONS,
    QuestionSettings,
    QuestionTexts,
    clean_label,
)

DEFAULT_SCALE_POINTS = 5


def _lines(value: str | None) -> list[str]:
    return [label for line in (value or "").splitlines() if (label := clean_label(line))]


class QuestionTextForm(FlaskForm):
    """A question's wording, help and scale labels in one language; options are added
    per question (`question_edit_form`)."""

    text = TextAreaField(_l("Question"))
    help = TextAreaField(_l("Help (optional, Markdown)"))
    scale_min_label = StringField(_l("Label of the lowest point (optional)"))
    scale_max_label = StringField(_l("Label of the highest point (optional)"))
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))

    def __init__(self, *args: Any, content_locale: str, text_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text_required = text_required
        # The texts are in the content's language, whatever the page's: screen
        # readers and spell checkers follow `lang`, and Arabic runs right to left.
        in_language = {"lang": content_locale, "dir": text_direction(content_locale)}
        for field in (self.text, self.help, self.scale_min_label, self.scale_max_label):
            field.render_kw = {**in_language, **(field.render_kw or {})}
        self.text.render_kw["rows"] = 3

    def validate_text(self, field: Field) -> None:
        text = normalise_plain_text(field.data or "").strip()
        if self.text_required and not text:
            raise ValidationError(_("Write the question: the default language needs it."))
        if len(text) > MAX_QUESTION_LENGTH:
            raise ValidationError(_("At most %(max)d characters, please.", max=MAX_QUESTION_LENGTH))

    def validate_scale_min_label(self, field: Field) -> None:
        _check_scale_label(field)

    def validate_scale_max_label(self, field: Field) -> None:
        _check_scale_label(field)

    def option_fields(self) -> list[tuple[int, Field]]:
        """Each existing option's label field, by option id, in the question's order."""
        return [
            (int(name.removeprefix("option_")), field)
            for name, field in self._fields.items()
            if name.startswith("option_")
        ]

    def texts(self) -> QuestionTexts:
        return QuestionTexts(
            text=self.text.data or "",
            help=self.help.data or "",
            scale_min_label=self.scale_min_label.data or "",
            scale_max_label=self.scale_max_label.data or "",
            option_labels={
                option_id: field.data or "" for option_id, field in self.option_fields()
            },
        )


def _check_scale_label(field: Field) -> None:
    if len(clean_label(field.data or "")) > MAX_SCALE_LABEL_LENGTH:
        raise ValidationError(_("At most %(max)d characters, please.", max=MAX_SCALE_LABEL_LENGTH))


class QuestionSettingsForm(QuestionTextForm):
    """What a question asks for, with its default-language texts."""

    kind = SelectField(_l("Type of question"), validators=[DataRequired()])
    required = BooleanField(_l("An answer is required"))
    max_choices = StringField(_l("Most options a participant may choose (optional)"))
    scale_max = StringField(_l("Number of points on the scale"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, text_required=True, **kwargs)
        self.kind.choices = [(kind.value, kind.label) for kind in QuestionKind]
        self.max_choices.render_kw = {"inputmode": "numeric", "size": 4}
        self.scale_max.render_kw = {"inputmode": "numeric", "size": 4}

    @property
    def chosen_kind(self) -> QuestionKind:
        try:
            return QuestionKind(self.kind.data)
        except ValueError:
            return QuestionKind.SHORT_TEXT

    def option_count(self) -> int:
        """How many options the question will have once saved."""
        raise NotImplementedError

    def validate_max_choices(self, field: Field) -> None:
        if self.chosen_kind is not QuestionKind.MULTIPLE_CHOICE or not (field.data or "").strip():
            return
        count = self.option_count()
        if count < MIN_OPTIONS:
            return  # the options' own message says what to do first
        number = _whole_number(field.data)
        if number is None or not 1 <= number <= count:
            raise ValidationError(
                _("Give a whole number from 1 to %(count)d, the number of options.", count=count)
            )

    def validate_scale_max(self, field: Field) -> None:
        if self.chosen_kind is not QuestionKind.SCALE:
            return
        number = _whole_number(field.data)
        if number is None or not MIN_SCALE_POINTS <= number <= MAX_SCALE_POINTS:
            raise ValidationError(
                _(
                    "Give a whole number of points from %(min)d to %(max)d.",
                    min=MIN_SCALE_POINTS,
                    max=MAX_SCALE_POINTS,
                )
            )

    def settings(self) -> QuestionSettings:
        kind = self.chosen_kind
        return QuestionSettings(
            kind=kind,
            required=bool(self.required.data),
            max_choices=_whole_number(self.max_choices.data)
            if kind is QuestionKind.MULTIPLE_CHOICE
            else None,
            scale_max=_whole_number(self.scale_max.data) if kind is QuestionKind.SCALE else None,
        )


def _whole_number(value: str | None) -> int | None:
    text = (value or "").strip()
    # `isdecimal` also takes Arabic-Indic digits, which `int` reads.
    return int(text) if text.isdecimal() and len(text) < 4 else None


def _check_new_labels(labels: list[str], existing: list[str]) -> None:
    for number, label in enumerate(labels, len(existing) + 1):
        if len(label) > MAX_OPTION_LENGTH:
            raise ValidationError(
                _(
                    "Option %(number)d is longer than %(max)d characters.",
                    number=number,
                    max=MAX_OPTION_LENGTH,
                )
            )
    seen = {label.casefold() for label in existing}
    for label in labels:
        if label.casefold() in seen:
            raise ValidationError(_("The option “%(label)s” is listed twice.", label=label))
        seen.add(label.casefold())


class QuestionAddForm(QuestionSettingsForm):
    """A new question, in the default language, with its options one per line."""

    options = TextAreaField(_l("Options, one per line"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("scale_max", str(DEFAULT_SCALE_POINTS))
        super().__init__(*args, **kwargs)
        self.options.render_kw = {**(self.text.render_kw or {}), "rows": 6}

    def option_lines(self) -> list[str]:
        return _lines(self.options.data)

    def option_count(self) -> int:
        return len(self.option_lines())

    def validate_options(self, field: Field) -> None:
        if not self.chosen_kind.has_options:
            return
        labels = self.option_lines()
        if len(labels) < MIN_OPTIONS:
            raise ValidationError(
                _("Give at least %(min)d options, one per line.", min=MIN_OPTIONS)
            )
        _check_new_labels(labels, [])


class QuestionEditForm(QuestionSettingsForm):
    """A question's settings and default-language texts, one field per existing option
    (so that each keeps its id, and the answers that chose it), a remove box per option,
    and new options one per line."""

    new_options = TextAreaField(_l("New options, one per line"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_options.render_kw = {**(self.text.render_kw or {}), "rows": 4}

    def removed_option_ids(self) -> list[int]:
        if not self.chosen_kind.has_options:
            return []
        return [
            option_id
            for option_id, _field in self.option_fields()
            if self[f"remove_{option_id}"].data
        ]

    def new_option_lines(self) -> list[str]:
        return _lines(self.new_options.data) if self.chosen_kind.has_options else []

    def option_count(self) -> int:
        kept = len(self.option_fields()) - len(self.removed_option_ids())
        return kept + len(self.new_option_lines())

    def validate_new_options(self, field: Field) -> None:
        if not self.chosen_kind.has_options:
            return
        removed = set(self.removed_option_ids())
        kept = [
            clean_label(f.data or "")
            for option_id, f in self.option_fields()
            if option_id not in removed
        ]
        _check_new_labels(self.new_option_lines(), kept)
        if self.option_count() < MIN_OPTIONS:
            raise ValidationError(
                _(
                    "A choice needs at least %(min)d options: add them here, one per line.",
                    min=MIN_OPTIONS,
                )
            )

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if not self.chosen_kind.has_options:
            return valid
        removed = set(self.removed_option_ids())
        for option_id, field in self.option_fields():
            label = clean_label(field.data or "")
            if option_id in removed:
                continue
            if not label:
                field.errors.append(_("An option needs a label."))
                valid = False
            elif len(label) > MAX_OPTION_LENGTH:
                field.errors.append(_("At most %(max)d characters, please.", max=MAX_OPTION_LENGTH))
                valid = False
        return valid


class QuestionTranslationForm(QuestionTextForm):
    """A question's texts in another language than the default: every field optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, text_required=False, **kwargs)

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        for _option_id, field in self.option_fields():
            if len(clean_label(field.data or "")) > MAX_OPTION_LENGTH:
                field.errors.append(_("At most %(max)d characters, please.", max=MAX_OPTION_LENGTH))
                valid = False
        return valid


def question_edit_form(
    question: Question, locale: str
) -> QuestionEditForm | QuestionTranslationForm:
    """The form for `question` in `locale`, filled with what is saved (a POST's data wins).

    Its options get a field each (`option_<id>`), and in the default language a
    remove box each (`remove_<id>`), which pages show only while options may be removed.
    """
    is_default = locale == question.consultation.default_locale
    base: type[QuestionEditForm | QuestionTranslationForm] = (
        QuestionEditForm if is_default else QuestionTranslationForm
    )
    in_language = {"lang": locale, "dir": text_direction(locale)}
    fields: dict[str, Field] = {}
    values: dict[str, object] = {}
    for number, option in enumerate(question.options, 1):
        fields[f"option_{option.id}"] = StringField(
            # i18n: the label of a choice question's option, by its number
            _l("Option %(number)d", number=number),
            render_kw=in_language,
        )
        saved = option.translations.get(locale)
        values[f"option_{option.id}"] = saved.label if saved else ""
        if is_default:
            fields[f"remove_{option.id}"] = BooleanField(
                _l("Remove option %(number)d", number=number)
            )
    form_class = type(base.__name__, (base,), fields)
    saved_texts = question.translations.get(locale)
    if saved_texts is not None:
        values.update(
            text=saved_texts.text,
            help=saved_texts.help,
            scale_min_label=saved_texts.scale_min_label or "",
            scale_max_label=saved_texts.scale_max_label or "",
        )
    if is_default:
        values.update(
            kind=question.kind.value,
            required=question.required,
            max_choices=str(question.max_choices or ""),
            scale_max=str(question.scale_max or DEFAULT_SCALE_POINTS),
        )
    form: QuestionEditForm | QuestionTranslationForm = form_class(content_locale=locale, **values)
    return form


class QuestionMoveForm(FlaskForm):
    """One step up or down in the questionnaire's order."""

    direction = SelectField(validators=[DataRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.direction.choices = [("up", _("Move up")), ("down", _("Move down"))]


class QuestionRemoveForm(FlaskForm):
    """Removing a question: a first POST asks for confirmation, `confirm` does it."""

    confirm = SubmitField(_l("Remove the question"))
