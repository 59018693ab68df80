"""The audit log in the reader's language.

Entries store stable English names (`auth.sign_in`, subject `user`, detail
`cause: unknown_email`), which the log's filter and any later export rely on;
staff pages show them through these labels. A name without a label here, such
as an action added by another domain that did not add its label, is shown as
stored: new actions add their label to `ACTION_LABELS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import format_datetime, get_locale, lazy_pgettext, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from consult.accounts.countries import country_name
from consult.accounts.models import Role
from consult.accounts.stakeholders import group_label
from consult.audit.queries import ReadableEntry
from consult.comments.models import CommentStatus, RejectionReason
from consult.i18n.locale import language_name
from consult.questionnaires.models import QuestionKind

ACTION_LABELS: Mapping[str, LazyString] = {
    "auth.sign_in": _l("Signed in"),
    "auth.sign_in_failed": _l("Sign-in failed"),
    "auth.sign_in_refused": _l("Sign-in refused: account disabled"),
    "auth.link_refused": _l("E-mail link refused"),
    # i18n: a staff member's one-time code or recovery code was wrong (audit log).
    "auth.second_factor_failed": _l("Sign-in code refused"),
    "user.created": _l("Account created"),
    "user.invited": _l("Invited as staff"),
    "user.password_set": _l("Password set"),
    "user.password_reset_sent": _l("Password link sent"),
    "user.role_changed": _l("Role changed"),
    "user.disabled": _l("Account disabled"),
    "user.enabled": _l("Account enabled"),
    "user.email_changed": _l("E-mail address changed"),
    "user.email_change_refused": _l("E-mail address change refused"),
    # i18n: a staff member turned on sign-in with a code from an authenticator app (audit log).
    "user.two_factor_enabled": _l("Two-step sign-in turned on"),
    "user.two_factor_disabled": _l("Two-step sign-in turned off"),
    # i18n: an administrator removed a staff member's authenticator app: a lost phone (audit log).
    "user.two_factor_reset": _l("Two-step sign-in reset"),
    # i18n: single-use codes that replace the authenticator app were made again (audit log).
    "user.recovery_codes_renewed": _l("New recovery codes made"),
    # i18n: a participant downloaded everything Consult holds about them (audit log).
    "user.data_downloaded": _l("Own data downloaded"),
    # i18n: a participant deleted their own account (audit log).
    "user.deleted": _l("Account deleted"),
    "comment.submitted": _l("Comment sent"),
    "comment.withdrawn": _l("Comment withdrawn"),
    "comment.reported": _l("Comment reported"),
    # i18n: an administrator removed the text of a deleted participant's comment (audit log).
    "comment.erased": _l("Comment erased"),
    "moderation.approved": _l("Comment approved"),
    "moderation.rejected": _l("Comment rejected"),
    "moderation.hidden": _l("Comment hidden"),
    "moderation.restored": _l("Comment published again"),
    "moderation.undone": _l("Moderation decision undone"),
    "consultation.created": _l("Consultation created"),
    "consultation.settings_changed": _l("Consultation settings changed"),
    # i18n: a consultation's title or summary in one language was edited (audit log).
    "consultation.text_changed": _l("Consultation title or summary changed"),
    "consultation.window_changed": _l("Consultation opening or deadline changed"),
    "consultation.published": _l("Consultation published"),
    "consultation.unpublished": _l("Consultation unpublished"),
    # i18n: staff downloaded a consultation's comments and responses (audit log).
    "consultation.exported": _l("Feedback exported"),
    "paper.imported": _l("Paper imported"),
    "section.added": _l("Section added"),
    "section.edited": _l("Section edited"),
    "section.moved": _l("Section moved"),
    # i18n: a section taken out of the paper, kept with its comments (audit log).
    "section.archived": _l("Section withdrawn from the paper"),
    "section.restored": _l("Section returned to the paper"),
    "question.added": _l("Question added"),
    # i18n: a question's wording, help, options or settings were edited (audit log).
    "question.edited": _l("Question edited"),
    "question.moved": _l("Question moved"),
    "question.removed": _l("Question removed"),
    # i18n: a participant sent their answers to a questionnaire (audit log).
    "response.submitted": _l("Response submitted"),
    # i18n: a participant changed answers they had already sent (audit log).
    "response.updated": _l("Submitted response changed"),
}

# What an entry is about, with its number.
SUBJECT_LABELS: Mapping[str, LazyString] = {
    "user": _l("Account %(number)d"),
    "email_link": _l("E-mail link %(number)d"),
    "comment": _l("Comment %(number)d"),
    "consultation": _l("Consultation %(number)d"),
    # i18n: a section of a consultation's paper, by its number in the database (audit log).
    "section": _l("Section %(number)d"),
    # i18n: a question of a questionnaire, by its number in the database (audit log).
    "question": _l("Question %(number)d"),
    # i18n: a participant's answers to a questionnaire, by its number (audit log).
    "response": _l("Response %(number)d"),
}

DETAIL_LABELS: Mapping[str, LazyString] = {
    # i18n: how someone signed in or set a password (audit log).
    "method": _l("Method"),
    # i18n: why a sign-in or a link was refused (audit log).
    "cause": _l("Cause"),
    "role": _l("Role"),
    # i18n: the value before a change (audit log), e.g. the old role.
    "old": _l("Before"),
    # i18n: the value after a change (audit log), e.g. the new role.
    "new": _l("After"),
    "email": _l("E-mail address"),
    # i18n: the reason chosen from the list when a comment is rejected (audit log).
    "rejection_reason": _l("Reason for rejection"),
    # i18n: the consultation a comment was sent or reported on (audit log).
    "consultation": _l("Consultation"),
    # i18n: the section of the paper a comment is on (audit log).
    "section": _l("Section"),
    # i18n: which moderation decision an undo reverted (audit log).
    "undone": _l("Decision undone"),
    # i18n: the language of a text that was edited or imported (audit log).
    "locale": _l("Language"),
    # i18n: a language an import added to those a consultation offers (audit log).
    "added_locale": _l("Language added"),
    # i18n: the consultation's address name, as in /consultations/<slug>/ (audit log).
    "slug": _l("Address name"),
    # i18n: which way a section or a question was moved, up or down (audit log).
    "direction": _l("Direction"),
    # i18n: a question's place in its questionnaire, counted from 1 (audit log).
    "question": _l("Question number"),
    # i18n: the type of a question: short text, scale, yes or no... (audit log).
    "kind": _l("Question type"),
    # i18n: a question's wording before an edit made after responses were submitted,
    # the wording those responses answered (audit log).
    "previous_text": _l("Wording before"),
    "previous_opens_at": _l("Opening before"),
    "opens_at": _l("Opening"),
    "previous_closes_at": _l("Deadline before"),
    "closes_at": _l("Deadline"),
    # i18n: what was changed in a consultation's settings (audit log).
    "changes": _l("Changes"),
    # i18n: yes when an edit emptied a language's text, removing that translation (audit log).
    "removed": _l("Translation removed"),
    # i18n: sections added by an import (audit log).
    "added": _l("Sections added"),
    # i18n: sections whose text an import replaced (audit log).
    "updated": _l("Sections updated"),
    # i18n: sections an import found with the same text (audit log).
    "unchanged": _l("Sections unchanged"),
    # i18n: sections the paper has but an imported file lacked, kept (audit log).
    "kept": _l("Sections kept, not in the file"),
    # i18n: sections of an imported translation that the paper does not have (audit log).
    "unmatched": _l("Sections not matched"),
    # i18n: the file format of an export: CSV, XLSX, JSON or DOCX (audit log).
    "format": _l("Format"),
    # i18n: what a CSV export held (comments or questionnaire responses), in the audit log
    "content": lazy_pgettext("export", "Contents"),
    # i18n: how an export named the authors: as they chose, with contact data, or
    # as open data (audit log).
    "audience": _l("Authors named"),
    # i18n: what an export was narrowed to: statuses, section, dates... (audit log).
    "filters": _l("Filters"),
    # i18n: where an export was made: the staff pages or the command line (audit log).
    "via": _l("Made from"),
}

VALUE_LABELS: Mapping[str, Mapping[str, LazyString]] = {
    "method": {
        "password": _l("Password"),
        "link": _l("E-mail link"),
        "password_link": _l("Password link"),
        "command_line": _l("Command line"),
        # i18n: a staff sign-in with the password and a code from an authenticator app (audit log).
        "password_code": _l("Password and code"),
        # i18n: a staff sign-in with the password and a single-use recovery code (audit log).
        "password_recovery_code": _l("Password and recovery code"),
    },
    "cause": {
        "unknown_email": _l("No account with this address"),
        "no_password": _l("No password yet"),
        "wrong_password": _l("Wrong password"),
        "disabled": _l("The account is disabled"),
        "not_staff": _l("Not a staff account"),
        "unknown": _l("Unknown link"),
        "used": _l("Link already used"),
        "replaced": _l("Replaced by a newer link"),
        "expired": _l("Link expired"),
        "taken": _l("Address used by another account"),
        # i18n: a one-time code or recovery code that did not match (audit log).
        "wrong_code": _l("Wrong code"),
    },
    # A comment on the paper as a whole has no section.
    "section": {"": _l("General comment on the paper")},
    "undone": {
        "approve": _l("Approval"),
        "reject": _l("Rejection"),
        "hide": _l("Hiding"),
        "restore": _l("Publication again"),
    },
    "format": {
        "csv": _l("CSV"),
        "xlsx": _l("Excel workbook (XLSX)"),
        "json": _l("JSON"),
        "docx": _l("Word feedback digest (DOCX)"),
    },
    "content": {
        "comments": _l("Comments"),
        "responses": _l("Questionnaire responses"),
    },
    "audience": {
        # i18n: an export named authors as they chose to appear (audit log).
        "editor": _l("As they chose"),
        # i18n: an export held every author's name and e-mail address (audit log).
        "contact": _l("With contact data"),
        # i18n: an export named authors as the public pages do (audit log).
        "open_data": _l("As open data"),
    },
    "via": {
        # i18n: an export made on the staff pages (audit log).
        "web": _l("Staff pages"),
        "cli": _l("Command line"),
    },
    "direction": {
        # i18n: a section moved up in the paper, towards its start (audit log).
        "up": lazy_pgettext("section moved", "Up"),
        # i18n: a section moved down in the paper, towards its end (audit log).
        "down": lazy_pgettext("section moved", "Down"),
    },
}

# A consultation's settings, as `consultation.settings_changed` names what changed.
SETTING_LABELS: Mapping[str, LazyString] = {
    # i18n: the consultation's address name, as in /consultations/<slug>/ (audit log).
    "slug": _l("Address name"),
    "default_locale": _l("Default language"),
    "offered_locales": _l("Languages offered"),
    "timezone": _l("Time zone"),
    "moderation_mode": _l("Moderation"),
    # i18n: whether anyone may download the published comments before the close (audit log).
    "open_data_before_close": _l("Open data before the close"),
}

# What an export was narrowed to, as `consultation.exported` records its filters.
FILTER_LABELS: Mapping[str, LazyString] = {
    # i18n: the states of the comments an export held: published, rejected... (audit log).
    "statuses": _l("Comments"),
    "section": _l("Section"),
    "language": _l("Language"),
    "group": _l("Stakeholder group"),
    "country": _l("Country"),
    # i18n: the first instant an export covered (audit log).
    "since": _l("From"),
    # i18n: the instant an export's period ended, itself excluded (audit log).
    "until": _l("Until"),
}

# Details that hold an instant as an ISO 8601 string, shown as a date in UTC.
TIME_DETAILS = frozenset({"opens_at", "closes_at", "previous_opens_at", "previous_closes_at"})
# Details that hold a language code, shown as the language's name.
LANGUAGE_DETAILS = frozenset({"locale", "added_locale"})

# Details that hold a comment's status in moderation entries.
STATUS_DETAILS_BY_ACTION: Mapping[str, frozenset[str]] = {
    action: frozenset({"old", "new"})
    for action in (
        "moderation.approved",
        "moderation.rejected",
        "moderation.hidden",
        "moderation.restored",
        "moderation.undone",
    )
}

# Details that hold a role's stored value: under these names in every action,
# and under others in some.
ROLE_DETAILS = frozenset({"role"})
ROLE_DETAILS_BY_ACTION: Mapping[str, frozenset[str]] = {
    "user.role_changed": frozenset({"old", "new"}),
}


@dataclass(frozen=True)
class DetailLine:
    """One detail of an entry: `label` is None for a name without one (show `key`);
    `translated` says whether `value` is in the reader's language or as recorded."""

    key: str
    label: str | None
    value: str
    translated: bool


