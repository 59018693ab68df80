"""The public reading pages, as a reader without an account sees them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from consult import create_app
from consult.core.models import utcnow
from tests.conftest import make_config
from tests.factories import make_consultation


@pytest.mark.db
def test_home_lists_open_consultations_before_closed_ones(client: FlaskClient) -> None:
    now = utcnow()
    make_consultation("still-open", titles={"en": "Still open"})
    make_consultation(
        "long-closed",
        titles={"en": "Long closed"},
        opens_at=now - timedelta(weeks=10),
        closes_at=now - timedelta(weeks=2),
    )
    page = client.get("/en/").get_data(as_text=True)
    assert page.index("Still open") < page.index("Long closed")
    assert "Open for comment" in page and "Closed" in page


@pytest.mark.db
def test_draft_consultation_is_invisible_to_the_public(client: FlaskClient) -> None:
    make_consultation("hidden-draft", titles={"en": "Secret draft"}, published=False)
    assert "Secret draft" not in client.get("/en/").get_data(as_text=True)
    assert client.get("/en/consultations/hidden-draft/").status_code == 404


@pytest.mark.db
def test_paper_page_shows_sections_in_order_with_anchors(client: FlaskClient) -> None:
    make_consultation(
        "ordered",
        sections={
            "preamble": {"en": "We, the drafters,"},
            "1": {"en": "First."},
            "1.a": {"en": "Sub *item*."},
        },
    )
    page = client.get("/en/consultations/ordered/").get_data(as_text=True)
    assert page.index('id="preamble"') < page.index('id="1"') < page.index('id="1.a"')
    assert 'href="#1.a"' in page
    assert "Sub <em>item</em>." in page


@pytest.mark.db
def test_section_page_links_to_previous_and_next(client: FlaskClient) -> None:
    make_consultation(
        "pager", sections={"1": {"en": "One"}, "2": {"en": "Two"}, "3": {"en": "Three"}}
    )
    page = client.get("/en/consultations/pager/sections/2/").get_data(as_text=True)
    assert 'rel="prev" href="/en/consultations/pager/sections/1/"' in page
    assert 'rel="next" href="/en/consultations/pager/sections/3/"' in page
    assert client.get("/en/consultations/pager/sections/9/").status_code == 404


def test_missing_translation_falls_back_to_default_language_and_says_so(
    client: FlaskClient,
) -> None:
    make_consultation(
        "fallback",
        titles={"en": "English title", "fr": "Titre français"},
        sections={"1": {"en": "Only in English."}},
    )
    page = client.get("/fr/consultations/fallback/sections/1/").get_data(as_text=True)
    assert '<div class="prose" lang="en" dir="ltr"><p>Only in English.</p>' in page
    assert "fallback-note" in page
    assert '<span lang="fr" dir="ltr">Titre français</span>' in page


def test_deadline_is_shown_in_the_consultation_zone_with_its_name(client: FlaskClient) -> None:
    make_consultation("zoned", timezone="Asia/Tokyo")
    page = client.get("/en/consultations/zoned/").get_data(as_text=True)
    assert "Japan Standard Time, GMT+09:00" in page


def test_healthz_answers_when_the_database_does(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"


def test_healthz_reports_a_database_that_does_not_answer(tmp_path: Path) -> None:
    # A database file in a folder that does not exist cannot be opened.
    app = create_app(make_config(f"sqlite:///{tmp_path / 'missing' / 'consult.sqlite3'}"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "database unavailable\n"


def test_fallback_titles_and_summaries_say_which_language_they_are_in(
    client: FlaskClient,
) -> None:
    make_consultation("english-only", titles={"en": "Only English"}, offered=["en", "ar"])
    home = client.get("/ar/").get_data(as_text=True)
    assert '<span lang="en" dir="ltr">Only English</span> <small class="fallback-tag">' in home
    page = client.get("/ar/consultations/english-only/").get_data(as_text=True)
    assert page.count('class="fallback-note"') == 1  # the summary; there are no sections
