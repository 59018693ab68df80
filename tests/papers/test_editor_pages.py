"""The paper editor's pages: who may reach them, and what the sections page lists."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.papers.models import Section
from tests.accounts.helpers import csrf_token_of
from tests.accounts.staff_helpers import (
    PARTICIPANT,
    ROLES,
    STAFF_SIGN_IN,
    VISITOR,
    as_role,
    sent_to_staff_sign_in,
)
from tests.factories import make_comment, make_consultation, make_participant

PAPER = "/en/manage/consultations/paper-x/paper"
PAGES = [
    f"{PAPER}/",
    f"{PAPER}/import",
    f"{PAPER}/sections/1/en",
    f"{PAPER}/sections/1/fr",
    f"{PAPER}/sections/new",
]
# Each POST route with fields that would change something if it were let through.
ACTIONS = [
    (f"{PAPER}/import", {"locale": "en", "text": "1. Changed.\n", "confirm": "y"}),
    (f"{PAPER}/sections/1/en", {"body": "Changed.", "save": "y"}),
    (f"{PAPER}/sections/new", {"key": "9", "place": "", "body": "New.", "save": "y"}),
    (f"{PAPER}/sections/1/move", {"direction": "up"}),
    (f"{PAPER}/sections/1/archive", {}),
    (f"{PAPER}/sections/2/restore", {}),  # 2 is archived first
]


def make_paper(slug: str = "paper-x", *, published: bool = False) -> Consultation:
    return make_consultation(
        slug,
        titles={"en": "A paper", "fr": "Un document"},
        published=published,
        sections={
            "preamble": {"en": "Recalling *this*."},
            "1": {"en": "One.", "fr": "Un."},
            "2": {"en": "Two."},
        },
    )


def keys_in_order(slug: str = "paper-x") -> list[str]:
    return list(
        db.session.scalars(
            select(Section.key)
            .join(Consultation)
            .where(Consultation.slug == slug)
            .order_by(Section.position)
        )
    )


@pytest.mark.db
@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_each_paper_page_for_each_role(client: FlaskClient, who: str, page: str) -> None:
    make_paper()
    response = as_role(client, who).get(page)
    if who in (VISITOR, PARTICIPANT):
        # No password session: to the staff sign-in, and back here afterwards.
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{STAFF_SIGN_IN}?next=")
    elif who == "moderator":
        assert response.status_code == 403
    else:
        assert response.status_code == 200


@pytest.mark.db
@pytest.mark.parametrize("who", ["participant", "moderator"])
@pytest.mark.parametrize(("action", "data"), ACTIONS)
def test_only_editors_may_change_a_paper(
    client: FlaskClient, who: str, action: str, data: dict[str, str]
) -> None:
    make_paper()
    archived = db.session.scalars(select(Section).where(Section.key == "2")).one()
    archived.archived_at = archived.created_at
    db.session.commit()
    as_role(client, who)
    token = csrf_token_of(client.get("/en/account/profile").get_data(as_text=True))
    response = client.post(action, data={"csrf_token": token, **data})
    if who == PARTICIPANT:
        assert sent_to_staff_sign_in(response)
    else:
        assert response.status_code == 403
    assert keys_in_order() == ["preamble", "1", "2"]
    section = db.session.scalars(select(Section).where(Section.key == "1")).one()
    assert section.translations["en"].body == "One."
    assert not section.is_archived
    assert db.session.scalars(select(Section).where(Section.key == "2")).one().is_archived


@pytest.mark.db
@pytest.mark.parametrize(
    "path",
    [
        "/en/manage/consultations/no-such/paper/",
        "/en/manage/consultations/no-such/paper/import",
        "/en/manage/consultations/no-such/paper/sections/new",
        f"{PAPER}/sections/9/en",
        f"{PAPER}/sections/1/es",  # a language the consultation does not offer
        f"{PAPER}/sections/1/de",  # a language not even enabled
    ],
)
def test_an_unknown_consultation_section_or_language_is_404(client: FlaskClient, path: str) -> None:
    make_paper()
    assert as_role(client, "editor").get(path).status_code == 404


@pytest.mark.db
def test_the_sections_page_lists_languages_comments_and_actions(client: FlaskClient) -> None:
    consultation = make_paper(published=True)
    author = make_participant()
    make_comment(consultation, author, section_key="1")
    make_comment(consultation, author, section_key="1", body="Another.")
    archived = db.session.scalars(select(Section).where(Section.key == "2")).one()
    archived.archived_at = archived.created_at
    db.session.commit()
    page = as_role(client, "editor").get(f"{PAPER}/").get_data(as_text=True)
    row_1 = page.split('id="section-1"', 1)[1].split("</tr>", 1)[0]
    assert "Paragraph \u20661\u2069" in row_1
    assert "<td>2</td>" in row_1  # two comments
    assert 'badge-present">English' in row_1 and 'badge-present">French' in row_1
    assert f'href="{PAPER}/sections/1/fr"' in row_1
    assert "Archive" in row_1 and "Restore" not in row_1
    row_2 = page.split('id="section-2"', 1)[1].split("</tr>", 1)[0]
    assert "badge-archived" in row_2
    assert "French: missing" in row_2
    assert "Restore" in row_2 and "Move up" not in row_2
    preamble = page.split('id="section-preamble"', 1)[1].split("</tr>", 1)[0]
    assert "Move up" not in preamble and "Move down" in preamble
    assert f'href="{PAPER}/sections/new"' in page
    assert f'href="{PAPER}/import"' in page


@pytest.mark.db
def test_an_empty_paper_says_how_to_start(client: FlaskClient) -> None:
    make_consultation("paper-x", published=False)
    page = as_role(client, "editor").get(f"{PAPER}/").get_data(as_text=True)
    assert "This paper has no sections yet" in page
    assert f'href="{PAPER}/import"' in page
    assert f'href="{PAPER}/sections/new"' in page
