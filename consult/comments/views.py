"""Comment forms and lists on the paper's pages, permalinks, reports, my contributions.

My contributions also lists the reader's responses to calls for input.

The section page (papers.section) and the general comments page share the form
handling here: a visitor may type, and is asked to sign in only on sending, with
the text carried through the sign-in link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_sqlalchemy.pagination import Pagination
from werkzeug.wrappers import Response

from consult.accounts.drafts import restored_draft
from consult.accounts.models import User
from consult.accounts.permissions import (
    ask_to_sign_in,
    require_participant,
    require_signed_in,
    signed_in_user,
)
from consult.comments.forms import (
    CommentReportForm,
    CommentSubmitForm,
    CommentWithdrawForm,
    new_form_key,
)
from consult.comments.models import (
    Attribution,
    Comment,
    CommentStatus,
    Identity,
    public_attribution,
)
from consult.comments.operations import (
    MAX_COMMENT_LENGTH,
    CommentDraft,
    CommentRefused,
    report_comment,
    submit_comment,
    withdraw_comment,
)
from consult.comments.queries import (
    ORDERS,
    comment_for_update_or_404,
    comment_or_404,
    comments_page,
    contributions_of,
    page_of,
    published_counts,
)
from consult.config import Config
from consult.consultations.models import Consultation
from consult.consultations.queries import get_published_or_404
from consult.core.bots import page_status
from consult.core.forms import form_expired, form_submitted
from consult.core.urls import current_path, requested_page
from consult.extensions import db, limiter
from consult.i18n.dates import format_in_zone
from consult.papers.models import Section
from consult.questionnaires.queries import responses_of

blueprint = Blueprint("comments", __name__, url_prefix="/<lang:lang>")

COMMENT_RATE_LIMIT = "30 per hour"


def _rate_limit_key() -> str:
    """Who is counted: the signed-in user, else the address.

    A parliament sends its comments from one address in the last hour before a
    deadline; counting per address would turn its members away.
    """
    signed_in = signed_in_user()
    if signed_in is not None:
        return f"user:{signed_in.user.id}"
    return get_remote_address()


# One count for the comments a user sends, from whichever page.
comment_rate_limit = limiter.shared_limit(
    COMMENT_RATE_LIMIT, scope="comments", key_func=_rate_limit_key, methods=["POST"]
)


def _locale() -> str:
    return str(get_locale())


def _viewer() -> User | None:
    signed_in = signed_in_user()
    return signed_in.user if signed_in else None


@dataclass
class CommentBox:
    """The comment form as a page shows it, or why there is none."""

    consultation: Consultation
    section: Section | None
    form: CommentSubmitForm
    # Shown when the consultation takes comments, or to give sent text back.
    show_form: bool
    # A visitor is asked to sign in on sending; a signed-in user whose profile is
    # incomplete must complete it first.
    is_visitor: bool = True
    needs_profile: bool = False
    refusal: str | None = None
    # How each identity choice would appear, from the signed-in user's profile.
    previews: dict[str, Attribution] = field(default_factory=dict)

    @property
    def status(self) -> int:
        """The page's status: 422 when the form sent was taken for a bot's."""
        return page_status(self.form)


@dataclass(frozen=True)
class CommentListing:
    pagination: Pagination
    order: str
    published_count: int
    viewer: User | None
    # The report form each published comment of someone else carries.
    report_form: CommentReportForm

    @property
    def comments(self) -> list[Comment]:
        return list(self.pagination.items)


def comment_box(consultation: Consultation, section: Section | None) -> CommentBox | Response | str:
    """Handle the comment form of a page: a box to render, or the response to give.

    On POST: a visitor is taken through sign-in with their text; a valid form
    from a participant becomes a comment and a redirect to it; a refused one
    comes back with its text and the reason.
    """
    user = _viewer()
    if request.method == "POST":
        if user is None:
            return ask_to_sign_in()
        if not user.has_complete_profile:
            return redirect(url_for("accounts.profile", next=current_path()))
        form = CommentSubmitForm()
    else:
        # A restored draft keeps the key it was typed with: sent again, it is one comment.
        restored = restored_draft(request.path) or {}
        form = CommentSubmitForm(
            formdata=None,
            data={"language": _locale(), "form_key": new_form_key(), **restored},
        )
        # Given back after signing in, not typed again: it may be sent at once.
        form.given_back = bool(restored)
    config: Config = current_app.extensions["consult_config"]
    form.fill_choices(_locale(), config.locales)
    takes_comments = consultation.is_open() and not (section is not None and section.is_archived)
    box = CommentBox(
        consultation=consultation,
        section=section,
        form=form,
        show_form=takes_comments or request.method == "POST" or bool(form.body.data),
        is_visitor=user is None,
        needs_profile=user is not None and not user.has_complete_profile,
        previews=_previews(user) if user is not None else {},
    )
    if request.method == "GET" and section is not None and section.is_archived and box.show_form:
        # Text typed before signing in, restored on a section withdrawn meanwhile:
        # given back with the reason, before it is sent in vain.
        _explain(box, "archived")
    if request.method == "POST" and user is not None and form_submitted(form):
        try:
            comment = submit_comment(
                consultation,
                section,
                user,
                CommentDraft(
                    body=form.body.data,
                    language=form.language.data,
                    identity=Identity(form.identity.data),
                    form_key=form.form_key.data,
                ),
            )
        except CommentRefused as refused:
            db.session.rollback()
            _explain(box, refused.reason)
            return box
        db.session.commit()
        if comment.status is CommentStatus.PUBLISHED:
            flash(_("Your comment is published."))
        else:
            flash(
                _(
                    "Your comment awaits moderation. "
                    "Only you can see it until a moderator approves it."
                )
            )
        return redirect(url_for("comments.show", slug=consultation.slug, comment_id=comment.id))
    return box


def _explain(box: CommentBox, reason: str) -> None:
    consultation = box.consultation
    if reason == "empty":
        box.form.body.errors = [_("Please write your comment.")]
    elif reason == "too_long":
        box.form.body.errors = [
            _(
                "A comment has at most %(max)s characters: please shorten yours.",
                max=f"{MAX_COMMENT_LENGTH:,}",
            )
        ]
    elif reason == "no_organisation":
        box.form.identity.errors = [
            _("Your profile names no organisation: please choose another way to appear.")
        ]
    elif reason == "archived":
        box.refusal = _(
            "This section was withdrawn from the paper, so it takes no new comments and "
            "yours was not saved. Your text is below: you may keep a copy."
        )
    elif reason == "closed" and consultation.closes_at is not None:
        box.refusal = _(
            "This consultation closed on %(date)s, so your comment was not saved. "
            "Your text is below: you may keep a copy.",
            date=format_in_zone(consultation.closes_at, consultation.timezone),
        )
    else:
        box.refusal = _(
            "This consultation is not open for comments, so your comment was not saved. "
            "Your text is below: you may keep a copy."
        )


def _previews(user: User) -> dict[str, Attribution]:
    return {
        identity.value: public_attribution(
            identity,
            user.display_name or "",
            user.organisation,
            user.stakeholder_group or "",
            user.country,
            _locale(),
        )
        for identity in Identity
    }


def comment_listing(consultation: Consultation, section: Section | None) -> CommentListing:
    """The page of comments the request asks for (`?page=`, `?order=oldest|newest`)."""
    order = request.args.get("order", "oldest")
    if order not in ORDERS:
        order = "oldest"
    page = requested_page()
    viewer = _viewer()
    return CommentListing(
        pagination=comments_page(consultation, section, viewer, page=page, order=order),
        order=order,
        published_count=published_counts(consultation).get(section.id if section else None, 0),
        viewer=viewer,
        report_form=CommentReportForm(formdata=None),
    )


@blueprint.app_template_global()
def published_comment_counts(consultation: Consultation) -> dict[int | None, int]:
    """Published comments per section id (None: general), for the paper's page."""
    return published_counts(consultation)