def action_label(action: str) -> str:
    """The action in the reader's language, or its stored name if it has no label."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def subject_label(subject_type: str | None, subject_id: int | None) -> str | None:
    """What the entry is about ("Account 3"); None when it is about nothing in particular."""
    if subject_type is None:
        return None
    label = SUBJECT_LABELS.get(subject_type)
    if label is None or subject_id is None:
        return " ".join(str(part) for part in (subject_type, subject_id) if part is not None)
    return str(label) % {"number": subject_id}


def detail_lines(entry: ReadableEntry) -> list[DetailLine]:
    """The entry's details to show, hidden contact data marked so: known details in
    the order of `DETAIL_LABELS` ("Before" ahead of "After"), then the others by name."""
    lines = [_detail(entry.action, key, value) for key, value in entry.details.items()]
    lines += [
        DetailLine(key, _detail_label(key), _("(hidden)"), translated=True) for key in entry.hidden
    ]
    order = {key: position for position, key in enumerate(DETAIL_LABELS)}
    return sorted(lines, key=lambda line: (order.get(line.key, len(order)), line.key))


def _detail_label(key: str) -> str | None:
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else None


def _detail(action: str, key: str, value: object) -> DetailLine:
    label = _detail_label(key)
    if isinstance(value, bool):
        shown = pgettext("audit detail", "yes") if value else pgettext("audit detail", "no")
        return DetailLine(key, label, shown, translated=True)
    if isinstance(value, str):
        if key in ROLE_DETAILS | ROLE_DETAILS_BY_ACTION.get(action, frozenset()):
            try:
                return DetailLine(key, label, Role(value).label, translated=True)
            except ValueError:
                pass
        if key in STATUS_DETAILS_BY_ACTION.get(action, frozenset()):
            try:
                return DetailLine(key, label, CommentStatus(value).label, translated=True)
            except ValueError:
                pass
        if key == "kind":
            try:
                return DetailLine(key, label, QuestionKind(value).label, translated=True)
            except ValueError:
                pass
        if key == "rejection_reason":
            try:
                return DetailLine(key, label, RejectionReason(value).label, translated=True)
            except ValueError:
                pass
        if key in TIME_DETAILS:
            moment = _instant(value)
            if moment is not None:
                return DetailLine(key, label, moment, translated=True)
        if key in LANGUAGE_DETAILS:
            return DetailLine(key, label, language_name(value), translated=True)
        known = VALUE_LABELS.get(key, {}).get(value)
        if known is not None:
            return DetailLine(key, label, str(known), translated=True)
    if key == "changes" and isinstance(value, dict):
        return DetailLine(key, label, _setting_changes(value), translated=False)
    if key == "filters" and isinstance(value, dict):
        return DetailLine(key, label, _export_filters(value), translated=False)
    return DetailLine(key, label, _plain(value), translated=False)


def _plain(value: object) -> str:
    """A stored value as text: nothing for None, lists as "a, b", mappings as "k: v"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(pgettext("audit detail", "yes") if value else pgettext("audit detail", "no"))
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{name}: {_plain(item)}" for name, item in value.items())
    return str(value)


