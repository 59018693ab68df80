"""Writing questions: add, edit, translate, move, remove, and the lock once responses are in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.accounts.models import Role, User
from consult.audit.models import AuditEntry
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.questionnaires.models import Answer, Question, QuestionKind, ResponseStatus
from consult.questionnaires.question_texts import missing_locales
from consult.questionnaires.questions import (
    LastQuestionOfPublishedConsultation,
    QuestionnaireLocked,
    QuestionSettings,
    QuestionTexts,
    add_question,
    edit_question,
    is_locked,
    move_question,
    remove_question,
)
from tests.accounts.staff_helpers import make_staff
from tests.factories import make_consultation, make_participant
from tests.questionnaires.factories import make_question, make_response

pytestmark = pytest.mark.usefixtures("app_context")


@pytest.fixture
def editor() -> User:
    return make_staff("editor@example.org", Role.EDITOR)


def questionnaire(*, published: bool = False) -> Consultation:
    return make_consultation("call", titles={"en": "Call", "fr": "Appel"}, published=published)


def actions() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.subject_type == "question")
            .order_by(AuditEntry.id)
        )
    )


def texts_in_order(consultation: Consultation) -> list[str]:
    db.session.expire(consultation, ["questions"])
    return [q.translations["en"].text for q in consultation.questions]


@pytest.mark.db
def test_a_choice_question_is_added_at_the_end_with_its_options(editor: User) -> None:
    consultation = questionnaire()
    make_question(consultation, texts={"en": "First?"})
    question = add_question(
        consultation,
        QuestionSettings(QuestionKind.MULTIPLE_CHOICE, required=True, max_choices=2),
        QuestionTexts(" Which themes? ", help="Choose *two*."),
        ["AI", " Data\u0007 protection ", "Access"],
        editor,
    )
    assert question.position == 1
    assert question.translations["en"].text == "Which themes?"
    assert question.translations["en"].help == "Choose *two*."
    assert [o.translations["en"].label for o in question.options] == [
        "AI",
        "Data protection",
        "Access",
    ]
    assert (question.required, question.max_choices, question.scale_max) == (True, 2, None)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "question.added"))
    assert (entry.subject_type, entry.subject_id) == ("question", question.id)
    assert entry.details["kind"] == "multiple_choice"


@pytest.mark.db
@pytest.mark.parametrize(
    ("settings", "options"),
    [
        (QuestionSettings(QuestionKind.SINGLE_CHOICE), ["Only one"]),
        (QuestionSettings(QuestionKind.MULTIPLE_CHOICE, max_choices=3), ["A", "B"]),
        (QuestionSettings(QuestionKind.SHORT_TEXT, max_choices=1), []),
        (QuestionSettings(QuestionKind.SCALE), []),
        (QuestionSettings(QuestionKind.SCALE, scale_max=11), []),
        (QuestionSettings(QuestionKind.YES_NO, scale_max=5), []),
    ],
)
def test_settings_that_make_no_sense_are_refused(
    editor: User, settings: QuestionSettings, options: list[str]
) -> None:
    with pytest.raises(ValueError, match=r"option|scale|maximum"):
        add_question(questionnaire(), settings, QuestionTexts("Q?"), options, editor)


@pytest.mark.db
def test_the_default_language_needs_the_wording(editor: User) -> None:
    with pytest.raises(ValueError, match="wording"):
        add_question(
            questionnaire(), QuestionSettings(QuestionKind.YES_NO), QuestionTexts(" "), [], editor
        )


@pytest.mark.db
def test_a_translation_is_set_and_emptied(editor: User) -> None:
    consultation = questionnaire()
    question = make_question(
        consultation,
        QuestionKind.SINGLE_CHOICE,
        texts={"en": "Which?"},
        options=[{"en": "Yes"}, {"en": "No"}],
    )
    yes, no = question.options
    assert missing_locales(question, ["en", "fr"]) == ["fr"]
    changed = edit_question(
        question,
        "fr",
        QuestionTexts("Laquelle ?", option_labels={yes.id: "Oui", no.id: "Non"}),
        editor,
    )
    assert changed
    assert question.translations["fr"].text == "Laquelle ?"
    assert yes.translations["fr"].label == "Oui"
    assert missing_locales(question, ["en", "fr"]) == []
    assert not edit_question(
        question,
        "fr",
        QuestionTexts("Laquelle ?", option_labels={yes.id: "Oui", no.id: "Non"}),
        editor,
    )
    edit_question(question, "fr", QuestionTexts("", option_labels={yes.id: "", no.id: ""}), editor)
    assert "fr" not in question.translations
    assert "fr" not in yes.translations
    assert actions() == ["question.edited", "question.edited"]


@pytest.mark.db
def test_settings_change_in_the_default_language_only(editor: User) -> None:
    question = make_question(questionnaire())
    with pytest.raises(ValueError, match="default language only"):
        edit_question(
            question,
            "fr",
            QuestionTexts("Q ?"),
            editor,
            settings=QuestionSettings(QuestionKind.YES_NO),
        )


@pytest.mark.db
def test_options_are_reworded_added_and_removed_keeping_their_ids(editor: User) -> None:
    consultation = questionnaire()
    question = make_question(consultation, QuestionKind.SINGLE_CHOICE)
    a, b, c = question.options
    edit_question(
        question,
        "en",
        QuestionTexts("Which?", option_labels={a.id: "Alpha", b.id: "B", c.id: "C"}),
        editor,
        settings=QuestionSettings(QuestionKind.SINGLE_CHOICE),
        new_options=["D"],
        removed_option_ids=[b.id],
    )
    assert [(o.id, o.translations["en"].label, o.position) for o in question.options] == [
        (a.id, "Alpha", 0),
        (c.id, "C", 1),
        (question.options[2].id, "D", 2),
    ]


@pytest.mark.db
def test_questions_move_and_stop_at_either_end(editor: User) -> None:
    consultation = questionnaire()
    first, second, third = (
        make_question(consultation, texts={"en": text}) for text in ("One?", "Two?", "Three?")
    )
    assert move_question(third, "up", editor)
    assert texts_in_order(consultation) == ["One?", "Three?", "Two?"]
    assert not move_question(first, "up", editor)
    assert move_question(first, "down", editor)
    assert texts_in_order(consultation) == ["Three?", "One?", "Two?"]
    assert actions() == ["question.moved", "question.moved"]
    assert second.position == 2


@pytest.mark.db
def test_removing_renumbers_and_deletes_the_drafts_answers(editor: User) -> None:
    consultation = questionnaire()
    first, second, third = (
        make_question(consultation, texts={"en": text}) for text in ("One?", "Two?", "Three?")
    )
    draft = make_response(
        consultation,
        make_participant(),
        {first: "Kept", second: "Deleted"},
        status=ResponseStatus.DRAFT,
    )
    remove_question(second, editor)
    assert texts_in_order(consultation) == ["One?", "Three?"]
    assert third.position == 1
    db.session.expire(draft)
    assert list(draft.answers) == [first.id]
    assert actions() == ["question.removed"]


@pytest.mark.db
def test_a_draft_does_not_lock_the_questionnaire(editor: User) -> None:
    consultation = questionnaire()
    question = make_question(consultation, QuestionKind.SINGLE_CHOICE)
    make_response(
        consultation,
        make_participant(),
        {question: [question.options[0].id, question.options[1].id]},
        status=ResponseStatus.DRAFT,
    )
    assert not is_locked(consultation)
    b = question.options[1]
    edit_question(
        question,
        "en",
        QuestionTexts("Which?"),
        editor,
        settings=QuestionSettings(QuestionKind.SINGLE_CHOICE),
        removed_option_ids=[b.id],
    )
    # The draft keeps the choice that still exists.
    answer = db.session.scalars(select(Answer)).one()
    assert answer.option_ids == [question.options[0].id]


@pytest.mark.db
def test_changing_the_kind_of_an_unlocked_question_drops_its_options_and_draft_answers(
    editor: User,
) -> None:
    consultation = questionnaire()
    question = make_question(consultation, QuestionKind.SINGLE_CHOICE)
    make_response(
        consultation,
        make_participant(),
        {question: [question.options[0].id]},
        status=ResponseStatus.DRAFT,
    )
    edit_question(
        question,
        "en",
        QuestionTexts("How much?", scale_min_label="Little", scale_max_label="Much"),
        editor,
        settings=QuestionSettings(QuestionKind.SCALE, scale_max=7),
    )
    assert question.kind is QuestionKind.SCALE and question.scale_max == 7
    assert question.options == []
    assert question.translations["en"].scale_min_label == "Little"
    assert db.session.scalars(select(Answer)).all() == []


@pytest.fixture
def locked() -> tuple[Consultation, Question]:
    """A published call whose choice question has a submitted answer."""
    consultation = questionnaire(published=True)
    question = make_question(
        consultation,
        QuestionKind.SINGLE_CHOICE,
        texts={"en": "Which?"},
        options=[{"en": "A"}, {"en": "B"}],
    )
    make_question(consultation, QuestionKind.SCALE, texts={"en": "How much?"})
    make_response(consultation, make_participant(), {question: [question.options[0].id]})
    return consultation, question


@pytest.mark.db
def test_a_submitted_response_locks_removal_type_and_option_removal(
    editor: User, locked: tuple[Consultation, Question]
) -> None:
    consultation, question = locked
    assert is_locked(consultation)
    with pytest.raises(QuestionnaireLocked):
        remove_question(question, editor)
    with pytest.raises(QuestionnaireLocked):
        edit_question(
            question,
            "en",
            QuestionTexts("Which?"),
            editor,
            settings=QuestionSettings(QuestionKind.MULTIPLE_CHOICE),
        )
    with pytest.raises(QuestionnaireLocked):
        edit_question(
            question,
            "en",
            QuestionTexts("Which?"),
            editor,
            settings=QuestionSettings(QuestionKind.SINGLE_CHOICE),
            removed_option_ids=[question.options[1].id],
        )
    scale = consultation.questions[1]
    with pytest.raises(QuestionnaireLocked):
        edit_question(
            scale,
            "en",
            QuestionTexts("How much?"),
            editor,
            settings=QuestionSettings(QuestionKind.SCALE, scale_max=7),
        )
    db.session.expire_all()
    assert len(question.options) == 2 and question.kind is QuestionKind.SINGLE_CHOICE
    assert actions() == []


@pytest.mark.db
def test_a_locked_question_can_be_reworded_translated_and_given_options(
    editor: User, locked: tuple[Consultation, Question]
) -> None:
    _consultation, question = locked
    a, b = question.options
    assert edit_question(
        question,
        "en",
        QuestionTexts("Which one?", option_labels={a.id: "Alpha", b.id: "B"}),
        editor,
        settings=QuestionSettings(QuestionKind.SINGLE_CHOICE, required=True),
        new_options=["C"],
    )
    assert edit_question(question, "fr", QuestionTexts("Laquelle ?"), editor)
    assert [o.translations["en"].label for o in question.options] == ["Alpha", "B", "C"]
    assert question.options[0].id == a.id
    assert question.required


def edited_details() -> list[dict[str, object]]:
    return [
        entry.details
        for entry in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "question.edited").order_by(AuditEntry.id)
        )
    ]


@pytest.mark.db
def test_rewording_a_locked_question_records_the_wording_answered(
    editor: User, locked: tuple[Consultation, Question]
) -> None:
    _consultation, question = locked
    edit_question(question, "fr", QuestionTexts("Laquelle ?"), editor)
    edit_question(question, "fr", QuestionTexts("Lequel ?"), editor)
    edit_question(
        question,
        "en",
        QuestionTexts("Which one?"),
        editor,
        settings=QuestionSettings(QuestionKind.SINGLE_CHOICE, required=True),
    )
    first, second, third = edited_details()
    # A first translation had no wording before.
    assert "previous_text" not in first
    assert second["previous_text"] == "Laquelle ?"
    assert third["previous_text"] == "Which?"


@pytest.mark.db
def test_rewording_an_unlocked_question_keeps_no_previous_wording(editor: User) -> None:
    question = make_question(questionnaire(), texts={"en": "Which?"})
    assert edit_question(
        question,
        "en",
        QuestionTexts("Which one?"),
        editor,
        settings=QuestionSettings(QuestionKind.SHORT_TEXT),
    )
    assert "previous_text" not in edited_details()[0]


def a_locked_multiple_choice(max_choices: int | None) -> Question:
    consultation = questionnaire(published=True)
    question = make_question(
        consultation,
        QuestionKind.MULTIPLE_CHOICE,
        texts={"en": "Which?"},
        options=[{"en": "A"}, {"en": "B"}, {"en": "C"}],
        max_choices=max_choices,
    )
    make_response(consultation, make_participant(), {question: [o.id for o in question.options]})
    return question


@pytest.mark.db
@pytest.mark.parametrize(("before", "after"), [(3, 2), (None, 2), (None, 3)])
def test_a_locked_maximum_of_choices_cannot_be_set_or_lowered(
    editor: User, before: int | None, after: int
) -> None:
    question = a_locked_multiple_choice(before)
    with pytest.raises(QuestionnaireLocked, match="raised or removed"):
        edit_question(
            question,
            "en",
            QuestionTexts("Which?"),
            editor,
            settings=QuestionSettings(QuestionKind.MULTIPLE_CHOICE, max_choices=after),
        )
    db.session.expire_all()
    assert question.max_choices == before


@pytest.mark.db
@pytest.mark.parametrize(("before", "after"), [(2, 3), (2, None), (3, 3)])
def test_a_locked_maximum_of_choices_can_be_raised_or_removed(
    editor: User, before: int, after: int | None
) -> None:
    question = a_locked_multiple_choice(before)
    edit_question(
        question,
        "en",
        QuestionTexts("Which?"),
        editor,
        settings=QuestionSettings(QuestionKind.MULTIPLE_CHOICE, max_choices=after),
    )
    assert question.max_choices == after


@pytest.mark.db
def test_an_unlocked_maximum_of_choices_can_be_lowered(editor: User) -> None:
    question = make_question(
        questionnaire(),
        QuestionKind.MULTIPLE_CHOICE,
        texts={"en": "Which?"},
        options=[{"en": "A"}, {"en": "B"}, {"en": "C"}],
    )
    settings = QuestionSettings(QuestionKind.MULTIPLE_CHOICE, max_choices=1)
    assert edit_question(question, "en", QuestionTexts("Which?"), editor, settings=settings)
    assert question.max_choices == 1


@pytest.mark.db
def test_the_only_question_of_a_published_call_without_paper_stays(editor: User) -> None:
    consultation = questionnaire(published=True)
    question = make_question(consultation)
    with pytest.raises(LastQuestionOfPublishedConsultation):
        remove_question(question, editor)
    other = make_consultation("with-paper", sections={"1": {"en": "One."}})
    remove_question(make_question(other), editor)
    assert other.questions == []
