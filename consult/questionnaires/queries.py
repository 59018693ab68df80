"""Reading a questionnaire for participants: its questions, and one's own response."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult.accounts.models import User
from consult.consultations.models import Consultation
from consult.extensions import db
from consult.questionnaires.models import Answer, Question, QuestionOption, Response


def questions_of(consultation: Consultation, *, refresh: bool = False) -> list[Question]:
    """The consultation's questions in order, with every translation and option loaded.

    `refresh`: read them again from the database even if the session holds them
    (an editor may have changed them since they were first read).
    """
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.consultation_id == consultation.id)
            .options(
                selectinload(Question.translations),
                selectinload(Question.options).selectinload(QuestionOption.translations),
            )
            .order_by(Question.position, Question.id)
            .execution_options(populate_existing=refresh)
        )
    )


def question_count(consultation: Consultation) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Question)
            .where(Question.consultation_id == consultation.id)
        )
        or 0
    )


def response_of(consultation: Consultation, user: User) -> Response | None:
    """`user`'s response (draft or submitted) to the consultation, with its answers."""
    return db.session.scalar(
        select(Response)
        .where(Response.consultation_id == consultation.id, Response.author_id == user.id)
        .options(selectinload(Response.answers).selectinload(Answer.question))
    )


def responses_of(user: User) -> list[Response]:
    """Every response `user` has made, drafts too, the most recently changed first."""
    return list(
        db.session.scalars(
            select(Response)
            .where(Response.author_id == user.id)
            .options(selectinload(Response.consultation).selectinload(Consultation.translations))
            .order_by(Response.updated_at.desc(), Response.id.desc())
        )
    )
