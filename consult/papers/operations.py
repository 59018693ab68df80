"""Writing papers: importing a document, editing, adding, ordering and archiving sections.

Operations flush but never commit; the caller (a view or a command) commits once.
Every change to a published consultation's paper leaves a dated notice for its
readers (`add_notice`), and none deletes a section: comments point at them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Literal

from flask_babel import lazy_gettext as _l

from consult.audit.operations import record
from consult.consultations.models import (
    MAX_SLUG_LENGTH,
    SLUG_PATTERN,
    Consultation,
    ConsultationTranslation,
    NoticeKind,
)
from consult.consultations.notices import add_notice
from consult.consultations.queries import get_by_slug
from consult.core.models import utcnow
from consult.core.text import normalise_plain_text
from consult.extensions import db
from consult.papers.importing import PaperParseError, ParsedDocument, ParsedSection
from consult.papers.models import Section, SectionTranslation

if TYPE_CHECKING:
    from consult.accounts.models import User

# A section key as documents number them: `preamble`, `1`, `1.a`, `3.g`, `ii`.
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:\.[a-z0-9]+)*$")
# The column sizes, checked here so that every database refuses alike and clearly.
MAX_KEY_LENGTH = 32
MAX_HEADING_LENGTH = 300


class PaperImportRefused(ValueError):
    """The import cannot go ahead; nothing was written."""


class SectionKeyTaken(ValueError):
    """The paper already has a section with this key (archived ones count: keys never change)."""


class SectionArchived(ValueError):
    """An archived section has left the paper: it has no place to move in."""


class LastSectionOfPublishedPaper(ValueError):
    """A published consultation keeps at least one section in its paper."""


class _TextChange(Enum):
    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


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
    # Keys in the file whose section is archived: their text is updated, they stay archived.
    archived: list[str] = field(default_factory=list)
    # Updated keys whose text in this language existed and changed (a first
    # translation is not a correction; archived sections have left the paper):
    # published consultations get a notice for each.
    corrected: list[str] = field(default_factory=list)
    dropped_lines: tuple[str, ...] = ()

    def outcome(self, key: str) -> Literal["added", "updated", "unchanged", "unmatched"]:
        """What the import did with the file's section `key`."""
        if key in self.added:
            return "added"
        if key in self.updated:
            return "updated"
        if key in self.unmatched:
            return "unmatched"
        return "unchanged"


