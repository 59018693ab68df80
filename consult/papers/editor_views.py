"""Editors' pages for a consultation's paper: import, sections, their texts, order, archive.

Every view needs an editor or admin signed in with the password (`require_role`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.accounts.models import Role
from consult.accounts.permissions import require_role, staff_user
from consult.consultations.models import Consultation
from consult.consultations.queries import get_any_or_404
from consult.core.forms import form_submitted
from consult.extensions import db
from consult.i18n.locale import enabled_locales, language_name
from consult.papers import operations
from consult.papers.forms import (
    MAX_DOCUMENT_MB,
    PaperImportForm,
    SectionActionForm,
    SectionAddForm,
    SectionMoveForm,
    SectionTextForm,
    section_label_text,
)
from consult.papers.importing import PaperParseError, ParsedDocument, parse_document
from consult.papers.models import Section
from consult.papers.operations import (
    ImportReport,
    LastSectionOfPublishedPaper,
    PaperImportRefused,
    SectionArchived,
    SectionKeyTaken,
    parse_error_message,
)
from consult.papers.queries import comment_counts, section_or_404, sections_with_translations

blueprint = Blueprint(
    "paper_editor", __name__, url_prefix="/<lang:lang>/manage/consultations/<slug>/paper"
)

# How much of each section's body the import preview shows.
EXCERPT_CHARS = 160


@blueprint.url_value_preprocessor
def _allow_whole_documents(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # The import form sends a whole document as one text field, which Flask refuses
    # beyond 500 kB (413) while the CSRF check reads the form, before any view runs.
    # The import page allows a field as large as the request itself may be; the
    # form then holds the document to its own, clearly worded, limit.
    if endpoint == "paper_editor.import_paper":
        request.max_form_memory_size = current_app.config["MAX_CONTENT_LENGTH"]


def _to_sections(consultation: Consultation, key: str | None = None) -> Response:
    anchor = "" if key is None else f"#section-{key}"
    return redirect(url_for("paper_editor.sections", slug=consultation.slug) + anchor)


@blueprint.get("/")
@require_role(Role.EDITOR)
def sections(slug: str) -> str:
    """Every section in order, archived ones too, with their languages and comment counts."""
    consultation = get_any_or_404(slug)
    paper = sections_with_translations(consultation, include_archived=True)
    in_paper = [section for section in paper if not section.is_archived]
    return render_template(
        "editor/paper_sections.html",
        consultation=consultation,
        paper=paper,
        first_key=in_paper[0].key if in_paper else None,
        last_key=in_paper[-1].key if in_paper else None,
        counts=comment_counts(consultation),
    )


@blueprint.route("/import", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def import_paper(slug: str) -> str | Response:
    """Upload or paste a document, preview what it would do (nothing saved), then confirm."""
    consultation = get_any_or_404(slug)
    form = PaperImportForm(enabled_locales(), locale=consultation.default_locale)
    if not form_submitted(form):
        return _render_import(consultation, form)
    run = operations.import_paper if form.confirm.data else operations.preview_import
    try:
        document = parse_document(form.text.data)
        report = run(
            consultation.slug,
            form.locale.data,
            document,
            enabled_locales=enabled_locales(),
            editor=staff_user(),
        )
    except PaperParseError as error:
        form.text.errors.append(parse_error_message(error))
        return _render_import(consultation, form)
    except PaperImportRefused as error:
        form.text.errors.append(str(error))
        return _render_import(consultation, form)
    if not form.confirm.data:
        return _render_import(consultation, form, document=document, report=report)
    db.session.commit()
    flash(
        _(
            "Imported the %(language)s text. Added: %(added)d. Updated: %(updated)d. "
            "Unchanged: %(unchanged)d. Kept, not in the file: %(kept)d. "
            "Not imported: %(unmatched)d.",
            language=language_name(report.locale),
            added=len(report.added),
            updated=len(report.updated),
            unchanged=len(report.unchanged),
            kept=len(report.kept),
            unmatched=len(report.unmatched),
        )
    )
    return _to_sections(consultation)


def _render_import(
    consultation: Consultation,
    form: PaperImportForm,
    *,
    document: ParsedDocument | None = None,
    report: ImportReport | None = None,
) -> str:
    return render_template(
        "editor/paper_import.html",
        consultation=consultation,
        form=form,
        document=document,
        report=report,
        max_mb=MAX_DOCUMENT_MB,
        excerpt_chars=EXCERPT_CHARS,
    )


@blueprint.route("/sections/<key>/<locale>", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def edit_section(slug: str, key: str, locale: str) -> str | Response:
    """A section's heading and body in one offered language, with a preview that saves nothing."""
    consultation = get_any_or_404(slug)
    section = section_or_404(consultation, key)
    if locale not in consultation.offered_locales:
        abort(404)
    current = section.translations.get(locale)
    form = SectionTextForm(
        text_required=locale == consultation.default_locale,
        content_locale=locale,
        heading=current.heading if current else None,
        body=current.body if current else "",
    )
    submitted = form_submitted(form)
    if submitted and form.save.data:
        changed = operations.edit_section(
            section, locale, form.heading.data, form.body.data or "", staff_user()
        )
        db.session.commit()
        label = section_label_text(section)
        language = language_name(locale)
        if changed:
            flash(_("%(section)s saved in %(language)s.", section=label, language=language))
        else:
            flash(
                _(
                    "Nothing changed in %(section)s (%(language)s).",
                    section=label,
                    language=language,
                )
            )
        return _to_sections(consultation, section.key)
    return render_template(
        "editor/paper_section_edit.html",
        consultation=consultation,
        section=section,
        locale=locale,
        form=form,
        preview=submitted,
        reference=_reference_text(section, locale),
    )


