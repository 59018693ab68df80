"""The demo's calls for input (PRODUCT.md, demo items 3 and 4): four languages, responses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from consult.consultations.queries import get_by_slug
from consult.core.models import utcnow
from consult.demo.questionnaire_content import (
    PROGRESS_REPORT,
    PROGRESS_REPORT_QUESTIONS,
    THEMATIC_CALL,
    THEMATIC_CALL_QUESTIONS,
)
from consult.extensions import db
from consult.questionnaires.models import (
    Answer,
    Question,
    QuestionKind,
    QuestionOption,
    Response,
    ResponseStatus,
)

FOUR = {"ar", "en", "es", "fr"}
CALLS = [(THEMATIC_CALL.slug, len(THEMATIC_CALL_QUESTIONS)),
         (PROGRESS_REPORT.slug, len(PROGRESS_REPORT_QUESTIONS))]  # fmt: skip


@pytest.mark.db
@pytest.mark.parametrize(("slug", "count"), CALLS)
def test_demo_calls_are_open_questionnaires_in_four_languages(
    runner: FlaskCliRunner, slug: str, count: int
) -> None:
    result = runner.invoke(args=["consult", "demo"])
    assert result.exit_code == 0, result.output
    consultation = get_by_slug(slug)
    assert consultation is not None
    assert consultation.is_published and consultation.is_open()
    assert consultation.closes_at is not None
    assert consultation.closes_at - utcnow() > timedelta(weeks=4)
    assert set(consultation.translations) == FOUR == set(consultation.offered_locales)
    assert consultation.sections == []
    assert len(consultation.questions) == count
    for question in consultation.questions:
        assert set(question.translations) == FOUR
        assert all(t.text.strip() for t in question.translations.values())
        helps = {locale for locale, t in question.translations.items() if t.help}
        assert helps in (set(), FOUR)
        for option in question.options:
            assert set(option.translations) == FOUR
            assert all(t.label.strip() for t in option.translations.values())
        if question.kind is QuestionKind.SCALE:
            for t in question.translations.values():
                assert t.scale_min_label and t.scale_max_label


@pytest.mark.db
def test_demo_thematic_call_asks_for_up_to_three_priorities(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["consult", "demo"])
    consultation = get_by_slug(THEMATIC_CALL.slug)
    assert consultation is not None
    kinds = [q.kind for q in consultation.questions]
    assert kinds[0] is QuestionKind.MULTIPLE_CHOICE
    assert consultation.questions[0].max_choices == 3
    assert len(consultation.questions[0].options) >= 6
    assert {QuestionKind.SHORT_TEXT, QuestionKind.YES_NO, QuestionKind.SCALE,
            QuestionKind.LONG_TEXT} <= set(kinds)  # fmt: skip
    assert "2025" in consultation.questions[0].text_in("ar").value


@pytest.mark.db
def test_demo_responses_in_several_languages_groups_and_countries(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["consult", "demo"])
    responses = db.session.scalars(select(Response)).all()
    submitted = [r for r in responses if r.status is ResponseStatus.SUBMITTED]
    drafts = [r for r in responses if r.status is ResponseStatus.DRAFT]
    assert 5 <= len(submitted) <= 8
    assert len(drafts) == 1
    assert {r.language for r in submitted} == FOUR
    assert len({r.author_group for r in submitted}) >= 2
    assert len({r.author_country for r in submitted}) >= 4
    for response in submitted:
        assert response.author_name and response.submitted_at is not None
        opens_at = response.consultation.opens_at
        assert opens_at is not None
        assert opens_at <= response.created_at <= response.submitted_at <= utcnow()
        for question in response.consultation.questions:
            if question.required:
                assert question.id in response.answers, (response.id, question.id)
    # Every chosen option belongs to its question, and no more than allowed are chosen.
    for answer in db.session.scalars(select(Answer).where(Answer.option_ids.is_not(None))):
        question = db.session.get(Question, answer.question_id)
        assert question is not None
        assert set(answer.option_ids or []) <= {o.id for o in question.options}
        assert len(answer.option_ids or []) <= (question.max_choices or 1)


@pytest.mark.db
def test_demo_questionnaires_are_loaded_once(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["consult", "demo"])

    def counts() -> tuple[int | None, ...]:
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Question, QuestionOption, Response, Answer)
        )

    before = counts()
    second = runner.invoke(args=["consult", "demo"])
    assert second.exit_code == 0, second.output
    assert f"{THEMATIC_CALL.slug}: already present" in second.output
    assert f"{PROGRESS_REPORT.slug} responses: already present" in second.output
    assert counts() == before
