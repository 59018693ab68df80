"""Editors' pages for a consultation's questionnaire: questions, options, order, translations.

Every view needs an editor or admin signed in with the password (`require_role`).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from consult.accounts.models import Role
from consult.accounts.permissions import require_role, staff_user
from consult.consultations.models import Consultation
from consult.consultations.queries import get_any_or_404
from consult.core.forms import form_submitted
from consult.extensions import db
from consult.i18n.locale import language_name
from consult.questionnaires import questions as operations
from consult.questionnaires.editor_forms import (
    QuestionAddForm,
    QuestionEditForm,
    QuestionMoveForm,
    QuestionRemoveForm,
    question_edit_form,
)
from consult.questionnaires.models import Question
from consult.questionnaires.question_texts import missing_locales
from consult.questionnaires.questions import (
    MAX_OPTION_LENGTH,
    LastQuestionOfPublishedConsultation,
    QuestionnaireLocked,
)

blueprint = Blueprint(
    "questionnaire_editor",
    __name__,
    url_prefix="/<lang:lang>/manage/consultations/<slug>/questionnaire",
)


def _question_or_404(consultation: Consultation, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.consultation_id != consultation.id:
        abort(404)
    return question


def _to_questions(consultation: Consultation, question: Question | None = None) -> Response:
    anchor = "" if question is None else f"#question-{question.id}"
    return redirect(url_for("questionnaire_editor.questions", slug=consultation.slug) + anchor)


def _number(question: Question) -> int:
    """The question's number as editors and participants see it, from 1."""
    return question.position + 1


@blueprint.get("/")
@require_role(Role.EDITOR)
def questions(slug: str) -> str:
    """The questions in order, with their languages, order and remove buttons."""
    consultation = get_any_or_404(slug)
    return render_template(
        "questionnaires/editor_questions.html",
        consultation=consultation,
        questions=consultation.questions,
        missing={
            question.id: missing_locales(question, consultation.offered_locales)
            for question in consultation.questions
        },
        locked_notice=_locked_notice(consultation),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def add_question(slug: str) -> str | Response:
    """A new question, written in the default language, placed at the end."""
    consultation = get_any_or_404(slug)
    form = QuestionAddForm(content_locale=consultation.default_locale)
    if form_submitted(form) and form.save.data:
        question = operations.add_question(
            consultation, form.settings(), form.texts(), form.option_lines(), staff_user()
        )
        db.session.commit()
        flash(_("Question %(number)d added.", number=_number(question)))
        return _to_questions(consultation, question)
    return render_template(
        "questionnaires/editor_question_add.html",
        consultation=consultation,
        form=form,
        max_option=MAX_OPTION_LENGTH,
        preview=_preview(form.is_submitted() and bool(form.preview.data), form.help.data),
    )


@blueprint.route("/<int:question_id>/<locale>", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def edit_question(slug: str, question_id: int, locale: str) -> str | Response:
    """A question's settings, texts and options in the default language, or its
    translation in another offered language with the default's text for reference."""
    consultation = get_any_or_404(slug)
    question = _question_or_404(consultation, question_id)
    if locale not in consultation.offered_locales:
        abort(404)
    form = question_edit_form(question, locale)
    # What the operation refused although the form was valid, shown above the form.
    refusal = None
    if form_submitted(form) and form.save.data:
        try:
            if isinstance(form, QuestionEditForm):
                changed = operations.edit_question(
                    question,
                    locale,
                    form.texts(),
                    staff_user(),
                    settings=form.settings(),
                    new_options=form.new_option_lines(),
                    removed_option_ids=form.removed_option_ids(),
                )
            else:
                changed = operations.edit_question(question, locale, form.texts(), staff_user())
        except QuestionnaireLocked as locked:
            refusal = str(locked)
        else:
            db.session.commit()
            language = language_name(locale)
            number = _number(question)
            if changed:
                flash(
                    _(
                        "Question %(number)d saved in %(language)s.",
                        number=number,
                        language=language,
                    )
                )
            else:
                flash(
                    _(
                        "Nothing changed in question %(number)d (%(language)s).",
                        number=number,
                        language=language,
                    )
                )
            return _to_questions(consultation, question)
    return render_template(
        "questionnaires/editor_question_edit.html",
        consultation=consultation,
        question=question,
        number=_number(question),
        locale=locale,
        form=form,
        max_option=MAX_OPTION_LENGTH,
        locked_notice=_locked_notice(consultation),
        refusal=refusal,
        preview=_preview(form.is_submitted() and bool(form.preview.data), form.help.data),
        reference=question.translations.get(consultation.default_locale)
        if locale != consultation.default_locale
        else None,
    )


def _preview(asked: bool, help_text: str | None) -> str | None:
    """The help text as typed, when the editor asked to see it rendered (never saved)."""
    return (help_text or "") if asked else None


@blueprint.post("/<int:question_id>/move")
@require_role(Role.EDITOR)
def move_question(slug: str, question_id: int) -> Response:
    """One step up or down in the questionnaire."""
    consultation = get_any_or_404(slug)
    question = _question_or_404(consultation, question_id)
    form = QuestionMoveForm()
    if form_submitted(form):
        before = _number(question)
        up = form.direction.data == "up"
        moved = operations.move_question(question, "up" if up else "down", staff_user())
        db.session.commit()
        if moved:
            flash(
                _(
                    "Question %(before)d is now question %(after)d.",
                    before=before,
                    after=_number(question),
                )
            )
        elif up:
            flash(_("Question %(number)d is already first.", number=before))
        else:
            flash(_("Question %(number)d is already last.", number=before))
    return _to_questions(consultation, question)


@blueprint.post("/<int:question_id>/remove")
@require_role(Role.EDITOR)
def remove_question(slug: str, question_id: int) -> str | Response:
    """Remove a question after a confirmation; refused once responses are submitted."""
    consultation = get_any_or_404(slug)
    question = _question_or_404(consultation, question_id)
    form = QuestionRemoveForm()
    number = _number(question)
    locked_notice = _locked_notice(consultation)
    if locked_notice is not None:
        flash(locked_notice, "error")
        return _to_questions(consultation, question)
    if not (form_submitted(form) and form.confirm.data):
        return render_template(
            "questionnaires/editor_question_remove.html",
            consultation=consultation,
            question=question,
            number=number,
            form=form,
            # Not locked (checked above): every response holding an answer is a draft.
            drafts=operations.answer_count(question),
        )
    try:
        operations.remove_question(question, staff_user())
    except QuestionnaireLocked as locked:
        flash(str(locked), "error")
        return _to_questions(consultation, question)
    except LastQuestionOfPublishedConsultation:
        flash(
            _(
                "Question %(number)d is all this published consultation holds, so it "
                "cannot be removed. Add another question or a paper first, or unpublish "
                "the consultation.",
                number=number,
            ),
            "error",
        )
        return _to_questions(consultation, question)
    db.session.commit()
    flash(_("Question %(number)d removed.", number=number))
    return _to_questions(consultation)


def _locked_notice(consultation: Consultation) -> str | None:
    """Why some changes are refused, once responses are submitted; None before."""
    submitted = operations.submitted_response_count(consultation)
    if not submitted:
        return None
    return str(
        ngettext(
            "%(num)d response has been submitted: questions can no longer be removed or change "
            "type, and options can no longer be removed; wording and translations can still "
            "be edited.",
            "%(num)d responses have been submitted: questions can no longer be removed or change "
            "type, and options can no longer be removed; wording and translations can still "
            "be edited.",
            submitted,
        )
    )
