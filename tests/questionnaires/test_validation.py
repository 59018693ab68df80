"""validate_answers, the one check of what a questionnaire form sends: every kind of question."""

from __future__ import annotations

import pytest

from consult.questionnaires.models import Question, QuestionKind, QuestionOption
from consult.questionnaires.operations import (
    MAX_LONG_TEXT_LENGTH,
    MAX_SHORT_TEXT_LENGTH,
    AnswerValue,
    validate_answers,
)

pytestmark = pytest.mark.usefixtures("app_context")

OPTIONS = [11, 12, 13]


def question(kind: QuestionKind, *, required: bool = False, **settings: int) -> Question:
    """A question outside any database: validation needs none."""
    asked = Question(id=1, kind=kind, required=required, position=0, **settings)
    if kind.has_options:
        asked.options = [QuestionOption(id=i, position=p) for p, i in enumerate(OPTIONS)]
    return asked


VALID = [
    (QuestionKind.SHORT_TEXT, {"q-1": ["  Senado\r\n"]}, AnswerValue(text="Senado")),
    (QuestionKind.SHORT_TEXT, {"q-1": ["x" * MAX_SHORT_TEXT_LENGTH]}, AnswerValue(text="x" * 500)),
    (QuestionKind.SHORT_TEXT, {"q-1": ["Cafe\u0301\x07"]}, AnswerValue(text="Café")),
    (QuestionKind.LONG_TEXT, {"q-1": ["One.\r\n\r\nTwo."]}, AnswerValue(text="One.\n\nTwo.")),
    (
        QuestionKind.LONG_TEXT,
        {"q-1": ["y" * MAX_LONG_TEXT_LENGTH]},
        AnswerValue(text="y" * MAX_LONG_TEXT_LENGTH),
    ),
    (QuestionKind.SINGLE_CHOICE, {"q-1": ["12"]}, AnswerValue(option_ids=[12])),
    # Sent in any order, kept in the options' order.
    (
        QuestionKind.MULTIPLE_CHOICE,
        {"q-1-13": ["y"], "q-1-11": ["y"]},
        AnswerValue(option_ids=[11, 13]),
    ),
    (QuestionKind.SCALE, {"q-1": ["1"]}, AnswerValue(number=1)),
    (QuestionKind.SCALE, {"q-1": ["5"]}, AnswerValue(number=5)),
    (QuestionKind.YES_NO, {"q-1": ["yes"]}, AnswerValue(flag=True)),
    (QuestionKind.YES_NO, {"q-1": ["no"]}, AnswerValue(flag=False)),
    (QuestionKind.COUNTRY, {"q-1": ["SN"]}, AnswerValue(text="SN")),
    (QuestionKind.COUNTRY, {"q-1": ["ps"]}, AnswerValue(text="PS")),
]


@pytest.mark.parametrize(("kind", "typed", "expected"), VALID)
def test_valid_answers_are_cleaned(kind: QuestionKind, typed: dict, expected: AnswerValue) -> None:
    settings = {"scale_max": 5} if kind is QuestionKind.SCALE else {}
    for submit in (False, True):
        result = validate_answers([question(kind, **settings)], typed, submit=submit)
        assert result.errors == {} and result.answers == {1: expected}


INVALID = [
    (
        QuestionKind.SHORT_TEXT,
        {"q-1": ["x" * (MAX_SHORT_TEXT_LENGTH + 1)]},
        "at most 500 characters",
    ),
    (QuestionKind.LONG_TEXT, {"q-1": ["y" * (MAX_LONG_TEXT_LENGTH + 1)]}, "at most 10,000"),
    (QuestionKind.SHORT_TEXT, {"q-1": ["a", "b"]}, "only one answer"),
    (QuestionKind.SINGLE_CHOICE, {"q-1": ["99"]}, "one of the options offered"),
    (QuestionKind.SINGLE_CHOICE, {"q-1": ["eleven"]}, "one of the options offered"),
    (QuestionKind.SINGLE_CHOICE, {"q-1": ["11", "12"]}, "only one answer"),
    (QuestionKind.MULTIPLE_CHOICE, {"q-1-99": ["y"]}, "among the options offered"),
    (QuestionKind.MULTIPLE_CHOICE, {"q-1-11": ["y"], "q-1-x": ["y"]}, "among the options offered"),
    (
        QuestionKind.MULTIPLE_CHOICE,
        {"q-1-11": ["y"], "q-1-12": ["y"], "q-1-13": ["y"]},
        "at most 2 options",
    ),
    (QuestionKind.SCALE, {"q-1": ["0"]}, "from 1 to 5"),
    (QuestionKind.SCALE, {"q-1": ["6"]}, "from 1 to 5"),
    (QuestionKind.SCALE, {"q-1": ["-1"]}, "from 1 to 5"),
    (QuestionKind.SCALE, {"q-1": ["2.5"]}, "from 1 to 5"),
    (QuestionKind.YES_NO, {"q-1": ["maybe"]}, "yes or no"),
    (QuestionKind.COUNTRY, {"q-1": ["ZZ"]}, "country from the list"),
    (QuestionKind.COUNTRY, {"q-1": ["EU"]}, "country from the list"),
]


@pytest.mark.parametrize(("kind", "typed", "problem"), INVALID)
def test_invalid_answers_are_refused_in_drafts_and_submissions(
    kind: QuestionKind, typed: dict, problem: str
) -> None:
    settings = {"scale_max": 5} if kind is QuestionKind.SCALE else {}
    if kind is QuestionKind.MULTIPLE_CHOICE:
        settings["max_choices"] = 2
    for submit in (False, True):
        result = validate_answers([question(kind, **settings)], typed, submit=submit)
        assert result.answers == {}
        assert problem in result.errors[1]


@pytest.mark.parametrize("kind", list(QuestionKind))
@pytest.mark.parametrize("blank", [{}, {"q-1": [""]}, {"q-1": ["   "]}, {"q-1-11": [""]}])
def test_a_required_question_left_blank_stops_a_submission_not_a_draft(
    kind: QuestionKind, blank: dict
) -> None:
    settings = {"scale_max": 5} if kind is QuestionKind.SCALE else {}
    asked = [question(kind, required=True, **settings)]
    draft = validate_answers(asked, blank, submit=False)
    assert draft.is_valid and draft.answers == {}
    submission = validate_answers(asked, blank, submit=True)
    expected = "at least one" if kind is QuestionKind.MULTIPLE_CHOICE else "answer this question"
    assert expected in submission.errors[1]


def test_an_optional_question_may_stay_blank() -> None:
    result = validate_answers([question(QuestionKind.SHORT_TEXT)], {}, submit=True)
    assert result.is_valid and result.answers == {}


def test_multiple_choice_without_a_maximum_takes_every_option() -> None:
    typed = {f"q-1-{option}": ["y"] for option in OPTIONS}
    result = validate_answers([question(QuestionKind.MULTIPLE_CHOICE)], typed, submit=True)
    assert result.answers == {1: AnswerValue(option_ids=OPTIONS)}


def test_another_questions_option_is_not_this_ones() -> None:
    first = question(QuestionKind.SINGLE_CHOICE)
    second = Question(id=2, kind=QuestionKind.SINGLE_CHOICE, required=False, position=1)
    second.options = [QuestionOption(id=21, position=0)]
    result = validate_answers([first, second], {"q-1": ["21"], "q-2": ["21"]}, submit=False)
    assert set(result.errors) == {1} and result.answers == {2: AnswerValue(option_ids=[21])}
