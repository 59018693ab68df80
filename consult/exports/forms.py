"""The staff export form: a format, what a CSV file holds, and the filters."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Field, RadioField, SelectField, SelectMultipleField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from consult.accounts.countries import country_choices
from consult.accounts.stakeholders import group_choices
from consult.comments.models import CommentStatus
from consult.consultations.models import Consultation
from consult.core.models import utcnow
from consult.exports.labels import section_caption
from consult.exports.queries import export_languages, export_sections
from consult.exports.spec import EXPORTABLE_STATUSES, ExportContent, ExportFilters, ExportFormat
from consult.i18n.locale import language_name

# The section choice for comments on the paper as a whole. Not a possible section
# key (keys are lower-case letters, digits and dots), so no section can clash with it.
GENERAL_COMMENTS = "_general"

DATE_MESSAGE = _l("Please give a date as year-month-day, for example 2024-09-30.")


def local_today(zone: ZoneInfo) -> date:
    """Today in `zone`: the day an export's file name carries."""
    return utcnow().astimezone(zone).date()


class ExportForm(FlaskForm):
    """What to download. After `validate()`, `export_filters()` gives the filters.

    The contact-data box is on the form for everyone; the page shows it to
    administrators only, and the view refuses it to anyone else.
    """

    format = RadioField(_l("Format"), default=ExportFormat.XLSX.value)
    content = RadioField(
        # i18n: what a CSV export file holds: comments or questionnaire responses
        _l("Contents of the CSV file"),
        default=ExportContent.COMMENTS.value,
    )
    statuses = SelectMultipleField(
        _l("Comments to include"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        default=[CommentStatus.PUBLISHED.value],
    )
    section = SelectField(_l("Section"), default="")
    language = SelectField(_l("Language"), default="")
    group = SelectField(_l("Stakeholder group"), default="")
    country = SelectField(_l("Country"), default="")
    date_from = DateField(
        # i18n: the first day of the period an export covers
        _l("From"),
        validators=[Optional()],
        invalid_value_message=DATE_MESSAGE,
    )
    date_to = DateField(
        # i18n: the last day of the period an export covers (included)
        _l("To"),
        validators=[Optional()],
        invalid_value_message=DATE_MESSAGE,
    )
    contact = BooleanField(_l("Include contact data (e-mail addresses)"))

    def __init__(self, consultation: Consultation, locale: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.consultation = consultation
        self.format.choices = [
            (ExportFormat.CSV.value, _("CSV")),
            (ExportFormat.XLSX.value, _("Excel workbook (XLSX)")),
            (ExportFormat.JSON.value, _("JSON")),
            (ExportFormat.DOCX.value, _("Word feedback digest (DOCX)")),
        ]
        self.content.choices = [
            (ExportContent.COMMENTS.value, _("Comments")),
            (ExportContent.RESPONSES.value, _("Questionnaire responses")),
        ]
        self.statuses.choices = [(status.value, status.label) for status in EXPORTABLE_STATUSES]
        self.section.choices = [
            ("", _("All sections and general comments")),
            (GENERAL_COMMENTS, _("General comments (on the paper as a whole)")),
            *(
                (section.key, section_caption(section, locale))
                for section in export_sections(consultation)
            ),
        ]
        self.language.choices = [
            ("", _("All languages")),
            *sorted(
                ((code, language_name(code)) for code in export_languages(consultation)),
                key=lambda choice: choice[1],
            ),
        ]
        self.group.choices = [("", _("All groups")), *group_choices()]
        self.country.choices = [("", _("All countries")), *country_choices(locale)]

    def validate_statuses(self, field: Field) -> None:
        # Not DataRequired: its `required` flag would mark every checkbox as required.
        if not field.data and not self._responses_only():
            raise ValidationError(_("Please choose at least one kind of comment."))

    def validate_date_to(self, field: Field) -> None:
        first, last = self.date_from.data, field.data
        if first is not None and last is not None and last < first:
            raise ValidationError(_("The last day must not be before the first day."))

    def _responses_only(self) -> bool:
        """A CSV file of responses, which the comment statuses do not concern."""
        return (self.format.data, self.content.data) == (
            ExportFormat.CSV.value,
            ExportContent.RESPONSES.value,
        )

    def export_format(self) -> ExportFormat:
        return ExportFormat(self.format.data)

    def export_content(self) -> ExportContent:
        return ExportContent(self.content.data)

    def export_filters(self) -> ExportFilters:
        """The filters of valid data; the days are the consultation's, in its time zone."""
        return ExportFilters.chosen(
            statuses=self.statuses.data or [],
            section=self.section.data,
            general=GENERAL_COMMENTS,
            language=self.language.data,
            group=self.group.data,
            country=self.country.data,
            first_day=self.date_from.data,
            last_day=self.date_to.data,
            zone=self.consultation.zone,
        )
