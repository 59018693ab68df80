"""The moderation queue: per consultation or across all, with single and bulk decisions.

Moderators, editors and administrators, in a session opened with the password
(`require_role`); a participant gets 403, a visitor the staff sign-in.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from consult.accounts.countries import country_name
from consult.accounts.models import Role, User
from consult.accounts.permissions import require_role, signed_in_user
from consult.accounts.stakeholders import group_label
from consult.comments.attribution import Audience, ShownAuthor, shown_author
from consult.comments.models import Comment, RejectionReason
from consult.comments.queries import comment_for_update_or_404
from consult.consultations.models import Consultation
from consult.core.forms import form_expired, form_submitted
from consult.core.urls import current_path, requested_page, safe_next
from consult.extensions import db
from consult.i18n.locale import language_name
from consult.moderation.forms import (
    BulkDecisionForm,
    CommentDecisionForm,
    CommentEraseForm,
    QueueFilterForm,
)
from consult.moderation.models import DecisionKind
from consult.moderation.operations import (
    ModerationRefused,
    approve_comment,
    can_approve,
    can_decide,
    can_erase,
    can_hide,
    can_reject,
    can_restore,
    comment_text_erased,
    decide_many,
    erase_comment,
    hide_comment,
    reject_comment,
    restore_comment,
    undo_last_decision,
)
from consult.moderation.permissions import can_moderate
from consult.moderation.queries import (
    comments_for_update,
    consultation_by_slug,
    open_reports,
    queue_languages,
    queue_page,
    undoable_comment_ids,
    waiting_counts,
)

blueprint = Blueprint("moderation", __name__, url_prefix="/<lang:lang>/manage/moderation")

COMMENTS_PER_PAGE = 50


def _moderator() -> User:
    """The signed-in moderator; 403 for an account that may not moderate."""
    signed_in = signed_in_user()
    assert signed_in is not None
    if not can_moderate(signed_in.user):
        abort(403)
    return signed_in.user


@blueprint.get("/")
@require_role(Role.MODERATOR)
def queue_all() -> str:
    _moderator()
    return _render_queue(None)


@blueprint.get("/<slug>/")
@require_role(Role.MODERATOR)
def queue(slug: str) -> str:
    _moderator()
    consultation = consultation_by_slug(slug)
    if consultation is None:
        abort(404)
    return _render_queue(consultation)


def _render_queue(consultation: Consultation | None) -> str:
    locale = str(get_locale())
    sections: list[tuple[str, str]] = []
    if consultation is not None:
        sections = [("", _("General comments"))] + [
            (section.key, section.key) for section in consultation.sections
        ]
    languages = [(code, language_name(code)) for code in queue_languages(consultation)]
    filters = QueueFilterForm(formdata=request.args, sections=sections, languages=languages)
    filters.validate()
    state = filters.chosen_state()
    page = requested_page()
    listing = queue_page(
        page,
        COMMENTS_PER_PAGE,
        consultation=consultation,
        state=state,
        section_key=filters.chosen_section() if consultation is not None else None,
        language=filters.chosen_language(),
    )
    ids = [comment.id for comment in listing.items]
    return render_template(
        "moderation/queue.html",
        consultation=consultation,
        counts=waiting_counts() if consultation is None else [],
        filters=filters,
        state=state,
        listing=listing,
        reports=open_reports(ids),
        undoable=undoable_comment_ids(ids),
        bulk_form=BulkDecisionForm(formdata=None, next=current_path()),
        locale=locale,
        pager_args={
            "state": filters.state.data,
            "section": filters.section.data if consultation is not None else None,
            "language": filters.language.data or None,
            **({"slug": consultation.slug} if consultation is not None else {}),
        },
        **_comment_helpers(),
    )


def _author_of(comment: Comment) -> ShownAuthor:
    """The author as moderators see them: the whole snapshot, never the e-mail address."""
    return shown_author(
        comment.identity,
        comment.author_name,
        comment.author_organisation,
        comment.author_group,
        comment.author_country,
        None,
        Audience.CONTACT,
    )


def _comment_helpers() -> dict[str, object]:
    return {
        "group_label": group_label,
        "country_name": country_name,
        "author_of": _author_of,
        "can_approve": can_approve,
        "can_reject": can_reject,
        "can_hide": can_hide,
        "can_restore": can_restore,
        "can_erase": can_erase,
        "comment_text_erased": comment_text_erased,
        "moderator": _moderator(),
        "reasons": list(RejectionReason),
    }


@blueprint.post("/comments/<int:comment_id>/decide")
@require_role(Role.MODERATOR)
def decide(comment_id: int) -> str | Response:
    moderator = _moderator()
    # Locked until the commit: a decision made meanwhile by someone else is seen here.
    comment = comment_for_update_or_404(comment_id)
    form = CommentDecisionForm()
    back = safe_next(form.next.data) or url_for("moderation.queue", slug=comment.consultation.slug)
    if not form_submitted(form):
        # A rejection without a reason, or an expired form: show it again, nothing lost.
        return render_template(
            "moderation/decide.html",
            comment=comment,
            form=form,
            back=back,
            reports=open_reports([comment.id]),
            undoable=comment.id in undoable_comment_ids([comment.id]),
            locale=str(get_locale()),
            **_comment_helpers(),
        )
    kind = form.chosen_kind()
    note = form.note.data
    if (
        kind is not DecisionKind.UNDO
        and kind is not None
        and not can_decide(moderator, comment, kind)
    ):
        if not can_moderate(moderator):
            abort(403)
        db.session.rollback()
        flash(_("This decision no longer applies: the comment changed meanwhile."), "error")
        return redirect(back)
    try:
        if kind is DecisionKind.APPROVE:
            approve_comment(comment, moderator, note)
        elif kind is DecisionKind.REJECT:
            reason = form.chosen_reason()
            assert reason is not None
            reject_comment(comment, moderator, reason, note)
        elif kind is DecisionKind.HIDE:
            hide_comment(comment, moderator, note)
        elif kind is DecisionKind.RESTORE:
            restore_comment(comment, moderator, note)
        else:
            undo_last_decision(comment, moderator)
    except ModerationRefused:
        db.session.rollback()
        flash(_("This decision no longer applies: the comment changed meanwhile."), "error")
    else:
        db.session.commit()
        flash(_confirmation(kind, comment.id))
    return redirect(back)


def _confirmation(kind: DecisionKind | None, comment_id: int) -> str:
    if kind is DecisionKind.APPROVE:
        return str(_("Comment %(number)d is published.", number=comment_id))
    if kind is DecisionKind.REJECT:
        return str(_("Comment %(number)d is rejected.", number=comment_id))
    if kind is DecisionKind.HIDE:
        return str(_("Comment %(number)d is hidden.", number=comment_id))
    if kind is DecisionKind.RESTORE:
        return str(_("Comment %(number)d is published again.", number=comment_id))
    return str(_("The last decision on comment %(number)d is undone.", number=comment_id))


@blueprint.post("/bulk")
@require_role(Role.MODERATOR)
def bulk() -> str | Response:
    moderator = _moderator()
    form = BulkDecisionForm()
    back = safe_next(form.next.data) or url_for("moderation.queue_all")
    ids = [int(value) for value in request.form.getlist("comment_ids") if value.isdigit()]
    if not form_submitted(form):
        if form.reason.errors:
            flash(_("Please choose a reason for the rejection."), "error")
        return redirect(back)
    if not ids:
        flash(_("Please select at least one comment."), "error")
        return redirect(back)
    comments = comments_for_update(ids)
    kind = form.chosen_kind()
    assert kind is not None
    made, skipped = decide_many(
        comments, moderator, kind, reason=form.chosen_reason(), note=form.note.data
    )
    db.session.commit()
    if kind is DecisionKind.APPROVE:
        flash(
            ngettext("%(num)d comment is published.", "%(num)d comments are published.", len(made))
        )
    else:
        flash(ngettext("%(num)d comment is rejected.", "%(num)d comments are rejected.", len(made)))
    if skipped:
        flash(
            ngettext(
                "%(num)d comment was left as it is: it was decided meanwhile.",
                "%(num)d comments were left as they are: they were decided meanwhile.",
                len(skipped),
            ),
            "error",
        )
    return redirect(back)


@blueprint.post("/comments/<int:comment_id>/erase")
@require_role(Role.ADMIN)
def erase(comment_id: int) -> Response:
    """An administrator erases the text of a deleted participant's comment."""
    admin = _moderator()
    comment = comment_for_update_or_404(comment_id)
    form = CommentEraseForm()
    back = safe_next(form.next.data) or url_for("moderation.queue", slug=comment.consultation.slug)
    if form_expired():
        # Nothing typed to keep: the error page leads back.
        return redirect(back)
    if comment_text_erased(comment):
        flash(_("Comment %(number)d was already erased.", number=comment_id))
        return redirect(back)
    if not can_erase(admin, comment):
        abort(403)
    if not form_submitted(form):
        flash(_("Please tick the box to confirm that the text is erased for good."), "error")
        return redirect(back)
    erase_comment(comment, admin)
    db.session.commit()
    flash(_("The text of comment %(number)d is erased.", number=comment_id))
    return redirect(back)
