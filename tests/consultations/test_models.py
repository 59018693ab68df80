"""What the database and the models refuse about a consultation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, scoped_session

from consult.consultations.models import Consultation, ConsultationNotice, NoticeKind, Window
from consult.core.models import utcnow
from tests.factories import make_consultation


@pytest.mark.db
def test_a_published_consultation_without_a_window_is_refused(
    db_session: scoped_session[Session],
) -> None:
    db_session.add(
        Consultation(
            slug="no-window", default_locale="en", offered_locales=["en"], published_at=utcnow()
        )
    )
    with pytest.raises(IntegrityError, match="published_has_window"):
        db_session.flush()


@pytest.mark.db
def test_a_window_that_closes_before_it_opens_is_refused(
    db_session: scoped_session[Session],
) -> None:
    now = utcnow()
    with pytest.raises(IntegrityError, match="window_order"):
        make_consultation("backwards", opens_at=now, closes_at=now - timedelta(hours=1))


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="not an IANA time zone"):
        Consultation(
            slug="x", default_locale="en", offered_locales=["en"], timezone="Europe/Geneva"
        )


def test_the_window_is_half_open() -> None:
    now = utcnow()
    window = Window(now - timedelta(days=1), now)
    assert window.is_open(now - timedelta(microseconds=1))
    assert not window.is_open(now)
    assert window.has_ended(now)
    assert not Window(now, now + timedelta(days=1)).is_open(now - timedelta(seconds=1))
    assert Window(now, now + timedelta(days=1)).is_open(now)


@pytest.mark.db
@pytest.mark.parametrize(
    "kind",
    [
        NoticeKind.SECTION_CORRECTED,
        NoticeKind.SECTION_ADDED,
        NoticeKind.SECTION_ARCHIVED,
        NoticeKind.SECTION_RESTORED,
    ],
)
def test_a_section_notice_without_its_section_is_refused(
    db_session: scoped_session[Session], kind: NoticeKind
) -> None:
    consultation = make_consultation("paper")
    consultation.notices.append(ConsultationNotice(kind=kind))
    with pytest.raises(IntegrityError, match="section_notice_has_key"):
        db_session.flush()


@pytest.mark.db
def test_a_notice_about_the_introduction_needs_no_section(
    db_session: scoped_session[Session],
) -> None:
    consultation = make_consultation("paper")
    consultation.notices.append(
        ConsultationNotice(kind=NoticeKind.INTRODUCTION_CORRECTED, locale="en")
    )
    db_session.flush()
    assert consultation.notices[0].id is not None
