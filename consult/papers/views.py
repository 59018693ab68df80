"""Public section pages, with their comments and the form to add one."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale
from werkzeug.wrappers import Response

from consult.comments.views import CommentBox, comment_box, comment_listing, comment_rate_limit
from consult.consultations.models import Consultation
from consult.consultations.queries import get_published_or_404
from consult.papers.queries import SectionInContext, section_in_context_or_404

blueprint = Blueprint("papers", __name__, url_prefix="/<lang:lang>/consultations/<slug>")


@blueprint.route("/sections/<key>/", methods=["GET", "POST"])
@comment_rate_limit
def section(slug: str, key: str) -> str | Response | tuple[str, int]:
    """A section, its comments, and (POST) a comment sent from its form."""
    consultation = get_published_or_404(slug)
    context = section_in_context_or_404(consultation, key)
    box = comment_box(consultation, context.section)
    if not isinstance(box, CommentBox):
        return box
    return render_section(consultation, context, box), box.status


def render_section(
    consultation: Consultation, context: SectionInContext, box: CommentBox | None
) -> str:
    """The section page; `box` is None in the staff preview, which takes no comments."""
    return render_template(
        "papers/section.html",
        consultation=consultation,
        context=context,
        box=box,
        listing=comment_listing(consultation, context.section),
        locale=str(get_locale()),
    )