def _instant(value: str) -> str | None:
    """An ISO 8601 instant as the log's other times are shown (UTC), or None if it is not one."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # i18n: a date and time in an audit entry's details, always in UTC
    return str(_("%(moment)s UTC", moment=format_datetime(moment, "short")))


def _setting_changes(changes: dict[str, object]) -> str:
    """What `consultation.settings_changed` recorded: each setting with its old and
    new value; names without a label, and odd values, are shown as stored."""
    parts = []
    for name, change in changes.items():
        if isinstance(change, dict) and set(change) == {"old", "new"}:
            # i18n: a setting's value before and after a change (audit log)
            shown = _("%(old)s → %(new)s", old=_plain(change["old"]), new=_plain(change["new"]))
        else:
            shown = _plain(change)
        parts.append(f"{_setting_name(name)}: {shown}")
    return "; ".join(parts)


def _export_filters(filters: dict[str, object]) -> str:
    """An export's filters, each named, with statuses, languages, groups, countries and
    times in words; a filter without a label, and odd values, are shown as stored."""
    parts = []
    for name, value in filters.items():
        label = FILTER_LABELS.get(name)
        parts.append(f"{label if label is not None else name}: {_filter_value(name, value)}")
    return "; ".join(parts)


def _filter_value(name: str, value: object) -> str:
    if name == "statuses" and isinstance(value, list):
        return ", ".join(_status_label(str(status)) for status in value)
    if isinstance(value, str):
        if name == "section" and value == "general":
            return str(_("General comments on the paper"))
        if name == "language":
            return language_name(value)
        if name == "group":
            return group_label(value)
        if name == "country":
            return country_name(value, str(get_locale()))
        if name in ("since", "until"):
            return _instant(value) or value
    return _plain(value)


def _status_label(value: str) -> str:
    try:
        return CommentStatus(value).label
    except ValueError:
        return value


def _setting_name(name: str) -> str:
    label = SETTING_LABELS.get(name)
    return str(label) if label is not None else name
