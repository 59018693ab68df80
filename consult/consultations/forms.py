"""Forms of the editors' consultation pages: create, settings, title and summary, publication."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from consult.consultations.models import (
    MAX_SLUG_LENGTH,
    SLUG_PATTERN,
    Consultation,
    ModerationMode,
)
from consult.i18n.locale import language_name

# The column's width.
MAX_TITLE_LENGTH = 300
# What a datetime-local input sends: minutes, or seconds where a browser adds them.
LOCAL_TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by a daylight-saving jump: no instant has it."""


def utc_from_local(local: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time in `zone`.

    A time skipped when clocks jump forward is refused (`NonexistentLocalTime`)
    rather than silently moved by an hour; a time that happens twice when clocks
    turn back takes the earlier instant, so a deadline never comes later than meant.
    """
    utc = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(local)
    return utc


def local_from_utc(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """A stored instant as the wall-clock time a datetime-local input shows."""
    if moment is None:
        return None
    return moment.astimezone(zone).replace(tzinfo=None)


def _same_minute(local: datetime, moment: datetime, zone: ZoneInfo) -> bool:
    """Whether the wall-clock time `local` is `moment` as shown in `zone`, to the minute."""
    shown = moment.astimezone(zone).replace(tzinfo=None)
    return shown.replace(second=0, microsecond=0) == local.replace(second=0, microsecond=0)


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(available_timezones())]


def locale_choices(locales: Sequence[str]) -> list[tuple[str, str]]:
    """Language codes named in the reader's language ("French", "Français", ...)."""
    return [(code, language_name(code)) for code in locales]


def _valid_slug(form: FlaskForm, field: Field) -> None:
    if field.data and not SLUG_PATTERN.match(field.data):
        raise ValidationError(
            _l("Use only lower-case letters, digits and single hyphens, e.g. “ai-regulation-2025”.")
        )


def slug_field() -> StringField:
    return StringField(
        _l("Address name"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        # Latin letters and hyphens read in order on a right-to-left page too.
        render_kw={"dir": "ltr"},
        validators=[
            DataRequired(_l("Please choose an address name.")),
            Length(
                max=MAX_SLUG_LENGTH,
                message=_l("At most %(max)d characters, please.", max=MAX_SLUG_LENGTH),
            ),
            _valid_slug,
        ],
    )


class ConsultationCreateForm(FlaskForm):
    """What a new draft needs: its address, its language, its title, its time zone."""

    slug = slug_field()
    default_locale = SelectField(_l("Default language"))
    title = StringField(
        _l("Title in the default language"),
        validators=[
            DataRequired(_l("Please give the consultation a title.")),
            Length(
                max=MAX_TITLE_LENGTH,
                message=_l("At most %(max)d characters, please.", max=MAX_TITLE_LENGTH),
            ),
        ],
    )
    timezone = SelectField(_l("Time zone"), default="UTC")

    def fill_choices(self, enabled_locales: Sequence[str]) -> None:
        self.default_locale.choices = locale_choices(enabled_locales)
        self.timezone.choices = timezone_choices()


def _moderation_choices() -> list[tuple[str, str]]:
    return [
        (ModerationMode.PRE.value, _("Pre-moderation")),
        (ModerationMode.POST.value, _("Post-moderation")),
    ]


class ConsultationSettingsForm(FlaskForm):
    """A consultation's address, languages, time zone, window, moderation mode and
    whether its open data is offered before the close.

    The window is typed as wall-clock times in the chosen zone and checked here:
    after `validate()`, `opens_at_utc` and `closes_at_utc` hold the instants to store
    (a time left as the page showed it keeps its stored instant: see `_instant`).
    """

    slug = slug_field()
    default_locale = SelectField(_l("Default language"))
    offered_locales = SelectMultipleField(
        _l("Offered languages"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    timezone = SelectField(_l("Time zone"))
    opens_at = DateTimeLocalField(
        _l("Opens at"),
        format=LOCAL_TIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Please give a date and a time."),
    )
    closes_at = DateTimeLocalField(
        _l("Closes at"),
        format=LOCAL_TIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Please give a date and a time."),
    )
    moderation_mode = RadioField(_l("Moderation"))
    open_data_before_close = BooleanField(
        _l("Let anyone download the published comments as open data before the close")
    )

    def __init__(
        self, consultation: Consultation, enabled_locales: Sequence[str], **kwargs: Any
    ) -> None:
        zone = consultation.zone
        super().__init__(
            data={
                "slug": consultation.slug,
                "default_locale": consultation.default_locale,
                "offered_locales": list(consultation.offered_locales),
                "timezone": consultation.timezone,
                "opens_at": local_from_utc(consultation.opens_at, zone),
                "closes_at": local_from_utc(consultation.closes_at, zone),
                "moderation_mode": consultation.moderation_mode.value,
                "open_data_before_close": consultation.open_data_before_close,
            },
            **kwargs,
        )
        self.consultation = consultation
        # After publication, links and e-mails point at the address: it stays.
        self.slug_editable = not consultation.has_been_published
        if not self.slug_editable:
            del self.slug
        # A language offered before it was disabled in the configuration stays
        # choosable, so that saving the form does not drop it unnoticed.
        locales = [*enabled_locales]
        locales += [code for code in consultation.offered_locales if code not in locales]
        self.default_locale.choices = locale_choices(locales)
        self.offered_locales.choices = locale_choices(locales)
        self.timezone.choices = timezone_choices()
        self.moderation_mode.choices = _moderation_choices()
        # What the page shows under the time fields: the stored instants until
        # the editor sends other ones.
        self.shown_zone = consultation.timezone
        self.opens_at_utc = consultation.opens_at
        self.closes_at_utc = consultation.closes_at

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.timezone.errors:
            return False
        zone = ZoneInfo(self.timezone.data)
        self.shown_zone = self.timezone.data
        self.opens_at_utc = self._instant(self.opens_at, zone, self.consultation.opens_at)
        self.closes_at_utc = self._instant(self.closes_at, zone, self.consultation.closes_at)
        window_valid = not (self.opens_at.errors or self.closes_at.errors) and self._check_window()
        languages_valid = self._check_languages()
        return valid and window_valid and languages_valid

    def validate_offered_locales(self, field: Field) -> None:
        # Not DataRequired: its `required` flag would mark every checkbox as required.
        if not field.data:
            raise ValidationError(_l("Please offer at least one language."))

    def chosen_offered_locales(self) -> list[str]:
        """The offered languages in the order of the choices (the configured order)."""
        chosen = set(self.offered_locales.data or [])
        return [code for code, _name in self.offered_locales.choices or [] if code in chosen]

    def _instant(self, field: Field, zone: ZoneInfo, stored: datetime | None) -> datetime | None:
        """The instant a time field asks for, read as a wall-clock time in `zone`.

        A field that still shows the stored instant keeps it exactly: the page shows
        minutes, so stored seconds would be lost, and a time in the hour repeated
        when clocks turn back would be read as its first run. On a published
        consultation, a field left as the page showed it (in the zone it had) keeps
        its instant when only the zone changes: readers were told that time. A
        draft's times are read in the chosen zone, as typed.
        """
        if field.errors or field.data is None:
            return None
        if stored is not None:
            shown_in = [zone]
            if self.consultation.is_published:
                shown_in.append(self.consultation.zone)
            if any(_same_minute(field.data, stored, shown) for shown in shown_in):
                return stored
        try:
            return utc_from_local(field.data, zone)
        except NonexistentLocalTime:
            field.errors.append(
                _l(
                    "%(time)s does not exist in %(zone)s: the clocks jump forward "
                    "that night. Please choose a time outside the jump.",
                    time=field.data.strftime("%Y-%m-%d %H:%M"),
                    zone=zone.key,
                )
            )
            return None

    def _check_window(self) -> bool:
        opens, closes = self.opens_at_utc, self.closes_at_utc
        if opens is None and closes is None:
            if not self.consultation.is_published:
                return True
            message = _l(
                "A published consultation keeps its opening and closing time: "
                "unpublish it first to remove them."
            )
            self.opens_at.errors.append(message)
            self.closes_at.errors.append(message)
            return False
        if opens is None or closes is None:
            missing = self.opens_at if opens is None else self.closes_at
            missing.errors.append(_l("Please give both the opening and the closing time."))
            return False
        if opens >= closes:
            self.closes_at.errors.append(_l("The closing time must be after the opening time."))
            return False
        return True

    def _check_languages(self) -> bool:
        if self.default_locale.errors or self.offered_locales.errors:
            return False
        default = self.default_locale.data
        if default not in (self.offered_locales.data or []):
            self.default_locale.errors.append(
                _l("The default language must be one of the offered languages.")
            )
            return False
        translation = self.consultation.translations.get(default)
        if self.consultation.is_published and (translation is None or not translation.title):
            # Readers would otherwise see the title in whichever language comes first.
            self.default_locale.errors.append(
                _l(
                    "Please write the title in %(language)s first: readers see the "
                    "default language where a translation is missing.",
                    language=language_name(default),
                )
            )
            return False
        return True


class ConsultationTextForm(FlaskForm):
    """A consultation's title and Markdown summary in one language."""

    title = StringField(
        _l("Title"),
        validators=[
            Length(
                max=MAX_TITLE_LENGTH,
                message=_l("At most %(max)d characters, please.", max=MAX_TITLE_LENGTH),
            )
        ],
    )
    summary = TextAreaField(_l("Summary (Markdown)"))
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))

    def __init__(self, *args: Any, title_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title_required = title_required

    def validate_title(self, field: Field) -> None:
        if self.title_required and not (field.data or "").strip():
            raise ValidationError(_l("The default language needs a title."))


class ConsultationPublishForm(FlaskForm):
    """Publishing is a POST with a form token, like every change."""


class ConsultationUnpublishForm(FlaskForm):
    """Unpublishing is a POST with a form token, like every change."""