def _reference_text(section: Section, locale: str) -> tuple[str | None, str] | None:
    """The default language's heading and body, shown beside another language's form."""
    default = section.consultation.default_locale
    translation = section.translations.get(default)
    if locale == default or translation is None:
        return None
    return translation.heading, translation.body


@blueprint.route("/sections/new", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def add_section(slug: str) -> str | Response:
    """A new section in the default language, at the start or after a chosen section."""
    consultation = get_any_or_404(slug)
    in_paper = sections_with_translations(consultation)
    form = SectionAddForm(
        in_paper,
        content_locale=consultation.default_locale,
        place=in_paper[-1].key if in_paper else "",
    )
    submitted = form_submitted(form)
    if submitted and form.save.data:
        after = next((s for s in in_paper if s.key == form.place.data), None)
        try:
            section = operations.add_section(
                consultation,
                form.key.data,
                after=after,
                heading=form.heading.data,
                body=form.body.data or "",
                editor=staff_user(),
            )
        except SectionKeyTaken:
            form.key.errors.append(
                _(
                    "The paper already has a section %(key)s (perhaps archived): "
                    "choose another number.",
                    key=form.key.data,
                )
            )
            submitted = False
        else:
            db.session.commit()
            flash(_("%(section)s added.", section=section_label_text(section)))
            return _to_sections(consultation, section.key)
    return render_template(
        "editor/paper_section_add.html",
        consultation=consultation,
        form=form,
        preview=submitted,
    )


@blueprint.post("/sections/<key>/move")
@require_role(Role.EDITOR)
def move_section(slug: str, key: str) -> Response:
    """One step up or down among the sections in the paper (archived ones are skipped)."""
    consultation = get_any_or_404(slug)
    section = section_or_404(consultation, key)
    form = SectionMoveForm()
    if form_submitted(form):
        label = section_label_text(section)
        up = form.direction.data == "up"
        try:
            moved = operations.move_section(section, "up" if up else "down", staff_user())
        except SectionArchived:
            flash(_("An archived section has no place in the paper: restore it first."), "error")
        else:
            db.session.commit()
            if moved and up:
                flash(_("%(section)s moved up.", section=label))
            elif moved:
                flash(_("%(section)s moved down.", section=label))
            elif up:
                flash(_("%(section)s is already first.", section=label))
            else:
                flash(_("%(section)s is already last.", section=label))
    return _to_sections(consultation, key)


@blueprint.post("/sections/<key>/archive")
@require_role(Role.EDITOR)
def archive_section(slug: str, key: str) -> Response:
    """Take a section out of the paper; it and its comments stay, at the same address."""
    consultation = get_any_or_404(slug)
    section = section_or_404(consultation, key)
    if form_submitted(SectionActionForm()):
        label = section_label_text(section)
        try:
            operations.archive_section(section, staff_user())
        except LastSectionOfPublishedPaper:
            flash(
                _(
                    "%(section)s is the last section in the paper of a published "
                    "consultation, so it cannot be archived. Add another section first, "
                    "or unpublish the consultation.",
                    section=label,
                ),
                "error",
            )
        else:
            db.session.commit()
            flash(
                _(
                    "%(section)s is archived: it has left the paper, and it and its comments "
                    "stay reachable at its address.",
                    section=label,
                )
            )
    return _to_sections(consultation, key)


@blueprint.post("/sections/<key>/restore")
@require_role(Role.EDITOR)
def restore_section(slug: str, key: str) -> Response:
    """Put an archived section back in the paper, where it was."""
    consultation = get_any_or_404(slug)
    section = section_or_404(consultation, key)
    if form_submitted(SectionActionForm()):
        operations.restore_section(section, staff_user())
        db.session.commit()
        flash(_("%(section)s is back in the paper.", section=section_label_text(section)))
    return _to_sections(consultation, key)
