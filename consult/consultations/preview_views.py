"""Staff preview: a consultation, draft or published, exactly as the public will see it.

Every view needs an editor or admin signed in with the password (`require_role`).
The pages are the public templates themselves, not copies of them: the templates
build their links to the paper through `consultation_url`, `section_url` and
`general_comments_url`, which stay inside the preview when the page is one, and
show a note where the public page has its comment form (nobody comments on a
preview, and a draft takes no comments). The questionnaire's preview shows its
form with buttons that do nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request, url_for
from werkzeug.wrappers import Response

from consult.accounts.models import Role
from consult.accounts.permissions import require_role
from consult.comments.views import render_general_comments
from consult.consultations.models import Consultation
from consult.consultations.queries import get_any_or_404
from consult.consultations.views import render_consultation
from consult.papers.queries import section_in_context_or_404
from consult.papers.views import render_section
from consult.questionnaires.queries import questions_of
from consult.questionnaires.views import render_answer_page

blueprint = Blueprint(
    "preview", __name__, url_prefix="/<lang:lang>/manage/consultations/<slug>/preview"
)


@blueprint.get("/")
@require_role(Role.EDITOR)
def show(slug: str) -> str:
    """The consultation page with its paper, as readers of this language will see it."""
    return render_consultation(get_any_or_404(slug))


@blueprint.get("/sections/<key>/")
@require_role(Role.EDITOR)
def section(slug: str, key: str) -> str:
    """A section page (archived ones too), with its published comments and no form."""
    consultation = get_any_or_404(slug)
    return render_section(consultation, section_in_context_or_404(consultation, key), box=None)


@blueprint.get("/comments/")
@require_role(Role.EDITOR)
def general(slug: str) -> str:
    """The general comments page, with no form."""
    consultation = get_any_or_404(slug)
    if not consultation.sections:
        abort(404)
    return render_general_comments(consultation, box=None)


@blueprint.get("/questionnaire/")
@require_role(Role.EDITOR)
def questionnaire(slug: str) -> str:
    """The questionnaire as participants of this language see it, with buttons that do nothing."""
    consultation = get_any_or_404(slug)
    return render_answer_page(consultation, questions_of(consultation), {}, preview=True)


@blueprint.after_request
def keep_out_of_indexes_and_caches(response: Response) -> Response:
    # A draft must not reach a search engine or a shared cache by a forwarded link.
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.app_template_global()
def in_preview() -> bool:
    """Whether this page is a staff preview (its banner shows; its forms do not)."""
    return request.blueprint == "preview"


@blueprint.app_template_global()
def consultation_url(consultation: Consultation, **values: Any) -> str:
    """The consultation page: the public one, or its preview from a preview."""
    endpoint = "preview.show" if in_preview() else "consultations.show"
    return url_for(endpoint, slug=consultation.slug, **values)


@blueprint.app_template_global()
def section_url(consultation: Consultation, key: str, **values: Any) -> str:
    """A section page: the public one, or its preview from a preview."""
    endpoint = "preview.section" if in_preview() else "papers.section"
    return url_for(endpoint, slug=consultation.slug, key=key, **values)


@blueprint.app_template_global()
def questionnaire_url(consultation: Consultation, **values: Any) -> str:
    """The questionnaire page: the public one, or its preview from a preview."""
    endpoint = "preview.questionnaire" if in_preview() else "questionnaires.answer"
    return url_for(endpoint, slug=consultation.slug, **values)


@blueprint.app_template_global()
def general_comments_url(consultation: Consultation, **values: Any) -> str:
    """The general comments page: the public one, or its preview from a preview."""
    endpoint = "preview.general" if in_preview() else "comments.general"
    return url_for(endpoint, slug=consultation.slug, **values)
