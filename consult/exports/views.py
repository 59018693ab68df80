"""Downloads: the staff export page, and open data for everyone.

Staff exports need an editor or admin signed in with the password; contact data
(e-mail addresses) only an admin who asks for it. Each one is written to the audit
log before its first byte is sent. Open data is public and not audited: the
published comments of a consultation that offers it, named as its pages name them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from flask import Blueprint, Response, abort, render_template, stream_with_context
from flask_babel import get_locale

from consult.accounts.models import Role
from consult.accounts.permissions import require_role, staff_user
from consult.comments.attribution import Audience
from consult.consultations.models import Consultation
from consult.consultations.queries import get_any_or_404, get_published_or_404
from consult.core.forms import form_submitted
from consult.exports.build import export_chunks, export_filename
from consult.exports.forms import ExportForm, local_today
from consult.exports.operations import VIA_WEB, record_export
from consult.exports.queries import comment_total, response_count
from consult.exports.spec import ExportFormat, ExportSpec
from consult.extensions import db, limiter

blueprint = Blueprint(
    "exports", __name__, url_prefix="/<lang:lang>/manage/consultations/<slug>/exports"
)
open_data = Blueprint(
    "open_data", __name__, url_prefix="/<lang:lang>/consultations/<slug>/open-data"
)

# Downloads per network address and hour, CSV and JSON together, across consultations:
# plenty for a person or a script fetching each file, not for hammering the database.
OPEN_DATA_LIMIT = "60 per hour"


@blueprint.route("/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def export(slug: str) -> str | Response:
    """The export form; a valid form sends the file at once, streamed."""
    consultation = get_any_or_404(slug)
    locale = str(get_locale())
    form = ExportForm(consultation, locale)
    user = staff_user()
    if form_submitted(form):
        contact = bool(form.contact.data)
        if contact and not user.can_export_contact_data():
            abort(403)
        spec = ExportSpec(
            consultation,
            form.export_format(),
            Audience.CONTACT if contact else Audience.EDITOR,
            locale,
            content=form.export_content(),
            filters=form.export_filters(),
        )
        record_export(spec, user, via=VIA_WEB)
        db.session.commit()
        response = download(spec)
        response.headers["Cache-Control"] = "no-store"
        return response
    counted = ExportSpec(consultation, ExportFormat.XLSX, Audience.EDITOR, locale)
    return render_template(
        "exports/export.html",
        consultation=consultation,
        form=form,
        offers_contact=user.can_export_contact_data(),
        published_comments=comment_total(counted),
        submitted_responses=response_count(counted),
    )


@open_data.get("/comments.csv")
@limiter.shared_limit(OPEN_DATA_LIMIT, scope="open-data")
def comments_csv(slug: str) -> Response:
    return _open_data(slug, ExportFormat.CSV)


@open_data.get("/comments.json")
@limiter.shared_limit(OPEN_DATA_LIMIT, scope="open-data")
def comments_json(slug: str) -> Response:
    return _open_data(slug, ExportFormat.JSON)


def _open_data(slug: str, format: ExportFormat) -> Response:
    """The published comments, as public pages show their authors; none until the
    consultation offers them (closed, or its editor allows them before the close)."""
    consultation = get_published_or_404(slug)
    if not consultation.offers_open_data:
        abort(404)
    return download(ExportSpec(consultation, format, Audience.OPEN_DATA, str(get_locale())))


def download(spec: ExportSpec) -> Response:
    """The export as an attachment, sent while it is written (see `export_chunks`)."""
    filename = export_filename(spec, local_today(spec.consultation.zone))
    consultation_id = spec.consultation.id

    def chunks() -> Iterator[bytes]:
        # Flask ends the request when the view returns, closing its database session,
        # and enters it again for the stream: read the consultation in the new session.
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation is not None
        yield from export_chunks(replace(spec, consultation=consultation))

    response = Response(stream_with_context(chunks()), content_type=spec.format.media_type)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response
