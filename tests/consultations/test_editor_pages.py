"""The consultation editor's pages: who may reach them, the list, creating a draft."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations.models import Consultation, ModerationMode
from consult.extensions import db
from tests.accounts.staff_helpers import (
    PARTICIPANT,
    ROLES,
    STAFF_SIGN_IN,
    VISITOR,
    as_role,
    error_messages,
    post_form,
    sent_to_staff_sign_in,
    staff_client,
)
from tests.factories import make_consultation

BASE = "/en/manage/consultations"
PAGES = [
    f"{BASE}/",
    f"{BASE}/new",
    f"{BASE}/paper-x/",
    f"{BASE}/paper-x/settings",
    f"{BASE}/paper-x/texts/en",
    f"{BASE}/paper-x/translations",
]
ACTIONS = [f"{BASE}/paper-x/publish", f"{BASE}/paper-x/unpublish"]


def as_editor(client: FlaskClient) -> FlaskClient:
    return staff_client(client, "editor@example.org", Role.EDITOR)


def reload(slug: str) -> Consultation:
    """The consultation as stored now (each request closes the session it used)."""
    return db.session.scalars(select(Consultation).where(Consultation.slug == slug)).one()


def audit_actions(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.mark.db
@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_each_editor_page_for_each_role(client: FlaskClient, who: str, page: str) -> None:
    make_consultation("paper-x", published=False, sections={"1": {"en": "One."}})
    response = as_role(client, who).get(page)
    if who in (VISITOR, PARTICIPANT):
        # No password session: to the staff sign-in, and back here afterwards.
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{STAFF_SIGN_IN}?next=")
    elif who == "moderator":
        assert response.status_code == 403
    else:
        assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.db
@pytest.mark.parametrize("who", [VISITOR, PARTICIPANT, "moderator"])
@pytest.mark.parametrize("action", ACTIONS)
def test_only_editors_may_publish_or_unpublish(client: FlaskClient, who: str, action: str) -> None:
    # Each action starts from the state it would change, so that a wrong 302 shows.
    unpublishing = action.endswith("/unpublish")
    make_consultation("paper-x", published=unpublishing, sections={"1": {"en": "One."}})
    as_role(client, who)
    # A valid token, so that it is the role that is refused, not the form.
    page = "/en/account/sign-in" if who == VISITOR else "/en/"
    response = post_form(client, page, action)
    if who == "moderator":
        assert response.status_code == 403
    else:
        assert sent_to_staff_sign_in(response)
    assert reload("paper-x").is_published is unpublishing


@pytest.mark.db
@pytest.mark.parametrize(
    "page", [f"{BASE}/nowhere/", f"{BASE}/nowhere/settings", f"{BASE}/nowhere/translations"]
)
def test_an_unknown_slug_is_404(client: FlaskClient, page: str) -> None:
    assert as_editor(client).get(page).status_code == 404


@pytest.mark.db
def test_texts_in_a_language_not_offered_is_404(client: FlaskClient) -> None:
    make_consultation("paper-x", titles={"en": "Paper"}, offered=["en", "fr"])
    as_editor(client)
    assert client.get(f"{BASE}/paper-x/texts/fr").status_code == 200
    assert client.get(f"{BASE}/paper-x/texts/es").status_code == 404


@pytest.mark.db
def test_the_list_shows_drafts_and_published_ones_with_window_and_languages(
    client: FlaskClient,
) -> None:
    make_consultation("open-one", titles={"en": "Open one", "fr": "Ouverte"})
    make_consultation("draft-one", titles={"en": "Draft one"}, published=False)
    page = as_editor(client).get(f"{BASE}/").get_data(as_text=True)
    assert "Open one" in page and "Draft one" in page
    assert "Published" in page and "Draft" in page
    assert "English" in page and "French" in page
    # The window in the consultation's zone, named, with its offset.
    assert "Central European" in page and "GMT+0" in page
    assert f'href="{BASE}/draft-one/"' in page
    assert f'href="{BASE}/new"' in page


@pytest.mark.db
def test_the_list_and_overview_speak_arabic(client: FlaskClient) -> None:
    make_consultation("open-one", titles={"en": "Open one"})
    as_editor(client)
    page = client.get(f"/ar{BASE[3:]}/").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert client.get(f"/ar{BASE[3:]}/open-one/").status_code == 200


@pytest.mark.db
def test_creating_a_draft_goes_to_its_overview_and_is_audited(client: FlaskClient) -> None:
    as_editor(client)
    response = post_form(
        client,
        f"{BASE}/new",
        f"{BASE}/new",
        slug="ai-regulation-2025",
        default_locale="fr",
        title="Réguler l’IA",
        timezone="Europe/Zurich",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{BASE}/ai-regulation-2025/"
    consultation = reload("ai-regulation-2025")
    assert not consultation.is_published
    assert consultation.default_locale == "fr"
    assert consultation.offered_locales == ["fr"]
    assert consultation.translations["fr"].title == "Réguler l’IA"
    assert consultation.timezone == "Europe/Zurich"
    assert consultation.moderation_mode is ModerationMode.PRE
    assert consultation.opens_at is None and consultation.closes_at is None
    (entry,) = audit_actions("consultation.created")
    assert entry.subject_type == "consultation" and entry.subject_id == consultation.id
    overview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Réguler l’IA" in overview
    assert "It has no opening and closing time." in overview


@pytest.mark.db
def test_a_duplicate_slug_is_refused_and_the_typed_values_kept(client: FlaskClient) -> None:
    make_consultation("taken-slug")
    as_editor(client)
    response = post_form(
        client,
        f"{BASE}/new",
        f"{BASE}/new",
        slug="taken-slug",
        default_locale="en",
        title="My typed title",
        timezone="America/Lima",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error_messages(page) == [
        "Another consultation already uses the address name “taken-slug”: please choose another."
    ]
    assert 'value="My typed title"' in page
    assert '<option selected value="America/Lima">' in page
    assert audit_actions("consultation.created") == []


@pytest.mark.db
@pytest.mark.parametrize("slug", ["AI-Paper", "ai--paper", "-ai", "ai paper", "ai_paper", "x" * 81])
def test_a_bad_slug_is_refused_with_a_clear_message(client: FlaskClient, slug: str) -> None:
    as_editor(client)
    response = post_form(
        client,
        f"{BASE}/new",
        f"{BASE}/new",
        slug=slug,
        default_locale="en",
        title="Typed title",
        timezone="UTC",
    )
    assert response.status_code == 200
    messages = error_messages(response.get_data(as_text=True))
    assert len(messages) == 1
    assert "lower-case letters" in messages[0] or "At most 80" in messages[0]
    assert db.session.scalars(select(Consultation)).all() == []


@pytest.mark.db
def test_a_draft_needs_a_title_and_an_enabled_language(client: FlaskClient) -> None:
    as_editor(client)
    response = post_form(
        client, f"{BASE}/new", f"{BASE}/new", slug="fine", default_locale="de", timezone="UTC"
    )
    messages = error_messages(response.get_data(as_text=True))
    assert "Please give the consultation a title." in messages
    assert "Not a valid choice." in messages
