"""Languages in the URL, negotiation at `/`, right-to-left, the switcher."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.factories import make_consultation


def test_root_redirects_to_the_accept_language_choice(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/es/"


def test_root_prefers_the_saved_choice_over_accept_language(client: FlaskClient) -> None:
    client.get("/ar/")  # reading a page in Arabic saves the choice
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert response.headers["Location"] == "/ar/"


def test_root_falls_back_to_the_default_language(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept-Language": "de, ja;q=0.8"})
    assert response.headers["Location"] == "/en/"


@pytest.mark.parametrize("path", ["/xx/", "/de/consultations/anything/", "/EN/"])
def test_unknown_language_code_is_a_translated_404(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    assert "Page not found" not in page  # the French catalog answers


def test_arabic_pages_are_right_to_left(client: FlaskClient) -> None:
    page = client.get("/ar/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_other_languages_are_left_to_right(client: FlaskClient, lang: str) -> None:
    page = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'<html lang="{lang}" dir="ltr">' in page


def test_interface_strings_are_translated(client: FlaskClient) -> None:
    english = client.get("/en/").get_data(as_text=True)
    for lang in ("ar", "es", "fr"):
        page = client.get(f"/{lang}/").get_data(as_text=True)
        assert "Skip to content" in english
        assert "Skip to content" not in page, lang


def test_language_switcher_keeps_the_reader_on_the_same_page(client: FlaskClient) -> None:
    make_consultation("switch", sections={"1.a": {"en": "Text"}})
    page = client.get("/en/consultations/switch/sections/1.a/?order=oldest").get_data(as_text=True)
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S)
    assert switcher is not None
    for lang in ("ar", "es", "fr"):
        assert f'href="/{lang}/consultations/switch/sections/1.a/?order=oldest"' in switcher[0]
    assert 'hreflang="en" aria-current="page"' in switcher[0]


def test_switcher_on_an_error_page_goes_to_each_home(client: FlaskClient) -> None:
    page = client.get("/xx/").get_data(as_text=True)
    assert 'href="/ar/"' in page and 'href="/es/"' in page


def test_dates_use_the_reader_locale_and_the_consultation_zone(client: FlaskClient) -> None:
    make_consultation("dated", timezone="America/Lima")
    page = client.get("/es/consultations/dated/").get_data(as_text=True)
    assert "hora estándar de Perú" in page
    assert "GMT-05:00" in page


def test_section_numbers_keep_their_order_in_right_to_left_text(client: FlaskClient) -> None:
    make_consultation("bidi", titles={"en": "Bidi"}, sections={"1.a": {"en": "Text"}})
    page = client.get("/ar/consultations/bidi/sections/1.a/").get_data(as_text=True)
    # Without an isolate, "1.a" reads "a.1" inside an Arabic sentence.
    assert "\u20661.a\u2069" in page


@pytest.mark.parametrize(
    "query",
    ["endpoint=x", "_method=POST", "_external=1&_anchor=evil", "lang=xx", "q=%E2%9C%93&q=2"],
)
def test_any_query_string_is_carried_by_the_switcher_and_never_breaks_a_page(
    client: FlaskClient, query: str
) -> None:
    make_consultation("query", sections={"1": {"en": "Text"}})
    response = client.get(f"/en/consultations/query/sections/1/?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    escaped_query = query.replace("&", "&amp;")
    assert f'href="/fr/consultations/query/sections/1/?{escaped_query}"' in page


def test_a_wildcard_accept_language_chooses_the_default(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept-Language": "zh, *;q=0.1"})
    assert response.headers["Location"] == "/en/"
