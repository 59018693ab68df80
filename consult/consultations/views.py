"""Public pages: the list of consultations and a consultation with its paper."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale

from consult.consultations.models import Consultation
from consult.consultations.queries import get_published_or_404, home_listing
from consult.papers.queries import archived_sections, sections_with_translations

blueprint = Blueprint("consultations", __name__, url_prefix="/<lang:lang>")


@blueprint.get("/")
def index() -> str:
    return render_template(
        "consultations/index.html", listing=home_listing(), locale=str(get_locale())
    )


@blueprint.get("/consultations/<slug>/")
def show(slug: str) -> str:
    return render_consultation(get_published_or_404(slug))


def render_consultation(consultation: Consultation) -> str:
    """The consultation page, for the public and for the staff preview alike.

    Archived sections are not part of the paper; they are listed after it, so that
    their comments stay one link away.
    """
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        sections=sections_with_translations(consultation),
        archived=archived_sections(consultation),
        locale=str(get_locale()),
    )
