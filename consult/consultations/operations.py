"""Writing consultations: create, settings and window, title and summary, publication.

Operations flush and write the audit entry but never commit; the caller (a view or
a command) commits once. A change that readers of a published consultation must
learn of also leaves a dated notice (`add_notice`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from consult.accounts.models import User
from consult.audit.operations import record
from consult.consultations.models import (
    Consultation,
    ConsultationTranslation,
    ModerationMode,
    NoticeKind,
)
from consult.consultations.notices import add_notice
from consult.consultations.queries import PublicationBlocker, get_by_slug, publication_blockers
from consult.core.models import utcnow
from consult.core.text import normalise_plain_text
from consult.extensions import db


class ConsultationChangeRefused(ValueError):
    """The change cannot be made; nothing was written."""


class SlugTaken(ConsultationChangeRefused):
    """Another consultation already has this address."""


class PublicationRefused(ConsultationChangeRefused):
    """The consultation lacks something the public needs (`blockers`)."""

    def __init__(self, blockers: list[PublicationBlocker]) -> None:
        super().__init__(", ".join(blocker.value for blocker in blockers))
        self.blockers = blockers


def create_consultation(
    slug: str, *, default_locale: str, title: str, timezone: str, editor: User
) -> Consultation:
    """A new draft offered in its default language, with a title and no window yet."""
    if get_by_slug(slug) is not None:
        raise SlugTaken(slug)
    consultation = Consultation(
        slug=slug,
        default_locale=default_locale,
        offered_locales=[default_locale],
        timezone=timezone,
    )
    consultation.translations[default_locale] = ConsultationTranslation(
        locale=default_locale, title=_clean_title(title)
    )
    db.session.add(consultation)
    db.session.flush()
    _record(
        "consultation.created",
        consultation,
        editor,
        slug=slug,
        locale=default_locale,
    )
    return consultation


def update_settings(
    consultation: Consultation,
    editor: User,
    *,
    slug: str,
    default_locale: str,
    offered_locales: list[str],
    timezone: str,
    moderation_mode: ModerationMode,
    open_data_before_close: bool,
    opens_at: datetime | None,
    closes_at: datetime | None,
) -> bool:
    """Change a consultation's settings and window; True when anything changed.

    The address is fixed once published: links and e-mails point at it. A
    language no longer offered keeps its texts, ready if it is offered again.
    The window goes through `change_window` (its own audit entry and notices);
    the rest is audited as one `consultation.settings_changed` entry holding each
    changed value before and after.
    """
    if slug != consultation.slug:
        if consultation.has_been_published:
            raise ConsultationChangeRefused(
                _l("A published consultation keeps its address: links point at it.")
            )
        if get_by_slug(slug) is not None:
            raise SlugTaken(slug)
    if default_locale not in offered_locales:
        raise ConsultationChangeRefused(
            _l("The default language must be one of the offered languages.")
        )
    # The window first: it may still be refused, before anything is changed.
    window_changed = change_window(consultation, opens_at, closes_at, editor)
    changes: dict[str, dict[str, Any]] = {}
    new_values = {
        "slug": slug,
        "default_locale": default_locale,
        "offered_locales": offered_locales,
        "timezone": timezone,
        "moderation_mode": moderation_mode,
        "open_data_before_close": open_data_before_close,
    }
    for name, new in new_values.items():
        old = getattr(consultation, name)
        if old != new:
            changes[name] = {"old": _as_detail(old), "new": _as_detail(new)}
            setattr(consultation, name, new)
    if changes:
        db.session.flush()
        _record(
            "consultation.settings_changed",
            consultation,
            editor,
            changes=changes,
        )
    return bool(changes) or window_changed


def change_window(
    consultation: Consultation,
    opens_at: datetime | None,
    closes_at: datetime | None,
    editor: User,
) -> bool:
    """Set the opening and closing time (UTC); True when they changed.

    On a published consultation readers get a dated notice of a new deadline
    (extended or shortened) or a new opening; a published consultation always
    keeps a window.
    """
    old_opens, old_closes = consultation.opens_at, consultation.closes_at
    if (old_opens, old_closes) == (opens_at, closes_at):
        return False
    if consultation.is_published and (opens_at is None or closes_at is None):
        raise ConsultationChangeRefused(
            _l(
                "A published consultation keeps its opening and closing time: "
                "unpublish it first to remove them."
            )
        )
    if opens_at is not None and closes_at is not None and opens_at >= closes_at:
        raise ConsultationChangeRefused(_l("The closing time must be after the opening time."))
    consultation.opens_at, consultation.closes_at = opens_at, closes_at
    db.session.flush()
    if closes_at != old_closes:
        add_notice(
            consultation, NoticeKind.DEADLINE_CHANGED, moment=closes_at, previous_moment=old_closes
        )
    if opens_at != old_opens:
        add_notice(
            consultation, NoticeKind.OPENING_CHANGED, moment=opens_at, previous_moment=old_opens
        )
    _record(
        "consultation.window_changed",
        consultation,
        editor,
        previous_opens_at=_as_detail(old_opens),
        opens_at=_as_detail(opens_at),
        previous_closes_at=_as_detail(old_closes),
        closes_at=_as_detail(closes_at),
    )
    return True


def update_texts(
    consultation: Consultation, locale: str, *, title: str, summary: str, editor: User
) -> bool:
    """Write the title and Markdown summary in one offered language; True when changed.

    The default language needs a title. In another language, emptying both
    removes the translation (readers then see the default language, marked).
    On a published consultation, changing a text readers could already read adds
    a dated notice; a first translation is no correction and adds none.
    """
    if locale not in consultation.offered_locales:
        raise ConsultationChangeRefused(_l("This language is not offered."))
    title, summary = _clean_title(title), normalise_plain_text(summary).strip()
    if locale == consultation.default_locale and not title:
        raise ConsultationChangeRefused(_l("The default language needs a title."))
    current = consultation.translations.get(locale)
    before = (current.title, current.summary) if current is not None else ("", "")
    if (title, summary) == before:
        return False
    removed = not title and not summary
    if removed:
        del consultation.translations[locale]
    elif current is None:
        consultation.translations[locale] = ConsultationTranslation(
            locale=locale, title=title, summary=summary
        )
    else:
        current.title, current.summary = title, summary
    db.session.flush()
    if any(old and old != new for old, new in zip(before, (title, summary), strict=True)):
        add_notice(consultation, NoticeKind.INTRODUCTION_CORRECTED, locale=locale)
    _record(
        "consultation.text_changed",
        consultation,
        editor,
        locale=locale,
        removed=removed,
    )
    return True


def publish_consultation(consultation: Consultation, editor: User) -> bool:
    """Show the consultation to the public; False if it already was.

    Refused (`PublicationRefused`, listing what is missing) without a window, a
    title in the default language, or something to read. The first publication is
    remembered: from then on changes get notices, even while unpublished.
    """
    blockers = publication_blockers(consultation)
    if blockers:
        raise PublicationRefused(blockers)
    if consultation.is_published:
        return False
    consultation.published_at = utcnow()
    if consultation.first_published_at is None:
        consultation.first_published_at = consultation.published_at
    db.session.flush()
    _record(
        "consultation.published",
        consultation,
        editor,
    )
    return True


def unpublish_consultation(consultation: Consultation, editor: User) -> bool:
    """Hide the consultation from the public; False if it was not published.

    Nothing is deleted: comments, notices and texts stay, and come back with it
    when it is published again; changes made meanwhile still get notices.
    """
    if not consultation.is_published:
        return False
    consultation.published_at = None
    db.session.flush()
    _record(
        "consultation.unpublished",
        consultation,
        editor,
    )
    return True


def _clean_title(title: str) -> str:
    # A title is one line: line breaks typed or pasted into it become spaces.
    return " ".join(normalise_plain_text(title).split())


def _as_detail(value: object) -> object:
    """A value as the audit log stores it: JSON-friendly and readable."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value


def _record(action: str, consultation: Consultation, editor: User, **details: Any) -> None:
    """Audit an editor's change to `consultation` (flushed with it, never committed)."""
    # Any: detail names are never record()'s own parameters (such as `reason`).
    record(
        action,
        actor_id=editor.id,
        subject_type="consultation",
        subject_id=consultation.id,
        **details,
    )
