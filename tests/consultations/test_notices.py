"""Dated public notices of what changed after publication, on the consultation's pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext

from consult.consultations.models import Consultation, ConsultationNotice, NoticeKind
from consult.consultations.notices import add_notice
from consult.core.models import utcnow
from consult.extensions import db
from tests.factories import make_consultation

PAPER = "/en/consultations/ai/"


def published(**options: object) -> Consultation:
    values: dict[str, object] = {
        "sections": {"preamble": {"en": "We,"}, "1": {"en": "One."}, "3.b": {"en": "Three b."}},
        **options,
    }
    return make_consultation("ai", **values)  # type: ignore[arg-type]


def notice(consultation: Consultation, kind: NoticeKind, **facts: object) -> None:
    consultation.notices.append(ConsultationNotice(kind=kind, **facts))
    db.session.commit()


def notices_region(page: str) -> str:
    assert 'class="consultation-notices" aria-labelledby="notices-heading"' in page
    region = page.split('class="consultation-notices"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="notices-heading">Changes since publication</h2>' in region
    return region


def text_of(html: str) -> str:
    """The words of `html`, tags out, as a reader hears them."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.mark.db
@pytest.mark.parametrize(
    ("shift", "sentence"),
    [
        (timedelta(days=7), "the deadline was extended to"),
        (timedelta(days=-7), "the deadline was brought forward to"),
    ],
)
def test_a_deadline_change_is_a_dated_sentence_that_says_which_way(
    client: FlaskClient, shift: timedelta, sentence: str
) -> None:
    previous = datetime(2030, 9, 19, 21, 59, tzinfo=UTC)
    consultation = published(closes_at=previous, timezone="Europe/Zurich")
    notice(
        consultation,
        NoticeKind.DEADLINE_CHANGED,
        moment=previous + shift,
        previous_moment=previous,
        created_at=datetime(2030, 9, 1, 8, 0, tzinfo=UTC),
    )
    region = text_of(notices_region(client.get(PAPER).get_data(as_text=True)))
    new_day = (previous + shift).day
    assert f"On September 1, 2030 {sentence} September {new_day}, 2030, 11:59 PM" in region
    assert "Central European Summer Time, GMT+02:00" in region


@pytest.mark.db
def test_an_opening_change_says_whether_it_was_postponed_or_brought_forward(
    client: FlaskClient,
) -> None:
    now = utcnow()
    consultation = published(opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=30))
    notice(
        consultation,
        NoticeKind.OPENING_CHANGED,
        moment=now + timedelta(days=2),
        previous_moment=now + timedelta(days=1),
        created_at=now - timedelta(hours=1),
    )
    notice(
        consultation,
        NoticeKind.OPENING_CHANGED,
        moment=now + timedelta(days=1),
        previous_moment=now + timedelta(days=2),
        created_at=now - timedelta(days=1),
    )
    region = text_of(notices_region(client.get(PAPER).get_data(as_text=True)))
    assert region.index("the opening was postponed to") < region.index(
        "the opening was brought forward to"
    )