@blueprint.app_template_global()
def general_comment_box(consultation: Consultation) -> CommentBox:
    """The general comment form for the paper's page (a GET: always a box)."""
    box = comment_box(consultation, None)
    assert isinstance(box, CommentBox)
    return box


@blueprint.app_template_global()
def max_comment_length() -> int:
    return MAX_COMMENT_LENGTH


@blueprint.app_template_filter()
def utc_iso(moment: datetime) -> str:
    """A machine-readable UTC instant for `<time datetime>`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@blueprint.route("/consultations/<slug>/comments/", methods=["GET", "POST"])
@comment_rate_limit
def general(slug: str) -> str | Response | tuple[str, int]:
    """Comments on the paper as a whole, and the form to add one."""
    consultation = get_published_or_404(slug)
    if not consultation.sections:
        # No paper yet: nothing to comment on as a whole.
        abort(404)
    box = comment_box(consultation, None)
    if not isinstance(box, CommentBox):
        return box
    return render_general_comments(consultation, box), box.status


def render_general_comments(consultation: Consultation, box: CommentBox | None) -> str:
    """The general comments page; `box` is None in the staff preview, which takes none."""
    return render_template(
        "comments/general.html",
        consultation=consultation,
        box=box,
        listing=comment_listing(consultation, None),
        locale=_locale(),
    )


@blueprint.get("/consultations/<slug>/comments/<int:comment_id>/")
def show(slug: str, comment_id: int) -> str | Response:
    """A comment's permanent address: its place in its list, or a notice of what became of it."""
    consultation = get_published_or_404(slug)
    viewer = _viewer()
    comment = comment_or_404(consultation, comment_id, viewer)
    if comment.status is CommentStatus.WITHDRAWN:
        # Never public, so in no list: the notice stands alone.
        return render_template(
            "comments/comment.html", consultation=consultation, comment=comment, locale=_locale()
        )
    page = page_of(comment, viewer)
    anchor = f"comment-{comment.id}"
    # None leaves the first page's address plain.
    on_page = page if page > 1 else None
    if comment.section is None:
        return redirect(url_for("comments.general", slug=slug, page=on_page, _anchor=anchor))
    key = comment.section.key
    return redirect(url_for("papers.section", slug=slug, key=key, page=on_page, _anchor=anchor))


