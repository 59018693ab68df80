"""Writing papers: bringing a parsed document into a consultation.

Operations flush but never commit; the caller (a view or a command) commits once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from consult.consultations.models import Consultation, ConsultationTranslation
from consult.consultations.queries import get_by_slug
from consult.extensions import db
from consult.papers.importing import PaperParseError, ParsedDocument, ParsedSection
from consult.papers.models import Section, SectionTranslation

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The column sizes, checked here so that every database refuses alike and clearly.
MAX_SLUG_LENGTH = 80
MAX_KEY_LENGTH = 32
MAX_HEADING_LENGTH = 300


class PaperImportRefused(ValueError):
    """The import cannot go ahead; nothing was written."""


@dataclass
class ImportReport:
    """What an import did, for the command's output and the editor's preview."""

    consultation: Consultation
    locale: str
    created_consultation: bool = False
    # A translation fills an existing paper's sections in another language and adds none.
    is_translation: bool = False
    added_locale: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Sections the paper has but the file lacks: kept, never deleted.
    kept: list[str] = field(default_factory=list)
    # In a translation: keys in the file that the paper does not have (not imported).
    unmatched: list[str] = field(default_factory=list)
    dropped_lines: tuple[str, ...] = ()


def import_paper(
    slug: str, locale: str, document: ParsedDocument, *, enabled_locales: tuple[str, ...]
) -> ImportReport:
    """Create or update a consultation's paper from a parsed document in `locale`.

    A new slug creates a draft consultation titled from the document, with no
    window until an editor sets one. In the consultation's default language the
    import updates and adds sections; in another language it fills that language
    for the keys the paper already has. Either way no section is ever deleted.
    """
    if not SLUG_PATTERN.match(slug) or len(slug) > MAX_SLUG_LENGTH:
        raise PaperImportRefused(
            _l(
                "The address name “%(slug)s” may hold only lower-case letters, digits "
                "and single hyphens, at most %(limit)d characters.",
                slug=slug,
                limit=MAX_SLUG_LENGTH,
            )
        )
    if locale not in enabled_locales:
        raise PaperImportRefused(
            _l(
                "“%(locale)s” is not one of the enabled languages (%(enabled)s).",
                locale=locale,
                enabled=", ".join(enabled_locales),
            )
        )
    too_long = [s.key for s in document.sections if len(s.key) > MAX_KEY_LENGTH]
    if too_long:
        raise PaperImportRefused(
            _l(
                "These section numbers are longer than %(limit)d characters: %(keys)s",
                limit=MAX_KEY_LENGTH,
                keys=", ".join(too_long),
            )
        )

    too_long = [
        s.key
        for s in document.sections
        if s.heading is not None and len(s.heading) > MAX_HEADING_LENGTH
    ]
    if too_long:
        raise PaperImportRefused(
            _l(
                "The headings of these sections are longer than %(limit)d characters: %(keys)s",
                limit=MAX_HEADING_LENGTH,
                keys=", ".join(too_long),
            )
        )

    consultation = get_by_slug(slug)
    report: ImportReport
    if consultation is None:
        consultation = _create_draft(slug, locale, document)
        report = ImportReport(consultation, locale, created_consultation=True)
    else:
        report = ImportReport(consultation, locale)
        if locale not in consultation.offered_locales:
            consultation.offered_locales = [*consultation.offered_locales, locale]
            report.added_locale = True
        if document.title and locale not in consultation.translations:
            consultation.translations[locale] = ConsultationTranslation(
                locale=locale, title=document.title
            )
    report.dropped_lines = document.dropped_lines

    existing = {section.key: section for section in consultation.sections}
    report.is_translation = bool(existing) and locale != consultation.default_locale
    if report.is_translation:
        _fill_translation(existing, locale, document.sections, report)
    else:
        _update_and_add(consultation, existing, locale, document.sections, report)
    db.session.flush()
    return report


def parse_error_message(error: PaperParseError) -> str:
    """What a parse error means, in the reader's language."""
    if error.code == "duplicate_key":
        return str(
            _l(
                "Section %(key)s is numbered twice; the second time is on line %(line)d.",
                key=error.key or "",
                line=error.line_number or 0,
            )
        )
    return str(_l("The document holds no text."))


def _create_draft(slug: str, locale: str, document: ParsedDocument) -> Consultation:
    consultation = Consultation(slug=slug, default_locale=locale, offered_locales=[locale])
    consultation.translations[locale] = ConsultationTranslation(
        locale=locale, title=document.title or slug
    )
    db.session.add(consultation)
    return consultation


def _set_text(section: Section, locale: str, parsed: ParsedSection) -> bool:
    """Write heading and body in `locale`; True when that changed anything."""
    current = section.translations.get(locale)
    if current is None:
        section.translations[locale] = SectionTranslation(
            locale=locale, heading=parsed.heading, body=parsed.body
        )
        return True
    if (current.heading, current.body) == (parsed.heading, parsed.body):
        return False
    current.heading, current.body = parsed.heading, parsed.body
    return True


def _fill_translation(
    existing: dict[str, Section],
    locale: str,
    parsed_sections: tuple[ParsedSection, ...],
    report: ImportReport,
) -> None:
    seen = set()
    for parsed in parsed_sections:
        section = existing.get(parsed.key)
        if section is None:
            report.unmatched.append(parsed.key)
            continue
        seen.add(parsed.key)
        (report.updated if _set_text(section, locale, parsed) else report.unchanged).append(
            parsed.key
        )
    report.kept = [key for key in existing if key not in seen]


def _update_and_add(
    consultation: Consultation,
    existing: dict[str, Section],
    locale: str,
    parsed_sections: tuple[ParsedSection, ...],
    report: ImportReport,
) -> None:
    # Existing sections keep their place; a new one goes right after the section
    # that precedes it in the file; one the file lacks stays where it was.
    order = [section.key for section in consultation.sections]
    previous_key: str | None = None
    for parsed in parsed_sections:
        section = existing.get(parsed.key)
        if section is None:
            section = Section(key=parsed.key, position=0)
            consultation.sections.append(section)
            existing[parsed.key] = section
            _set_text(section, locale, parsed)
            report.added.append(parsed.key)
            order.insert(order.index(previous_key) + 1 if previous_key else 0, parsed.key)
        else:
            changed = _set_text(section, locale, parsed)
            (report.updated if changed else report.unchanged).append(parsed.key)
        previous_key = parsed.key
    file_keys = {parsed.key for parsed in parsed_sections}
    report.kept = [key for key in order if key not in file_keys]
    for position, key in enumerate(order):
        existing[key].position = position
