"""Questionnaire audit entries: labelled in the reader's language, every detail named."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.accounts.models import Role
from consult.audit.labels import ACTION_LABELS, action_label, detail_lines, subject_label
from consult.audit.models import AuditEntry
from consult.audit.operations import record
from consult.audit.queries import readable_entries
from consult.comments.models import Identity
from consult.extensions import db
from consult.questionnaires.models import QuestionKind
from consult.questionnaires.operations import field_name, save_response
from consult.questionnaires.questions import (
    QuestionSettings,
    QuestionTexts,
    add_question,
    edit_question,
    move_question,
    remove_question,
)
from tests.accounts.staff_helpers import make_staff
from tests.factories import make_consultation, make_participant

QUESTIONNAIRE_ACTIONS = [
    "question.added",
    "question.edited",
    "question.moved",
    "question.removed",
    "response.submitted",
    "response.updated",
]


@pytest.mark.parametrize("action", QUESTIONNAIRE_ACTIONS)
def test_every_questionnaire_action_has_a_label(app_context: None, action: str) -> None:
    assert action in ACTION_LABELS
    assert action_label(action) != action


def test_questions_and_responses_are_named_subjects(app_context: None) -> None:
    assert subject_label("question", 4) == "Question 4"
    assert subject_label("response", 9) == "Response 9"


def run_the_questionnaire_operations() -> None:
    """Every questionnaire operation that writes an entry, as the pages call them."""
    editor = make_staff("editor@example.org", Role.EDITOR)
    consultation = make_consultation("call-x", titles={"en": "Call", "fr": "Appel"})
    first = add_question(
        consultation,
        QuestionSettings(kind=QuestionKind.SHORT_TEXT),
        QuestionTexts(text="Your parliament?"),
        [],
        editor,
    )
    second = add_question(
        consultation,
        QuestionSettings(kind=QuestionKind.YES_NO),
        QuestionTexts(text="Regional track?"),
        [],
        editor,
    )
    edit_question(first, "fr", QuestionTexts(text="Votre parlement ?"), editor)
    move_question(second, "up", editor)
    remove_question(second, editor)
    author = make_participant("ana@example.org")
    # Sent, then changed: response.submitted, then response.updated.
    for answer in ("Congreso", "Congreso Nacional"):
        save_response(
            consultation,
            author,
            {field_name(first): [answer]},
            identity=Identity.NAME_AND_ORGANISATION,
            submit=True,
            locale="es",
        )
    # Reworded once locked: the entry keeps the wording answered.
    edit_question(first, "fr", QuestionTexts(text="Quel parlement ?"), editor)


@pytest.mark.db
def test_every_detail_the_questionnaire_operations_write_has_a_label(app_context: None) -> None:
    run_the_questionnaire_operations()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert {entry.action for entry in entries} >= set(QUESTIONNAIRE_ACTIONS)
    written = set()
    for entry in readable_entries(entries, Role.EDITOR):
        for line in detail_lines(entry):
            written.add(line.key)
            assert line.label is not None, f"{entry.action}: {line.key} has no label"
    assert written >= {"consultation", "kind", "locale", "direction", "previous_text"}


def test_a_question_type_reads_in_words(app_context: None) -> None:
    [entry] = readable_entries([record("question.added", kind="scale", question="2")], Role.EDITOR)
    lines = {line.label: line.value for line in detail_lines(entry)}
    assert lines == {"Question type": "Scale", "Question number": "2"}
    [odd] = readable_entries([record("question.added", kind="drawing")], Role.EDITOR)
    assert [line.value for line in detail_lines(odd)] == ["drawing"]


def test_the_previous_wording_reads_as_typed(app_context: None) -> None:
    [entry] = readable_entries(
        [record("question.edited", locale="fr", previous_text="Votre parlement ?")], Role.EDITOR
    )
    lines = {line.label: line.value for line in detail_lines(entry)}
    assert lines["Wording before"] == "Votre parlement ?"