@blueprint.route("/consultations/<slug>/comments/<int:comment_id>/report", methods=["GET", "POST"])
@limiter.limit(COMMENT_RATE_LIMIT, key_func=_rate_limit_key, methods=["POST"])
@require_participant
def report(slug: str, comment_id: int) -> str | Response | tuple[str, int]:
    """The report form (GET: also where sign-in leads back, with the note typed) and its sending."""
    consultation = get_published_or_404(slug)
    viewer = _viewer()
    assert viewer is not None
    comment = comment_or_404(consultation, comment_id, viewer)
    if not comment.can_report(viewer):
        abort(403)
    if request.method == "GET":
        restored = restored_draft(request.path)
        form = CommentReportForm(formdata=None, data=restored or {})
        # Given back after signing in, not typed again: it may be sent at once.
        form.given_back = restored is not None
    else:
        form = CommentReportForm()
    if request.method == "POST" and form_submitted(form):
        try:
            report_comment(comment, viewer, form.note.data or "")
        except CommentRefused:
            db.session.rollback()
            flash(_("You already reported this comment."), "error")
        else:
            db.session.commit()
            flash(_("Thank you. A moderator will look at this comment."))
        return redirect(url_for("comments.show", slug=slug, comment_id=comment.id))
    return render_template(
        "comments/report.html",
        consultation=consultation,
        comment=comment,
        form=form,
        locale=_locale(),
    ), page_status(form)


@blueprint.get("/account/contributions/")
@require_signed_in
def contributions() -> str:
    viewer = _viewer()
    assert viewer is not None
    return render_template(
        "comments/contributions.html",
        comments=contributions_of(viewer),
        responses=responses_of(viewer),
        withdraw_form=CommentWithdrawForm(formdata=None),
        locale=_locale(),
    )


@blueprint.route("/account/contributions/<int:comment_id>/withdraw", methods=["GET", "POST"])
@require_signed_in
def withdraw(comment_id: int) -> Response:
    """Withdraw a pending comment (GET, where sign-in leads back: the list to withdraw from)."""
    if request.method == "GET":
        return redirect(url_for("comments.contributions"))
    viewer = _viewer()
    assert viewer is not None
    # Locked, so that a moderator's decision at the same moment comes before or
    # after, and withdraw_comment checks the status that decision left.
    comment = comment_for_update_or_404(comment_id)
    if comment.author_id != viewer.id:
        abort(404)
    form = CommentWithdrawForm()
    if form_submitted(form):
        try:
            withdraw_comment(comment, viewer)
        except CommentRefused:
            db.session.rollback()
            flash(
                _("This comment can no longer be withdrawn: a moderator has decided on it."),
                "error",
            )
        else:
            db.session.commit()
            flash(_("Your comment is withdrawn."))
    elif not form_expired():
        abort(400)
    return redirect(url_for("comments.contributions"))