def import_paper(
    slug: str,
    locale: str,
    document: ParsedDocument,
    *,
    enabled_locales: tuple[str, ...],
    editor: User | None = None,
) -> ImportReport:
    """Create or update a consultation's paper from a parsed document in `locale`.

    A new slug creates a draft consultation titled from the document, with no
    window until an editor sets one. In the consultation's default language the
    import updates and adds sections; in another language it fills that language
    for the keys the paper already has. Either way no section is ever deleted: an
    archived section named in the file gets the new text and stays archived.

    On a published consultation, each section in the paper whose existing text
    changed gets a SECTION_CORRECTED notice and each new section a SECTION_ADDED
    one. Audited as `paper.imported` (by `editor`, or by nobody from the command
    line), with `added_locale` when the import added a language to those offered.
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
            consultation.offered_locales = _with_locale(
                consultation.offered_locales, locale, enabled_locales
            )
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
    report.archived = [
        parsed.key
        for parsed in document.sections
        if parsed.key in existing and existing[parsed.key].is_archived
    ]
    # Archived sections have left the paper: correcting them is no news for its readers.
    report.corrected = [key for key in report.corrected if key not in report.archived]
    db.session.flush()
    # The relationship lists new sections last until it is read again in order.
    db.session.expire(consultation, ["sections"])
    for key in report.corrected:
        add_notice(consultation, NoticeKind.SECTION_CORRECTED, section_key=key, locale=locale)
    for key in report.added:
        add_notice(consultation, NoticeKind.SECTION_ADDED, section_key=key)
    record(
        "paper.imported",
        actor_id=editor.id if editor is not None else None,
        subject_type="consultation",
        subject_id=consultation.id,
        locale=locale,
        added=len(report.added),
        updated=len(report.updated),
        unchanged=len(report.unchanged),
        kept=len(report.kept),
        unmatched=len(report.unmatched),
        **({"added_locale": locale} if report.added_locale else {}),
    )
    return report


def preview_import(
    slug: str,
    locale: str,
    document: ParsedDocument,
    *,
    enabled_locales: tuple[str, ...],
    editor: User | None = None,
) -> ImportReport:
    """What `import_paper` would do, with nothing written.

    The import runs for real inside a savepoint that is then rolled back, so the
    preview reports exactly what the confirmed import will do, by the same code.
    Objects the import touched are expired and read again when next used.
    """
    savepoint = db.session.begin_nested()
    try:
        return import_paper(slug, locale, document, enabled_locales=enabled_locales, editor=editor)
    finally:
        savepoint.rollback()


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


def _with_locale(offered: list[str], locale: str, enabled_locales: tuple[str, ...]) -> list[str]:
    """`offered` with `locale` added in the configured order, as the settings form lists them.

    Languages no longer enabled come last there, so a new one goes before them.
    """
    rank = {code: index for index, code in enumerate(enabled_locales)}
    after = len(enabled_locales)
    place = next(
        (i for i, code in enumerate(offered) if rank.get(code, after) > rank[locale]),
        len(offered),
    )
    return [*offered[:place], locale, *offered[place:]]


def _create_draft(slug: str, locale: str, document: ParsedDocument) -> Consultation:
    consultation = Consultation(slug=slug, default_locale=locale, offered_locales=[locale])
    consultation.translations[locale] = ConsultationTranslation(
        locale=locale, title=document.title or slug
    )
    db.session.add(consultation)
    return consultation


def _set_text(section: Section, locale: str, heading: str | None, body: str) -> _TextChange:
    """Write heading and body in `locale`, saying whether that created or changed a text."""
    current = section.translations.get(locale)
    if current is None:
        section.translations[locale] = SectionTranslation(locale=locale, heading=heading, body=body)
        return _TextChange.CREATED
    if (current.heading, current.body) == (heading, body):
        return _TextChange.UNCHANGED
    current.heading, current.body = heading, body
    return _TextChange.CHANGED


def _report_update(report: ImportReport, key: str, change: _TextChange) -> None:
    if change is _TextChange.UNCHANGED:
        report.unchanged.append(key)
        return
    report.updated.append(key)
    if change is _TextChange.CHANGED:
        report.corrected.append(key)


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
        _report_update(report, parsed.key, _set_text(section, locale, parsed.heading, parsed.body))
    # Archived sections have left the paper: a file without them covers the paper.
    report.kept = [
        key for key, section in existing.items() if key not in seen and not section.is_archived
    ]


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
            _set_text(section, locale, parsed.heading, parsed.body)
            report.added.append(parsed.key)
            order.insert(order.index(previous_key) + 1 if previous_key else 0, parsed.key)
        else:
            change = _set_text(section, locale, parsed.heading, parsed.body)
            _report_update(report, parsed.key, change)
        previous_key = parsed.key
    file_keys = {parsed.key for parsed in parsed_sections}
    report.kept = [key for key in order if key not in file_keys and not existing[key].is_archived]
    for position, key in enumerate(order):
        existing[key].position = position


def edit_section(
    section: Section, locale: str, heading: str | None, body: str, editor: User
) -> bool:
    """Set a section's heading and Markdown body in one offered language; False if unchanged.

    In the default language a heading or a body is required (a heading alone
    stands for a part of the paper that only groups the sections after it). In
    another language an empty heading and body remove that translation (readers then see the default
    language, marked as such). On a published consultation, changing or removing
    text that readers had gets a SECTION_CORRECTED notice; a first translation
    does not. The section's comments are never touched. Audited as `section.edited`.
    """
    consultation = section.consultation
    if locale not in consultation.offered_locales:
        raise ValueError(f"{locale!r} is not offered by {consultation.slug!r}")
    heading = normalise_plain_text(heading or "").strip() or None
    body = normalise_plain_text(body).strip()
    if locale == consultation.default_locale and not heading and not body:
        raise ValueError("the default language needs a heading or a body")
    current = section.translations.get(locale)
    if not heading and not body:
        if current is None:
            return False
        del section.translations[locale]
        change = _TextChange.CHANGED
    else:
        change = _set_text(section, locale, heading, body)
    if change is _TextChange.UNCHANGED:
        return False
    db.session.flush()
    # A withdrawn section is no longer part of the paper readers are asked about.
    if change is _TextChange.CHANGED and not section.is_archived:
        add_notice(
            consultation, NoticeKind.SECTION_CORRECTED, section_key=section.key, locale=locale
        )
    _record_section("section.edited", section, editor, locale=locale)
    return True


def add_section(
    consultation: Consultation,
    key: str,
    *,
    after: Section | None,
    heading: str | None,
    body: str,
    editor: User,
) -> Section:
    """Add a section, in the default language, right after `after` (None: at the start).

    It needs a heading or a body, or both. Raises `SectionKeyTaken` when the paper
    has a section with that key, archived or not. Positions are renumbered from 0
    in the paper's order. On a published consultation readers get a SECTION_ADDED
    notice. Audited as `section.added`.
    """
    if not KEY_PATTERN.match(key) or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"{key!r} is not a section key")
    order = list(consultation.sections)
    if any(section.key == key for section in order):
        raise SectionKeyTaken(key)
    heading = normalise_plain_text(heading or "").strip() or None
    body = normalise_plain_text(body).strip()
    if not heading and not body:
        raise ValueError("a section needs a heading or a body")
    section = Section(key=key, position=0)
    _set_text(section, consultation.default_locale, heading, body)
    order.insert(0 if after is None else order.index(after) + 1, section)
    consultation.sections.append(section)
    _renumber(order)
    db.session.flush()
    # The relationship lists the new section last until it is read again in order.
    db.session.expire(consultation, ["sections"])
    add_notice(consultation, NoticeKind.SECTION_ADDED, section_key=key)
    _record_section("section.added", section, editor)
    return section


def move_section(section: Section, direction: Literal["up", "down"], editor: User) -> bool:
    """Swap a section with its neighbour in the paper; False when it is already at that end.

    Archived sections have left the paper: they are no one's neighbour (a section
    moves past them) and cannot be moved themselves; they keep
    their position, so that a restored section comes back where it was.
    Raises `SectionArchived` for an archived section. Audited as `section.moved`;
    readers get no notice (no text changed).
    """
    if section.is_archived:
        raise SectionArchived(section.key)
    in_paper = [s for s in section.consultation.sections if not s.is_archived]
    index = in_paper.index(section)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(in_paper):
        return False
    neighbour = in_paper[other]
    section.position, neighbour.position = neighbour.position, section.position
    db.session.flush()
    # The relationship's order was read before the swap.
    db.session.expire(section.consultation, ["sections"])
    _record_section("section.moved", section, editor, direction=direction)
    return True


def archive_section(section: Section, editor: User) -> bool:
    """Take a section out of the paper, keeping it and its comments; False if it was already.

    The section keeps its key, texts, position and address (comments link to
    it); readers of a published consultation get a SECTION_ARCHIVED notice.
    Raises `LastSectionOfPublishedPaper` for the last section in the paper of a
    published consultation that has no questionnaire: publishing needs content,
    so archiving cannot take it all away. Audited as `section.archived`.
    """
    if section.is_archived:
        return False
    consultation = section.consultation
    if (
        consultation.is_published
        and not consultation.questions
        and not any(
            not other.is_archived for other in consultation.sections if other is not section
        )
    ):
        raise LastSectionOfPublishedPaper(section.key)
    section.archived_at = utcnow()
    db.session.flush()
    add_notice(section.consultation, NoticeKind.SECTION_ARCHIVED, section_key=section.key)
    _record_section("section.archived", section, editor)
    return True


def restore_section(section: Section, editor: User) -> bool:
    """Put an archived section back in the paper, where it was; False if it was not archived.

    Readers of a published consultation get a SECTION_RESTORED notice. Audited as
    `section.restored`.
    """
    if not section.is_archived:
        return False
    section.archived_at = None
    db.session.flush()
    add_notice(section.consultation, NoticeKind.SECTION_RESTORED, section_key=section.key)
    _record_section("section.restored", section, editor)
    return True


def _renumber(sections: list[Section]) -> None:
    for position, section in enumerate(sections):
        section.position = position


def _record_section(action: str, section: Section, editor: User, **details: str) -> None:
    record(
        action,
        actor_id=editor.id,
        subject_type="section",
        subject_id=section.id,
        consultation=section.consultation.slug,
        section=section.key,
        **details,
    )