@pytest.mark.db
def test_corrections_additions_and_withdrawals_name_the_section_and_link_to_it(
    client: FlaskClient,
) -> None:
    consultation = published()
    day = datetime(2030, 3, 2, 12, 0, tzinfo=UTC)
    facts: list[tuple[NoticeKind, dict[str, object]]] = [
        (NoticeKind.INTRODUCTION_CORRECTED, {"locale": "fr"}),
        (NoticeKind.SECTION_CORRECTED, {"section_key": "3.b", "locale": "en"}),
        (NoticeKind.SECTION_CORRECTED, {"section_key": "preamble"}),
        (NoticeKind.SECTION_ADDED, {"section_key": "1"}),
        (NoticeKind.SECTION_ARCHIVED, {"section_key": "3.b"}),
        (NoticeKind.SECTION_RESTORED, {"section_key": "3.b"}),
    ]
    for offset, (kind, extra) in enumerate(facts):
        notice(consultation, kind, created_at=day - timedelta(minutes=offset), **extra)
    region = notices_region(client.get(PAPER).get_data(as_text=True))
    words = text_of(region)
    expected = [
        "The introduction (French) was corrected on March 2, 2030.",
        "Paragraph \u20663.b\u2069 (English) was corrected on March 2, 2030.",
        "Preamble was corrected on March 2, 2030.",
        "Paragraph \u20661\u2069 was added to the paper on March 2, 2030.",
        "Paragraph \u20663.b\u2069 was withdrawn from the paper on March 2, 2030; "
        "its comments remain readable.",
        "Paragraph \u20663.b\u2069 was returned to the paper on March 2, 2030.",
    ]
    positions = [words.index(sentence) for sentence in expected]
    assert positions == sorted(positions)  # newest first
    assert 'href="/en/consultations/ai/sections/3.b/"' in region
    assert 'href="/en/consultations/ai/sections/preamble/"' in region
    assert '<time datetime="2030-03-02T12:00:00Z">March 2, 2030</time>' in region


@pytest.mark.db
def test_a_notice_is_dated_in_the_consultation_zone(client: FlaskClient) -> None:
    consultation = published(timezone="Asia/Tokyo")
    # Late evening in UTC is already the next day in Tokyo.
    notice(
        consultation,
        NoticeKind.SECTION_CORRECTED,
        section_key="1",
        created_at=datetime(2030, 5, 31, 20, 0, tzinfo=UTC),
    )
    region = text_of(notices_region(client.get(PAPER).get_data(as_text=True)))
    assert "was corrected on June 1, 2030." in region


@pytest.mark.db
def test_a_section_page_shows_only_the_notices_about_that_section(client: FlaskClient) -> None:
    consultation = published()
    add_notice(consultation, NoticeKind.SECTION_CORRECTED, section_key="1", locale="en")
    add_notice(consultation, NoticeKind.SECTION_CORRECTED, section_key="3.b", locale="en")
    add_notice(
        consultation,
        NoticeKind.DEADLINE_CHANGED,
        moment=utcnow() + timedelta(days=60),
        previous_moment=consultation.closes_at,
    )
    db.session.commit()
    page = client.get("/en/consultations/ai/sections/3.b/").get_data(as_text=True)
    region = text_of(notices_region(page))
    assert "Paragraph \u20663.b\u2069 (English) was corrected on" in region
    assert "Paragraph \u20661\u2069" not in region
    assert "deadline" not in region
    other = client.get("/en/consultations/ai/sections/preamble/").get_data(as_text=True)
    assert "consultation-notices" not in other


@pytest.mark.db
def test_a_consultation_without_changes_has_no_notices_region(client: FlaskClient) -> None:
    published()
    assert "consultation-notices" not in client.get(PAPER).get_data(as_text=True)


@pytest.mark.db
def test_notices_are_in_the_reader_language_on_an_arabic_page(client: FlaskClient) -> None:
    consultation = published(offered=["en", "ar"])
    add_notice(
        consultation,
        NoticeKind.DEADLINE_CHANGED,
        moment=utcnow() + timedelta(days=60),
        previous_moment=consultation.closes_at,
    )
    add_notice(consultation, NoticeKind.SECTION_CORRECTED, section_key="1", locale="en")
    db.session.commit()
    response = client.get("/ar/consultations/ai/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    region = page.split('class="consultation-notices"', 1)[1].split("</section>", 1)[0]
    with client.application.test_request_context("/ar/"), force_locale("ar"):
        heading = gettext("Changes since publication")
    # The heading as the Arabic catalog has it, the language named in Arabic, and
    # the section's link in the Arabic pages.
    assert f'<h2 id="notices-heading">{heading}</h2>' in region
    assert "(الإنجليزية)" in region
    assert 'href="/ar/consultations/ai/sections/1/"' in region
