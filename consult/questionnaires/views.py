"""Participants' pages: a consultation's questionnaire, answered, saved as a draft, submitted.

Like the comment form, the questionnaire can be read and filled in by a
visitor, who is asked to sign in on sending, the answers carried through the
sign-in link and given back, unsent, after it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as HttpResponse

from consult.accounts.drafts import restored_draft
from consult.accounts.models import User
from consult.accounts.permissions import require_participant, signed_in_user
from consult.consultations.models import Consultation
from consult.consultations.queries import get_published_or_404
from consult.core.bots import page_status
from consult.core.forms import form_submitted
from consult.extensions import db, limiter
from consult.i18n.dates import format_in_zone
from consult.questionnaires.forms import (
    SUBMIT,
    ResponseSaveForm,
    answer_fields,
    identity_choices,
    identity_of,
)
from consult.questionnaires.models import Question, Response
from consult.questionnaires.operations import (
    IDENTITY_FIELD,
    RefusalReason,
    ResponseRefused,
    SaveOutcome,
    TypedAnswers,
    save_response,
    typed_answers_of,
)
from consult.questionnaires.queries import question_count, questions_of, response_of

blueprint = Blueprint(
    "questionnaires", __name__, url_prefix="/<lang:lang>/consultations/<slug>/questionnaire"
)

# As many sendings as comments allow, counted apart from them.
RESPONSE_RATE_LIMIT = "30 per hour"


def _rate_limit_key() -> str:
    """Who is counted: the signed-in user, else the address (as for comments: a
    parliament answers from one address in the last hour before a deadline)."""
    signed_in = signed_in_user()
    if signed_in is not None:
        return f"user:{signed_in.user.id}"
    return get_remote_address()


def _locale() -> str:
    return str(get_locale())


def _viewer() -> User | None:
    signed_in = signed_in_user()
    return signed_in.user if signed_in else None


@blueprint.route("/", methods=["GET", "POST"])
@limiter.limit(RESPONSE_RATE_LIMIT, key_func=_rate_limit_key, methods=["POST"])
def answer(slug: str) -> str | HttpResponse | tuple[str, int]:
    """The questionnaire: readable by anyone, answered by participants while it is open."""
    consultation = get_published_or_404(slug)
    questions = questions_of(consultation)
    if not questions:
        abort(404)
    if request.method == "POST":
        return _send(consultation, questions)
    viewer = _viewer()
    response = response_of(consultation, viewer) if viewer else None
    # Answers typed before signing in come back unsent, over any saved ones.
    restored = restored_draft(request.path)
    if restored is not None:
        typed: TypedAnswers = {name: [value] for name, value in restored.items()}
    else:
        typed = typed_answers_of(response) if response else {}
    # Answers given back (restored or saved), not typed: they may be sent at once.
    form = ResponseSaveForm(formdata=None)
    form.given_back = restored is not None or response is not None
    return render_answer_page(
        consultation, questions, typed, response=response, restored=restored is not None, form=form
    )


@require_participant
def _send(
    consultation: Consultation, questions: list[Question]
) -> str | HttpResponse | tuple[str, int]:
    """Save a draft or submit; a refusal gives every answer back with the reason."""
    viewer = _viewer()
    assert viewer is not None
    typed = _typed_from(request.form)
    form = ResponseSaveForm()
    if not form_submitted(form):
        # An expired token (400) or a sending taken for a bot's (422): nothing saved,
        # everything typed shown again.
        return render_answer_page(
            consultation, questions, typed, response=response_of(consultation, viewer), form=form
        ), page_status(form)
    try:
        _response, outcome = save_response(
            consultation,
            viewer,
            typed,
            identity=identity_of(typed),
            submit=request.form.get("action") == SUBMIT,
            locale=_locale(),
        )
        db.session.commit()
    except ResponseRefused as refused:
        db.session.rollback()
        return render_answer_page(
            consultation,
            questions,
            typed,
            response=response_of(consultation, viewer),
            errors=refused.errors,
            identity_error=refused.identity_error,
            refusal=_refusal(consultation, refused.reason),
        )
    except IntegrityError:
        # An editor changed the questions between the page and the sending (an
        # answered question removed meanwhile): nothing saved, the form again as
        # it now is, with every answer typed.
        db.session.rollback()
        return render_answer_page(
            consultation,
            questions_of(consultation, refresh=True),
            typed,
            response=response_of(consultation, viewer),
            warning=_(
                "The questionnaire changed while you were answering; please check your "
                "answers and send them again."
            ),
        )
    flash(str(_OUTCOME_MESSAGES[outcome]))
    return redirect(url_for("questionnaires.answer", slug=consultation.slug))


_OUTCOME_MESSAGES = {
    SaveOutcome.DRAFT_SAVED: _l(
        "Your draft is saved. It is not sent: come back to it and submit it before the close."
    ),
    SaveOutcome.SUBMITTED: _l(
        "Thank you: your response is submitted. A copy is on its way to you by e-mail."
    ),
    SaveOutcome.CHANGED: _l(
        "Your changes are saved. A copy of your response is on its way to you by e-mail."
    ),
    SaveOutcome.UNCHANGED: _l(
        "Your response was already saved as it is: nothing changed, so no new copy is sent."
    ),
}


def _typed_from(form: MultiDict[str, str]) -> dict[str, list[str]]:
    """The answers and identity a request sent, every value under each name (checked,
    not trusted)."""
    return {
        name: form.getlist(name) for name in form if name.startswith("q-") or name == IDENTITY_FIELD
    }


def _refusal(consultation: Consultation, reason: RefusalReason) -> str | None:
    """Why nothing was saved, beyond the errors shown at their questions."""
    if reason is RefusalReason.INVALID:
        return None
    message: str
    if reason is RefusalReason.CLOSED and consultation.closes_at is not None:
        message = _(
            "This consultation closed on %(date)s, so your answers were not saved. "
            "They are below: you may keep a copy.",
            date=format_in_zone(consultation.closes_at, consultation.timezone),
        )
    elif consultation.opens_at is not None and consultation.window.not_yet_open():
        message = _(
            "This consultation opens on %(date)s: answers cannot be saved before then. "
            "Yours are below: you may keep a copy.",
            date=format_in_zone(consultation.opens_at, consultation.timezone),
        )
    else:
        message = _(
            "This consultation is not open for answers, so yours were not saved. "
            "They are below: you may keep a copy."
        )
    return message


def render_answer_page(
    consultation: Consultation,
    questions: Sequence[Question],
    typed: TypedAnswers,
    *,
    response: Response | None = None,
    errors: Mapping[int, str] | None = None,
    identity_error: str | None = None,
    refusal: str | None = None,
    warning: str | None = None,
    restored: bool = False,
    preview: bool = False,
    form: ResponseSaveForm | None = None,
) -> str:
    """The questionnaire page, for participants and for the staff preview alike.

    The form takes answers while the consultation is open and the reader may
    answer (a visitor may: they sign in on sending); otherwise it shows them
    read-only. The preview shows it as a participant sees it, unsendable.
    `refusal` says why the answers given back were not saved (the form read-only);
    `warning`, why they must be sent again (the form still open). `form` carries
    the bot checks (a new one unless given).
    """
    viewer = None if preview else _viewer()
    needs_profile = viewer is not None and not viewer.has_complete_profile
    is_open = consultation.is_open()
    fields = answer_fields(questions, typed, _locale(), errors)
    return render_template(
        "questionnaires/answer.html",
        consultation=consultation,
        fields=fields,
        errors=[field for field in fields if field.error],
        identities=identity_choices(typed, viewer, _locale()),
        identity_error=identity_error,
        response=response,
        refusal=refusal,
        warning=warning,
        restored=restored,
        preview=preview,
        form=form if form is not None else ResponseSaveForm(formdata=None),
        is_visitor=not preview and viewer is None,
        needs_profile=needs_profile,
        editable=preview or (is_open and not needs_profile and refusal is None),
        locale=_locale(),
    )


@blueprint.app_template_global()
def questionnaire_summary(consultation: Consultation) -> tuple[int, Response | None]:
    """How many questions the consultation asks, and the signed-in reader's response."""
    viewer = _viewer()
    count = question_count(consultation)
    if not count or viewer is None:
        return count, None
    return count, response_of(consultation, viewer)
