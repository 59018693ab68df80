"""Editors' and admins' reading of a questionnaire's responses: list, one response, tallies.

Responses are private: every view needs an editor or admin signed in with the password.
Pages for a signed-in user are sent with `Cache-Control: no-store` by
`consult.core.security`, so no shared computer or proxy keeps them.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, get_timezone_gmt, get_timezone_name
from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from consult.accounts.countries import country_name
from consult.accounts.models import Role
from consult.accounts.permissions import require_role, staff_user
from consult.accounts.stakeholders import group_choices, group_label
from consult.comments.models import Identity
from consult.consultations.queries import get_any_or_404
from consult.core.urls import requested_page
from consult.i18n.locale import language_name
from consult.questionnaires.models import QuestionKind
from consult.questionnaires.queries import questions_of
from consult.questionnaires.reports import (
    TEXT_ANSWERS_SHOWN,
    ResponseFilters,
    draft_count,
    is_answered,
    respondent,
    response_countries,
    response_languages,
    response_or_404,
    responses_page,
    submitted_count,
    tallies,
)
from consult.questionnaires.response_forms import ResponseFilterForm

blueprint = Blueprint(
    "responses", __name__, url_prefix="/<lang:lang>/manage/consultations/<slug>/responses"
)

RESPONSES_PER_PAGE = 50

# How a respondent chose to appear, told to staff (Identity.label speaks to the author).
IDENTITY_LABELS = {
    # i18n: how a respondent chose to appear (response page, after "Chose to appear")
    Identity.NAME_AND_ORGANISATION: _l("With their name and organisation"),
    # i18n: how a respondent chose to appear (response page, after "Chose to appear")
    Identity.ORGANISATION_ONLY: _l("With their organisation only"),
    Identity.ANONYMOUS: _l("Anonymously"),
}


def _page() -> int:
    return requested_page()


def _sees_everything() -> bool:
    """Administrators see every respondent's name and e-mail; editors see what the
    respondent chose to show (PRODUCT.md, "Who sees whose name")."""
    return staff_user().role is Role.ADMIN


def _helpers(zone: str) -> dict[str, object]:
    locale = str(get_locale())
    full = _sees_everything()

    def when(moment: datetime | None) -> str:
        """A short date and time in the consultation's zone, whose name the page gives once."""
        if moment is None:
            return ""
        return format_datetime(moment.astimezone(ZoneInfo(zone)), "short", locale=locale)

    return {
        "when": when,
        "zone_name": get_timezone_name(ZoneInfo(zone), "long", locale=locale),
        "zone_offset": get_timezone_gmt(datetime.now(ZoneInfo(zone)), locale=locale),
        "group_label": group_label,
        "country_name": lambda code: country_name(code, locale),
        "respondent": lambda response: respondent(response, full=full),
        "full": full,
        "identity_labels": IDENTITY_LABELS,
        "is_answered": is_answered,
        "kinds": QuestionKind,
        "locale": locale,
    }


@blueprint.get("/")
@require_role(Role.EDITOR)
def index(slug: str) -> str:
    """The submitted responses, filtered, per question what they answered, and how many
    drafts are saved (their number only: a draft is its author's own until sent)."""
    consultation = get_any_or_404(slug)
    locale = str(get_locale())
    filters = ResponseFilterForm(
        formdata=request.args,
        groups=group_choices(),
        countries=sorted(
            ((code, country_name(code, locale)) for code in response_countries(consultation)),
            key=lambda choice: choice[1],
        ),
        languages=[(code, language_name(code)) for code in response_languages(consultation)],
    )
    chosen = filters.chosen()
    all_texts_of = request.args.get("all_texts", type=int)
    return render_template(
        "questionnaires/responses.html",
        consultation=consultation,
        filters=filters,
        listing=responses_page(consultation, chosen, _page(), RESPONSES_PER_PAGE),
        submitted=submitted_count(consultation, ResponseFilters()),
        drafts=draft_count(consultation),
        tallied=submitted_count(consultation, chosen),
        tallies=tallies(
            consultation, chosen, locale, full=_sees_everything(), all_texts_of=all_texts_of
        ),
        all_texts_of=all_texts_of,
        texts_shown=TEXT_ANSWERS_SHOWN,
        filter_args=filters.query_args(),
        **_helpers(consultation.timezone),
    )


@blueprint.get("/<int:response_id>/")
@require_role(Role.EDITOR)
def show(slug: str, response_id: int) -> str:
    """One submitted response with every question, answered or not, in the reader's
    language; a draft is not found (it is its author's own until sent)."""
    consultation = get_any_or_404(slug)
    response = response_or_404(consultation, response_id)
    return render_template(
        "questionnaires/response.html",
        consultation=consultation,
        response=response,
        questions=questions_of(consultation),
        **_helpers(consultation.timezone),
    )
