"""`flask consult export SLUG --format csv|xlsx|json|docx [--what ...] [--output FILE] [filters]`.

The same exports as the staff page, for scripts and for consultations too large
to wait for in a browser. The command line has no account: its entries in the
audit log have no actor and say they came from the command line.
"""

from __future__ import annotations

from datetime import date, datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from consult.accounts.countries import ISO_CODES
from consult.comments.attribution import Audience
from consult.comments.models import CommentStatus
from consult.config import Config
from consult.consultations.models import Consultation
from consult.consultations.queries import get_by_slug
from consult.exports.build import export_chunks, export_filename
from consult.exports.forms import local_today
from consult.exports.operations import VIA_COMMAND_LINE, record_export
from consult.exports.queries import (
    comment_total,
    export_languages,
    export_sections,
    response_count,
)
from consult.exports.spec import (
    EXPORTABLE_STATUSES,
    ExportContent,
    ExportFilters,
    ExportFormat,
    ExportSpec,
)
from consult.extensions import db

# `--section general`: the comments on the paper as a whole.
GENERAL = "general"
STDOUT = "-"


@click.command("export")
@click.argument("slug")
@click.option(
    "--format",
    "format_name",
    type=click.Choice([item.value for item in ExportFormat]),
    required=True,
    help="csv, xlsx (Excel workbook), json, or docx (Word feedback digest).",
)
@click.option(
    "--what",
    type=click.Choice([item.value for item in ExportContent]),
    help="CSV only: comments (the default) or questionnaire responses.",
)
@click.option(
    "--output",
    metavar="FILE",
    help="The file to write (default: the download's file name, here); - for standard output.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([status.value for status in EXPORTABLE_STATUSES]),
    help="Comments in this state (repeat for several; default: published only).",
)
@click.option(
    "--section", metavar="KEY", help="Only comments on this section (its key), or 'general'."
)
@click.option(
    "--language",
    metavar="CODE",
    help="Only what was written in this language (e.g. ar, any case).",
)
@click.option(
    "--group", metavar="CODE", help="Only authors of this stakeholder group (e.g. parliament)."
)
@click.option(
    "--country", metavar="CODE", help="Only authors from this country (ISO code, e.g. PE)."
)
@click.option(
    "--from",
    "first_day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="From this day (YYYY-MM-DD) in the consultation's time zone.",
)
@click.option(
    "--to",
    "last_day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Up to this day (YYYY-MM-DD, included) in the consultation's time zone.",
)
@click.option(
    "--contact-data",
    is_flag=True,
    help="Every author's name and e-mail address, whatever they chose to show.",
)
@click.option(
    "--open-data",
    is_flag=True,
    help="Authors named as on the public pages; published comments only, no responses.",
)
@click.option(
    "--lang",
    "locale",
    metavar="LOCALE",
    help="Language of labels and quoted texts (default: the consultation's default language).",
)
@with_appcontext
def export_command(
    slug: str,
    format_name: str,
    what: str | None,
    output: str | None,
    statuses: tuple[str, ...],
    section: str | None,
    language: str | None,
    group: str | None,
    country: str | None,
    first_day: datetime | None,
    last_day: datetime | None,
    contact_data: bool,
    open_data: bool,
    locale: str | None,
) -> None:
    """Export a consultation's comments and responses (see README, "Exports for drafters")."""
    export_format = ExportFormat(format_name)
    if what is not None and export_format.holds_both:
        raise click.UsageError(
            "--what applies to CSV only: XLSX, JSON and DOCX hold comments and responses both."
        )
    if contact_data and open_data:
        raise click.UsageError("--contact-data and --open-data exclude each other.")
    content = ExportContent(what or ExportContent.COMMENTS.value)
    if open_data:
        if content is ExportContent.RESPONSES:
            raise click.UsageError("Responses are private: --open-data holds comments only.")
        if set(statuses) - {CommentStatus.PUBLISHED.value}:
            raise click.UsageError("--open-data holds published comments only.")
    consultation = get_by_slug(slug)
    if consultation is None:
        raise click.BadParameter(
            f"no consultation has the address name {slug!r}.", param_hint="SLUG"
        )
    config: Config = current_app.extensions["consult_config"]
    if locale is None:
        # The consultation's language, unless the site no longer offers it.
        default = consultation.default_locale
        locale = default if default in config.locales else config.default_locale
    if locale not in config.locales:
        raise click.BadParameter(
            f"{locale!r} is not one of this site's languages ({', '.join(config.locales)}).",
            param_hint="--lang",
        )
    spec = ExportSpec(
        consultation,
        export_format,
        Audience.CONTACT if contact_data else Audience.OPEN_DATA if open_data else Audience.EDITOR,
        locale,
        content=content,
        filters=_filters(
            consultation,
            config,
            statuses=statuses,
            section=section,
            language=language,
            group=group,
            country=country,
            first_day=first_day.date() if first_day else None,
            last_day=last_day.date() if last_day else None,
        ),
    )
    name = output or export_filename(spec, local_today(consultation.zone))
    # Written to a file beside the target, then renamed: a failed export leaves no
    # half-written file (standard output is written as it comes). The file is
    # opened before the export is audited, so a bad --output records nothing.
    with force_locale(locale), click.open_file(name, "wb", atomic=True) as stream:
        record_export(spec, None, via=VIA_COMMAND_LINE)
        db.session.commit()
        for chunk in export_chunks(spec):
            stream.write(chunk)
    click.echo(f"Wrote {'standard output' if name == STDOUT else name}: {_counts(spec)}.", err=True)


