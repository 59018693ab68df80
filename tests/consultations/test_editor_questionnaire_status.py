"""A questionnaire in the consultation workspace: translation status, overview, publication."""

from __future__ import annotations

import html

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import Role
from consult.consultations.models import Consultation
from consult.consultations.queries import (
    PublicationBlocker,
    publication_blockers,
    translation_gaps,
)
from consult.extensions import db
from consult.questionnaires.models import QuestionKind, ResponseStatus
from tests.accounts.staff_helpers import post_form, staff_client
from tests.factories import make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

BASE = "/en/manage/consultations/call"


@pytest.fixture
def editor(client: FlaskClient) -> FlaskClient:
    return staff_client(client, "editor@example.org", Role.EDITOR)


def make_call(*, published: bool = False) -> Consultation:
    consultation = make_consultation(
        "call", titles={"en": "Call", "fr": "Appel"}, published=published
    )
    make_question(
        consultation,
        QuestionKind.SINGLE_CHOICE,
        texts={"en": "Which theme?", "fr": "Quel thème ?"},
        options=[{"en": "AI", "fr": "IA"}, {"en": "Data"}],
    )
    make_question(
        consultation,
        QuestionKind.SCALE,
        texts={"en": "How much?", "fr": "Combien ?"},
        helps={"en": "From *1* to 5."},
        scale_labels={"en": ("Little", None)},
    )
    return consultation


@pytest.mark.db
def test_the_status_lists_each_question_text_and_a_missing_french_option(
    app_context: None,
) -> None:
    consultation = make_call()
    choice, scale = consultation.questions
    gaps = translation_gaps(consultation)
    status = [
        (text.kind, text.question.id if text.question else None, dict(text.present))
        for text in gaps.texts
    ]
    both, english_only = {"en": True, "fr": True}, {"en": True, "fr": False}
    assert status == [
        ("title", None, both),
        ("summary", None, both),
        ("question", choice.id, both),
        ("option", choice.id, both),
        ("option", choice.id, english_only),
        ("question", scale.id, both),
        # Help and the lowest point's label, where English has them; no highest label.
        ("help", scale.id, english_only),
        ("scale_min_label", scale.id, english_only),
    ]
    assert gaps.texts[4].option is choice.options[1]
    assert gaps.missing_count("fr") == 3


@pytest.mark.db
def test_the_translations_page_links_to_a_missing_option(editor: FlaskClient) -> None:
    consultation = make_call()
    choice = consultation.questions[0]
    page = html.unescape(editor.get(f"{BASE}/translations").get_data(as_text=True))
    row = page.split("Question 1: option 2", 1)[1].split("</tr>", 1)[0]
    assert 'badge-missing">Missing<' in row
    assert f'href="{BASE}/questionnaire/{choice.id}/fr"' in row
    assert "Question 2: label of the lowest point" in page
    assert "3 texts missing" in page


@pytest.mark.db
def test_the_overview_counts_questions_and_responses(editor: FlaskClient) -> None:
    consultation = make_call(published=True)
    make_response(consultation, make_participant())
    make_response(consultation, make_participant("other@example.org"), status=ResponseStatus.DRAFT)
    page = editor.get(f"{BASE}/").get_data(as_text=True)
    assert "2 questions in the questionnaire" in page
    assert "1 submitted" in page and "1 draft not sent" in page


@pytest.mark.db
def test_a_consultation_with_only_a_questionnaire_can_be_published(editor: FlaskClient) -> None:
    consultation = make_consultation("call", published=False)
    assert publication_blockers(consultation) == [PublicationBlocker.NO_CONTENT]
    make_question(consultation)
    assert publication_blockers(consultation) == []
    response = post_form(editor, f"{BASE}/", f"{BASE}/publish")
    assert response.status_code == 302
    published = db.session.scalars(select(Consultation)).one()
    assert published.is_published


@pytest.mark.db
def test_a_consultation_with_neither_paper_nor_questions_is_not_published(
    editor: FlaskClient,
) -> None:
    make_consultation("call", published=False)
    page = html.unescape(editor.get(f"{BASE}/").get_data(as_text=True))
    assert "no section in its paper and no question in its questionnaire" in page
    post_form(editor, f"{BASE}/", f"{BASE}/publish")
    assert not db.session.scalars(select(Consultation)).one().is_published
