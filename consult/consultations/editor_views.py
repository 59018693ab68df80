"""Editors' pages for a consultation: create, settings, texts, translations, publication.

Every view needs an editor or admin signed in with the password (`require_role`).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.accounts.models import Role
from consult.accounts.permissions import require_role, staff_user
from consult.config import Config
from consult.consultations.forms import (
    ConsultationCreateForm,
    ConsultationPublishForm,
    ConsultationSettingsForm,
    ConsultationTextForm,
    ConsultationUnpublishForm,
)
from consult.consultations.models import ModerationMode
from consult.consultations.operations import (
    ConsultationChangeRefused,
    PublicationRefused,
    SlugTaken,
    create_consultation,
    publish_consultation,
    unpublish_consultation,
    update_settings,
    update_texts,
)
from consult.consultations.queries import (
    all_consultations,
    consultation_counts,
    get_any_or_404,
    publication_blockers,
    translation_gaps,
)
from consult.core.forms import form_submitted
from consult.extensions import db
from consult.i18n.locale import enabled_locales

blueprint = Blueprint(
    "consultation_editor", __name__, url_prefix="/<lang:lang>/manage/consultations"
)


def _slug_taken_message(slug: str) -> str:
    return str(
        _(
            "Another consultation already uses the address name “%(slug)s”: please choose another.",
            slug=slug,
        )
    )


@blueprint.get("/")
@require_role(Role.EDITOR)
def index() -> str:
    return render_template("editor/index.html", consultations=all_consultations())


@blueprint.route("/new", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def create() -> str | Response:
    config: Config = current_app.extensions["consult_config"]
    form = ConsultationCreateForm(default_locale=config.default_locale)
    form.fill_choices(config.locales)
    if form_submitted(form):
        try:
            consultation = create_consultation(
                form.slug.data,
                default_locale=form.default_locale.data,
                title=form.title.data,
                timezone=form.timezone.data,
                editor=staff_user(),
            )
        except SlugTaken:
            form.slug.errors.append(_slug_taken_message(form.slug.data))
        else:
            db.session.commit()
            flash(_("The draft is created. Set its window, then add its paper."))
            return redirect(url_for("consultation_editor.overview", slug=consultation.slug))
    return render_template("editor/new.html", form=form)


@blueprint.get("/<slug>/")
@require_role(Role.EDITOR)
def overview(slug: str) -> str:
    consultation = get_any_or_404(slug)
    return render_template(
        "editor/overview.html",
        consultation=consultation,
        counts=consultation_counts(consultation),
        blockers=publication_blockers(consultation),
        publish_form=ConsultationPublishForm(formdata=None),
        unpublish_form=ConsultationUnpublishForm(formdata=None),
    )


@blueprint.route("/<slug>/settings", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def settings(slug: str) -> str | Response:
    consultation = get_any_or_404(slug)
    form = ConsultationSettingsForm(consultation, enabled_locales())
    # What the operation refused although the form was valid, shown above the form.
    refusal = None
    if form_submitted(form):
        try:
            changed = update_settings(
                consultation,
                staff_user(),
                slug=form.slug.data if form.slug_editable else consultation.slug,
                default_locale=form.default_locale.data,
                offered_locales=form.chosen_offered_locales(),
                timezone=form.timezone.data,
                moderation_mode=ModerationMode(form.moderation_mode.data),
                open_data_before_close=bool(form.open_data_before_close.data),
                opens_at=form.opens_at_utc,
                closes_at=form.closes_at_utc,
            )
        except SlugTaken:
            form.slug.errors.append(_slug_taken_message(form.slug.data))
        except ConsultationChangeRefused as refused:
            refusal = str(refused)
        else:
            db.session.commit()
            flash(_("The settings are saved.") if changed else _("Nothing was changed."))
            return redirect(url_for("consultation_editor.settings", slug=consultation.slug))
    return render_template(
        "editor/settings.html", consultation=consultation, form=form, refusal=refusal
    )


@blueprint.route("/<slug>/texts/<locale>", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def texts(slug: str, locale: str) -> str | Response:
    consultation = get_any_or_404(slug)
    if locale not in consultation.offered_locales:
        abort(404)
    current = consultation.translations.get(locale)
    form = ConsultationTextForm(
        title=current.title if current else "",
        summary=current.summary if current else "",
        title_required=locale == consultation.default_locale,
    )
    preview = None
    if form.is_submitted() and form.preview.data:
        # Shown, never saved: the page comes back with the text as typed.
        preview = form.summary.data or ""
    elif form_submitted(form):
        try:
            changed = update_texts(
                consultation,
                locale,
                title=form.title.data or "",
                summary=form.summary.data or "",
                editor=staff_user(),
            )
        except ConsultationChangeRefused as refused:
            form.title.errors.append(str(refused))
        else:
            db.session.commit()
            flash(_("The text is saved.") if changed else _("Nothing was changed."))
            return redirect(url_for("consultation_editor.texts", slug=slug, locale=locale))
    return render_template(
        "editor/texts.html",
        consultation=consultation,
        locale=locale,
        form=form,
        preview=preview,
        reference=consultation.translations.get(consultation.default_locale)
        if locale != consultation.default_locale
        else None,
    )


@blueprint.get("/<slug>/translations")
@require_role(Role.EDITOR)
def translations(slug: str) -> str:
    consultation = get_any_or_404(slug)
    return render_template(
        "editor/translations.html",
        consultation=consultation,
        gaps=translation_gaps(consultation),
    )


@blueprint.post("/<slug>/publish")
@require_role(Role.EDITOR)
def publish(slug: str) -> Response:
    consultation = get_any_or_404(slug)
    if form_submitted(ConsultationPublishForm()):
        try:
            publish_consultation(consultation, staff_user())
        except PublicationRefused as refused:
            flash(
                _(
                    "The consultation cannot be published yet: %(missing)s",
                    missing=" ".join(blocker.label for blocker in refused.blockers),
                ),
                "error",
            )
        else:
            db.session.commit()
            flash(_("The consultation is published: the public can read it."))
    return redirect(url_for("consultation_editor.overview", slug=consultation.slug))


@blueprint.post("/<slug>/unpublish")
@require_role(Role.EDITOR)
def unpublish(slug: str) -> Response:
    consultation = get_any_or_404(slug)
    if form_submitted(ConsultationUnpublishForm()):
        unpublish_consultation(consultation, staff_user())
        db.session.commit()
        flash(_("The consultation is hidden from the public. Its comments are kept."))
    return redirect(url_for("consultation_editor.overview", slug=consultation.slug))
