"""Dated public notices of what changed after publication.

Readers who commented last week must be able to see that the deadline moved or
that the paragraph they commented on was corrected. Every operation that changes a
consultation calls `add_notice`; one never published gets none (nobody has read
it), one unpublished for a while does (its readers come back to it).
"""

from __future__ import annotations

from datetime import datetime

from consult.consultations.models import Consultation, ConsultationNotice, NoticeKind
from consult.core.models import utcnow
from consult.extensions import db


def add_notice(
    consultation: Consultation,
    kind: NoticeKind,
    *,
    section_key: str | None = None,
    locale: str | None = None,
    moment: datetime | None = None,
    previous_moment: datetime | None = None,
    now: datetime | None = None,
) -> ConsultationNotice | None:
    """Tell readers of a consultation ever published what changed; None otherwise.

    Several edits of the same text on the same day (in the consultation's zone) make
    one notice, not a list of them; a window moved and then moved back the same day
    leaves no notice at all, since for the reader nothing changed.
    """
    if consultation.first_published_at is None:
        return None
    now = now or utcnow()
    today = now.astimezone(consultation.zone).date()
    for notice in consultation.notices:
        same_subject = (notice.kind, notice.section_key, notice.locale) == (
            kind,
            section_key,
            locale,
        )
        if same_subject and notice.created_at.astimezone(consultation.zone).date() == today:
            notice.created_at = now
            notice.moment = moment
            if notice.previous_moment is not None and notice.previous_moment == moment:
                consultation.notices.remove(notice)
                db.session.flush()
                return None
            db.session.flush()
            return notice
    notice = ConsultationNotice(
        kind=kind,
        section_key=section_key,
        locale=locale,
        moment=moment,
        previous_moment=previous_moment,
        created_at=now,
    )
    consultation.notices.append(notice)
    db.session.flush()
    return notice
