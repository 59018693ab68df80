"""A questionnaire answer as one value of an export (a cell, a JSON value, a line)."""

from __future__ import annotations

from consult.exports.queries import AnswerValues
from consult.questionnaires.models import Question, QuestionKind
from consult.questionnaires.reports import is_answered

# Between the options of a multiple-choice answer in one cell.
CHOICE_SEPARATOR = "; "


def question_heading(number: int, question: Question, locale: str) -> str:
    """ "3. Which themes matter most?": the question's number in the questionnaire and its text."""
    return f"{number}. {question.text_in(locale).value}"


def answer_value(
    question: Question, answer: AnswerValues | None, locale: str
) -> str | int | bool | None:
    """What the respondent answered, None if nothing.

    Text and country (an ISO code) as stored; options by their labels in `locale`
    (or the default language), several joined by "; " in the question's order;
    a scale's point as a number; yes/no as a boolean.
    """
    if answer is None or not is_answered(answer):
        return None
    kind = question.kind
    if kind.has_options:
        chosen = set(answer.option_ids or [])
        return CHOICE_SEPARATOR.join(
            option.label_in(locale).value for option in question.options if option.id in chosen
        )
    if kind is QuestionKind.SCALE:
        return answer.number
    if kind is QuestionKind.YES_NO:
        return answer.flag
    return answer.text or ""


def answer_json(
    question: Question, answer: AnswerValues | None
) -> str | list[int] | int | bool | None:
    """What the respondent answered, as the JSON export carries it; None if nothing.

    Like `answer_value`, but options by their ids (in the question's order), which
    programs can match with the questionnaire's options in any language.
    """
    if answer is None or not is_answered(answer):
        return None
    kind = question.kind
    if kind.has_options:
        chosen = set(answer.option_ids or [])
        return [option.id for option in question.options if option.id in chosen]
    if kind is QuestionKind.SCALE:
        return answer.number
    if kind is QuestionKind.YES_NO:
        return answer.flag
    return answer.text or ""
