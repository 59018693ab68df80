"""A questionnaire with every kind of question, and sending its form as a person does."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from consult.consultations.models import Consultation
from consult.extensions import db
from consult.questionnaires.models import Question, QuestionKind, Response
from tests.accounts.helpers import csrf_token_of
from tests.factories import make_consultation
from tests.questionnaires.factories import make_question

FORM = "/en/consultations/survey/questionnaire/"


@dataclass(frozen=True)
class Asked:
    """A question's id and its options' ids: still readable after requests close the session."""

    id: int
    options: list[int]

    def question(self) -> Question:
        question = db.session.get(Question, self.id)
        assert question is not None
        return question


def survey(**consultation: object) -> tuple[Consultation, dict[str, Asked]]:
    """A consultation without a paper, asking one question of each kind (some required)."""
    made = make_consultation(
        "survey",
        titles={"en": "Survey", "fr": "Enquête", "ar": "استبيان", "es": "Encuesta"},
        **consultation,  # type: ignore[arg-type]
    )
    questions = {
        "name": make_question(
            made,
            QuestionKind.SHORT_TEXT,
            texts={"en": "Your chamber?", "fr": "Votre chambre ?", "ar": "مجلسكم؟"},
            helps={"en": "As in *the constitution*."},
            required=True,
        ),
        "story": make_question(made, QuestionKind.LONG_TEXT, texts={"en": "Tell us more."}),
        "one": make_question(
            made,
            QuestionKind.SINGLE_CHOICE,
            texts={"en": "Which level?", "fr": "Quel niveau ?"},
            options=[{"en": "National", "fr": "National"}, {"en": "Regional", "fr": "Régional"}],
            required=True,
        ),
        "many": make_question(
            made,
            QuestionKind.MULTIPLE_CHOICE,
            texts={"en": "Which tools?", "fr": "Quels outils ?"},
            options=[
                {"en": "Hearings", "fr": "Auditions"},
                {"en": "Surveys", "fr": "Enquêtes", "ar": "استطلاعات"},
                {"en": "Petitions", "fr": "Pétitions"},
            ],
            max_choices=2,
        ),
        "scale": make_question(
            made,
            QuestionKind.SCALE,
            texts={"en": "How useful?", "fr": "Quelle utilité ?"},
            scale_max=5,
            scale_labels={"en": ("Not at all", "Very"), "fr": ("Pas du tout", "Très")},
        ),
        "yes": make_question(made, QuestionKind.YES_NO, texts={"en": "Public hearings?"}),
        "country": make_question(made, QuestionKind.COUNTRY, texts={"en": "Where?"}),
    }
    asked = {
        key: Asked(question.id, [option.id for option in question.options])
        for key, question in questions.items()
    }
    return made, asked


def name_of(question: Asked) -> str:
    return f"q-{question.id}"


def option_of(question: Asked, index: int) -> int:
    return question.options[index]


def full_answers(q: dict[str, Asked]) -> dict[str, str]:
    """A valid answer to every question, as the form sends it, and the identity choice."""
    many = q["many"]
    return {
        "identity": "name",
        name_of(q["name"]): "Assemblée nationale",
        name_of(q["story"]): "We hold hearings.\n\nEvery month.",
        name_of(q["one"]): str(option_of(q["one"], 0)),
        f"q-{many.id}-{option_of(many, 0)}": "y",
        f"q-{many.id}-{option_of(many, 2)}": "y",
        name_of(q["scale"]): "4",
        name_of(q["yes"]): "yes",
        name_of(q["country"]): "SN",
    }


def send_answers(
    client: FlaskClient,
    answers: dict[str, str],
    action: str = "submit",
    path: str = FORM,
    identity: str | None = "name",
) -> TestResponse:
    """Send the form as a browser does: with the identity radio (checked by default)
    unless `identity` is None or `answers` choose one."""
    page = client.get(path).get_data(as_text=True)
    data = {"csrf_token": csrf_token_of(page), "action": action}
    if identity is not None:
        data["identity"] = identity
    return client.post(path, data={**data, **answers})


def responses() -> list[Response]:
    db.session.expire_all()
    return list(db.session.scalars(select(Response)))


def unescaped(response: TestResponse) -> str:
    return html.unescape(response.get_data(as_text=True))


def checked_values(page: str) -> set[str]:
    """The names (checkboxes) and name=value pairs (radios) that are checked on `page`."""
    found = set()
    for tag in re.findall(r"<input[^>]*\schecked[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]+)"', tag)
        assert name is not None and value is not None
        found.add(name[1] if value[1] == "y" else f"{name[1]}={value[1]}")
    return found
