"""Title and summary per language, with a preview that saves nothing; the translation
status of a consultation's texts."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from consult.accounts.models import Role
from consult.audit.models import AuditEntry
from consult.consultations.models import Consultation, NoticeKind
from consult.consultations.queries import translation_gaps
from consult.extensions import db
from consult.papers.models import SectionTranslation
from tests.accounts.helpers import csrf_token_of
from tests.accounts.staff_helpers import error_messages, staff_client
from tests.factories import make_consultation

BASE = "/en/manage/consultations"


def reload(slug: str) -> Consultation:
    return db.session.scalars(select(Consultation).where(Consultation.slug == slug)).one()


def entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def send_texts(
    client: FlaskClient, slug: str, locale: str, button: str, **data: str
) -> TestResponse:
    path = f"{BASE}/{slug}/texts/{locale}"
    token = csrf_token_of(client.get(path).get_data(as_text=True))
    return client.post(path, data={**data, button: "y", "csrf_token": token})


@pytest.fixture
def editor(client: FlaskClient) -> FlaskClient:
    return staff_client(client, "editor@example.org", Role.EDITOR)


@pytest.mark.db
def test_preview_shows_the_rendered_summary_and_saves_nothing(editor: FlaskClient) -> None:
    make_consultation("paper", published=False, titles={"en": "Paper", "ar": "ورقة"})
    response = send_texts(
        editor, "paper", "ar", "preview", title="ورقة جديدة", summary="نص *مهم*\n\n- بند"
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<div class="markdown-preview" lang="ar" dir="rtl">' in page
    assert "نص <em>مهم</em>" in page and "<li>بند</li>" in page
    # The typed text is kept in the form.
    assert 'value="ورقة جديدة"' in page and "نص *مهم*" in page
    consultation = reload("paper")
    assert consultation.translations["ar"].title == "ورقة"
    assert entries("consultation.text_changed") == []


@pytest.mark.db
def test_saving_a_text_stores_it_and_audits_its_language(editor: FlaskClient) -> None:
    make_consultation("paper", published=False)
    response = send_texts(
        editor, "paper", "en", "save", title="  New title ", summary="First line\r\nsecond."
    )
    assert response.status_code == 302
    translation = reload("paper").translations["en"]
    assert (translation.title, translation.summary) == ("New title", "First line\nsecond.")
    (entry,) = entries("consultation.text_changed")
    assert entry.details == {"locale": "en", "removed": False}
    assert "The text is saved." in editor.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.db
def test_the_default_language_needs_a_title(editor: FlaskClient) -> None:
    make_consultation("paper", published=False, titles={"en": "Paper"})
    response = send_texts(editor, "paper", "en", "save", title=" ", summary="Typed summary")
    assert error_messages(response.get_data(as_text=True)) == [
        "The default language needs a title."
    ]
    assert "Typed summary" in response.get_data(as_text=True)
    assert reload("paper").translations["en"].title == "Paper"


@pytest.mark.db
def test_emptying_a_translation_removes_it(editor: FlaskClient) -> None:
    make_consultation("paper", published=False, titles={"en": "Paper", "fr": "Papier"})
    assert send_texts(editor, "paper", "fr", "save", title="", summary="").status_code == 302
    assert "fr" not in reload("paper").translations
    assert entries("consultation.text_changed")[0].details == {"locale": "fr", "removed": True}


@pytest.mark.db
def test_another_language_shows_the_default_text_as_reference(editor: FlaskClient) -> None:
    make_consultation("paper", titles={"en": "The English title"}, offered=["en", "es"])
    page = editor.get(f"{BASE}/paper/texts/es").get_data(as_text=True)
    assert "The English title" in page
    assert "About <em>The English title</em>." in page
    assert 'value=""' in page  # the Spanish title, not written yet


@pytest.mark.db
def test_correcting_a_published_text_adds_a_notice(editor: FlaskClient) -> None:
    make_consultation("live", titles={"en": "Paper"}, offered=["en", "fr"])
    # A first translation is no correction.
    send_texts(editor, "live", "fr", "save", title="Papier", summary="")
    assert reload("live").notices == []
    send_texts(editor, "live", "en", "save", title="Paper", summary="A corrected summary.")
    (notice,) = reload("live").notices
    assert (notice.kind, notice.locale) == (NoticeKind.INTRODUCTION_CORRECTED, "en")


@pytest.mark.db
def test_correcting_a_draft_text_adds_no_notice(editor: FlaskClient) -> None:
    make_consultation("draft", published=False)
    send_texts(editor, "draft", "en", "save", title="Changed", summary="Changed.")
    assert reload("draft").notices == []


@pytest.mark.db
def test_the_status_shows_a_missing_french_body(app_context: None) -> None:
    consultation = make_consultation(
        "paper",
        titles={"en": "Paper", "fr": "Papier"},
        sections={"1": {"en": "Only English."}, "2": {"en": "Two.", "fr": "Deux."}},
    )
    gaps = translation_gaps(consultation)
    assert gaps.locales == ("en", "fr")
    status = {
        (text.kind, text.section.key if text.section else None): dict(text.present)
        for text in gaps.texts
    }
    assert status == {
        ("title", None): {"en": True, "fr": True},
        ("summary", None): {"en": True, "fr": True},
        ("body", "1"): {"en": True, "fr": False},
        ("body", "2"): {"en": True, "fr": True},
    }
    assert (gaps.missing_count("en"), gaps.missing_count("fr")) == (0, 1)


@pytest.mark.db
def test_headings_count_only_where_the_default_has_one(app_context: None) -> None:
    consultation = make_consultation(
        "paper",
        titles={"en": "Paper"},
        offered=["en", "es"],
        sections={"1": {"en": "One."}, "2": {"en": "Two."}},
    )
    consultation.sections[0].translations["en"].heading = "Scope"
    consultation.sections[1].translations["es"] = SectionTranslation(
        locale="es", heading="Encabezado", body="Dos."
    )
    db.session.flush()
    gaps = translation_gaps(consultation)
    kinds = [(text.kind, text.section.key if text.section else None) for text in gaps.texts]
    assert kinds == [
        ("title", None),
        ("summary", None),
        ("heading", "1"),
        ("body", "1"),
        ("body", "2"),
    ]
    # Spanish lacks title, summary, heading and body of section 1.
    assert gaps.missing_count("es") == 4


@pytest.mark.db
def test_a_section_that_is_a_heading_alone_has_no_body_to_miss(app_context: None) -> None:
    consultation = make_consultation("paper", offered=["en", "fr"], sections={"3": {"en": ""}})
    consultation.sections[0].translations["en"].heading = "Review"
    db.session.flush()
    gaps = translation_gaps(consultation)
    kinds = [(text.kind, text.section.key if text.section else None) for text in gaps.texts]
    assert kinds == [("title", None), ("summary", None), ("heading", "3")]
    assert gaps.missing_count("en") == 0


@pytest.mark.db
def test_archived_sections_are_not_listed(app_context: None) -> None:
    consultation = make_consultation("paper", sections={"1": {"en": "One."}, "2": {"en": "Two."}})
    consultation.sections[0].archived_at = consultation.created_at
    db.session.flush()
    keys = [text.section.key for text in translation_gaps(consultation).texts if text.section]
    assert keys == ["2"]


@pytest.mark.db
def test_the_translations_page_marks_missing_texts_with_links(editor: FlaskClient) -> None:
    make_consultation(
        "paper",
        titles={"en": "Paper", "fr": "Papier"},
        sections={"1": {"en": "Only English."}},
    )
    page = editor.get(f"{BASE}/paper/translations").get_data(as_text=True)
    assert page.count('class="badge badge-missing">Missing<') == 1
    assert page.count('class="badge badge-present">Present<') == 5
    assert f'href="{BASE}/paper/texts/fr"' in page
    assert "1 text missing" in page
    missing_cell = page[page.index("badge-missing") :]
    link = missing_cell[missing_cell.index('href="') + 6 :].split('"')[0]
    assert link.startswith(f"{BASE}/paper/paper/") and link.endswith("/fr")