def _filters(
    consultation: Consultation,
    config: Config,
    *,
    statuses: tuple[str, ...],
    section: str | None,
    language: str | None,
    group: str | None,
    country: str | None,
    first_day: date | None,
    last_day: date | None,
) -> ExportFilters:
    """The filters the options ask for, each checked against what exists."""
    if section is not None and section != GENERAL:
        keys = [item.key for item in export_sections(consultation)]
        if section not in keys:
            raise click.BadParameter(
                f"{consultation.slug!r} has no section {section!r}; its sections are "
                f"{', '.join(keys) or 'none'}, or 'general' for general comments.",
                param_hint="--section",
            )
    if group is not None and group not in config.stakeholder_groups:
        raise click.BadParameter(
            f"unknown stakeholder group {group!r}; the groups are "
            f"{', '.join(config.stakeholder_groups)}.",
            param_hint="--group",
        )
    if country is not None:
        country = country.upper()
        if country not in ISO_CODES:
            raise click.BadParameter(
                f"{country!r} is not an ISO 3166-1 country code (such as PE or JO).",
                param_hint="--country",
            )
    if first_day is not None and last_day is not None and last_day < first_day:
        raise click.BadParameter("the last day is before the first (--from).", param_hint="--to")
    return ExportFilters.chosen(
        statuses=statuses,
        section=section,
        general=GENERAL,
        language=_language(consultation, language) if language is not None else None,
        group=group,
        country=country,
        first_day=first_day,
        last_day=last_day,
        zone=consultation.zone,
    )


def _language(consultation: Consultation, language: str) -> str:
    """`language` spelt as the consultation's comments and responses store it.

    Compared without case and with "-" as "_", so that `AR` finds "ar" and `pt-br`
    finds "pt_BR" rather than silently matching nothing.
    """
    known = export_languages(consultation)
    by_spelling = {_spelling(code): code for code in known}
    if (code := by_spelling.get(_spelling(language))) is None:
        raise click.BadParameter(
            f"{language!r} is not a language of {consultation.slug!r}; its languages are "
            f"{', '.join(known)}.",
            param_hint="--language",
        )
    return code


def _spelling(code: str) -> str:
    return code.replace("-", "_").casefold()


def _counts(spec: ExportSpec) -> str:
    parts = []
    if spec.includes_comments:
        parts.append(_plural(comment_total(spec), "comment"))
    if spec.includes_responses:
        parts.append(_plural(response_count(spec), "response"))
    return " and ".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
