"""`flask consult import-paper FILE --slug SLUG --lang LANG`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from consult.config import Config
from consult.extensions import db
from consult.papers.importing import PaperParseError, parse_document
from consult.papers.operations import (
    ImportReport,
    PaperImportRefused,
    import_paper,
    parse_error_message,
)


@click.command("import-paper")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", required=True, help="The consultation's address name, e.g. ai-paper.")
@click.option("--lang", "locale", required=True, help="The language the file is written in.")
@click.option("--dry-run", is_flag=True, help="Show what would change and write nothing.")
@with_appcontext
def import_paper_command(file: Path, slug: str, locale: str, dry_run: bool) -> None:
    """Import a plain-text or Markdown paper into a consultation (created as a draft)."""
    config: Config = current_app.extensions["consult_config"]
    try:
        document = parse_document(file.read_text(encoding="utf-8-sig"))
        report = import_paper(slug, locale, document, enabled_locales=config.locales)
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{file} is not UTF-8 text") from error
    except PaperParseError as error:
        raise click.ClickException(parse_error_message(error)) from error
    except PaperImportRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(describe_report(report))
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was saved.")
    else:
        db.session.commit()


def describe_report(report: ImportReport) -> str:
    """The import's outcome as a short text for the terminal."""
    lines = []
    if report.created_consultation:
        lines.append(
            f"Created draft consultation {report.consultation.slug!r} "
            f"(default language {report.locale}); set its window before publishing."
        )
    if report.added_locale:
        lines.append(f"Added {report.locale} to the consultation's languages.")
    if report.is_translation:
        lines.append(f"Filled the {report.locale} text of existing sections.")
    for label, keys in (
        ("Added", report.added),
        ("Updated", report.updated),
        ("Unchanged", report.unchanged),
        ("Kept (not in this file, never deleted)", report.kept),
        ("Not imported (no such section in the paper)", report.unmatched),
        ("Archived (text updated, still out of the paper)", report.archived),
    ):
        if keys:
            lines.append(f"{label}: {', '.join(keys)}")
    if report.dropped_lines:
        lines.append("Dropped as page headers or footers:")
        lines.extend(f"  {line}" for line in report.dropped_lines)
    return "\n".join(lines)
