"""`flask translate ...`: keep the catalogs in step with the code."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from flask.cli import AppGroup

from consult.i18n.catalogs import (
    DOMAIN,
    check_catalogs,
    compile_catalogs,
    extract_catalog,
    po_paths,
    read_catalog,
    write_template,
)

translate_cli = AppGroup("translate", help="Extract, update, compile and check translations.")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = PROJECT_ROOT / "translations"
POT_PATH = TRANSLATIONS / f"{DOMAIN}.pot"


def _write_po(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as po_file:
        write_po(po_file, catalog, width=100, ignore_obsolete=True, include_previous=True)


@translate_cli.command("update")
def update() -> None:
    """Re-extract messages.pot and merge it into every catalog."""
    template = extract_catalog(PROJECT_ROOT)
    write_template(template, POT_PATH)
    for po_path in po_paths(TRANSLATIONS):
        catalog = read_catalog(po_path, po_path.parent.parent.name)
        catalog.update(template)
        _write_po(catalog, po_path)
        click.echo(f"updated {po_path.relative_to(PROJECT_ROOT)}")


@translate_cli.command("init")
@click.argument("locale")
def init(locale: str) -> None:
    """Start a catalog for a new language from messages.pot."""
    target = TRANSLATIONS / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if target.exists():
        raise click.ClickException(f"{target} exists already")
    template = read_catalog(POT_PATH)
    catalog = Catalog(locale=locale, project="Consult", charset="utf-8", fuzzy=False)
    catalog.update(template)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_po(catalog, target)
    click.echo(f"created {target.relative_to(PROJECT_ROOT)}: translate it, then `make test`")


@translate_cli.command("compile")
def compile_command() -> None:
    """Build the .mo files the application reads."""
    for mo_path in compile_catalogs(TRANSLATIONS, force=True):
        click.echo(f"compiled {mo_path.relative_to(PROJECT_ROOT)}")


@translate_cli.command("check")
def check() -> None:
    """Fail when messages.pot is stale or a catalog is incomplete or unfaithful."""
    problems = check_catalogs(PROJECT_ROOT)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} translation problem(s)")
    click.echo("catalogs are complete and match the code")
