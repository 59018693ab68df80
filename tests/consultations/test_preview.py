"""The staff preview: the public pages of a consultation, draft or published, for editors."""

from __future__ import annotations

import pytest
from flask import url_for
from flask.testing import FlaskClient

from consult.core.models import utcnow
from consult.extensions import db
from tests.accounts.staff_helpers import (
    PARTICIPANT,
    ROLES,
    STAFF_SIGN_IN,
    VISITOR,
    as_role,
)
from tests.factories import make_comment, make_consultation, make_participant

PREVIEW = "/{lang}/manage/consultations/draft-paper/preview/"
PAGES = [
    "/en/manage/consultations/draft-paper/preview/",
    "/en/manage/consultations/draft-paper/preview/sections/1/",
    "/en/manage/consultations/draft-paper/preview/comments/",
]


def make_draft(**options: object) -> None:
    values: dict[str, object] = {
        "titles": {"en": "Draft on AI", "fr": "Projet sur l'IA"},
        "offered": ["en", "fr"],
        "published": False,
        "sections": {
            "preamble": {"en": "We, the drafters,", "fr": "Nous, rédacteurs,"},
            "1": {"en": "Regulate by principles."},
            "2": {"en": "Regulate by risk.", "fr": "Réguler selon le risque."},
        },
        **options,
    }
    make_consultation("draft-paper", **values)  # type: ignore[arg-type]


def editor(client: FlaskClient) -> FlaskClient:
    return as_role(client, "editor")


def main_of(page: str) -> str:
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def overview_path(client: FlaskClient, lang: str = "en") -> str:
    with client.application.test_request_context(f"/{lang}/"):
        return url_for("consultation_editor.overview", slug="draft-paper", lang=lang)


@pytest.mark.db
@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_each_preview_page_for_each_role(client: FlaskClient, who: str, page: str) -> None:
    make_draft()
    response = as_role(client, who).get(page)
    if who in (VISITOR, PARTICIPANT):
        # No password session: to the staff sign-in, and back here afterwards.
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{STAFF_SIGN_IN}?next=")
        assert page in response.headers["Location"].replace("%2F", "/")
    elif who == "moderator":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert 'class="preview-banner" role="status"' in response.get_data(as_text=True)


@pytest.mark.db
def test_the_public_pages_of_a_draft_are_still_404(client: FlaskClient) -> None:
    make_draft()
    editor(client)
    for path in (
        "/en/consultations/draft-paper/",
        "/en/consultations/draft-paper/sections/1/",
        "/en/consultations/draft-paper/comments/",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.db
def test_a_draft_previews_in_french_with_the_banner_and_the_fallback_marks(
    client: FlaskClient,
) -> None:
    make_draft()
    page = editor(client).get(PREVIEW.format(lang="fr")).get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page
    main = main_of(page)
    banner = main.split('class="preview-banner"', 1)[1].split("</div>", 1)[0]
    assert "La consultation est un brouillon, pas encore publié." in banner
    assert f'href="{overview_path(client, "fr")}"' in banner
    assert "not offered in" not in banner
    assert '<span lang="fr" dir="ltr">Projet sur l&#39;IA</span>' in main
    assert "Réguler selon le risque." in main
    # Section 1 has no French text: shown in English, marked, as the public will see it.
    assert '<div class="prose" lang="en" dir="ltr"><p>Regulate by principles.</p>' in main
    assert main.count('class="fallback-note"') == 1


@pytest.mark.db
def test_a_language_the_consultation_does_not_offer_is_noted_in_the_banner(
    client: FlaskClient,
) -> None:
    make_draft()
    page = editor(client).get(PREVIEW.format(lang="es")).get_data(as_text=True)
    assert "Esta consulta no se ofrece en español" in page
    assert "ven sus textos en inglés, con la indicación correspondiente" in page
    assert 'class="fallback-tag"' in page


@pytest.mark.db
def test_a_published_consultation_is_previewed_as_published(client: FlaskClient) -> None:
    make_draft(published=True)
    page = editor(client).get(PREVIEW.format(lang="en")).get_data(as_text=True)
    assert "Preview: this is how the public will see this page. It is published." in page
    assert 'href="/en/consultations/draft-paper/"' in page


@pytest.mark.db
def test_links_inside_a_preview_stay_in_the_preview(client: FlaskClient) -> None:
    make_draft()
    editor(client)
    prefix = "/en/manage/consultations/draft-paper/preview/"
    paper = main_of(client.get(prefix).get_data(as_text=True))
    assert f'href="{prefix}sections/1/"' in paper
    assert f'href="{prefix}sections/1/#comments"' in paper
    assert f'href="{prefix}comments/#comments"' in paper
    assert "/en/consultations/" not in paper

    section = client.get(f"{prefix}sections/1/").get_data(as_text=True)
    assert f'rel="prev" href="{prefix}sections/preamble/"' in section
    assert f'rel="next" href="{prefix}sections/2/"' in section
    assert f'href="{prefix}#1"' in section  # the breadcrumb
    assert "/en/consultations/" not in main_of(section)

    general = client.get(f"{prefix}comments/").get_data(as_text=True)
    assert f'href="{prefix}"' in main_of(general)
    assert "/en/consultations/" not in main_of(general)

    # The language switcher keeps the reader in the preview.
    for lang in ("ar", "es", "fr"):
        assert f'href="/{lang}/manage/consultations/draft-paper/preview/sections/1/"' in section


@pytest.mark.db
@pytest.mark.parametrize("published", [False, True])
def test_a_preview_has_no_comment_form(client: FlaskClient, published: bool) -> None:
    make_draft(published=published)
    editor(client)
    for path in PAGES:
        page = client.get(path).get_data(as_text=True)
        assert 'name="form_key"' not in page, path
        assert 'name="body"' not in page, path
        assert "Nobody can comment on a preview." in page, path


@pytest.mark.db
def test_a_preview_is_kept_out_of_search_engines_and_shared_caches(client: FlaskClient) -> None:
    make_draft()
    editor(client)
    for path in PAGES:
        response = client.get(path)
        assert "noindex" in response.headers["X-Robots-Tag"]
        assert "no-store" in response.headers["Cache-Control"]
        assert "public" not in response.headers["Cache-Control"]


@pytest.mark.db
def test_an_unknown_consultation_or_section_is_404_in_preview(client: FlaskClient) -> None:
    make_draft()
    editor(client)
    assert client.get("/en/manage/consultations/nothing-here/preview/").status_code == 404
    assert client.get(PREVIEW.format(lang="en") + "sections/9/").status_code == 404


@pytest.mark.db
def test_the_preview_shows_published_comments_and_withdrawn_sections(client: FlaskClient) -> None:
    consultation = make_consultation(
        "draft-paper", sections={"1": {"en": "One."}, "2": {"en": "Two."}}
    )
    make_comment(consultation, make_participant(), section_key="2", body="On two.")
    consultation.sections[1].archived_at = utcnow()
    db.session.commit()
    editor(client)
    prefix = PREVIEW.format(lang="en")
    paper = main_of(client.get(prefix).get_data(as_text=True))
    withdrawn = paper.split('id="withdrawn-heading"', 1)[1]
    assert f'href="{prefix}sections/2/"' in withdrawn
    section = client.get(f"{prefix}sections/2/").get_data(as_text=True)
    assert 'class="archived-note"' in section
    assert "On two." in section
    assert 'name="form_key"' not in section
    assert "Nobody can comment" not in section  # no form here for the public either
